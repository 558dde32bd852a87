// Streaming parity: what the user watched live must be what a replay from history shows. For every output type
// registered at the time (the registry is iterated, so modules added later are picked up), a sequence of streamed
// deltas is accumulated exactly as the host does (StreamState: stream_text appends, log appends lines, line/bar/area
// charts append points, the rest replace), fed through the live path (OutputsView.update with each accumulated value),
// and compared with the replay path (OutputsView.showRun of the final stored outputs) — as a panel and inside a
// hidden tab. The comparison is the card's DOM: tags, attributes (generated ids canonicalised) and merged text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { StreamState } from '../../src/core/runner/streamState';
import { SAMPLE_PNG_DATA_URL, SAMPLE_WAV_DATA_URL } from '../../src/core/tools/samples';
import { OUTPUT_TYPES, type JsonValue, type OutputSpec, type OutputType, type RunView } from '../../src/protocol';
import { OutputsView } from '../../webview/outputs/area';
import { registeredOutputTypes, type OutputContext } from '../../webview/outputs/registry';
import { loadLeaflet } from '../../webview/maps/leaflet';

before(async () => {
  await setupDom();
  // Leaflet loads on first use; its first load (compiling the module) can outlast any fixed wait on a busy machine.
  await loadLeaflet();
});
after(closeDom);

interface Sample {
  /** Type-specific spec fields. */
  spec?: Record<string, unknown>;
  /** What the tool streams, in order (each one a delta for the appending types, a full value for the others). */
  deltas: JsonValue[];
}

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z in seconds, as Python's time.time() sends it
const POLYGON = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };

/** One streamed sequence per output type of reference §3.4 (a Record, so a new type cannot be left out). */
const SAMPLES: Record<OutputType, Sample> = {
  text: { deltas: ['Hello', 'Hello, world <b>not bold</b>'] },
  markdown: { deltas: ['# Title', '# Title\n\nSome **bold** text and `code`.'] },
  latex: { deltas: ['x^2', '\\frac{a}{b} + \\sqrt{c}'] },
  code: { spec: { language: 'python' }, deltas: ['print(1)', { value: 'print(2)\nprint(3)', language: 'python' }] },
  stream_text: { deltas: ['Hel', 'lo ', 'wor', 'ld', { value: '!' }] },
  number: { spec: { format: 'decimal', precision: 2 }, deltas: [1, 2.5, { value: 3.14159 }] },
  boolean: { spec: { true_label: 'Yes', false_label: 'No' }, deltas: [false, true] },
  progress: { deltas: [0, 0.25, { value: 0.5, done: false }, { value: 1, label: 'done' }] },
  log: {
    deltas: [
      { lines: [{ level: 'info', message: 'starting', t: T0 }] },
      { lines: [{ level: 'warn', message: 'halfway', t: T0 + 1 }, { level: 'info', message: 'still going', t: T0 + 2 }] },
      { level: 'error', message: 'one line on its own', t: T0 + 3 },
      'a plain string line',
    ],
  },
  kv: { deltas: [{ pairs: { a: 1 } }, { pairs: [{ key: 'a', value: 1 }, { key: 'b', value: 'two' }] }] },
  table: {
    spec: { columns: [{ key: 'name', label: 'Name', type: 'text' }, { key: 'score', label: 'Score', type: 'number' }] },
    deltas: [
      { columns: [{ key: 'name', label: 'Name', type: 'text' }, { key: 'score', label: 'Score', type: 'number' }], rows: [{ name: 'a', score: 1 }] },
      { columns: [{ key: 'name', label: 'Name', type: 'text' }, { key: 'score', label: 'Score', type: 'number' }], rows: [{ name: 'a', score: 1 }, { name: 'b', score: 2 }] },
    ],
  },
  diff: { deltas: [{ before: 'a', after: 'b' }, { before: 'one\ntwo\nthree', after: 'one\n2\nthree' }] },
  tree: { deltas: [{ root: { label: 'root', children: [] } }, { root: { label: 'root', children: [{ label: 'child', children: [{ label: 'leaf' }] }] } }] },
  timeline: { deltas: [{ events: [{ t: '2026-01-01', label: 'start' }] }, { events: [{ t: '2026-01-01', label: 'start' }, { t: '2026-02-01', label: 'next' }] }] },
  gantt: { deltas: [{ tasks: [{ name: 'build', start: '2026-01-01', end: '2026-01-05' }] }, { tasks: [{ name: 'build', start: '2026-01-01', end: '2026-01-05' }, { name: 'test', start: '2026-01-04', end: '2026-01-09' }] }] },
  chart_line: { spec: { x_label: 'step', y_label: 'loss' }, deltas: [{ x: [1, 2], series: [{ name: 'train', y: [0.9, 0.7] }] }, { x: [3], series: [{ name: 'train', y: [0.5] }] }, { x: [4], series: [{ name: 'train', y: [0.4] }, { name: 'val', y: [0.6] }] }] },
  chart_area: { deltas: [{ x: [1, 2], series: [{ name: 'a', y: [1, 2] }] }, { x: [3], series: [{ name: 'a', y: [3] }] }] },
  chart_bar: { deltas: [{ x: ['a', 'b'], series: [{ name: 's', y: [1, 2] }] }, { x: ['c'], series: [{ name: 's', y: [3] }] }] },
  chart_scatter: { deltas: [{ series: [{ name: 's', points: [{ x: 1, y: 2 }] }] }, { series: [{ name: 's', points: [{ x: 1, y: 2 }, { x: 2, y: 3, label: 'p' }] }] }] },
  chart_pie: { deltas: [{ slices: [{ label: 'a', value: 1 }] }, { slices: [{ label: 'a', value: 1 }, { label: 'b', value: 2 }] }] },
  chart_histogram: { deltas: [{ values: [1, 2, 2, 3] }, { values: [1, 2, 2, 3, 3, 3, 4], bins: 4 }] },
  chart_boxplot: { deltas: [{ series: [{ name: 'a', values: [1, 2, 3, 4, 5] }] }] },
  chart_heatmap: { deltas: [{ z: [[1, 2], [3, 4]], x_labels: ['a', 'b'], y_labels: ['c', 'd'] }, { z: [[1, 2], [3, 5]], x: ['a', 'b'], y: ['c', 'd'] }] },
  chart_candlestick: { deltas: [{ points: [{ t: '2026-01-01', open: 1, high: 2, low: 0.5, close: 1.5 }] }] },
  chart_radar: { deltas: [{ axes: ['a', 'b', 'c'], series: [{ name: 's', values: [1, 2, 3] }] }] },
  chart_sankey: { deltas: [{ nodes: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], links: [{ source: 'a', target: 'b', value: 1 }] }] },
  chart_treemap: { deltas: [{ nodes: [{ id: 'r', label: 'Root', value: 3 }, { id: 'c', label: 'Child', value: 1, parent: 'r' }] }] },
  chart_network: { deltas: [{ nodes: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], edges: [{ source: 'a', target: 'b', label: 'ab' }] }] },
  map_points: { spec: { default_center: [51.5, -0.1], default_zoom: 5 }, deltas: [{ points: [{ lat: 51.5, lng: -0.1, label: 'London' }] }, { points: [{ lat: 51.5, lng: -0.1, label: 'London' }, { lat: 48.85, lng: 2.35, label: 'Paris' }] }] },
  map_heatmap: { deltas: [{ points: [{ lat: 1, lng: 1, weight: 2 }, { lat: 1.1, lng: 1.2 }] }] },
  map_choropleth: { deltas: [{ geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 'a', properties: { name: 'A' }, geometry: POLYGON }] }, values: { a: 1 } }] },
  map_polygons: { deltas: [{ polygons: [{ coords: [[0, 0], [0, 1], [1, 1]], label: 'p' }] }] },
  map_route: { deltas: [{ points: [{ lat: 0, lng: 0 }, { lat: 1, lng: 1 }] }, { points: [{ lat: 0, lng: 0 }, { lat: 1, lng: 1 }, { lat: 2, lng: 1 }] }] },
  image: { deltas: [SAMPLE_PNG_DATA_URL, { value: SAMPLE_PNG_DATA_URL, alt: 'a pixel' }] },
  image_grid: { deltas: [{ images: [{ value: SAMPLE_PNG_DATA_URL, label: 'one' }] }, { images: [{ value: SAMPLE_PNG_DATA_URL, label: 'one' }, { value: SAMPLE_PNG_DATA_URL, label: 'two' }] }] },
  image_compare: { deltas: [{ before: SAMPLE_PNG_DATA_URL, after: SAMPLE_PNG_DATA_URL }] },
  audio: { deltas: [SAMPLE_WAV_DATA_URL] },
  video: { deltas: ['data:video/mp4;base64,AAAAIGZ0eXBpc29t'] },
  file: { deltas: [{ filename: 'notes.txt', data: 'data:text/plain;base64,aGVsbG8=', mime_type: 'text/plain' }] },
};

const ctx: OutputContext = { locale: 'en-US', request: (() => Promise.resolve({})) as OutputContext['request'], notify: () => undefined };

function specsFor(type: OutputType, inTab: boolean): OutputSpec[] {
  const out = { key: 'out', label: 'Out', type, ...(SAMPLES[type].spec ?? {}) };
  // In a tab group the output under test is the second tab: hidden while it streams.
  const list = inTab ? [{ key: 'first', label: 'First', type: 'text', layout: 'tab' }, { ...out, layout: 'tab' }] : [out];
  const parsed = parseToolJson(JSON.stringify({ id: 'parity', name: 'Parity', inputs: [], outputs: list }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.outputs;
}

function finishedRun(outputs: Record<string, JsonValue>): RunView {
  return {
    id: 'run-parity',
    toolId: 'parity',
    status: 'ok',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:02.000Z',
    durationMs: 2000,
    inputs: {},
    outputs,
    error: null,
    starred: false,
    label: null,
    artefacts: [],
    notices: [],
  };
}

const ID_REFS = new Set(['id', 'for', 'aria-labelledby', 'aria-controls', 'aria-describedby', 'aria-owns', 'aria-activedescendant', 'headers', 'list', 'href']);

/**
 * The card as comparable text: elements with sorted attributes, adjacent text nodes merged (a live stream appends
 * text nodes where a replay sets one), and generated ids renamed in order of appearance so two views compare.
 */
function snapshot(root: Element): string {
  const ids = new Map<string, string>();
  const canonical = (token: string): string => {
    if (!ids.has(token)) ids.set(token, `#${ids.size + 1}`);
    return ids.get(token) as string;
  };
  const walk = (node: Element, depth: number): string[] => {
    const attrs = [...node.attributes]
      .filter((a) => !a.name.startsWith('_echarts'))
      .map((a) => {
        if (!ID_REFS.has(a.name) || (a.name === 'href' && !a.value.startsWith('#'))) return `${a.name}="${a.value}"`;
        const value = a.name === 'href' ? `#${canonical(a.value.slice(1))}` : a.value.split(/\s+/).filter(Boolean).map(canonical).join(' ');
        return `${a.name}="${value}"`;
      })
      .sort();
    const lines = [`${'  '.repeat(depth)}<${node.tagName.toLowerCase()}${attrs.length ? ` ${attrs.join(' ')}` : ''}>`];
    let text = '';
    const flush = (): void => {
      if (text !== '') lines.push(`${'  '.repeat(depth + 1)}${JSON.stringify(text)}`);
      text = '';
    };
    for (const child of node.childNodes) {
      if (child.nodeType === 3) text += child.textContent ?? '';
      else if (child.nodeType === 1) {
        flush();
        lines.push(...walk(child as Element, depth + 1));
      }
    }
    flush();
    return lines;
  };
  return walk(root, 0).join('\n');
}

/** Plays the deltas live (accumulated as the host does) and returns the card, plus the final stored outputs. */
async function live(type: OutputType, inTab: boolean): Promise<{ card: string; text: string; stored: Record<string, JsonValue>; view: OutputsView }> {
  const specs = specsFor(type, inTab);
  const view = new OutputsView(specs, ctx);
  document.body.replaceChildren(view.element);
  const state = new StreamState(specs);
  view.startRun();
  for (const delta of SAMPLES[type].deltas) {
    view.update('out', state.apply('out', delta) as JsonValue);
    await settle();
  }
  const card = view.cardElement('out') as HTMLElement;
  return { card: await stableSnapshot(card), text: card.textContent ?? '', stored: state.merged(undefined) as Record<string, JsonValue>, view };
}

async function replay(type: OutputType, inTab: boolean, stored: Record<string, JsonValue>): Promise<string> {
  const view = new OutputsView(specsFor(type, inTab), ctx);
  document.body.replaceChildren(view.element);
  view.showRun(finishedRun(stored));
  return stableSnapshot(view.cardElement('out') as HTMLElement);
}

/** The card once it has stopped changing (renderers finish asynchronously: maps, charts, media), up to 5 s. */
async function stableSnapshot(card: Element): Promise<string> {
  let last = snapshot(card);
  for (let waited = 0; waited < 5000; waited += 5) {
    await settle(5);
    const now = snapshot(card);
    if (now === last) return now;
    last = now;
  }
  return last;
}

test('every output type of the spec has a streamed sample here', () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...OUTPUT_TYPES].sort());
});

test('the registry is iterated: at least the streaming types are registered', () => {
  const registered = registeredOutputTypes();
  for (const type of ['stream_text', 'log', 'progress', 'text']) assert.ok(registered.includes(type), `${type} registered`);
  const unknown = registered.filter((t) => !(OUTPUT_TYPES as readonly string[]).includes(t));
  assert.deepEqual(unknown, [], 'a registered module for a type the spec does not have');
});

for (const inTab of [false, true]) {
  test(`live streaming and replay give the same card for every registered type (${inTab ? 'in a hidden tab' : 'as a panel'})`, async () => {
    const failures: string[] = [];
    const types = registeredOutputTypes().filter((t): t is OutputType => Object.hasOwn(SAMPLES, t)).sort();
    for (const type of types) {
      const shown = await live(type, inTab);
      if (/No output yet|Waiting for output/.test(shown.text)) failures.push(`${type}: the live card stayed empty`);
      if (inTab && type !== 'text' && !shown.view.tabsFor('out')) failures.push(`${type}: not in a tab strip`);
      const replayed = await replay(type, inTab, shown.stored);
      if (shown.card !== replayed) failures.push(`${type}: live and replay differ\n--- live\n${shown.card}\n--- replay\n${replayed}`);
    }
    assert.deepEqual(failures, [], `checked ${types.join(', ')}`);
  });
}

test('the comparison can fail: a live card that missed an update differs from the replay', async () => {
  const specs = specsFor('stream_text', false);
  const view = new OutputsView(specs, ctx);
  document.body.replaceChildren(view.element);
  view.startRun();
  view.update('out', 'Hello');
  const missed = snapshot(view.cardElement('out') as HTMLElement);
  assert.notEqual(missed, await replay('stream_text', false, { out: 'Hello world' }));
  assert.equal(missed, await replay('stream_text', false, { out: 'Hello' }));
});

test('a live log appends and a live progress overwrites, and both end where the replay starts', async () => {
  const log = await live('log', false);
  assert.deepEqual(log.stored.out, {
    lines: [
      { level: 'info', message: 'starting', t: T0 },
      { level: 'warn', message: 'halfway', t: T0 + 1 },
      { level: 'info', message: 'still going', t: T0 + 2 },
      { level: 'error', message: 'one line on its own', t: T0 + 3 },
      { level: 'info', message: 'a plain string line' },
    ],
  });
  const progress = await live('progress', false);
  assert.deepEqual(progress.stored.out, { value: 1, label: 'done' });
  assert.match(progress.text, /100% — done/);
  const text = await live('stream_text', false);
  assert.equal(text.stored.out, 'Hello world!');
});
