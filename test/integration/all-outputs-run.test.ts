// The all-outputs fixture tool through the real launcher, run service and pixie.db, up to the RunView the panel sends
// (buildRunView, the same for a run that just finished and for a replay from history): every one of the 39 outputs
// comes back; what streamed live equals what the stored run replays; values arrive unchanged (edge values and XSS
// payloads alike: escaping is the webview's job); file outputs become file references with webview URIs; and the big
// mode's 100,000-row table and 100,000-point chart reach the webview as values it can render.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRunHarness, type RunHarness } from './helpers/runHarness';
import { buildRunView } from '../../src/vscode/panels/runViews';
import type { ResolveContext } from '../../src/vscode/panels/outputResolver';
import { FILE_REF_KEY, fileRefOf, type JsonValue, type RunView } from '../../src/protocol';
import { FIXTURE_TOOLS_DIR } from '../helpers/toolProcesses';

type Outputs = Record<string, JsonValue>;
interface ValuesModule {
  outputsFor(mode: string): Outputs;
  BIG_ROWS: number;
  BIG_POINTS: number;
}

const FILE_KEYS = ['image', 'image_grid', 'image_compare', 'audio', 'video', 'file'];
const STREAMED = ['chart_line', 'log', 'progress', 'stream_text'];
const URI_PREFIX = 'https://file+.vscode-resource.vscode-cdn.net';

let h: RunHarness;
let values: ValuesModule;
let resolve: ResolveContext;

before(async () => {
  h = await createRunHarness();
  values = (await import(pathToFileURL(path.join(FIXTURE_TOOLS_DIR, 'all-outputs', 'values.mjs')).href)) as ValuesModule;
  resolve = { artefactsRoot: h.config.artefactsRoot, toUri: (file) => `${URI_PREFIX}${file}` };
});

after(async () => {
  await h.close();
});

async function run(mode: string): Promise<{ view: RunView; live: Outputs }> {
  const live: Outputs = {};
  const outcome = await h.service.run(h.tool('all-outputs'), { mode, delay_ms: 1 }, {
    onEvent: (event) => {
      if (event.type === 'output') live[event.key] = event.value as JsonValue;
    },
  });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const view = await buildRunView(h.store, outcome.runId, resolve);
  assert.ok(view?.outputs, 'the stored run has outputs');
  return { view, live };
}

/** Every file reference inside a value: it points into the artefacts through a webview URI, and the file is there. */
function refsOf(value: JsonValue): { mime: string; uri: string | null; problem: string | null }[] {
  const ref = fileRefOf(value);
  if (ref) return [ref];
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(refsOf);
  return [];
}

test('normal: all 39 outputs replay; what streamed live is what the stored run shows; files become references', async () => {
  const expected = values.outputsFor('normal');
  const { view, live } = await run('normal');
  const outputs = view.outputs as Outputs;
  assert.deepEqual(Object.keys(outputs).sort(), Object.keys(expected).sort());
  assert.equal(Object.keys(outputs).length, 39);
  assert.deepEqual(Object.keys(live).sort(), STREAMED, 'the streamed outputs');
  for (const key of STREAMED) {
    assert.deepEqual(live[key], expected[key], `${key}: the last live value is the tool's final value`);
    assert.deepEqual(outputs[key], live[key], `${key}: the replay shows what was live`);
  }
  for (const key of Object.keys(expected).filter((k) => !FILE_KEYS.includes(k))) assert.deepEqual(outputs[key], expected[key], `${key} arrives unchanged`);
  const mimes: Record<string, string[]> = {};
  for (const key of FILE_KEYS) {
    const refs = refsOf(outputs[key]);
    assert.ok(refs.length > 0, `${key} carries a file reference`);
    for (const ref of refs) {
      assert.equal(ref.problem, null, `${key}: ${ref.problem}`);
      assert.ok(ref.uri?.startsWith(`${URI_PREFIX}${h.config.artefactsRoot}`), `${key}: ${ref.uri}`);
    }
    mimes[key] = refs.map((r) => r.mime);
  }
  assert.deepEqual(mimes, {
    image: ['image/png'], image_grid: ['image/png', 'image/png', 'image/png'], image_compare: ['image/png', 'image/png'],
    audio: ['audio/wav'], video: ['video/webm'], file: ['text/csv'],
  });
  // The labels and the tool's own file name stay beside the references.
  assert.deepEqual((outputs.image_grid as { images: { label: string }[] }).images.map((i) => i.label), ['red', 'green ✓', '']);
  assert.equal((outputs.file as Record<string, JsonValue>).filename, 'report ✓.csv');
  assert.deepEqual(view.notices, []);
  // Replaying again gives the same view.
  assert.deepEqual(await buildRunView(h.store, view.id, resolve), view);
});

test('xss: every payload comes back byte for byte (nothing is escaped or dropped on the way to the webview)', async () => {
  const expected = values.outputsFor('xss');
  const { view } = await run('xss');
  const outputs = view.outputs as Outputs;
  for (const key of Object.keys(expected).filter((k) => !FILE_KEYS.includes(k))) assert.deepEqual(outputs[key], expected[key], key);
  // data:text/html "images" and "video" are kept as files, with a note that they are not what the output declares.
  assert.ok(view.notices.some((n) => /declared as image output but the content is text\/html/.test(n)), view.notices.join('\n'));
  assert.equal(JSON.stringify(outputs).includes(FILE_REF_KEY), true);
});

test('big: the 100,000-row table and 100,000-point line chart reach the webview as values it can render', async () => {
  const { view } = await run('big');
  const outputs = view.outputs as Outputs;
  const table = outputs.table as Record<string, JsonValue>;
  const chart = outputs.chart_line as Record<string, JsonValue>;
  const asFile = [fileRefOf(outputs.table), fileRefOf(outputs.chart_line)].filter((r) => r !== undefined);
  assert.deepEqual(
    asFile.map((r) => `${r.filename} (${r.size} bytes) is sent as a file reference`),
    [],
    'values over the resolver’s inline limit (INLINE_READ_MAX_BYTES, src/vscode/panels/outputResolver.ts) reach the webview as files, not as a table and a chart',
  );
  assert.equal((table.rows as JsonValue[]).length, values.BIG_ROWS);
  assert.equal((chart.x as JsonValue[]).length, values.BIG_POINTS);
});
