// Output modules in a DOM: each type's value(s) → DOM, both value shapes where tools differ, live updates for the
// streaming types, file references → webview URIs and host requests, the fallbacks (JSON, "not yet supported"),
// and tool output never becoming markup: an XSS payload stays inert text in every string-bearing type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { FILE_REF_KEY, OUTPUT_TYPES, type FileRef, type JsonValue, type OutputSpec, type RequestMethod, type RunView } from '../../src/protocol';
import { registerOutput, registeredOutputTypes, type OutputContext } from '../../webview/outputs/registry';
import { OutputsView, renderValue } from '../../webview/outputs/area';
import { formatNumber } from '../../webview/outputs/renderers/number';
import { safeUrl, sanitizeHtml } from '../../webview/outputs/sanitize';

type OutputsViewClass = OutputsView;

before(async () => {
  await setupDom();
});
after(closeDom);

const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';

interface Sent {
  method: RequestMethod;
  params: unknown;
}

function context(answer: (method: RequestMethod) => unknown = () => ({ opened: true, revealed: true, saved: true })): { ctx: OutputContext; sent: Sent[]; said: string[] } {
  const sent: Sent[] = [];
  const said: string[] = [];
  const ctx: OutputContext = {
    locale: 'en-US',
    request: ((method: RequestMethod, params: unknown) => {
      sent.push({ method, params });
      return Promise.resolve(answer(method));
    }) as OutputContext['request'],
    notify: (text) => said.push(text),
  };
  return { ctx, sent, said };
}

function outputs(list: Record<string, unknown>[]): OutputSpec[] {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs: list }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.outputs;
}

function one(type: string, extra: Record<string, unknown> = {}): OutputSpec {
  return outputs([{ key: 'out', label: 'Out', type, ...extra }])[0];
}

function render(type: string, value: JsonValue, extra: Record<string, unknown> = {}, ctx = context().ctx): HTMLElement {
  const element = renderValue(one(type, extra), value, ctx).element;
  document.body.appendChild(element);
  return element;
}

/** The payload arrived as text: no element it contains exists, no handler attribute anywhere. */
function assertInert(element: HTMLElement): void {
  assert.equal(element.querySelectorAll('script').length, 0, 'no script element');
  assert.equal(element.querySelectorAll('img[onerror], [onerror], img[src="x"]').length, 0, 'no injected image or handler');
  assert.ok((element.textContent ?? '').includes('alert(1)') || element.innerHTML.includes('&lt;img'), 'the payload is visible as text');
}

function ref(over: Partial<FileRef> = {}): FileRef {
  return { id: 7, uri: 'https://file+.vscode-resource.vscode-cdn.net/ws/artefacts/t/r/image.png', filename: 'image.png', mime: 'image/png', size: 2048, kind: 'file', problem: null, ...over };
}

test('every output type has a module (all 39), and no module for a type the model does not know', () => {
  const registered = registeredOutputTypes();
  const missing = OUTPUT_TYPES.filter((type) => !registered.includes(type));
  assert.deepEqual(missing, [], `output types without a module: ${missing.join(', ')}`);
  const known: readonly string[] = OUTPUT_TYPES;
  assert.deepEqual(registered.filter((type) => !known.includes(type)), []);
});

test('text: raw string or {value}; whitespace kept; markup is text', () => {
  assert.equal(render('text', 'a\n  b').textContent, 'a\n  b');
  assert.equal(render('text', { value: 'wrapped' }).textContent, 'wrapped');
  assert.equal(render('text', { other: 1 }).textContent, '{"other":1}');
  assertInert(render('text', XSS));
});

test('markdown: rendered and sanitised — no raw HTML, no scripts, no handlers, no javascript: links', () => {
  const element = render('markdown', '# Title\n\nSome **bold** and a [link](https://example.com) and [bad](javascript:alert(1)).\n\n' + XSS + '\n\n<a href="https://x" onclick="alert(3)">raw</a>');
  assert.equal(element.querySelector('h1')?.textContent, 'Title');
  assert.equal(element.querySelector('strong')?.textContent, 'bold');
  const links = [...element.querySelectorAll('a')];
  assert.equal(links[0].getAttribute('href'), 'https://example.com');
  assert.ok(links.every((a) => /^https:/.test(a.getAttribute('href') ?? '')), 'no javascript: link survives');
  assert.ok(!links.some((a) => a.textContent === 'bad' && a.hasAttribute('href')));
  assert.equal(element.querySelectorAll('[onclick]').length, 0);
  assert.match(element.textContent ?? '', /<a href="https:\/\/x" onclick="alert\(3\)">raw<\/a>/, 'raw HTML shows as text');
  assertInert(element);
  assert.equal(render('markdown', { value: '*x*' }).querySelector('em')?.textContent, 'x');
});

test('markdown: table column alignment survives the sanitiser as a class (no inline style)', () => {
  const element = render('markdown', '| name | n | note |\n|:-----|--:|:---:|\n| a | 1 | x |\n');
  const cells = [...element.querySelectorAll('th, td')];
  assert.equal(cells.length, 6);
  assert.deepEqual(cells.map((cell) => cell.className), ['md-align-left', 'md-align-right', 'md-align-center', 'md-align-left', 'md-align-right', 'md-align-center']);
  assert.equal(element.querySelectorAll('[style]').length, 0);
  assert.equal(render('markdown', '| a |\n|---|\n| b |\n').querySelector('td')?.className, '', 'no alignment, no class');
});

test('the HTML sanitiser keeps safe structure and drops scripts, handlers, styles, frames and unsafe URLs', () => {
  const holder = document.createElement('div');
  holder.appendChild(
    sanitizeHtml(
      '<h2 onclick="x()" style="color:red" class="language-py">T</h2><p>a <strong>b</strong> <a href="javascript:alert(1)">j</a> <a href=" https://ok.example/">ok</a></p>' +
        '<img src=x onerror=alert(1)><img src="data:image/png;base64,AAAA" onload="y()"><script>alert(2)</script>' +
        '<iframe src="https://evil"></iframe><form action="https://evil"><input value="x"></form><custom-tag>kept text</custom-tag><table><tr><td colspan="2">c</td></tr></table>',
    ),
  );
  document.body.appendChild(holder);
  assert.equal(holder.querySelector('h2')?.textContent, 'T');
  assert.equal(holder.querySelector('h2')?.getAttribute('class'), 'language-py');
  assert.equal(holder.querySelector('h2')?.hasAttribute('onclick'), false);
  assert.equal(holder.querySelector('h2')?.hasAttribute('style'), false);
  const links = [...holder.querySelectorAll('a')];
  assert.deepEqual(links.map((a) => a.getAttribute('href')), [null, ' https://ok.example/']);
  assert.equal(links[1].getAttribute('rel'), 'noopener noreferrer');
  const images = [...holder.querySelectorAll('img')];
  assert.deepEqual(images.map((i) => i.getAttribute('src')), [null, 'data:image/png;base64,AAAA']);
  assert.equal(holder.querySelectorAll('[onerror], [onload], script, svg, iframe, form, input').length, 0);
  assert.equal(holder.querySelector('custom-tag'), null);
  assert.match(holder.textContent ?? '', /kept text/);
  assert.equal(holder.querySelector('td')?.getAttribute('colspan'), '2');
  const svg = document.createElement('div');
  svg.appendChild(sanitizeHtml('<svg onload="alert(1)"><a href="javascript:alert(2)"><text>t</text></a></svg><math><mi>x</mi></math>after'));
  assert.equal(svg.querySelectorAll('svg, math, [onload], a').length, 0);
  assert.equal(svg.textContent, 'after');
  assert.ok(safeUrl('a', 'mailto:x@y.z') && safeUrl('a', '#top') && !safeUrl('a', 'vbscript:x') && !safeUrl('a', 'data:text/html,x'));
  assert.ok(!safeUrl('img', 'https://remote/x.png') && !safeUrl('img', 'javascript:1'));
});

test('number: currency, percent, scientific, decimal, precision and unit — from the spec or the value', () => {
  assert.equal(formatNumber(1234.5, 'currency', 2, '£', 'en-US'), '£1,234.50');
  assert.equal(formatNumber(-3, 'currency', null, '£', 'en-US'), '-£3.00');
  assert.equal(formatNumber(1234.5, 'currency', 0, 'USD', 'en-US'), '$1,235');
  assert.equal(formatNumber(0.256, 'percent', 1, null, 'en-US'), '25.6%');
  assert.equal(formatNumber(12345, 'scientific', 2, 'm', 'en-US'), '1.23e+4 m');
  assert.equal(formatNumber(1234.5678, 'decimal', null, 'kg', 'en-US'), '1,234.5678 kg');
  assert.equal(formatNumber(2, 'decimal', 3, null, 'en-US'), '2.000');
  assert.equal(render('number', 1234.5, { format: 'currency', precision: 2, unit: '£' }).textContent, '£1,234.50');
  assert.equal(render('number', { value: 0.5, format: 'percent', precision: 0 }).textContent, '50%');
  assert.equal(render('number', 42).textContent, '42');
  assert.equal(render('number', 'NaN').textContent, 'NaN', 'a non-number is shown as sent');
  assertInert(render('number', XSS));
});

test('boolean: labels from the value, then the spec, then True/False; 1/0 accepted', () => {
  assert.equal(render('boolean', true, { true_label: 'Yes', false_label: 'No' }).textContent, 'Yes');
  assert.equal(render('boolean', 0, { true_label: 'Yes', false_label: 'No' }).textContent, 'No');
  assert.equal(render('boolean', { value: true, true_label: 'Pass' }, { true_label: 'Yes' }).textContent, 'Pass');
  assert.equal(render('boolean', false).textContent, 'False');
  assert.ok(render('boolean', true).classList.contains('is-true'));
});

test('kv: pairs as a list, pairs as a dict, or a plain object (cookbook shape); values as text', () => {
  const list = render('kv', { pairs: [{ key: 'a', value: 1 }, { key: 'b', value: 'two' }] });
  assert.deepEqual([...list.querySelectorAll('dt')].map((d) => d.textContent), ['a', 'b']);
  assert.deepEqual([...list.querySelectorAll('dd')].map((d) => d.textContent), ['1', 'two']);
  const dict = render('kv', { pairs: { x: true, y: null } });
  assert.deepEqual([...dict.querySelectorAll('dt')].map((d) => d.textContent), ['x', 'y']);
  const plain = render('kv', { alpha: 1, beta: { nested: [1, 2] } });
  assert.deepEqual([...plain.querySelectorAll('dd')].map((d) => d.textContent), ['1', '{"nested":[1,2]}']);
  assertInert(render('kv', { pairs: [{ key: XSS, value: XSS }] }));
  assert.ok(render('kv', 'not pairs').querySelector('pre.json'), 'an unreadable value falls back to JSON');
});

test('table: spec columns win, array rows work, sorting by header, numeric cells aligned', () => {
  const spec = { columns: [{ key: 'name', label: 'Name', type: 'text' }, { key: 'score', label: 'Score', type: 'number' }] };
  const element = render('table', { columns: [{ key: 'ignored', label: 'Ignored', type: 'text' }], rows: [{ name: 'grace', score: 5 }, { name: 'ada', score: 30 }, { name: 'bob', score: 4 }] }, spec);
  assert.deepEqual([...element.querySelectorAll('th')].map((th) => th.textContent), ['Name', 'Score']);
  const column = (i: number) => [...element.querySelectorAll('tbody tr')].map((tr) => tr.children[i].textContent);
  assert.deepEqual(column(0), ['grace', 'ada', 'bob']);
  const scoreHeader = element.querySelectorAll<HTMLElement>('th button')[1];
  scoreHeader.click();
  assert.deepEqual(column(1), ['4', '5', '30'], 'numbers sort as numbers');
  assert.equal(element.querySelectorAll('th')[1].getAttribute('aria-sort'), 'ascending');
  scoreHeader.click();
  assert.deepEqual(column(1), ['30', '5', '4']);
  assert.ok(element.querySelector('td.numeric'));
  const arrays = render('table', { columns: [{ key: 'a', label: 'A', type: 'text' }, { key: 'b', label: 'B', type: 'text' }], rows: [['x', 1], ['y', 2]] });
  assert.deepEqual([...arrays.querySelectorAll('tbody td')].map((td) => td.textContent), ['x', '1', 'y', '2']);
  const inferred = render('table', { rows: [{ k: 1 }, { k: 2, extra: 'e' }] });
  assert.deepEqual([...inferred.querySelectorAll('th')].map((th) => th.textContent), ['k', 'extra']);
  assertInert(render('table', { columns: [{ key: 'c', label: XSS, type: 'text' }], rows: [{ c: XSS }] }));
});

test('table: a filter box over 20 rows, row counts, paging of large tables', async () => {
  const rows = Array.from({ length: 1200 }, (_, i) => ({ n: i, word: i % 7 === 0 ? 'seven' : 'other' }));
  const element = render('table', { columns: [{ key: 'n', label: 'N', type: 'number' }, { key: 'word', label: 'Word', type: 'text' }], rows, total_rows: 5000 });
  assert.equal(element.querySelectorAll('tbody tr').length, 500, 'first page only');
  assert.match(element.querySelector('.table-status')?.textContent ?? '', /1200 rows · showing the first 500 · 5000 in total/);
  const more = element.querySelector<HTMLElement>('.table-more');
  more?.click();
  assert.equal(element.querySelectorAll('tbody tr').length, 1000);
  const filter = element.querySelector('.table-filter') as HTMLElement & { value: string };
  assert.ok(filter, 'filter box shown for more than 20 rows');
  filter.value = 'SEVEN';
  fire(filter, 'input');
  assert.equal(element.querySelectorAll('tbody tr').length, 172);
  assert.match(element.querySelector('.table-status')?.textContent ?? '', /^172 of 1200 rows match/);
  const small = render('table', { columns: [{ key: 'a', label: 'A', type: 'text' }], rows: Array.from({ length: 20 }, (_, i) => ({ a: i })) });
  assert.equal(small.querySelector('.table-filter'), null, 'no filter for 20 rows');
  await settle();
});

test('table: CSV download only when downloadable, through the host save dialog, quoted properly', async () => {
  const { ctx, sent } = context();
  const value = { columns: [{ key: 'a', label: 'A, quoted', type: 'text' }, { key: 'b', label: 'B', type: 'number' }], rows: [{ a: 'he said "hi"', b: 1 }, { a: 'multi\nline', b: null }] };
  assert.equal(render('table', value, {}, ctx).querySelector('.table-csv'), null);
  const element = render('table', value, { downloadable: true }, ctx);
  element.querySelector<HTMLElement>('.table-csv')?.click();
  await settle();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, 'saveFile');
  assert.deepEqual(sent[0].params, { suggestedName: 'out.csv', content: '"A, quoted",B\r\n"he said ""hi""",1\r\n"multi\nline",\r\n' });
});

test('code: highlighted for a known language (spec or value), plain otherwise; copy button', () => {
  const py = render('code', { value: 'def f():\n    return "x"\n', language: 'python' });
  assert.ok(py.querySelector('code.hljs .hljs-keyword'), 'python is highlighted');
  assert.equal(py.querySelector('code')?.textContent, 'def f():\n    return "x"\n');
  assert.equal(py.querySelector('.code-language')?.textContent, 'python');
  const fromSpec = render('code', 'SELECT 1;', { language: 'sql' });
  assert.ok(fromSpec.querySelector('.hljs-keyword'));
  const unknown = render('code', 'x := 1', { language: 'cobol-2050' });
  assert.equal(unknown.querySelector('code')?.innerHTML, 'x := 1');
  assertInert(render('code', XSS, { language: 'html' }));
  assertInert(render('code', XSS));
  assert.ok(py.querySelector('.copy-button'));
});

test('image: a file reference shows the webview URI with Open/Reveal; a data URL shows; http is not loaded', async () => {
  const { ctx, sent } = context();
  const element = render('image', { [FILE_REF_KEY]: ref(), alt: 'A chart' }, {}, ctx);
  const img = element.querySelector('img');
  assert.equal(img?.getAttribute('src'), ref().uri);
  assert.equal(img?.getAttribute('alt'), 'A chart');
  assert.match(element.textContent ?? '', /image\.png · 2\.0 KB · image\/png/);
  const [open, reveal] = [...element.querySelectorAll<HTMLElement>('.artefact-actions vscode-button')];
  open.click();
  reveal.click();
  await settle();
  assert.deepEqual(sent, [{ method: 'openArtefact', params: { id: 7 } }, { method: 'revealArtefact', params: { id: 7 } }]);

  assert.equal(render('image', 'data:image/png;base64,iVBORw0KGgo=').querySelector('img')?.getAttribute('src'), 'data:image/png;base64,iVBORw0KGgo=');
  assert.ok(render('image', { url: 'data:image/gif;base64,R0lGOD' }).querySelector('img'));

  const remote = render('image', 'https://example.com/cat.png', {}, ctx);
  assert.equal(remote.querySelector('img'), null, 'nothing loads from the network');
  assert.equal(remote.querySelector('.remote-url')?.textContent, 'https://example.com/cat.png');
  remote.querySelector<HTMLElement>('vscode-button')?.click();
  await settle();
  assert.deepEqual(sent.at(-1), { method: 'openExternal', params: { url: 'https://example.com/cat.png' } });

  const missing = render('image', { [FILE_REF_KEY]: ref({ uri: null, problem: 'The file is no longer there.' }) });
  assert.equal(missing.querySelector('img'), null);
  assert.match(missing.textContent ?? '', /no longer there/);
  assert.ok(render('image', 'javascript:alert(1)').querySelector('pre.json'), 'other schemes are not used as sources');
});

test('file: name (the tool’s filename wins), size, type, Open/Reveal; a streamed data URL waits for the run to finish', async () => {
  const { ctx, sent } = context();
  const element = render('file', { [FILE_REF_KEY]: ref({ id: 9, filename: 'file.csv', mime: 'text/csv', size: 20 }), filename: 'scores.csv', mime_type: 'text/csv' }, {}, ctx);
  assert.equal(element.querySelector('.artefact-name')?.textContent, 'scores.csv');
  element.querySelector<HTMLElement>('vscode-button')?.click();
  await settle();
  assert.deepEqual(sent, [{ method: 'openArtefact', params: { id: 9 } }]);
  const streamed = render('file', { filename: 'x.txt', data: 'data:text/plain;base64,aGVsbG8=', mime_type: 'text/plain' });
  assert.match(streamed.textContent ?? '', /x\.txt · 5 B · text\/plain/);
  assert.match(streamed.textContent ?? '', /once the run has finished/);
  assertInert(render('file', { [FILE_REF_KEY]: ref({ filename: XSS }) }));
});

test('log: lines with level, time and message; level filter; live appends keep the DOM', () => {
  const value: JsonValue = { lines: [{ level: 'info', message: 'started', t: 1767225600 }, { level: 'warn', message: 'almost' }, { level: 'error', message: XSS }, 'bare string line'] };
  const element = render('log', value);
  const messages = () => [...element.querySelectorAll('.log-message')].map((m) => m.textContent);
  assert.deepEqual(messages(), ['started', 'almost', XSS, 'bare string line']);
  const local = new Date(1767225600 * 1000);
  const hhmmss = [local.getHours(), local.getMinutes(), local.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  assert.equal(element.querySelector('.log-time')?.textContent, hhmmss, 'local time of day');
  assertInert(element);
  const filter = element.querySelector('.log-filter') as HTMLElement & { value: string };
  filter.value = '2';
  fire(filter, 'change');
  assert.deepEqual(messages(), ['almost', XSS]);
  filter.value = '3';
  fire(filter, 'change');
  assert.deepEqual(messages(), [XSS]);

  const live = renderValue(one('log'), { lines: [{ level: 'info', message: 'one' }] }, context().ctx);
  const first = live.element.querySelector('.log-line');
  assert.ok(live.update?.({ lines: [{ level: 'info', message: 'one' }, { level: 'info', message: 'two' }] }));
  assert.equal(live.element.querySelectorAll('.log-line').length, 2);
  assert.equal(live.element.querySelector('.log-line'), first, 'the first line was not redrawn');
  assert.equal(render('log', [{ level: 'debug', message: 'list form' }]).querySelector('.log-message')?.textContent, 'list form');
});

test('progress: fraction, percent-style numbers, {value, label}, null as indeterminate; updates overwrite', () => {
  const view = renderValue(one('progress'), 0.25, context().ctx);
  const bar = view.element.querySelector('progress') as HTMLProgressElement;
  assert.equal(bar.value, 0.25);
  assert.equal(view.element.querySelector('.progress-text')?.textContent, '25%');
  assert.ok(view.update?.({ value: 0.5, label: 'halfway' }));
  assert.equal(view.element.querySelector('.progress-text')?.textContent, '50% — halfway');
  assert.ok(view.update?.(null));
  assert.equal(bar.hasAttribute('value'), false);
  assert.equal(view.element.querySelector('.progress-text')?.textContent, 'Working…');
  assert.equal(render('progress', 75).querySelector('.progress-text')?.textContent, '75%');
  assert.equal(render('progress', 1).querySelector('.progress-text')?.textContent, '100%');
});

test('stream_text: live appends add text nodes; a reset redraws; markup stays text', () => {
  const view = renderValue(one('stream_text'), 'Hello', context().ctx);
  assert.ok(view.update?.('Hello streaming'));
  assert.ok(view.update?.({ value: 'Hello streaming world' }));
  assert.equal(view.element.textContent, 'Hello streaming world');
  assert.equal(view.element.childNodes.length, 3, 'appended, not redrawn');
  assert.ok(view.update?.('Different'));
  assert.equal(view.element.textContent, 'Different');
  const xss = renderValue(one('stream_text'), '', context().ctx);
  xss.update?.(XSS);
  document.body.appendChild(xss.element);
  assertInert(xss.element);
});

test('an unknown type: a "not yet supported" card that still shows the value as JSON (never blank)', () => {
  // A type no tool.json can declare (the parser refuses it), as a newer Pixie's stored run could still carry.
  const hologram = { ...one('text'), type: 'hologram' } as unknown as OutputSpec;
  const element = renderValue(hologram, { x: [1, 2], series: [{ name: 'a', y: [3, 4] }], x_label: 'a label long enough to push the whole value past one line of JSON' }, context().ctx).element;
  document.body.appendChild(element);
  assert.match(element.querySelector('.unsupported-note')?.textContent ?? '', /“hologram” outputs are not yet supported in this version/);
  assert.match(element.querySelector('pre.json')?.textContent ?? '', /"series"/);
  assert.match(element.querySelector('pre.json')?.textContent ?? '', /^ {2}"x": \[1,2\],$/m, 'short lists stay on one line');
  assertInert(renderValue(hologram, { before: XSS }, context().ctx).element);
  assertInert(render('diff', { before: XSS, after: `${XSS} changed` }));
});

test('a large spilled text/json value is offered as a file to open, not inlined', async () => {
  const { ctx, sent } = context();
  const element = render('text', { [FILE_REF_KEY]: ref({ id: 11, filename: 'text.txt', mime: 'text/plain', size: 9_000_000, kind: 'text' }) }, {}, ctx);
  assert.match(element.textContent ?? '', /This value is large \(8\.6 MB\)/);
  element.querySelector<HTMLElement>('vscode-button')?.click();
  await settle();
  assert.deepEqual(sent, [{ method: 'openArtefact', params: { id: 11 } }]);
});

test('a module that throws falls back to the JSON view with a note (runs last among module tests: it registers one)', () => {
  registerOutput({
    type: 'gantt',
    render() {
      throw new Error('renderer bug');
    },
  });
  const element = renderValue(one('gantt'), { tasks: [{ name: XSS }] }, context().ctx).element;
  document.body.appendChild(element);
  assert.match(element.querySelector('.output-note')?.textContent ?? '', /Could not render this gantt value \(renderer bug\); showing it as JSON\./);
  assert.match(element.querySelector('pre.json')?.textContent ?? '', /tasks/);
  assertInert(element);
});

function runView(over: Partial<RunView> = {}): RunView {
  return {
    id: 'r1', toolId: 't', status: 'ok', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.500Z', durationMs: 1500,
    inputs: {}, outputs: {}, error: null, starred: false, label: null, artefacts: [], notices: [], ...over,
  };
}

test('the outputs pane: cards in spec order, missing values, undeclared values, the error with stderr, notices, files', () => {
  const specs = outputs([{ key: 'a', label: 'Alpha', type: 'text', description: 'first', caption: 'cap' }, { key: 'b', label: 'Beta', type: 'number' }]);
  const view: OutputsViewClass = new OutputsView(specs, context().ctx);
  document.body.appendChild(view.element);
  const cards = () => [...view.element.querySelectorAll('.output-card')];
  assert.deepEqual(cards().map((c) => c.getAttribute('data-output-key')), ['a', 'b']);
  assert.equal(view.element.querySelector('.output-empty')?.textContent, 'No output yet.');
  view.showRun(runView({ outputs: { a: 'hello', extra_key: { z: 1 }, run_id: 'x', _private: 1 }, notices: ['The tool did not return: b.'], artefacts: [{ id: 5, outputKey: 'written.txt', filename: 'written.txt', mime: 'text/plain', size: 3, uri: null }] }));
  assert.equal(view.element.querySelector('[data-output-key="a"] .text-output')?.textContent, 'hello');
  assert.equal(view.element.querySelector('[data-output-key="b"] .output-empty')?.textContent, 'The tool returned no value for this output.');
  assert.equal(view.element.querySelector('[data-output-key="extra_key"] pre.json')?.textContent?.replace(/\s/g, ''), '{"z":1}');
  assert.equal(view.element.querySelector('[data-output-key="run_id"]'), null);
  assert.equal(view.element.querySelector('.notices li')?.textContent, 'The tool did not return: b.');
  assert.equal(view.element.querySelector('.run-files .file-name')?.textContent, 'written.txt');
  assert.equal(view.element.querySelector('.output-caption')?.textContent, 'cap');

  view.showRun(runView({ status: 'error', outputs: null, error: `tool 't' returned 500: boom\n--- stderr ---\nTraceback ${XSS}` }));
  const error = view.element.querySelector('.run-error') as HTMLElement;
  assert.equal(error.querySelector('.run-error-message')?.textContent, "tool 't' returned 500: boom");
  assert.equal(error.querySelector('details pre')?.textContent, `Traceback ${XSS}`);
  assertInert(error);
  assert.equal(view.element.querySelector('[data-output-key="a"] .output-empty')?.textContent, 'No output (the run did not finish with outputs).');

  view.startRun();
  assert.equal(view.element.querySelector('.run-error'), null);
  view.update('a', 'partial');
  assert.equal(view.element.querySelector('[data-output-key="a"] .text-output')?.textContent, 'partial');
  view.update('nope', 'ignored');
});
