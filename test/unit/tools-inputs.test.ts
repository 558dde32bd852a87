import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseDataUrl } from '../../src/core/tools/dataUrl';
import { sampleInputs, samplePayload, validateInputs } from '../../src/core/tools/inputs';
import type { JsonValue, ToolSpec } from '../../src/core/tools/model';
import { parseToolJson } from '../../src/core/tools/parse';
import { SAMPLE_PNG_DATA_URL, SAMPLE_WAV_DATA_URL } from '../../src/core/tools/samples';

function spec(inputs: Record<string, unknown>[], extra: Record<string, unknown> = {}): ToolSpec {
  const r = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs, outputs: [], ...extra }));
  if (!r.ok) assert.fail(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}

/** A spec with one input `v` of the given type and fields. */
function one(type: string, fields: Record<string, unknown> = {}): ToolSpec {
  return spec([{ key: 'v', type, label: 'V', ...fields }]);
}

function accepts(s: ToolSpec, value: unknown, expected: JsonValue = value as JsonValue): void {
  const r = validateInputs(s, { v: value });
  if (!r.ok) assert.fail(`${JSON.stringify(value)} rejected: ${JSON.stringify(r.fieldErrors)}`);
  assert.deepEqual(r.inputs.v, expected);
}

function rejects(s: ToolSpec, value: unknown, pattern: RegExp): void {
  const r = validateInputs(s, { v: value });
  assert.equal(r.ok, false, `${JSON.stringify(value)} should be rejected`);
  if (!r.ok) assert.match(r.fieldErrors.v ?? '', pattern);
}

const dataUrl = (mime: string, bytes: number, params = ''): string =>
  `data:${mime}${params};base64,${Buffer.alloc(bytes, 7).toString('base64')}`;

describe('validateInputs: each input type', () => {
  it('text / textarea: strings, max_length counted in characters', () => {
    const s = one('text', { max_length: 3 });
    accepts(s, 'abc');
    accepts(s, '😀😀😀');
    rejects(s, 'abcd', /at most 3 characters/);
    rejects(s, 42, /expected text/);
    accepts(one('textarea'), 'line 1\nline 2');
    rejects(one('textarea', { max_length: 1 }), 'ab', /at most 1/);
  });

  it('markdown / code / autocomplete: strings', () => {
    for (const t of ['markdown', 'code']) {
      accepts(one(t), '# hi');
      rejects(one(t), ['x'], /expected text/);
    }
    accepts(one('autocomplete', { endpoint: '/autocomplete/cities' }), 'London');
    rejects(one('autocomplete', { endpoint: '/e' }), { city: 'x' }, /expected text/);
  });

  it('number: finite and within min/max; numeric strings converted', () => {
    const s = one('number', { min: 0, max: 10 });
    accepts(s, 3.5);
    accepts(s, '7', 7);
    accepts(s, 0);
    rejects(s, 11, /at most 10/);
    rejects(s, -1, /at least 0/);
    rejects(s, 'seven', /expected a number/);
    rejects(s, true, /expected a number/);
    rejects(one('number'), Number.POSITIVE_INFINITY, /expected a number/);
  });

  it('slider: a number in range, or [lo, hi] when range is set', () => {
    const s = one('slider', { min: 0, max: 20 });
    accepts(s, 5);
    rejects(s, 21, /at most 20/);
    const r = one('slider', { min: 0, max: 20, range: true });
    accepts(r, [2, 8]);
    accepts(r, '[1, 3]', [1, 3]);
    rejects(r, [8, 2], /above high end/);
    rejects(r, [0, 30], /at most 20/);
    rejects(r, 5, /range \[low, high\]/);
  });

  it('select / radio: one of the option values, strings matched to typed values', () => {
    const options = [{ value: 1, label: 'One' }, { value: 12, label: 'Twelve' }];
    accepts(one('select', { options }), 12);
    accepts(one('select', { options }), '12', 12);
    rejects(one('select', { options }), 5, /must be one of 1, 12/);
    const radio = one('radio', { options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] });
    accepts(radio, 'b');
    rejects(radio, 'c', /must be one of "a", "b"/);
    const bools = one('select', { options: [{ value: true, label: 'Yes' }, { value: false, label: 'No' }] });
    accepts(bools, 'false', false);
  });

  it('multiselect: every value among the options', () => {
    const s = one('multiselect', { options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] });
    accepts(s, ['x', 'y']);
    accepts(s, []);
    accepts(s, '["y"]', ['y']);
    rejects(s, ['x', 'z'], /"z" is not one of/);
    rejects(s, 'x', /list of choices/);
  });

  it('checkbox / toggle: booleans, form spellings converted; absent means false', () => {
    for (const t of ['checkbox', 'toggle']) {
      const s = one(t);
      accepts(s, true);
      accepts(s, false);
      accepts(s, 'on', true);
      accepts(s, 'no', false);
      accepts(s, 1, true);
      rejects(s, 'maybe', /true or false/);
      const r = validateInputs(s, {});
      assert.ok(r.ok);
      assert.equal(r.inputs.v, false);
    }
  });

  it('date: a real calendar date YYYY-MM-DD within min/max', () => {
    const s = one('date', { min: '2020-01-01', max: '2030-12-31' });
    accepts(s, '2024-02-29');
    rejects(s, '2023-02-29', /YYYY-MM-DD/);
    rejects(s, '2024-2-1', /YYYY-MM-DD/);
    rejects(s, '2019-12-31', /on or after 2020-01-01/);
    rejects(s, '2031-01-01', /on or before 2030-12-31/);
  });

  it('time: HH:MM (seconds optional)', () => {
    const s = one('time');
    accepts(s, '09:30');
    accepts(s, '23:59:59');
    rejects(s, '24:00', /HH:MM/);
    rejects(s, '9:30', /HH:MM/);
  });

  it('datetime: YYYY-MM-DDTHH:MM with optional seconds and zone', () => {
    const s = one('datetime');
    accepts(s, '2026-01-01T12:00');
    accepts(s, '2026-01-01T12:00:00.123Z');
    accepts(s, '2026-01-01T12:00:00+02:00');
    rejects(s, '2026-13-01T12:00', /date and time/);
    rejects(s, '2026-01-01 12:00', /date and time/);
  });

  it('date_range: two ordered dates', () => {
    const s = one('date_range');
    accepts(s, ['2026-01-01', '2026-01-08']);
    accepts(s, '["2026-01-01","2026-01-01"]', ['2026-01-01', '2026-01-01']);
    rejects(s, ['2026-01-08', '2026-01-01'], /is after end/);
    rejects(s, ['2026-01-01'], /two dates/);
  });

  it('file: a base64 data URL within max_size_mb and the accept list', () => {
    const s = one('file', { max_size_mb: 1, accept: '.csv,application/json' });
    accepts(s, dataUrl('text/csv', 10));
    accepts(s, dataUrl('application/json', 1024 * 1024));
    accepts(s, dataUrl('application/vnd.ms-excel', 5, ';name=prices.csv'));
    accepts(s, dataUrl('application/octet-stream', 5));
    rejects(s, dataUrl('text/csv', 1024 * 1024 + 1), /1\.0 MB; the limit is 1 MB/);
    rejects(s, dataUrl('image/png', 10), /image\/png is not accepted/);
    rejects(s, 'hello', /expected a data URL/);
    rejects(s, 'data:text/csv,plain', /base64/);
    rejects(s, 'data:text/csv;base64,@@@@', /invalid base64/);
    rejects(s, 12, /expected a data URL/);
  });

  it('file with multiple: a list of data URLs, each checked; one URL becomes a list', () => {
    const s = one('file', { multiple: true, max_size_mb: 1 });
    const a = dataUrl('text/plain', 3);
    accepts(s, [a, a]);
    accepts(s, a, [a]);
    rejects(s, [a, dataUrl('text/plain', 2 * 1024 * 1024)], /file 2: .*limit is 1 MB/);
  });

  it('image / audio: data URLs of the right kind, with max_size_mb', () => {
    accepts(one('image'), SAMPLE_PNG_DATA_URL);
    rejects(one('image'), dataUrl('audio/wav', 4), /audio\/wav is not accepted/);
    rejects(one('image', { max_size_mb: 0 }), SAMPLE_PNG_DATA_URL, /limit is 0 MB/);
    accepts(one('image', { multiple: true }), [SAMPLE_PNG_DATA_URL]);
    accepts(one('audio', { max_size_mb: 1 }), SAMPLE_WAV_DATA_URL);
    rejects(one('audio', { max_size_mb: 1 }), dataUrl('audio/wav', 3 * 1024 * 1024), /3\.0 MB/);
    rejects(one('audio'), SAMPLE_PNG_DATA_URL, /image\/png is not accepted/);
  });

  it('colour: #rrggbb', () => {
    const s = one('colour');
    accepts(s, '#00ff7F');
    rejects(s, '#0f0', /#rrggbb/);
    rejects(s, 'red', /#rrggbb/);
  });

  it('json: an object or list, strings parsed', () => {
    const s = one('json');
    accepts(s, { a: [1, 2] });
    accepts(s, [1]);
    accepts(s, '{"a": 1}', { a: 1 });
    rejects(s, '{"a": ', /not valid JSON/);
    rejects(s, 5, /object or list/);
    rejects(s, '"text"', /object or list/);
  });

  it('tags: a list of strings', () => {
    const s = one('tags');
    accepts(s, ['a', 'b']);
    accepts(s, []);
    rejects(s, ['a', 1], /list of strings/);
  });

  it('table: rows within min_rows/max_rows, known columns, typed cells', () => {
    const s = one('table', {
      min_rows: 1, max_rows: 2,
      columns: [{ key: 'name', label: 'Name', type: 'text' }, { key: 'qty', label: 'Qty', type: 'number' }, { key: 'ok', label: 'OK', type: 'boolean' }],
    });
    accepts(s, [{ name: 'a', qty: 2 }]);
    accepts(s, [{ name: 'a', qty: '3', ok: 'yes' }, { qty: '' }], [{ name: 'a', qty: 3, ok: true }, { qty: null }]);
    rejects(s, [], /at least 1 rows/);
    rejects(s, [{}, {}, {}], /at most 2 rows/);
    rejects(s, [{ name: 'a', price: 1 }], /row 1: unknown column "price"/);
    rejects(s, [{ qty: 'lots' }], /row 1, Qty: expected a number/);
    rejects(s, ['a'], /row 1: expected an object/);
  });

  it('map_point: [lat, lng] in range', () => {
    const s = one('map_point');
    accepts(s, [51.5, -0.12]);
    accepts(s, '[10, 20]', [10, 20]);
    rejects(s, [91, 0], /latitude 91/);
    rejects(s, [0, 181], /longitude 181/);
    rejects(s, [1], /point \[lat, lng\]/);
  });

  it('map_bbox: [south, west, north, east]', () => {
    const s = one('map_bbox');
    accepts(s, [51, -1, 52, 0]);
    rejects(s, [52, -1, 51, 0], /south edge/);
    rejects(s, [0, 0, 1], /box/);
  });

  it('map_polygon: at least three valid points; map_multipoint: valid points', () => {
    const poly = one('map_polygon');
    accepts(poly, [[0, 0], [0, 1], [1, 0]]);
    rejects(poly, [[0, 0], [0, 1]], /at least 3 points/);
    rejects(poly, [[0, 0], [0, 1], [100, 0]], /point 3: latitude 100/);
    const multi = one('map_multipoint');
    accepts(multi, [[1, 2]]);
    accepts(multi, []);
    rejects(multi, [[1, 2], 'x'], /point 2/);
  });

  it('hidden: any JSON value', () => {
    const s = one('hidden');
    accepts(s, 'token');
    accepts(s, { a: 1 });
    rejects(s, () => 1, /JSON value/);
  });
});

describe('validateInputs: required, defaults, show_if, unknown keys', () => {
  const s = spec([
    { key: 'name', type: 'text', label: 'Name' },
    { key: 'count', type: 'number', label: 'Count', default: 3 },
    { key: 'note', type: 'text', label: 'Note', required: false },
    { key: 'level', type: 'number', label: 'Level', required: false, default: 1 },
    { key: 'mode', type: 'select', label: 'Mode', default: 'simple', options: [{ value: 'simple', label: 'S' }, { value: 'expert', label: 'E' }] },
    { key: 'depth', type: 'number', label: 'Depth', show_if: { key: 'mode', equals: 'expert' } },
  ]);

  it('requires an input with required:true and no default; "" and null count as missing', () => {
    for (const name of [undefined, null, '']) {
      const r = validateInputs(s, name === undefined ? {} : { name });
      assert.ok(!r.ok);
      assert.equal(r.fieldErrors.name, 'required');
    }
  });

  it('fills defaults, drops optional inputs without one, and sends exactly the result', () => {
    const r = validateInputs(s, { name: 'x', note: '' });
    assert.ok(r.ok);
    assert.deepEqual(r.inputs, { name: 'x', count: 3, level: 1, mode: 'simple' });
  });

  it('lets a submitted value override the default', () => {
    const r = validateInputs(s, { name: 'x', count: 9, note: 'n' });
    assert.ok(r.ok);
    assert.deepEqual(r.inputs, { name: 'x', count: 9, note: 'n', level: 1, mode: 'simple' });
  });

  it('requires an input shown by show_if only while it is shown', () => {
    const hidden = validateInputs(s, { name: 'x', mode: 'simple' });
    assert.ok(hidden.ok);
    assert.equal('depth' in hidden.inputs, false);
    const shown = validateInputs(s, { name: 'x', mode: 'expert' });
    assert.ok(!shown.ok);
    assert.deepEqual(shown.fieldErrors, { depth: 'required' });
    const filled = validateInputs(s, { name: 'x', mode: 'expert', depth: '4' });
    assert.ok(filled.ok);
    assert.equal(filled.inputs.depth, 4);
  });

  it('reports every bad field at once, and unknown keys with a suggestion', () => {
    const r = validateInputs(s, { count: 'many', mode: 'wild', nmae: 'x' });
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.fieldErrors).sort(), ['count', 'mode', 'name', 'nmae']);
    assert.equal(r.fieldErrors.nmae, 'not an input of this tool (did you mean "name"?)');
  });

  it('says so when a default in tool.json is itself invalid', () => {
    const bad = spec([{ key: 'v', type: 'number', label: 'V', default: 50, max: 10 }]);
    const r = validateInputs(bad, {});
    assert.ok(!r.ok);
    assert.match(r.fieldErrors.v, /default in tool.json is invalid: must be at most 10/);
  });

  it('validates the chat envelope for chat-layout tools', () => {
    const chat = spec([], { layout: 'chat' });
    const ok = validateInputs(chat, { messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(ok.ok);
    assert.deepEqual(ok.inputs, { messages: [{ role: 'user', content: 'hi' }], history: [] });
    const bad = validateInputs(chat, { messages: 'hi' });
    assert.ok(!bad.ok);
    assert.match(bad.fieldErrors.messages, /role, content/);
    const missing = validateInputs(chat, {});
    assert.ok(!missing.ok);
    assert.equal(missing.fieldErrors.messages, 'required');
  });

  it('accepts the compound-interest example with no values at all', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'toolsjson', 'compound-interest.json'), 'utf8');
    const r = parseToolJson(text);
    assert.ok(r.ok);
    const v = validateInputs(r.spec, {});
    assert.ok(v.ok);
    assert.deepEqual(v.inputs, {
      principal: 10000, annual_rate: 5, years: 10, compounding: 12, monthly_contribution: 250, inflation_adjusted: false,
    });
  });
});

describe('sampleInputs', () => {
  it('prefers defaults, else per-type sample values', () => {
    const s = spec([
      { key: 'with_default', type: 'text', label: 'A', default: 'hello' },
      { key: 'text', type: 'text', label: 'T' },
      { key: 'textarea', type: 'textarea', label: 'T' },
      { key: 'n_both', type: 'number', label: 'N', min: 2, max: 4 },
      { key: 'n_min', type: 'number', label: 'N', min: 7 },
      { key: 'n_none', type: 'number', label: 'N' },
      { key: 'slider', type: 'slider', label: 'S', min: 0, max: 10 },
      { key: 'range', type: 'slider', label: 'S', min: 0, max: 10, range: true },
      { key: 'select', type: 'select', label: 'S', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
      { key: 'radio', type: 'radio', label: 'R', options: [{ value: 3, label: 'Three' }] },
      { key: 'multiselect', type: 'multiselect', label: 'M', options: [{ value: 'a', label: 'A' }] },
      { key: 'checkbox', type: 'checkbox', label: 'C' },
      { key: 'toggle', type: 'toggle', label: 'T' },
      { key: 'date', type: 'date', label: 'D' },
      { key: 'late_date', type: 'date', label: 'D', min: '2027-05-01' },
      { key: 'time', type: 'time', label: 'T' },
      { key: 'datetime', type: 'datetime', label: 'D' },
      { key: 'date_range', type: 'date_range', label: 'D' },
      { key: 'file', type: 'file', label: 'F' },
      { key: 'image', type: 'image', label: 'I' },
      { key: 'audio', type: 'audio', label: 'A' },
      { key: 'colour', type: 'colour', label: 'C' },
      { key: 'json', type: 'json', label: 'J' },
      { key: 'code', type: 'code', label: 'C' },
      { key: 'markdown', type: 'markdown', label: 'M' },
      { key: 'tags', type: 'tags', label: 'T' },
      { key: 'autocomplete', type: 'autocomplete', label: 'A', endpoint: '/a' },
      { key: 'table', type: 'table', label: 'T', columns: [] },
      { key: 'map_point', type: 'map_point', label: 'M', default_center: [10, 20] },
      { key: 'map_bbox', type: 'map_bbox', label: 'M' },
      { key: 'map_polygon', type: 'map_polygon', label: 'M' },
      { key: 'map_multipoint', type: 'map_multipoint', label: 'M', default_center: [1, 2] },
      { key: 'hidden', type: 'hidden', label: 'H' },
    ]);
    const sample = sampleInputs(s);
    assert.deepEqual(sample, {
      with_default: 'hello', text: '', textarea: '', n_both: 3, n_min: 7, n_none: 0, slider: 5, range: [0, 5],
      select: 'a', radio: 3, multiselect: [], checkbox: false, toggle: false, date: '2026-01-01', late_date: '2027-05-01',
      time: '12:00', datetime: '2026-01-01T12:00:00', date_range: ['2026-01-01', '2026-01-08'],
      file: SAMPLE_PNG_DATA_URL, image: SAMPLE_PNG_DATA_URL, audio: SAMPLE_WAV_DATA_URL, colour: '#000000', json: {},
      code: '', markdown: '', tags: [], autocomplete: '', table: [], map_point: [10, 20],
      map_bbox: [-0.01, -0.01, 0.01, 0.01], map_polygon: [[-0.01, -0.01], [-0.01, 0.01], [0.01, 0]],
      map_multipoint: [[1, 2]], hidden: null,
    });
  });

  it('makes samples that pass validation for the types with real constraints', () => {
    const s = spec([
      { key: 'audio', type: 'audio', label: 'A' },
      { key: 'poly', type: 'map_polygon', label: 'P' },
      { key: 'date', type: 'date', label: 'D', max: '2025-01-01' },
      { key: 'colour', type: 'colour', label: 'C' },
    ]);
    const r = validateInputs(s, sampleInputs(s));
    assert.ok(r.ok, JSON.stringify(r));
  });

  it('uses a real silent WAV and the 1×1 PNG', () => {
    const wav = parseDataUrl(SAMPLE_WAV_DATA_URL);
    assert.ok(!('error' in wav));
    assert.equal(wav.mime, 'audio/wav');
    const bytes = Buffer.from(SAMPLE_WAV_DATA_URL.split(',')[1], 'base64');
    assert.equal(bytes.subarray(0, 4).toString('ascii'), 'RIFF');
    assert.equal(bytes.subarray(8, 12).toString('ascii'), 'WAVE');
    assert.equal(wav.size, bytes.length);
    const png = Buffer.from(SAMPLE_PNG_DATA_URL.split(',')[1], 'base64');
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  });

  it('gives chat tools the fixed probe, ignoring declared inputs', () => {
    const chat = spec([{ key: 'topic', type: 'text', label: 'T' }], { layout: 'chat' });
    assert.deepEqual(sampleInputs(chat), {
      messages: [{ role: 'user', content: 'Validation probe message' }],
      history: [],
    });
  });

  it('builds the sample payload with run_id, inputs and top-level copies that do not clash', () => {
    const s = spec([
      { key: 'a', type: 'number', label: 'A', default: 1 },
      { key: 'run_id', type: 'text', label: 'R', default: 'mine' },
    ]);
    assert.deepEqual(samplePayload(s, 'r-1'), { run_id: 'r-1', inputs: { a: 1, run_id: 'mine' }, a: 1 });
  });
});
