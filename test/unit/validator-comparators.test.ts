import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { BUILTIN_DEFAULTS, compareOutput, mergedTolerance } from '../../src/core/validator/comparators';
import { decodePng } from '../../src/core/validator/comparators/png';
import { parseCsv } from '../../src/core/validator/comparators/file';
import { fiveNumbers } from '../../src/core/validator/comparators/chart';
import { isClose } from '../../src/core/validator/comparators/values';
import { OUTPUT_TYPES, type OutputType } from '../../src/core/tools/model';

function cmp(type: OutputType, expected: unknown, actual: unknown, tol: Record<string, unknown> = {}) {
  return compareOutput(expected, actual, type, mergedTolerance('k', type, undefined, { k: tol as never }));
}

function metric(o: ReturnType<typeof cmp>): string {
  assert.equal(o.ok, false, 'expected a mismatch');
  return o.ok ? '' : o.metric;
}

// A minimal PNG writer (RGB or RGBA, filter 0) for the decoder tests.
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(width: number, height: number, pixel: (x: number, y: number) => number[], alpha = false): string {
  const channels = alpha ? 4 : 3;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * channels);
    row[0] = y % 2; // alternate filters None/Sub to exercise unfiltering
    const raw = Array.from({ length: width }, (_, x) => pixel(x, y)).flat();
    for (let i = 0; i < raw.length; i++) row[1 + i] = y % 2 === 1 && i >= channels ? (raw[i] - raw[i - channels]) & 0xff : raw[i];
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, alpha ? 6 : 2, 0, 0, 0], 8);
  const file = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
  return `data:image/png;base64,${file.toString('base64')}`;
}

describe('tolerances', () => {
  it('has a built-in default for every output type', () => {
    for (const type of OUTPUT_TYPES) assert.ok(BUILTIN_DEFAULTS[type], type);
  });

  it('merges fixture > overrides > yaml defaults > built-in, shallowly', () => {
    const config = { defaults: { number: { rtol: 0.5, atol: 2 } }, overrides: { price: { rtol: 0.1 } } };
    const merged = mergedTolerance('price', 'number', config, { price: { atol: 0.01 } });
    assert.deepEqual(merged, { compare: 'numeric_isclose', rtol: 0.1, atol: 0.01 });
    assert.deepEqual(mergedTolerance('other', 'number', config, undefined), { compare: 'numeric_isclose', rtol: 0.5, atol: 2 });
  });

  it('turns a malformed setting or an unknown mode into a failed comparison naming it', () => {
    assert.match(metric(cmp('number', 1, 1, { rtol: 'big' })), /tolerance "rtol" must be a non-negative number/);
    assert.match(metric(cmp('number', 1, 1, { rtol: -1 })), /non-negative/);
    assert.match(metric(cmp('table', { rows: [] }, { rows: [] }, { compare: 'fuzzy' })), /"fuzzy" is not a comparison for table outputs/);
  });

  it('skips any output whose tolerance says compare: skip, and progress always', () => {
    assert.equal(cmp('number', 1, 999, { compare: 'skip' }).ok, true);
    assert.equal(cmp('progress', 0.1, 0.9).ok, true);
    assert.equal(cmp('video', 'data:video/mp4;base64,AA==', 'data:video/mp4;base64,AB==').ok, true);
  });
});

describe('numbers', () => {
  it('uses math.isclose semantics', () => {
    assert.ok(isClose(100, 100.00001, 1e-6, 0));
    assert.ok(!isClose(100, 100.001, 1e-6, 0));
    assert.ok(isClose(0, 1e-10, 0, 1e-9));
    assert.ok(isClose(Number.NaN, Number.NaN, 0, 0));
    assert.ok(!isClose(Number.POSITIVE_INFINITY, 1e308, 1, 1));
  });

  it('passes within rtol/atol and fails outside with the achieved differences', () => {
    assert.equal(cmp('number', 2.4151, 2.42, { rtol: 0.01 }).ok, true);
    assert.equal(cmp('number', 2.4151, { value: 2.4151, format: 'currency' }).ok, true);
    const m = metric(cmp('number', 2.3, 2.42, { rtol: 0.01 }));
    assert.match(m, /2\.42 vs expected 2\.3/);
    assert.match(m, /exceeds rtol 0\.01/);
  });

  it('refuses booleans and strings', () => {
    assert.match(metric(cmp('number', 1, true)), /expected a number, got a boolean/);
    assert.match(metric(cmp('number', 1, '1')), /got a string/);
  });
});

describe('text and booleans', () => {
  it('compares exactly and shows where texts differ', () => {
    assert.equal(cmp('text', 'hello', { value: 'hello' }).ok, true);
    assert.match(metric(cmp('text', 'hello world', 'hello wordl')), /character 10/);
    assert.match(metric(cmp('text', 'a', 42)), /expected text, got a number/);
  });

  it('normalises whitespace for markdown and latex, and json_normalized parses', () => {
    assert.equal(cmp('markdown', '# T\n\nbody  text', '# T body text').ok, true);
    assert.equal(cmp('markdown', '# T', '# U').ok, false);
    assert.equal(cmp('text', '{"a": 1, "b": [1,2]}', '{"b":[1,2],"a":1}', { compare: 'json_normalized' }).ok, true);
    assert.equal(cmp('code', 'x = 1', { value: 'x = 1', language: 'python' }).ok, true);
  });

  it('accepts 0/1 for booleans', () => {
    assert.equal(cmp('boolean', true, 1).ok, true);
    assert.match(metric(cmp('boolean', true, false)), /false vs expected true/);
    assert.match(metric(cmp('boolean', true, 'yes')), /expected true or false/);
  });
});

describe('kv and tree', () => {
  it('compares pairs per key in any of their shapes', () => {
    assert.equal(cmp('kv', { pairs: { a: 1, b: 'x' } }, { pairs: [{ key: 'a', value: 1.0000000001 }, { key: 'b', value: 'x' }] }).ok, true);
    assert.equal(cmp('kv', { a: 1 }, { pairs: { a: 1 } }).ok, true);
    assert.match(metric(cmp('kv', { pairs: { a: 1 } }, { pairs: { b: 1 } })), /key "a" is missing/);
    assert.match(metric(cmp('kv', { pairs: { a: 1 } }, { pairs: { a: 1, z: 2 } })), /unexpected key "z".*allow_extra/);
    assert.equal(cmp('kv', { pairs: { a: 1 } }, { pairs: { a: 1, z: 2 } }, { allow_extra: true }).ok, true);
    assert.match(metric(cmp('kv', { pairs: { a: 1 } }, { pairs: { a: 2 } })), /pairs\.a/);
  });

  it('compares trees structurally with unordered children by default', () => {
    const a = { root: { label: 'r', children: [{ label: 'x', children: [] }, { label: 'y', children: [] }] } };
    const b = { root: { label: 'r', children: [{ label: 'y', children: [] }, { label: 'x', children: [] }] } };
    assert.equal(cmp('tree', a, b).ok, true);
    assert.equal(cmp('tree', a, b, { children_order: 'ordered' }).ok, false);
    assert.equal(cmp('tree', a, { root: { label: 'r', children: [{ label: 'x' }] } }).ok, false);
  });
});

describe('tables', () => {
  const cols = [{ key: 'k', label: 'K', type: 'number' }, { key: 'v', label: 'V', type: 'text' }];
  it('compares rows unordered by default, accepting list rows and plain column names', () => {
    assert.equal(cmp('table', { columns: ['k', 'v'], rows: [[2, 'b'], [1, 'a']] }, { columns: cols, rows: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }] }).ok, true);
    assert.equal(cmp('table', { columns: ['k', 'v'], rows: [[2, 'b'], [1, 'a']] }, { columns: cols, rows: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }] }, { compare: 'rows_ordered' }).ok, false);
  });

  it('reports column, row-count and cell differences', () => {
    assert.match(metric(cmp('table', { columns: ['k', 'x'], rows: [] }, { columns: cols, rows: [] })), /columns differ/);
    assert.match(metric(cmp('table', { rows: [{ k: 1 }] }, { columns: cols, rows: [] })), /0 rows, expected 1/);
    assert.match(metric(cmp('table', { rows: [{ k: 1, v: 'a' }] }, { rows: [{ k: 1.1, v: 'a' }] })), /rows\[0\]\.k/);
    assert.equal(cmp('table', { rows: [{ k: 1, v: 'a' }] }, { rows: [{ k: 1.001, v: 'a' }] }, { float_rtol: 0.01 }).ok, true);
  });
});

describe('charts', () => {
  const line = { x: [1, 2], series: [{ name: 'a', y: [1, 2] }, { name: 'b', y: [3, 4] }] };
  it('matches series by name by default, by index on request', () => {
    const swapped = { x: [1, 2], series: [line.series[1], line.series[0]] };
    assert.equal(cmp('chart_line', line, swapped).ok, true);
    assert.equal(cmp('chart_line', line, swapped, { series_match: 'by_index' }).ok, false);
    assert.match(metric(cmp('chart_line', line, { x: [1, 2], series: [line.series[0], { name: 'c', y: [3, 4] }] })), /series "b" is missing/);
    assert.match(metric(cmp('chart_line', line, { x: [1, 3], series: line.series })), /^x\[1\]/);
    assert.match(metric(cmp('chart_line', line, { x: [1, 2], series: [line.series[0]] })), /1 series, expected 2/);
  });

  it('compares pies by label, histograms as multisets, heatmaps per cell', () => {
    assert.equal(cmp('chart_pie', { slices: [{ label: 'a', value: 1 }, { label: 'b', value: 2 }] }, { slices: [{ label: 'b', value: 2 }, { label: 'a', value: 1 }] }).ok, true);
    assert.match(metric(cmp('chart_pie', { slices: [{ label: 'a', value: 1 }] }, { slices: [{ label: 'c', value: 1 }] })), /slice "a" is missing/);
    assert.equal(cmp('chart_histogram', { values: [3, 1, 2] }, { values: [1, 2, 3], bins: 3 }).ok, true);
    assert.match(metric(cmp('chart_heatmap', { z: [[1, 2], [3, 4]] }, { z: [[1, 2], [3, 5]] })), /z\[1\]\[1\]/);
  });

  it('compares boxplots by their five-number summary', () => {
    assert.deepEqual(fiveNumbers({ values: [5, 1, 3, 2, 4] }), { min: 1, q1: 2, median: 3, q3: 4, max: 5 });
    assert.equal(cmp('chart_boxplot', { series: [{ name: 's', values: [1, 2, 3, 4, 5] }] }, { series: [{ name: 's', values: [5, 4, 3, 2, 1] }] }).ok, true);
    assert.equal(cmp('chart_boxplot', { series: [{ name: 's', values: [1, 2, 3] }] }, { series: [{ name: 's', values: [1, 2, 9] }] }).ok, false);
  });

  it('compares graphs and treemaps as sets', () => {
    const g = { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };
    assert.equal(cmp('chart_network', g, { nodes: [{ id: 'b' }, { id: 'a' }], edges: [{ source: 'a', target: 'b' }] }).ok, true);
    assert.match(metric(cmp('chart_network', g, { nodes: [{ id: 'a' }], edges: [] })), /node sets differ/);
    assert.equal(cmp('chart_sankey', { nodes: [{ id: 'a' }, { id: 'b' }], links: [{ source: 'a', target: 'b', value: 2 }] }, { nodes: [{ id: 'a' }, { id: 'b' }], links: [{ source: 'a', target: 'b', value: 3 }] }).ok, false);
    assert.equal(cmp('chart_treemap', { nodes: [{ id: 'r', value: 3 }, { id: 'c', parent: 'r', value: 1 }] }, { nodes: [{ id: 'c', parent: 'r', value: 1 }, { id: 'r', value: 3 }] }).ok, true);
    assert.equal(cmp('chart_candlestick', { points: [{ t: 1, open: 1, high: 2, low: 0, close: 1 }] }, { points: [{ t: 1, open: 1, high: 2, low: 0, close: 1.5 }] }).ok, false);
  });
});

describe('maps', () => {
  it('rounds coordinates to 4 decimals and compares points as a set', () => {
    const e = { points: [{ lat: 51.50001, lng: -0.12001, label: 'a' }, { lat: 48.8566, lng: 2.3522, label: 'b' }] };
    const a = { points: [{ lat: 48.85661, lng: 2.35219, label: 'b' }, { lat: 51.5, lng: -0.12, label: 'a' }] };
    assert.equal(cmp('map_points', e, a).ok, true);
    assert.equal(cmp('map_points', e, { points: [{ lat: 51.51, lng: -0.12, label: 'a' }, a.points[0]] }).ok, false);
    assert.equal(cmp('map_points', e, a, { round_digits: 6 }).ok, false);
  });

  it('keeps a route in order and compares choropleths by value', () => {
    const r = { points: [{ lat: 1, lng: 1 }, { lat: 2, lng: 2 }] };
    assert.equal(cmp('map_route', r, { points: [{ lat: 2, lng: 2 }, { lat: 1, lng: 1 }] }).ok, false);
    assert.equal(cmp('map_polygons', { polygons: [{ coords: [[1.00001, 2], [3, 4]] }] }, { polygons: [{ coords: [[1, 2], [3, 4]] }] }).ok, true);
    assert.equal(cmp('map_choropleth', { geojson: {}, values: { GB: 1 } }, { geojson: { type: 'x' }, values: { GB: 1 } }).ok, true);
    assert.match(metric(cmp('map_choropleth', { values: { GB: 1 } }, { geojson: {}, values: { GB: 2 } })), /values\.GB/);
  });
});

describe('media and files', () => {
  const gradient = png(16, 16, (x, y) => [x * 16, y * 16, 100]);
  const sameGradientRgba = png(16, 16, (x, y) => [x * 16, y * 16, 100, 255], true);
  const noisy = png(16, 16, (x, y) => [(x * 16 + ((x * 7 + y * 13) % 5)) & 0xff, y * 16, 100]);
  const inverted = png(16, 16, (x, y) => [255 - x * 16, 255 - y * 16, 100]);

  it('decodes PNGs (RGB, RGBA, filtered rows)', () => {
    const img = decodePng(Buffer.from(gradient.split(',')[1], 'base64'));
    assert.ok(img);
    assert.equal(img.width, 16);
    assert.equal(img.height, 16);
    assert.ok(Math.abs(img.gray[0] - 0.114 * 100) < 1e-9);
    assert.equal(decodePng(Buffer.from('not a png')), undefined);
  });

  it('compares images by SSIM: identical and near-identical pass, different fail', () => {
    const same = cmp('image', gradient, sameGradientRgba);
    assert.ok(same.ok && !same.degraded);
    assert.equal(cmp('image', gradient, noisy).ok, true);
    assert.match(metric(cmp('image', gradient, inverted)), /SSIM -?[\d.]+ is below min_ssim 0\.95/);
    assert.match(metric(cmp('image', gradient, png(8, 8, () => [0, 0, 0]))), /size 8×8 px, expected 16×16 px/);
    assert.equal(cmp('image', gradient, noisy, { min_ssim: 0.9999 }).ok, false);
  });

  it('falls back to size + SHA-256 for formats it cannot decode, and says so', () => {
    const jpeg = 'data:image/jpeg;base64,/9j/AAAA';
    const same = cmp('image', jpeg, jpeg);
    assert.ok(same.ok && same.degraded === true);
    const diff = cmp('image', jpeg, 'data:image/jpeg;base64,/9j/AAAB');
    assert.equal(diff.ok, false);
    assert.ok(!diff.ok && diff.degraded === true && /SHA-256/.test(diff.metric));
    const audio = cmp('audio', 'data:audio/wav;base64,UklGRg==', 'data:audio/wav;base64,UklGRg==');
    assert.ok(audio.ok && audio.degraded === true);
    const exact = cmp('image', jpeg, jpeg, { compare: 'size_sha256' });
    assert.ok(exact.ok && !exact.degraded);
  });

  it('compares image grids and pairs item by item', () => {
    assert.equal(cmp('image_grid', { images: [{ value: gradient }] }, { images: [{ value: sameGradientRgba }] }).ok, true);
    assert.match(metric(cmp('image_grid', { images: [{ value: gradient }] }, { images: [] })), /0 images, expected 1/);
    assert.match(metric(cmp('image_compare', { before: gradient, after: gradient }, { before: gradient, after: inverted })), /after/);
  });

  it('dispatches files by MIME type: JSON as data, CSV as rows, text exactly, else bytes', () => {
    const b64 = (mime: string, text: string) => `data:${mime};base64,${Buffer.from(text).toString('base64')}`;
    assert.equal(cmp('file', { filename: 'a.json', data: b64('application/json', '{"a": 1.0}') }, { filename: 'a.json', data: b64('application/json', '{"a":1}') }).ok, true);
    assert.match(metric(cmp('file', { data: b64('application/json', '{"a": 1}') }, { data: b64('application/json', '{"a": 2}') })), /data\.a/);
    assert.equal(cmp('file', { data: b64('text/csv', 'k,v\n1,2.0\n') }, { data: b64('text/csv', 'k,v\r\n1,2\r\n') }).ok, true);
    assert.match(metric(cmp('file', { data: b64('text/csv', 'k,v\n1,2\n') }, { data: b64('text/csv', 'k,w\n1,2\n') })), /CSV header differs/);
    assert.match(metric(cmp('file', { data: b64('text/plain', 'abc') }, { data: b64('text/plain', 'abd') })), /character 3/);
    assert.match(metric(cmp('file', { data: b64('application/pdf', '%PDF-1') }, { data: b64('application/pdf', '%PDF-2') })), /file bytes differ/);
    assert.deepEqual(parseCsv('a,"b,c","d""e"\n1,2,3'), [['a', 'b,c', 'd"e'], ['1', '2', '3']]);
  });
});

describe('timelines and logs', () => {
  it('compares rows in order, ignoring log timestamps', () => {
    assert.equal(cmp('log', { lines: [{ level: 'info', message: 'started' }] }, { lines: [{ level: 'info', message: 'started', t: 1700000000 }] }).ok, true);
    assert.equal(cmp('log', { lines: [{ level: 'info', message: 'a' }, { level: 'info', message: 'b' }] }, { lines: [{ level: 'info', message: 'b' }, { level: 'info', message: 'a' }] }).ok, false);
    assert.equal(cmp('timeline', { events: [{ t: 1, label: 'x' }] }, { events: [{ t: 1, label: 'x' }] }).ok, true);
  });

  it('matches expected strings as regular expressions with allow_regex', () => {
    assert.equal(cmp('log', { lines: [{ level: 'info', message: 'took \\d+ ms' }] }, { lines: [{ level: 'info', message: 'took 12 ms' }] }, { allow_regex: true }).ok, true);
    assert.equal(cmp('log', { lines: [{ level: 'info', message: 'took \\d+ ms' }] }, { lines: [{ level: 'info', message: 'took 12 ms' }] }).ok, false);
    assert.match(metric(cmp('gantt', { tasks: [{ name: '(' }] }, { tasks: [{ name: 'x' }] }, { allow_regex: true })), /not a valid regular expression/);
  });
});
