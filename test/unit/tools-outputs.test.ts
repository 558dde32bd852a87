import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OUTPUT_TYPES, type OutputType, type ToolSpec } from '../../src/core/tools/model';
import { checkOutputs, checkOutputValue, isStreamingTool, outputCategory } from '../../src/core/tools/outputs';
import { parseToolJson } from '../../src/core/tools/parse';

const out = (type: OutputType) => ({ key: 'k', type });

function pass(type: OutputType, value: unknown): void {
  const r = checkOutputValue(out(type), value);
  assert.ok(r.ok, `${type} should accept ${JSON.stringify(value)}: ${r.ok ? '' : r.message}`);
}

function fail(type: OutputType, value: unknown, pattern?: RegExp): void {
  const r = checkOutputValue(out(type), value);
  assert.equal(r.ok, false, `${type} should reject ${JSON.stringify(value)}`);
  if (!r.ok && pattern) assert.match(r.message, pattern);
}

const PNG = 'data:image/png;base64,AAAA';

/** One good value and one bad value for each of the 39 output types. */
const CASES: Record<OutputType, { good: unknown[]; bad: unknown[] }> = {
  text: { good: ['hello', { value: 'hi' }], bad: [42] },
  markdown: { good: ['# h'], bad: [['x']] },
  latex: { good: ['x^2'], bad: [1] },
  code: { good: ['print(1)', { value: 'x', language: 'python' }], bad: [{ language: 'python' }] },
  stream_text: { good: [''], bad: [false] },
  number: { good: [3.14, 0, { value: 2, format: 'percent' }], bad: ['no', true] },
  boolean: { good: [true, false, 1, 0, { value: true }], bad: [2, 'true'] },
  progress: { good: [0.5, { value: null }], bad: ['half'] },
  image: { good: [PNG, 'https://example.com/a.png', { value: PNG }, { url: '/x.png' }], bad: [12, { alt: 'x' }] },
  audio: { good: ['data:audio/wav;base64,AAAA'], bad: [[1]] },
  video: { good: ['https://example.com/v.mp4', { data: 'data:video/mp4;base64,AA==' }], bad: [true] },
  table: { good: [{ columns: [{ key: 'a', label: 'A', type: 'text' }], rows: [{ a: 1 }] }], bad: ['a,b', { rows: [] }] },
  kv: { good: [{ pairs: [{ key: 'a', value: 1 }] }, { pairs: { a: 1, b: 2 } }], bad: [{ a: 1 }, [1]] },
  log: { good: [{ lines: [{ level: 'info', message: 'hi', t: 0 }] }], bad: [['hi']] },
  diff: { good: [{ before: 'a', after: 'b' }], bad: [{ before: 'a' }] },
  tree: { good: [{ root: { label: 'r', children: [] } }], bad: [{ label: 'r' }] },
  timeline: { good: [{ events: [{ t: '2026-01-01', label: 'x' }] }], bad: [{ items: [] }] },
  gantt: { good: [{ tasks: [{ name: 'a', start: 1, end: 2 }] }], bad: [{}] },
  chart_line: { good: [{ x: [1, 2], series: [{ name: 'a', y: [1, 2] }] }], bad: [{ x: [1, 2] }] },
  chart_area: { good: [{ x: [1], series: [] }], bad: [{ series: [] }] },
  chart_bar: { good: [{ x: ['a'], series: [{ name: 's', y: [1] }] }], bad: [[1, 2]] },
  chart_scatter: { good: [{ series: [{ name: 's', points: [{ x: 1, y: 2 }] }] }], bad: [{ points: [] }] },
  chart_pie: { good: [{ slices: [{ label: 'a', value: 1 }] }], bad: [[{ label: 'a', value: 1 }]] },
  chart_histogram: { good: [{ values: [1, 2, 2] }], bad: [{ bins: 3 }] },
  chart_boxplot: { good: [{ series: [{ name: 'a', values: [1] }] }], bad: [{ values: [1] }] },
  chart_heatmap: { good: [{ z: [[1, 2], [3, 4]] }], bad: [{ x: [], y: [] }] },
  chart_candlestick: { good: [{ points: [{ t: 1, open: 1, high: 2, low: 0, close: 1 }] }], bad: [{ candles: [] }] },
  chart_radar: { good: [{ axes: ['a'], series: [] }], bad: [{ axes: ['a'] }] },
  chart_sankey: { good: [{ nodes: [], links: [] }], bad: [{ nodes: [] }] },
  chart_treemap: { good: [{ nodes: [{ id: 'a', label: 'A', value: 1 }] }], bad: ['tree'] },
  chart_network: { good: [{ nodes: [], edges: [] }], bad: [{ nodes: [], links: [] }] },
  map_points: { good: [{ points: [{ lat: 1, lng: 2 }] }], bad: [[{ lat: 1, lng: 2 }]] },
  map_heatmap: { good: [{ points: [] }], bad: [{}] },
  map_choropleth: { good: [{ geojson: {}, values: { a: 1 } }], bad: [{ geojson: {} }] },
  map_polygons: { good: [{ polygons: [] }], bad: [{ points: [] }] },
  map_route: { good: [{ points: [{ lat: 0, lng: 0 }] }], bad: [5] },
  image_grid: { good: [{ images: [{ value: PNG }] }], bad: [[PNG]] },
  image_compare: { good: [{ before: PNG, after: PNG }], bad: [{ before: PNG }] },
  file: { good: [{ filename: 'a.csv', data: 'data:text/csv;base64,AA==', mime_type: 'text/csv' }], bad: [{ filename: 'a.csv' }] },
};

describe('checkOutputValue', () => {
  it('has good and bad cases for all 39 output types', () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...OUTPUT_TYPES].sort());
  });

  for (const type of OUTPUT_TYPES) {
    it(`${type}: accepts its shapes, rejects others and null`, () => {
      for (const v of CASES[type].good) pass(type, v);
      for (const v of CASES[type].bad) fail(type, v);
      fail(type, null, /value is null/);
    });
  }

  it('matches the original validator on its tested cases', () => {
    pass('text', 'hello');
    fail('text', 42, /output "k": expected a string, got number/);
    pass('number', 3.14);
    fail('number', 'no', /expected a number, got string/);
    pass('boolean', true);
    pass('boolean', 1);
    pass('table', { columns: [], rows: [] });
    fail('table', 'rows', /expected an object with columns, rows, got string/);
    fail('chart_line', { x: [1] }, /missing field series/);
    fail('diff', {}, /missing fields before, after/);
    pass('kv', { pairs: [{ key: 'a', value: 1 }] });
    pass('kv', { pairs: { a: 1 } });
  });
});

describe('checkOutputs', () => {
  const spec = (outputs: unknown[]): Pick<ToolSpec, 'outputs'> => {
    const r = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs }));
    if (!r.ok) assert.fail(r.errors.map((e) => e.message).join('\n'));
    return r.spec;
  };
  const s = spec([
    { key: 'total', type: 'number', label: 'Total' },
    { key: 'chart', type: 'chart_line', label: 'Chart' },
    { key: 'note', type: 'text', label: 'Note' },
  ]);

  it('is clean for a conforming response; run_id and _-keys are not extra', () => {
    assert.deepEqual(
      checkOutputs(s, { total: 1, chart: { x: [], series: [] }, note: 'n', run_id: 'r', _meta: {} }),
      { missing: [], extra: [], invalid: [] },
    );
  });

  it('reports missing, extra and invalid keys together', () => {
    assert.deepEqual(checkOutputs(s, { total: 'x', chart: { x: [] }, surprise: 1 }), {
      missing: ['note'],
      extra: ['surprise'],
      invalid: [
        { key: 'total', message: 'output "total": expected a number, got string' },
        { key: 'chart', message: 'output "chart": missing field series' },
      ],
    });
  });

  it('treats null as invalid, not missing', () => {
    const r = checkOutputs(s, { total: null, chart: { x: [], series: [] }, note: 'n' });
    assert.deepEqual(r.missing, []);
    assert.deepEqual(r.invalid, [{ key: 'total', message: 'output "total": value is null' }]);
  });

  it('rejects a response that is not an object', () => {
    for (const body of [[1], 'ok', null]) {
      const r = checkOutputs(s, body);
      assert.deepEqual(r.missing, ['total', 'chart', 'note']);
      assert.equal(r.invalid.length, 1);
      assert.match(r.invalid[0].message, /must be a JSON object/);
    }
  });
});

describe('isStreamingTool / outputCategory', () => {
  const outputs = (list: { type: OutputType; streaming?: boolean }[]): Pick<ToolSpec, 'outputs'> => {
    const r = parseToolJson(JSON.stringify({
      id: 't', name: 'T', inputs: [],
      outputs: list.map((o, i) => ({ key: `o${i}`, label: 'L', ...o })),
    }));
    if (!r.ok) assert.fail(r.errors.map((e) => e.message).join('\n'));
    return r.spec;
  };

  it('streams when any output is marked streaming or is stream_text, log or progress', () => {
    assert.equal(isStreamingTool(outputs([{ type: 'text' }, { type: 'number' }])), false);
    assert.equal(isStreamingTool(outputs([{ type: 'text', streaming: true }])), true);
    assert.equal(isStreamingTool(outputs([{ type: 'stream_text' }])), true);
    assert.equal(isStreamingTool(outputs([{ type: 'log' }])), true);
    assert.equal(isStreamingTool(outputs([{ type: 'progress' }])), true);
    assert.equal(isStreamingTool(outputs([])), false);
  });

  it('sends media and files to artefacts, everything else inline', () => {
    const files = OUTPUT_TYPES.filter((t) => outputCategory(t) === 'file');
    assert.deepEqual(files.sort(), ['audio', 'file', 'image', 'image_compare', 'image_grid', 'video']);
    assert.equal(outputCategory('table'), 'inline');
  });
});
