// Tool output never executes script, for EVERY registered output type (the registry is iterated, so a new module is
// covered without touching this file): the all-outputs fixture's xss mode puts `<img onerror>`, `<script>`, `<svg
// onload>` and javascript:/data:text/html URLs in every string-bearing field of every type. Each value is rendered
// (alone, in a whole run's outputs pane, and as file references with hostile names), every element is hovered and
// clicked (popups, tooltips, details), and then: no script element, no on* attribute, no javascript: or
// data:text/html URL, no frame, every image and media source a data:/blob: URL or an artefact URI, and the flag
// the payloads set never set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, settle, setupDom } from './webview-dom';
import { OUTPUT_TYPES, type JsonValue } from '../../src/protocol';
import { registeredOutputTypes } from '../../webview/outputs/registry';
import { loadLeaflet } from '../../webview/maps/leaflet';
import { OutputsView, renderValue } from '../../webview/outputs/area';
import { ARTEFACT_URI_PREFIX, fakeContext, hostView, loadAllOutputs, runViewOf, type AllOutputsFixture } from './allOutputsFixture';

let fixture: AllOutputsFixture;

before(async () => {
  await setupDom();
  fixture = await loadAllOutputs();
  // Map outputs draw once Leaflet has loaded (on first use; the bundle inlines it). Load it now, so that no map is
  // still waiting for it when a card is examined.
  await loadLeaflet();
});
after(closeDom);

const URL_ATTRIBUTES = ['src', 'href', 'xlink:href', 'action', 'formaction', 'poster', 'data', 'background', 'srcset', 'ping'];
const FORBIDDEN_ELEMENTS = 'script, iframe, frame, frameset, object, embed, base, meta, form, portal';
const SOURCE_ELEMENTS = 'img, video, audio, source, track, image, input[type="image"]';

function describeElement(element: Element): string {
  return `<${element.localName}${[...element.attributes].map((a) => ` ${a.name}="${a.value.slice(0, 60)}"`).join('')}>`;
}

function flagSet(): boolean {
  const win = (globalThis as unknown as { window: Record<string, unknown> }).window;
  return (globalThis as Record<string, unknown>)[fixture.flag] !== undefined || win[fixture.flag] !== undefined;
}

/** Every way the rendered DOM could run or load something the tool chose; [] when none. */
function problemsIn(root: Element): string[] {
  const problems: string[] = [];
  const all = [root, ...root.querySelectorAll('*')];
  for (const element of root.querySelectorAll(FORBIDDEN_ELEMENTS)) problems.push(`forbidden element ${describeElement(element)}`);
  for (const element of all) {
    for (const attr of [...element.attributes]) {
      const name = attr.name.toLowerCase();
      // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:"), so the check does too.
      const value = [...attr.value].filter((c) => c.charCodeAt(0) > 0x20).join('').toLowerCase();
      if (name.startsWith('on')) problems.push(`event handler attribute ${name} on ${describeElement(element)}`);
      if (name === 'srcdoc') problems.push(`srcdoc on ${describeElement(element)}`);
      if (URL_ATTRIBUTES.includes(name) && (value.startsWith('javascript:') || value.startsWith('vbscript:') || value.startsWith('data:text/html'))) {
        problems.push(`${name}="${attr.value.slice(0, 60)}" on <${element.localName}>`);
      }
      if (name === 'style' && /javascript:|expression\(|url\(/.test(value)) problems.push(`style="${attr.value.slice(0, 80)}" on <${element.localName}>`);
    }
  }
  for (const element of root.querySelectorAll(SOURCE_ELEMENTS)) {
    const src = element.getAttribute('src') ?? element.getAttribute('href');
    if (src === null || src === '') continue;
    if (!/^(data:|blob:)/i.test(src) && !src.startsWith(ARTEFACT_URI_PREFIX)) problems.push(`<${element.localName}> loads "${src.slice(0, 80)}" (not data:, blob: or an artefact URI)`);
  }
  if (flagSet()) problems.push(`window.${fixture.flag} was set`);
  return problems;
}

/** Hover and click everything (except links, which would navigate): popups, tooltips, details and sort headers open. */
async function poke(root: Element): Promise<void> {
  const MouseEventClass = (globalThis as unknown as { window: { MouseEvent: typeof MouseEvent } }).window.MouseEvent;
  for (const element of [root, ...root.querySelectorAll('*')]) {
    if (element.localName === 'a' || !element.isConnected) continue;
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'click']) {
      try {
        element.dispatchEvent(new MouseEventClass(type, { bubbles: type !== 'mouseenter', cancelable: true, clientX: 10, clientY: 10 }));
      } catch {
        // A handler that throws is not what this test is about; what it leaves in the DOM is.
      }
    }
  }
  await settle(20);
}

/** Renders `value` as a card body, pokes it, and returns its problems; the note says when the module threw. */
async function renderProblems(type: string, value: JsonValue): Promise<{ problems: string[]; note: string | undefined }> {
  const spec = fixture.specOf(type);
  assert.ok(spec, `the all-outputs fixture declares no "${type}" output`);
  const holder = document.createElement('div');
  document.body.appendChild(holder);
  try {
    const view = renderValue(spec, value, fakeContext().ctx);
    holder.appendChild(view.element);
    await settle(10);
    await poke(holder);
    let note = [...holder.querySelectorAll('.output-note')].map((n) => n.textContent ?? '').find((t) => t.startsWith('Could not render'));
    if (type.startsWith('map_') && !holder.querySelector('.leaflet-container')) note = 'no Leaflet map was drawn here, so its markers and popups were not covered';
    return { problems: problemsIn(holder), note };
  } finally {
    holder.remove();
  }
}

test('every one of the 39 output types has a registered module', () => {
  const registered = new Set(registeredOutputTypes());
  const missing = OUTPUT_TYPES.filter((type) => !registered.has(type));
  assert.deepEqual(missing, [], `output types without a module (still shown as "not yet supported"): ${missing.join(', ')}`);
});

test('the xss fixture has a hostile value for every output type, and the payload is what the checks look for', () => {
  const values = fixture.outputsFor('xss');
  const uncovered = OUTPUT_TYPES.filter((type) => {
    const key = fixture.specOf(type)?.key;
    return key === undefined || !Object.hasOwn(values, key);
  });
  assert.deepEqual(uncovered, [], 'output types the fixture has no xss value for');
  // The checks can fail: the raw payload, parsed as HTML, trips them.
  const holder = document.createElement('div');
  holder.innerHTML = `${fixture.payload('probe')}<a href="javascript:x()">a</a><img src="https://remote.example/x.png">`;
  const problems = problemsIn(holder);
  assert.ok(problems.some((p) => p.startsWith('forbidden element <script')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('event handler attribute onerror')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('href="javascript:')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('remote.example')), problems.join('\n'));
});

test('every registered output type renders the xss value inertly (alone, hovered and clicked)', async (t) => {
  const values = fixture.outputsFor('xss');
  const failures: string[] = [];
  const threw: string[] = [];
  for (const type of registeredOutputTypes().sort()) {
    const spec = fixture.specOf(type);
    if (!spec) {
      failures.push(`${type}: the all-outputs fixture has no output of this type (add one with an xss value)`);
      continue;
    }
    const { problems, note } = await renderProblems(type, values[spec.key]);
    failures.push(...problems.map((p) => `${type}: ${p}`));
    if (note) threw.push(`${type}: ${note}`);
  }
  // A module that throws on hostile input falls back to the JSON view (safe, but worth knowing about); so does a map
  // this DOM could not draw.
  for (const line of threw) t.diagnostic(line);
  assert.deepEqual(failures, []);
});

test('file outputs: hostile names and MIME types in file references, and data:text/html bytes served as artefacts', async (t) => {
  const P = fixture.payload;
  const hostile = hostView(fixture.outputsFor('normal'), (ref) => ({ ...ref, filename: P(`name-${ref.filename}`), mime: P('mime') }));
  const xssAsHost = hostView(fixture.outputsFor('xss'));
  const failures: string[] = [];
  for (const type of ['image', 'image_grid', 'image_compare', 'audio', 'video', 'file']) {
    if (!registeredOutputTypes().includes(type)) {
      t.diagnostic(`${type}: no module yet`);
      continue;
    }
    const key = fixture.specOf(type)?.key ?? type;
    for (const [variant, value] of [['hostile names', hostile[key]], ['xss bytes as artefacts', xssAsHost[key]]] as const) {
      const { problems } = await renderProblems(type, value);
      failures.push(...problems.map((p) => `${type} (${variant}): ${p}`));
    }
  }
  assert.deepEqual(failures, []);
});

test('the whole outputs pane of an xss run (and its live updates) stays inert, with the error and notices too', async () => {
  const values = hostView(fixture.outputsFor('xss'));
  const view = new OutputsView(fixture.specs, fakeContext().ctx);
  document.body.appendChild(view.element);
  try {
    view.startRun();
    for (const { key, value } of fixture.streamUpdates('xss')) view.update(key, value);
    await settle(10);
    const live = problemsIn(view.element);
    view.showRun(runViewOf(values, { notices: [fixture.payload('notice')], error: `tool failed ${fixture.payload('error')}\n--- stderr ---\n${fixture.payload('stderr')}`, status: 'error' }));
    await settle(10);
    await poke(view.element);
    assert.deepEqual([...live.map((p) => `live: ${p}`), ...problemsIn(view.element).map((p) => `finished: ${p}`)], []);
    const cards = [...view.element.querySelectorAll('section.output-card[data-output-key]')].map((c) => c.getAttribute('data-output-key'));
    for (const spec of fixture.specs) assert.ok(cards.includes(spec.key), `a card for ${spec.key}`);
  } finally {
    view.element.remove();
  }
});
