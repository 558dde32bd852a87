// The richer output modules in a DOM: latex, diff, tree, timeline, gantt, image_grid, image_compare, audio, video —
// every value shape they accept, empty and huge values, unicode, bad values (JSON view with a note), host requests
// (openDiff, openArtefact), and tool text never becoming markup nor a javascript: URL becoming a source or link.
// Also: the earlier output types still take every shape the reference lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { FILE_REF_KEY, type FileRef, type JsonValue, type OutputSpec, type RequestMethod } from '../../src/protocol';
import { registeredOutputTypes, type OutputContext } from '../../webview/outputs/registry';
import { renderValue } from '../../webview/outputs/area';
import { LATEX_MAX_CHARS, splitLatex } from '../../webview/outputs/renderers/latex';
import { diffTexts, parseUnifiedDiff } from '../../webview/outputs/renderers/diffModel';
import { DIFF_PAGE_ROWS } from '../../webview/outputs/renderers/diff';
import { EXPAND_ALL_LIMIT, TREE_PAGE } from '../../webview/outputs/renderers/tree';
import { PAGE_ITEMS } from '../../webview/outputs/renderers/fields';
import { GRID_PAGE } from '../../webview/outputs/renderers/imageGrid';
import { ganttData } from '../../webview/outputs/renderers/gantt';
import { parseInstant } from '../../webview/outputs/renderers/timeValues';

before(async () => {
  await setupDom();
});
after(closeDom);

const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const JS_URL = 'javascript:alert(1)';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
const WAV = 'data:audio/wav;base64,UklGRiQAAABXQVZF';
const MP4 = 'data:video/mp4;base64,AAAAIGZ0eXBpc29t';

interface Sent {
  method: RequestMethod;
  params: unknown;
}

function context(fail?: string): { ctx: OutputContext; sent: Sent[]; said: string[] } {
  const sent: Sent[] = [];
  const said: string[] = [];
  const ctx: OutputContext = {
    locale: 'en-US',
    request: ((method: RequestMethod, params: unknown) => {
      sent.push({ method, params });
      return fail ? Promise.reject(new Error(fail)) : Promise.resolve({ opened: true, revealed: true });
    }) as OutputContext['request'],
    notify: (text) => said.push(text),
  };
  return { ctx, sent, said };
}

function one(type: string, extra: Record<string, unknown> = {}): OutputSpec {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs: [{ key: 'out', label: 'Out', type, ...extra }] }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.outputs[0];
}

function render(type: string, value: JsonValue, ctx = context().ctx, extra: Record<string, unknown> = {}): HTMLElement {
  const element = renderValue(one(type, extra), value, ctx).element;
  document.body.appendChild(element);
  return element;
}

/** The payload arrived as text: no element it contains exists, no handler attribute, no script URL anywhere. */
function assertInert(element: HTMLElement, payloadVisible = true): void {
  assert.equal(element.querySelectorAll('script').length, 0, 'no script element');
  assert.equal(element.querySelectorAll('[onerror], img[src="x"]').length, 0, 'no injected image or handler');
  assertNoScriptUrls(element);
  if (payloadVisible) assert.ok((element.textContent ?? '').includes('alert(1)'), 'the payload is visible as text');
}

function assertNoScriptUrls(element: HTMLElement): void {
  for (const node of [element, ...element.querySelectorAll('*')]) {
    for (const attr of ['src', 'href', 'poster', 'xlink:href', 'action', 'data']) {
      const value = node.getAttribute(attr);
      if (value !== null) assert.doesNotMatch(value, /^\s*(javascript|vbscript):/i, `${node.localName}[${attr}] is not a script URL`);
      if (value !== null && (attr === 'src' || attr === 'poster')) assert.match(value, /^(data:|blob:|https:\/\/file\+\.vscode-resource)/, `${node.localName}[${attr}] loads nothing remote`);
    }
  }
}

function assertJsonFallback(element: HTMLElement, note: RegExp): void {
  assert.ok(element.querySelector('pre.json'), 'the value is shown as JSON');
  assert.match(element.querySelector('.output-note')?.textContent ?? '', note);
}

function ref(over: Partial<FileRef> = {}): FileRef {
  return { id: 7, uri: 'https://file+.vscode-resource.vscode-cdn.net/ws/artefacts/t/r/pic.png', filename: 'pic.png', mime: 'image/png', size: 2048, kind: 'file', problem: null, ...over };
}

function key(target: Element, name: string): void {
  const KeyboardEventClass = (globalThis as unknown as { window: { KeyboardEvent: typeof KeyboardEvent } }).window.KeyboardEvent;
  target.dispatchEvent(new KeyboardEventClass('keydown', { key: name, bubbles: true, cancelable: true }));
}

function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = fn();
  return { result, ms: performance.now() - start };
}

test('every type of this module set has a module', () => {
  const types = registeredOutputTypes();
  for (const type of ['latex', 'diff', 'tree', 'timeline', 'gantt', 'image_grid', 'image_compare', 'audio', 'video']) assert.ok(types.includes(type), type);
});

// ---------------------------------------------------------------------------------------------------------- latex

test('latex: a formula (raw or {value}) is typeset by KaTeX with MathML for screen readers', () => {
  for (const value of ['\\frac{a}{b} + \\sqrt{x^2}', { value: '\\frac{a}{b} + \\sqrt{x^2}' }]) {
    const element = render('latex', value);
    assert.ok(element.querySelector('.katex-display .katex'), 'display math');
    assert.ok(element.querySelector('.katex-mathml math'), 'MathML alongside');
    assert.ok(element.querySelector('.katex-html'), 'visual HTML');
    assert.equal(element.querySelector('.katex-error'), null);
    assert.ok(element.querySelector('vscode-button'), 'copy button');
  }
  const inline = render('latex', { value: 'x^2', display: false });
  assert.equal(inline.querySelector('.katex-display'), null, 'display: false → inline');
  assert.ok(inline.querySelector('.katex'));
});

test('latex: text with $…$, $$…$$, \\(…\\) and \\[…\\] formulas; \\$ stays a dollar sign; unicode text and symbols', () => {
  assert.deepEqual(splitLatex('Cost \\$5 and $x^2$ then $$y$$ and \\(z\\) \\[w\\]'), [
    { math: false, display: false, text: 'Cost $5 and ' },
    { math: true, display: false, text: 'x^2' },
    { math: false, display: false, text: ' then ' },
    { math: true, display: true, text: 'y' },
    { math: false, display: false, text: ' and ' },
    { math: true, display: false, text: 'z' },
    { math: false, display: false, text: ' ' },
    { math: true, display: true, text: 'w' },
  ]);
  assert.deepEqual(splitLatex('\\alpha + \\beta'), [{ math: true, display: true, text: '\\alpha + \\beta' }]);
  assert.deepEqual(splitLatex('a $ b'), [{ math: true, display: true, text: 'a $ b' }], 'an unclosed $ is not a delimiter');
  const element = render('latex', 'Größe: $\\alpha + β$ 😀 日本');
  assert.match(element.textContent ?? '', /Größe: /);
  assert.match(element.textContent ?? '', /😀 日本/);
  assert.equal(element.querySelectorAll('.katex').length, 1);
  assert.equal(element.querySelector('.katex-display'), null, 'inline $…$ inside text');
});

test('latex: an error is shown in place with a note; empty and huge values; never a blank card', (t) => {
  const bad = render('latex', '\\frac{a');
  assert.ok(bad.querySelector('.katex-error'));
  assert.match(bad.textContent ?? '', /could not be typeset/);
  assert.match(render('latex', '').textContent ?? '', /Empty formula/);
  assert.match(render('latex', { value: null }).textContent ?? '', /Empty formula/);
  const huge = 'x+'.repeat(LATEX_MAX_CHARS);
  const { result, ms } = timed(() => render('latex', huge));
  t.diagnostic(`${huge.length.toLocaleString()} characters of LaTeX: ${Math.round(ms)} ms`);
  assert.equal(result.querySelector('.katex'), null);
  assert.equal(result.querySelector('pre.latex-source')?.textContent, huge);
  assert.match(result.textContent ?? '', /too long to typeset/);
  assert.ok(render('latex', 42).querySelector('.katex'), 'a number is a formula too');
});

test('latex: markup and links stay inert — \\href, \\url, \\includegraphics, \\htmlClass are refused (trust: false)', () => {
  assertInert(render('latex', XSS));
  assertInert(render('latex', { value: `text ${XSS} $x$` }));
  const links = render('latex', `\\href{${JS_URL}}{click} \\url{${JS_URL}} \\includegraphics{x.png} \\htmlClass{evil}{x} \\htmlData{onclick=alert(1)}{y}`);
  assert.equal(links.querySelectorAll('a, img, [href], [src], [onclick], .evil').length, 0);
  assertNoScriptUrls(links);
});

// ----------------------------------------------------------------------------------------------------------- diff

test('diff: {before, after} unified, with line numbers, signs, counts and word marks', () => {
  const element = render('diff', { before: 'one\ntwo\nthree\n', after: 'one\n2\nthree\nfour\n' });
  assert.match(element.querySelector('.diff-stats')?.textContent ?? '', /\+2 -1/);
  const rows = [...element.querySelectorAll('table.diff-unified tr')];
  assert.deepEqual(
    rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join('|')),
    ['1|1| |one', '2||-|two', '|2|+|2', '3|3| |three', '|4|+|four'],
  );
  assert.ok(element.querySelector('tr.diff-del .diff-mark'), 'the changed word is marked');
  assert.equal(element.querySelector('tr.diff-del .diff-mark')?.textContent, 'two');
  assert.equal(element.querySelector('.diff-labels')?.textContent, 'Before → After');
});

test('diff: side by side pairs removed and added lines; the layout toggle keeps both views', () => {
  const element = render('diff', { old: 'a\nb\nc\n', new: 'a\nB\nc\nd\n', old_label: 'v1', new_label: 'v2' });
  assert.equal(element.querySelector('.diff-labels')?.textContent, 'v1 → v2');
  const [unified, split] = [...element.querySelectorAll<HTMLButtonElement>('.diff-mode')];
  assert.equal(unified.getAttribute('aria-pressed'), 'true');
  split.click();
  assert.equal(split.getAttribute('aria-pressed'), 'true');
  const rows = [...element.querySelectorAll('table.diff-split tr')];
  assert.equal(rows.length, 4);
  const change = rows[1].querySelectorAll('td');
  assert.deepEqual([change[0].textContent, change[2].textContent, change[3].textContent, change[5].textContent], ['2', 'b', '2', 'B']);
  assert.ok(rows[3].querySelector('td.diff-empty'), 'an added line has an empty left side');
  unified.click();
  assert.ok(element.querySelector('table.diff-unified'));
});

test('diff: {original, modified} and {left, right}; non-string sides are compared as JSON; identical and empty texts', () => {
  assert.match(render('diff', { original: 'x', modified: 'y' }).querySelector('.diff-labels')?.textContent ?? '', /Original → Modified/);
  assert.match(render('diff', { left: 'x', right: 'y' }).querySelector('.diff-labels')?.textContent ?? '', /Left → Right/);
  const json = render('diff', { before: { a: 1, b: 2 }, after: { a: 1, b: 3 } });
  assert.match(json.textContent ?? '', /"b": 2/);
  assert.match(json.textContent ?? '', /"b": 3/);
  assert.match(render('diff', { before: 'same\ntext', after: 'same\ntext' }).textContent ?? '', /identical \(2 lines\)/);
  assert.match(render('diff', { before: '', after: '' }).textContent ?? '', /identical \(0 lines\)/);
  assert.match(render('diff', { value: { before: 'x', after: 'y' } }).querySelector('.diff-stats')?.textContent ?? '', /\+1 -1/, '{value: {before, after}}');
  const added = render('diff', { before: null, after: 'new file\n' });
  assert.match(added.querySelector('.diff-stats')?.textContent ?? '', /\+1 -0/);
});

const PATCH = [
  'diff --git a/src/app.py b/src/app.py',
  '--- a/src/app.py',
  '+++ b/src/app.py',
  '@@ -1,3 +1,3 @@',
  ' import os',
  '-print("hi")',
  '+print("hello")',
  ' x = 1',
  '@@ -10,2 +10,3 @@',
  ' def f():',
  '     return 1',
  '+# end',
  '',
].join('\n');

test('diff: a unified diff string (raw, {diff}, {patch}, {value}) with file name, hunks and the lines between them folded', () => {
  for (const value of [PATCH, { diff: PATCH }, { patch: PATCH }, { value: PATCH }] as JsonValue[]) {
    const element = render('diff', value);
    assert.equal(element.querySelector('.diff-file-name')?.textContent, 'src/app.py');
    assert.match(element.querySelector('.diff-stats')?.textContent ?? '', /\+2 -1/);
    assert.match(element.querySelector('.diff-gap')?.textContent ?? '', /6 unchanged lines/);
    const numbers = [...element.querySelectorAll('tr.diff-add')].map((tr) => tr.querySelectorAll('td')[1].textContent);
    assert.deepEqual(numbers, ['2', '12']);
  }
  const [file] = parseUnifiedDiff(PATCH) ?? [];
  assert.equal(file.left?.split('\n').length, 11, 'reconstructed left keeps the line numbers (padded gap)');
  assert.equal(file.left?.split('\n')[9], 'def f():');
  assert.equal(file.right?.split('\n')[11], '# end');
});

test('diff: a patch of several files shows each file; ndiff-style lines work; anything else falls back to JSON', () => {
  const two = `${PATCH}--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-x\n+y\n`;
  const element = render('diff', two);
  assert.deepEqual([...element.querySelectorAll('.diff-file-name')].map((n) => n.textContent), ['src/app.py', 'b.txt']);
  assert.equal(element.querySelectorAll('.diff-file-header .diff-open').length, 2, 'each file opens on its own');
  const ndiff = render('diff', '  same\n- old line\n+ new line\n?     ^^^\n');
  assert.deepEqual([...ndiff.querySelectorAll('td.diff-text')].map((td) => td.textContent), ['same', 'old line', 'new line']);
  assertJsonFallback(render('diff', 'just some words'), /needs \{before, after\}/);
  assertJsonFallback(render('diff', 42), /needs \{before, after\}/);
  assertJsonFallback(render('diff', { something: 'else' }), /needs \{before, after\}/);
  assertJsonFallback(render('diff', null), /needs \{before, after\}/);
});

test('diff: long unchanged runs fold and unfold; huge diffs render a page of rows; texts too different are compared coarsely', (t) => {
  const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
  const changed = [...lines];
  changed[10_000] = 'CHANGED';
  changed[19_950] = 'CHANGED TOO';
  const { result: element, ms } = timed(() => render('diff', { before: lines.join('\n'), after: changed.join('\n') }));
  t.diagnostic(`20,000 lines with two changes: ${Math.round(ms)} ms`);
  assert.ok(element.querySelectorAll('tr').length < 30, 'unchanged runs are folded');
  const gaps = [...element.querySelectorAll<HTMLButtonElement>('.diff-unfold')];
  assert.deepEqual(gaps.map((g) => g.textContent), [9997, 9943, 46].map((n) => `⋯ Show ${n.toLocaleString()} unchanged lines`));
  const rowsBefore = element.querySelectorAll('tr').length;
  gaps[2].click();
  assert.equal(element.querySelectorAll('tr').length, rowsBefore + 45, 'the gap row gives way to its 46 lines');
  assert.equal(element.querySelectorAll('.diff-unfold').length, 2);

  const big = Array.from({ length: DIFF_PAGE_ROWS + 500 }, (_, i) => `new ${i}`).join('\n');
  const many = render('diff', { before: '', after: big });
  assert.equal(many.querySelectorAll('tr').length, DIFF_PAGE_ROWS, 'one page of rows');
  assert.match(many.querySelector('.show-more')?.textContent ?? '', /Show 500 more \(500 left\)/);

  const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
  const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
  const coarse = timed(() => diffTexts(`same\n${before}\nend`, `same\n${after}\nend`));
  t.diagnostic(`3,000 lines that all differ: ${Math.round(coarse.ms)} ms`);
  assert.equal(coarse.result.coarse, true, 'jsdiff ran out of time: shown as removed and added');
  assert.deepEqual([coarse.result.added, coarse.result.removed], [3000, 3000]);
  assert.equal(diffTexts('x\n', 'y\n').coarse, false, 'small diffs are matched line by line');
  assert.match(render('diff', { before: 'a\r\nb\r\n', after: 'a\nb' }).textContent ?? '', /differ only in line endings/);
});

test('diff: unicode lines; markup in texts, labels and titles stays text', () => {
  const uni = render('diff', { before: 'Größe 😀\n日本語', after: 'Grösse 😀\n日本語' });
  assert.match(uni.textContent ?? '', /Größe 😀/);
  assert.match(uni.textContent ?? '', /Grösse 😀/);
  const element = render('diff', { before: `a\n${XSS}\n`, after: `b\n${XSS}!\n`, before_label: XSS, after_label: XSS, title: XSS, language: XSS });
  assertInert(element);
  element.querySelector<HTMLButtonElement>('.diff-mode:last-child')?.click();
  assertInert(element);
  assertInert(render('diff', `--- a/${XSS}\n+++ b/${XSS}\n@@ -1 +1 @@\n-${XSS}\n+${JS_URL}\n`));
});

test('diff: "Open in Diff Editor" sends the texts, a title and the language to the host; a failure is reported', async () => {
  const { ctx, sent } = context();
  const element = render('diff', { before: 'a\n', after: 'b\n', language: 'python', title: 'main.py' }, ctx);
  element.querySelector<HTMLElement>('.diff-open')?.click();
  await settle();
  assert.deepEqual(sent, [{ method: 'openDiff', params: { title: 'main.py (Before ↔ After)', left: 'a\n', right: 'b\n', language: 'python' } }]);

  const fromPatch = context();
  render('diff', PATCH, fromPatch.ctx).querySelector<HTMLElement>('.diff-open')?.click();
  await settle();
  const params = fromPatch.sent[0].params as { title: string; left: string; right: string; language?: string };
  assert.equal(params.title, 'src/app.py (Before ↔ After)');
  assert.equal(params.language, 'python', 'language from the file name');
  assert.match(params.right, /print\("hello"\)/);

  const failing = context('no editor');
  render('diff', { before: 'a', after: 'b' }, failing.ctx).querySelector<HTMLElement>('.diff-open')?.click();
  await settle();
  assert.deepEqual(failing.said, ['Could not open the diff editor: no editor']);
});

// ----------------------------------------------------------------------------------------------------------- tree

function treeLabels(element: HTMLElement): string[] {
  return [...element.querySelectorAll('[role="treeitem"]')].filter((li) => !li.closest('[hidden]')).map((li) => li.querySelector('.tree-label')?.textContent ?? '');
}

test('tree: {root: {label, children}} — the single root opens; ARIA tree roles, levels, sizes', () => {
  const element = render('tree', { root: { label: 'project', children: [{ label: 'src', children: [{ label: 'main.py' }] }, { label: 'README.md', value: '2 KB' }] } });
  const tree = element.querySelector('[role="tree"]');
  assert.ok(tree);
  assert.equal(tree.getAttribute('aria-label'), 'Out');
  assert.deepEqual(treeLabels(element), ['project', 'src', 'README.md']);
  const src = [...element.querySelectorAll('[role="treeitem"]')][1];
  assert.equal(src.getAttribute('aria-level'), '2');
  assert.equal(src.getAttribute('aria-setsize'), '2');
  assert.equal(src.getAttribute('aria-posinset'), '1');
  assert.equal(src.getAttribute('aria-expanded'), 'false');
  assert.equal(src.querySelector('[role="group"]'), null, 'children are made only when opened');
  assert.match(element.textContent ?? '', /2 KB/);
  (src.querySelector('.tree-row') as HTMLElement).click();
  assert.equal(src.getAttribute('aria-expanded'), 'true');
  assert.deepEqual(treeLabels(element), ['project', 'src', 'main.py', 'README.md']);
  assert.equal(element.querySelectorAll('[role="treeitem"][tabindex="0"]').length, 1, 'one tab stop (roving tabindex)');
});

test('tree: nested dicts and lists, a list of {name, children} nodes, {root: [...]}, expanded flags', () => {
  const dict = render('tree', { config: { debug: true, paths: ['a', 'b'] }, version: 3 });
  assert.deepEqual(treeLabels(dict), ['config', 'version']);
  assert.match(dict.textContent ?? '', /version· ?3|version3/);
  const version = [...dict.querySelectorAll('[role="treeitem"]')][1];
  const named = (version.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
  assert.deepEqual(named, ['version', '3'], 'the accessible name has the label and the value');
  (dict.querySelector('.tree-row') as HTMLElement).click();
  assert.deepEqual(treeLabels(dict), ['config', 'debug', 'paths', 'version']);
  const nodes = render('tree', [{ name: 'a', children: [{ name: 'a1' }] }, { name: 'b', expanded: true, children: [{ name: 'b1' }] }]);
  assert.deepEqual(treeLabels(nodes), ['a', 'b', 'b1']);
  assert.deepEqual(treeLabels(render('tree', { root: [{ title: 'x' }, 'plain'] })), ['x', 'plain']);
  assert.deepEqual(treeLabels(render('tree', { root: { alpha: 1, beta: [1, 2] } })), ['alpha', 'beta']);
  assert.deepEqual(treeLabels(render('tree', { root: 'lonely' })), ['lonely']);
});

test('tree: keyboard — arrows move and open/close, Home/End, Enter toggles', () => {
  const element = render('tree', { root: { label: 'r', children: [{ label: 'a', children: [{ label: 'a1' }, { label: 'a2' }] }, { label: 'b' }] } });
  const items = (): HTMLElement[] => [...element.querySelectorAll<HTMLElement>('[role="treeitem"]')];
  const focused = (): string => element.querySelector('[role="treeitem"][tabindex="0"] > .tree-row .tree-label')?.textContent ?? '';
  const tree = element.querySelector('[role="tree"]') as HTMLElement;
  assert.equal(focused(), 'r');
  key(items()[0], 'ArrowDown');
  assert.equal(focused(), 'a');
  key(items()[1], 'ArrowRight');
  assert.equal(items()[1].getAttribute('aria-expanded'), 'true', 'right opens');
  key(items()[1], 'ArrowRight');
  assert.equal(focused(), 'a1', 'right again goes to the first child');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'ArrowDown');
  assert.equal(focused(), 'a2');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'ArrowDown');
  assert.equal(focused(), 'b');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'ArrowUp');
  assert.equal(focused(), 'a2');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'ArrowLeft');
  assert.equal(focused(), 'a', 'left on a leaf goes to the parent');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'ArrowLeft');
  assert.equal(items()[1].getAttribute('aria-expanded'), 'false', 'left closes');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'End');
  assert.equal(focused(), 'b');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'Home');
  assert.equal(focused(), 'r');
  key(tree.querySelector('[tabindex="0"]') as HTMLElement, 'Enter');
  assert.equal(items()[0].getAttribute('aria-expanded'), 'false', 'Enter toggles');
});

test('tree: 5,000 nodes render lazily (one page of children); Expand all is bounded; empty and bad values', (t) => {
  const children = Array.from({ length: 5000 }, (_, i) => ({ label: `node ${i}`, children: [{ label: `leaf ${i}` }] }));
  const { result: element, ms } = timed(() => render('tree', { root: { label: 'big', children } }));
  t.diagnostic(`5,000-node tree, first paint: ${Math.round(ms)} ms`);
  assert.equal(element.querySelectorAll('[role="treeitem"]').length, TREE_PAGE + 1, 'one page of children');
  const more = element.querySelector<HTMLElement>('.tree-more .show-more');
  assert.equal(more?.textContent, `Show 200 more (${(4800).toLocaleString()} left)`);
  more?.click();
  assert.equal(element.querySelectorAll('[role="treeitem"]').length, TREE_PAGE * 2 + 1);
  const expand = [...element.querySelectorAll<HTMLElement>('.tree-tools vscode-button')][0];
  const opened = timed(() => expand.click());
  t.diagnostic(`expand all: ${Math.round(opened.ms)} ms`);
  assert.ok(element.querySelectorAll('[role="treeitem"][aria-expanded="true"]').length <= EXPAND_ALL_LIMIT);
  [...element.querySelectorAll<HTMLElement>('.tree-tools vscode-button')][1].click();
  assert.equal(element.querySelectorAll('[role="treeitem"][aria-expanded="true"]').length, 0);

  const deep: JsonValue = { label: 'd0', children: [] };
  let at = deep as { label: string; children: JsonValue[] };
  for (let i = 1; i < 3000; i += 1) {
    const next = { label: `d${i}`, children: [] as JsonValue[] };
    at.children.push(next);
    at = next;
  }
  assert.ok(render('tree', { root: deep }).querySelector('[role="tree"]'), 'a very deep tree does not recurse eagerly');
  assert.match(render('tree', { root: [] }).textContent ?? '', /Empty tree/);
  assert.match(render('tree', {}).textContent ?? '', /Empty tree/);
  assertJsonFallback(render('tree', 'not a tree'), /A tree needs/);
  assertJsonFallback(render('tree', 7), /A tree needs/);
});

test('tree: unicode labels; markup in labels, keys and values stays text', () => {
  assert.deepEqual(treeLabels(render('tree', { root: { label: 'Größe 😀', children: [{ label: '日本' }] } })), ['Größe 😀', '日本']);
  const element = render('tree', { root: { label: XSS, value: XSS, children: [{ name: XSS }] }, [XSS]: XSS });
  assertInert(element);
  const dict = render('tree', { [XSS]: { [XSS]: XSS } });
  [...dict.querySelectorAll<HTMLElement>('.tree-row')].forEach((row) => row.click());
  assertInert(dict);
});

// ------------------------------------------------------------------------------------------------------- timeline

test('timeline: {events: [{t, label}]}, a bare list, other field names; times as dates, epoch seconds or text', () => {
  const element = render('timeline', { events: [{ t: '2024-03-01', label: 'Kick-off' }, { t: 1709294400, label: 'Review', description: 'Went well' }, { t: 'Step 3', label: 'Done' }] });
  const items = [...element.querySelectorAll('li.timeline-event')];
  assert.equal(items.length, 3);
  assert.equal(items[0].querySelector('.timeline-title')?.textContent, 'Kick-off');
  assert.equal(items[0].querySelector('time')?.textContent, 'Mar 1, 2024');
  assert.equal(items[0].querySelector('time')?.getAttribute('datetime'), '2024-03-01T00:00:00.000Z');
  assert.equal(items[1].querySelector('time')?.getAttribute('datetime'), '2024-03-01T12:00:00.000Z');
  assert.equal(items[1].querySelector('.timeline-description')?.textContent, 'Went well');
  assert.equal(items[2].querySelector('time')?.textContent, 'Step 3');
  const other = render('timeline', [{ time: '2024-01-01T10:30:00Z', title: 'Deploy', details: 'v2', status: 'error', end: '2024-01-01T11:00:00Z' }, 'a plain string']);
  assert.equal(other.querySelectorAll('li').length, 2);
  assert.ok(other.querySelector('li.timeline-level-error'));
  assert.equal(other.querySelector('.timeline-badge')?.textContent, 'error');
  assert.match(other.querySelector('time')?.textContent ?? '', /–/);
  assert.equal(other.querySelectorAll('li')[1].querySelector('.timeline-title')?.textContent, 'a plain string');
  assert.equal(render('timeline', { value: { events: [{ label: 'wrapped' }] } }).querySelector('.timeline-title')?.textContent, 'wrapped');
  assert.equal(parseInstant(12)?.ms, undefined, 'small numbers are steps, not dates');
  assert.equal(parseInstant(1_700_000_000_000)?.ms, 1_700_000_000_000, 'milliseconds');
});

test('timeline: empty, huge (paged), bad values, unicode, markup as text', (t) => {
  assert.match(render('timeline', { events: [] }).textContent ?? '', /No events/);
  const events = Array.from({ length: 5000 }, (_, i) => ({ t: i, label: `event ${i}` }));
  const { result: element, ms } = timed(() => render('timeline', { events }));
  t.diagnostic(`5,000 events, first paint: ${Math.round(ms)} ms`);
  assert.equal(element.querySelectorAll('li').length, PAGE_ITEMS);
  assert.equal(element.querySelector('.show-more')?.textContent, `Show 500 more (${(4500).toLocaleString()} left)`);
  const few = render('timeline', events.slice(0, PAGE_ITEMS + 3));
  few.querySelector<HTMLElement>('.show-more')?.click();
  assert.equal(few.querySelectorAll('li').length, PAGE_ITEMS + 3);
  assert.equal(few.querySelector('.show-more'), null);
  assertJsonFallback(render('timeline', { items: 1 }), /timeline needs/);
  assertJsonFallback(render('timeline', 'x'), /timeline needs/);
  assert.match(render('timeline', [{ label: 'Größe 😀 日本' }]).textContent ?? '', /Größe 😀 日本/);
  assertInert(render('timeline', { events: [{ t: XSS, label: XSS, description: XSS, level: XSS, end: XSS }, XSS] }));
});

// ---------------------------------------------------------------------------------------------------------- gantt

test('gantt: tasks on a date axis — bars placed by start/end, progress, milestones, dependency arrows', () => {
  const element = render('gantt', {
    tasks: [
      { id: 'a', name: 'Design', start: '2024-03-01', end: '2024-03-11', progress: 0.5 },
      { id: 'b', name: 'Build', start: '2024-03-11', end: '2024-03-31', dependencies: ['a'], progress: 20 },
      { name: 'Launch', start: '2024-03-31', end: '2024-03-31', depends_on: 'b' },
    ],
  });
  const bars = [...element.querySelectorAll<HTMLElement>('.gantt-bar')];
  assert.equal(bars.length, 2);
  assert.equal(bars[0].style.left, '0%');
  assert.equal(bars[0].style.width, '33.33333333333333%');
  assert.equal(bars[1].style.left, '33.33333333333333%');
  assert.equal(bars[0].querySelector<HTMLElement>('.gantt-progress')?.style.width, '50%');
  assert.equal(bars[1].querySelector('.gantt-bar-text')?.textContent, '20%');
  assert.match(bars[0].getAttribute('aria-label') ?? '', /Design: Mar 1, 2024 – Mar 11, 2024, 50% done/);
  assert.match(bars[1].getAttribute('aria-label') ?? '', /after a/);
  const milestone = element.querySelector<HTMLElement>('.gantt-milestone');
  assert.equal(milestone?.style.left, '100%');
  assert.deepEqual([...element.querySelectorAll('.gantt-name')].map((n) => n.textContent), ['Design', 'Build', 'Launch']);
  assert.equal(element.querySelectorAll('line.gantt-link').length, 4, 'two elbow arrows');
  assert.ok(element.querySelector('marker'));
  assert.ok(element.querySelectorAll('.gantt-tick').length >= 2, 'axis ticks');
  assert.match(element.querySelector('.gantt-summary')?.textContent ?? '', /3 tasks · Mar 1, 2024 – Mar 31, 2024/);
});

test('gantt: numeric axis, durations, a bare list, colours (only safe ones), tasks without times left out', () => {
  const data = ganttData([
    { name: 'A', start: 0, end: 4 },
    { name: 'B', start: 2, duration: 6, colour: '#ff8800' },
    { name: 'C', start: 'soon', end: 'later' },
    { name: 'D', start: 5, end: 1 },
  ]);
  assert.equal(data?.axis, 'number');
  assert.deepEqual(data?.tasks.map((t) => [t.name, t.start, t.end]), [['A', 0, 4], ['B', 2, 8]]);
  assert.equal(data?.skipped, 2);
  const element = render('gantt', [{ name: 'A', start: 0, end: 4, color: 'url(javascript:alert(1))' }, { name: 'B', start: 2, duration: 6, colour: '#ff8800' }, { name: 'C', start: 1, end: 2, colour: 'green' }, 'junk']);
  const bars = [...element.querySelectorAll<HTMLElement>('.gantt-bar')];
  assert.equal(bars[0].style.getPropertyValue('--gantt-bar-colour'), '', 'a CSS value with a URL is never applied');
  assert.equal(bars[1].style.getPropertyValue('--gantt-bar-colour'), '#ff8800');
  assert.equal(bars[2].style.getPropertyValue('--gantt-bar-colour'), 'var(--vscode-charts-green)');
  assert.equal(bars[1].style.width, '75%');
  assert.match(element.textContent ?? '', /1 task without a usable start and end is not shown/);
  const days = ganttData({ tasks: [{ name: 'x', start: '2024-01-01', duration: 2 }] });
  assert.equal(days?.tasks[0].end, Date.UTC(2024, 0, 3), 'a duration counts days on a date axis');
  const epoch = ganttData({ tasks: [{ name: 'x', start: 1_700_000_000, end: 1_700_086_400 }] });
  assert.equal(epoch?.axis, 'date', 'epoch seconds are dates');
  const seconds = render('gantt', [{ name: 'quick', start: '2024-01-01T10:00:00Z', end: '2024-01-01T10:00:20Z' }]);
  assert.ok(seconds.querySelectorAll('.gantt-tick').length >= 2, 'a span of seconds still gets ticks');
  const ages = render('gantt', [{ name: 'ages', start: '0100-01-01', end: '9000-01-01' }]);
  assert.ok(ages.querySelectorAll('.gantt-tick').length <= 40, 'absurd spans get a bounded number of ticks');
});

test('gantt: empty, bad, all-invalid and huge values (paged); unicode; markup as text', (t) => {
  assert.match(render('gantt', { tasks: [] }).textContent ?? '', /No tasks/);
  assertJsonFallback(render('gantt', { tasks: [{ name: 'x' }] }), /None of the 1 tasks has a usable start and end/);
  assertJsonFallback(render('gantt', 'x'), /gantt chart needs/);
  const tasks = Array.from({ length: 5000 }, (_, i) => ({ id: `t${i}`, name: `task ${i}`, start: i, end: i + 3, deps: i > 0 ? [`t${i - 1}`] : [] }));
  const { result: element, ms } = timed(() => render('gantt', { tasks }));
  t.diagnostic(`5,000 tasks, first paint: ${Math.round(ms)} ms`);
  assert.equal(element.querySelectorAll('.gantt-bar').length, PAGE_ITEMS);
  assert.equal(element.querySelectorAll('line.gantt-link').length, (PAGE_ITEMS - 1) * 2, 'arrows between the tasks shown');
  assert.equal(element.querySelector('.show-more')?.textContent, `Show 500 more (${(4500).toLocaleString()} left)`);
  assert.match(render('gantt', [{ name: 'Größe 😀 日本', start: 0, end: 1 }]).textContent ?? '', /Größe 😀 日本/);
  const xss = render('gantt', { tasks: [{ id: XSS, name: XSS, start: 0, end: 1, dependencies: [XSS] }, { name: 'b', start: 1, end: 2, dependencies: XSS }] });
  assertInert(xss);
});

// ----------------------------------------------------------------------------------------------------- image_grid

test('image_grid: {images: [{value, label}]} with files and data URLs; a file opens in an editor tab on click', async () => {
  const { ctx, sent } = context();
  const element = render('image_grid', { images: [{ value: { [FILE_REF_KEY]: ref() }, label: 'First' }, { value: PNG, label: 'Second' }, { [FILE_REF_KEY]: ref({ id: 8 }), caption: 'Third' }, GIF] }, ctx);
  const imgs = [...element.querySelectorAll('img')];
  assert.deepEqual(imgs.map((i) => i.getAttribute('src')), [ref().uri, PNG, ref().uri, GIF]);
  assert.deepEqual(imgs.map((i) => i.getAttribute('alt')), ['First', 'Second', 'Third', 'Image 4']);
  assert.deepEqual([...element.querySelectorAll('figcaption')].map((c) => c.textContent), ['First', 'Second', 'Third']);
  const buttons = [...element.querySelectorAll<HTMLButtonElement>('button.grid-open')];
  assert.equal(buttons.length, 2, 'only produced files open');
  buttons[1].click();
  await settle();
  assert.deepEqual(sent, [{ method: 'openArtefact', params: { id: 8 } }]);
  assert.equal(render('image_grid', [{ url: PNG }]).querySelector('img')?.getAttribute('src'), PNG, 'a bare list and {url}');
});

test('image_grid: remote, javascript:, missing files and non-images say why in their cell; empty, huge and bad values', async (t) => {
  const { ctx, sent } = context();
  const element = render('image_grid', [{ value: 'https://example.com/cat.png', label: 'remote' }, JS_URL, { value: { [FILE_REF_KEY]: ref({ uri: null, problem: 'The file is no longer there.' }) } }, 'data:text/html,<script>alert(1)</script>', { [FILE_REF_KEY]: ref({ uri: 'javascript:alert(1)' }) }, { nothing: 1 }], ctx);
  assert.equal(element.querySelectorAll('img').length, 0);
  assertNoScriptUrls(element);
  assert.match(element.textContent ?? '', /Remote content is not loaded/);
  assert.match(element.textContent ?? '', /Only files the run produced and data URLs/);
  assert.match(element.textContent ?? '', /no longer there/);
  assert.match(element.textContent ?? '', /not an image/);
  assert.match(element.textContent ?? '', /does not point to a local file/);
  assert.match(element.textContent ?? '', /No image in this item/);
  element.querySelector<HTMLElement>('.remote-media vscode-button')?.click();
  await settle();
  assert.deepEqual(sent[0], { method: 'openExternal', params: { url: 'https://example.com/cat.png' } });
  assert.match(render('image_grid', { images: [] }).textContent ?? '', /No images/);
  const many = Array.from({ length: 1000 }, (_, i) => ({ value: PNG, label: `img ${i}` }));
  const { result: grid, ms } = timed(() => render('image_grid', many));
  t.diagnostic(`1,000 images, first paint: ${Math.round(ms)} ms`);
  assert.equal(grid.querySelectorAll('img').length, GRID_PAGE);
  assert.equal(grid.querySelector('img')?.getAttribute('loading'), 'lazy');
  assert.match(grid.querySelector('.show-more')?.textContent ?? '', /Show 200 more \(800 left\)/);
  const few = render('image_grid', many.slice(0, GRID_PAGE + 2));
  few.querySelector<HTMLElement>('.show-more')?.click();
  assert.equal(few.querySelectorAll('img').length, GRID_PAGE + 2);
  assertJsonFallback(render('image_grid', 'x'), /image grid needs/);
  assert.match(render('image_grid', [{ value: PNG, label: 'Größe 😀 日本' }]).textContent ?? '', /Größe 😀 日本/);
  assertInert(render('image_grid', [{ value: PNG, label: XSS }, { value: XSS, caption: XSS }, XSS]));
});

// -------------------------------------------------------------------------------------------------- image_compare

test('image_compare: {before, after} over each other with a slider (range input and pointer drag)', () => {
  const element = render('image_compare', { before: PNG, after: GIF });
  const [base, top] = [...element.querySelectorAll<HTMLImageElement>('img')];
  assert.equal(base.getAttribute('src'), PNG);
  assert.equal(top.getAttribute('src'), GIF);
  assert.equal(base.getAttribute('alt'), 'Before');
  assert.equal(top.getAttribute('alt'), 'After');
  assert.equal(top.style.clipPath, 'inset(0 0 0 50%)');
  const range = element.querySelector<HTMLInputElement>('input[type="range"]');
  assert.ok(range);
  assert.match(range.getAttribute('aria-label') ?? '', /Out/);
  range.value = '20';
  fire(range, 'input');
  assert.equal(top.style.clipPath, 'inset(0 0 0 20%)');
  assert.equal(element.querySelector<HTMLElement>('.compare-divider')?.style.left, '20%');
  assert.equal(range.getAttribute('aria-valuetext'), '20% Before');
});

test('image_compare: {old, new}, {left, right}, a list of two, {images}, labels, files; one unusable side falls back', async () => {
  assert.equal(render('image_compare', { old: PNG, new: GIF }).querySelectorAll('img').length, 2);
  assert.equal(render('image_compare', { left: PNG, right: GIF }).querySelectorAll('img').length, 2);
  const listed = render('image_compare', [{ value: PNG, label: 'Raw' }, { value: GIF, label: 'Denoised' }]);
  assert.deepEqual([...listed.querySelectorAll('img')].map((i) => i.getAttribute('alt')), ['Raw', 'Denoised']);
  const labelled = render('image_compare', { images: [PNG, GIF], labels: ['L', 'R'] });
  assert.deepEqual([...labelled.querySelectorAll('img')].map((i) => i.getAttribute('alt')), ['L', 'R']);
  const named = render('image_compare', { before: { [FILE_REF_KEY]: ref() }, after: PNG, before_label: 'Input', after_label: 'Output' });
  assert.equal(named.querySelector('img')?.getAttribute('src'), ref().uri);
  assert.deepEqual([...named.querySelectorAll('.compare-label')].map((l) => l.textContent), ['Input', 'Output']);
  const { ctx, sent } = context();
  const remote = render('image_compare', { before: PNG, after: 'https://example.com/x.png' }, ctx);
  assert.equal(remote.querySelector('input[type="range"]'), null);
  assert.match(remote.textContent ?? '', /Both images are needed/);
  assert.equal(remote.querySelectorAll('img').length, 1);
  remote.querySelector<HTMLElement>('.remote-media vscode-button')?.click();
  await settle();
  assert.equal(sent[0].method, 'openExternal');
  const js = render('image_compare', { before: JS_URL, after: PNG });
  assertNoScriptUrls(js);
  assert.equal(js.querySelectorAll('img').length, 1);
});

test('image_compare: bad values fall back to JSON; unicode labels; markup in labels stays text', () => {
  assertJsonFallback(render('image_compare', { before: PNG }), /needs \{before, after\}/);
  assertJsonFallback(render('image_compare', [PNG]), /needs \{before, after\}/);
  assertJsonFallback(render('image_compare', 'x'), /needs \{before, after\}/);
  assert.match(render('image_compare', { before: PNG, after: GIF, labels: ['Größe 😀', '日本'] }).textContent ?? '', /Größe 😀日本|Größe 😀.*日本/);
  assertInert(render('image_compare', { before: PNG, after: GIF, before_label: XSS, after_label: XSS }));
  assertInert(render('image_compare', { before: XSS, after: JS_URL, labels: [XSS, XSS] }));
});

// --------------------------------------------------------------------------------------------------- audio, video

test('audio and video: data URLs, {value}, produced files (with Open/Reveal), players with controls and no autoplay', async () => {
  const audio = render('audio', WAV);
  const player = audio.querySelector('audio');
  assert.equal(player?.getAttribute('src'), WAV);
  assert.ok(player?.hasAttribute('controls'));
  assert.equal(player?.hasAttribute('autoplay'), false);
  assert.equal(render('audio', { value: WAV, caption: 'Clip' }).querySelector('figcaption')?.textContent, 'Clip');
  assert.equal(render('audio', { url: 'data:video/webm;base64,GkXfow==' }).querySelector('audio')?.getAttribute('src'), 'data:video/webm;base64,GkXfow==');
  const { ctx, sent } = context();
  const file = render('video', { [FILE_REF_KEY]: ref({ id: 11, filename: 'clip.mp4', mime: 'video/mp4', uri: 'https://file+.vscode-resource.vscode-cdn.net/a/clip.mp4' }), poster: PNG }, ctx);
  const video = file.querySelector('video');
  assert.equal(video?.getAttribute('src'), 'https://file+.vscode-resource.vscode-cdn.net/a/clip.mp4');
  assert.equal(video?.getAttribute('poster'), PNG);
  assert.match(file.textContent ?? '', /clip\.mp4 · 2\.0 KB · video\/mp4/);
  file.querySelector<HTMLElement>('.artefact-actions vscode-button')?.click();
  await settle();
  assert.deepEqual(sent, [{ method: 'openArtefact', params: { id: 11 } }]);
  assert.equal(render('video', { value: MP4 }).querySelector('video')?.getAttribute('src'), MP4);
  const list = render('audio', [WAV, { value: WAV, label: 'Second' }]);
  assert.equal(list.querySelectorAll('audio').length, 2);
});

test('audio and video: http not loaded, javascript: and wrong types refused, missing files explained; empty and bad values', async () => {
  const { ctx, sent } = context();
  const remote = render('audio', 'https://example.com/a.mp3', ctx);
  assert.equal(remote.querySelector('audio'), null);
  remote.querySelector<HTMLElement>('vscode-button')?.click();
  await settle();
  assert.deepEqual(sent[0], { method: 'openExternal', params: { url: 'https://example.com/a.mp3' } });
  for (const [type, value] of [['audio', JS_URL], ['video', JS_URL], ['audio', PNG], ['video', WAV], ['video', { value: MP4, poster: JS_URL }]] as [string, JsonValue][]) {
    const element = render(type, value);
    assertNoScriptUrls(element);
  }
  assert.equal(render('audio', PNG).querySelector('audio'), null);
  assert.match(render('audio', PNG).textContent ?? '', /not audio/);
  assert.equal(render('video', { value: MP4, poster: JS_URL }).querySelector('video')?.hasAttribute('poster'), false);
  const missing = render('video', { [FILE_REF_KEY]: ref({ uri: null, problem: 'The file is no longer there.' }) });
  assert.equal(missing.querySelector('video'), null);
  assert.match(missing.textContent ?? '', /no longer there/);
  assert.match(render('audio', '').textContent ?? '', /No audio/);
  assert.match(render('audio', { value: null }).textContent ?? '', /No audio/);
  assert.match(render('video', []).textContent ?? '', /No video/);
  assertJsonFallback(render('audio', 42), /audio output needs/);
  assertJsonFallback(render('video', { nothing: true }), /video output needs/);
  assert.equal(render('audio', Array.from({ length: 80 }, () => WAV)).querySelectorAll('audio').length, 50, 'players are capped');
  assert.match(render('audio', { value: WAV, caption: 'Größe 😀 日本' }).textContent ?? '', /Größe 😀 日本/);
  assertInert(render('audio', { value: WAV, caption: XSS }));
  assertInert(render('video', { value: XSS, label: XSS }));
  assertInert(render('audio', [XSS, { value: JS_URL, caption: XSS }]));
});

// ------------------------------------------------------------------------------------ earlier types, every shape

test('earlier types take every shape the reference lists (scalars raw or {value}, kv list or dict, table rows as objects or arrays)', () => {
  assert.equal(render('text', { value: 'wrapped' }).textContent, 'wrapped');
  assert.equal(render('text', 'raw').textContent, 'raw');
  assert.ok(render('markdown', { value: '# Hi' }).querySelector('h1'));
  assert.ok(render('markdown', '# Hi').querySelector('h1'));
  assert.equal(render('code', { value: 'x = 1', language: 'python' }).querySelector('code')?.getAttribute('data-language'), 'python');
  assert.match(render('code', 'x = 1').textContent ?? '', /x = 1/);
  assert.equal(render('number', 42).textContent, '42');
  assert.equal(render('number', { value: 0.25, format: 'percent', precision: 0 }).textContent, '25%');
  assert.match(render('boolean', true).textContent ?? '', /True/);
  assert.match(render('boolean', 0).textContent ?? '', /False/);
  assert.match(render('boolean', { value: 1, true_label: 'Yes' }).textContent ?? '', /Yes/);
  assert.deepEqual([...render('kv', { pairs: [{ key: 'a', value: 1 }] }).querySelectorAll('dt')].map((d) => d.textContent), ['a']);
  assert.deepEqual([...render('kv', { pairs: { a: 1, b: 2 } }).querySelectorAll('dt')].map((d) => d.textContent), ['a', 'b']);
  assert.deepEqual([...render('kv', { a: 1 }).querySelectorAll('dt')].map((d) => d.textContent), ['a']);
  const objects = render('table', { columns: [{ key: 'n', label: 'N', type: 'number' }], rows: [{ n: 1 }, { n: 2 }] });
  assert.deepEqual([...objects.querySelectorAll('td')].map((td) => td.textContent), ['1', '2']);
  const arrays = render('table', { columns: ['a', 'b'], rows: [[1, 2], [3, 4]] });
  assert.deepEqual([...arrays.querySelectorAll('td')].map((td) => td.textContent), ['1', '2', '3', '4']);
  const bare = render('table', { rows: [[1, 2], [3, 4, 5]] });
  assert.deepEqual([...bare.querySelectorAll('th')].map((th) => th.textContent), ['1', '2', '3'], 'array rows without columns get numbered columns');
  assert.deepEqual([...bare.querySelectorAll('td')].map((td) => td.textContent), ['1', '2', '', '3', '4', '5']);
  assert.ok(render('image', { url: PNG }).querySelector('img'));
  assert.ok(render('image', { data: PNG }).querySelector('img'));
  assert.ok(render('image', { value: PNG }).querySelector('img'));
  assert.match(render('file', { filename: 'a.txt', data: 'data:text/plain;base64,aGk=', mime_type: 'text/plain' }).textContent ?? '', /a\.txt/);
  assert.equal(render('log', { lines: [{ level: 'warn', message: 'careful', t: 0 }] }).querySelectorAll('li').length, 1);
  assert.equal(render('progress', 0.5).querySelector('progress')?.getAttribute('value'), '0.5');
  assert.equal(render('progress', { value: 0.5 }).querySelector('progress')?.getAttribute('value'), '0.5');
  assert.equal(render('stream_text', { value: 'abc' }).textContent, 'abc');
});
