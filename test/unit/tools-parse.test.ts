import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { INPUT_TYPES, OUTPUT_TYPES, type ToolJsonError, type ToolSpec } from '../../src/core/tools/model';
import { errorAtPath, parseToolJson, splitJsonPath } from '../../src/core/tools/parse';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'toolsjson');
const readFixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function parseOk(text: string): ToolSpec {
  const r = parseToolJson(text);
  if (!r.ok) assert.fail(`expected a clean parse, got:\n${r.errors.map((e) => e.message).join('\n')}`);
  return r.spec;
}

function parseErrors(text: string): ToolJsonError[] {
  const r = parseToolJson(text);
  assert.equal(r.ok, false, 'expected errors');
  return r.ok ? [] : r.errors;
}

function only(errors: ToolJsonError[]): ToolJsonError {
  assert.equal(errors.length, 1, `expected one error, got: ${errors.map((e) => e.message).join(' | ')}`);
  return errors[0];
}

/** Wraps input/output lines in a valid tool.json so line numbers are easy to count. */
function tool(inputLines: string[], outputLines: string[] = ['{"key": "o", "type": "text", "label": "O"}']): string {
  return ['{', '  "id": "t",', '  "name": "T",', '  "inputs": [', ...inputLines, '  ],', '  "outputs": [', ...outputLines, '  ]', '}'].join('\n');
}

describe('model constants', () => {
  it('has exactly 28 input types and 39 output types, no duplicates', () => {
    assert.equal(INPUT_TYPES.length, 28);
    assert.equal(new Set(INPUT_TYPES).size, 28);
    assert.equal(OUTPUT_TYPES.length, 39);
    assert.equal(new Set(OUTPUT_TYPES).size, 39);
  });
});

describe('parseToolJson: valid files', () => {
  it('applies every top-level default to a minimal schema', () => {
    const spec = parseOk(readFixture('minimal.json'));
    assert.deepEqual(spec, {
      id: 'minimal', name: 'Minimal', description: null, version: null, category: null, icon: null,
      layout: 'form', warm_keep_seconds: 300, max_memory_mb: 512, max_runtime_seconds: 60, secrets: [],
      inputs: [], outputs: [], schema_version: '1.0', concurrent: true, validator_timeout_override: null,
      requires_data_persistence: false, input_transport: 'json', provides_file_endpoint: false,
      provides_autocomplete: false, retain_runs: 100, tags: [], archived: false, pinned_warm: false,
      entrypoint: 'main.py', package: null, workspace_default: null,
    });
  });

  it('parses the compound-interest example cleanly and keeps the raw document', () => {
    const text = readFixture('compound-interest.json');
    const r = parseToolJson(text);
    assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('\n'));
    assert.equal(r.spec.id, 'compound-interest');
    assert.equal(r.spec.max_runtime_seconds, 30);
    assert.equal(r.spec.inputs.length, 6);
    assert.deepEqual(r.raw, JSON.parse(text));
    const compounding = r.spec.inputs[3];
    assert.equal(compounding.type, 'select');
    if (compounding.type === 'select') assert.deepEqual(compounding.options.map((o) => o.value), [1, 4, 12, 365]);
    const table = r.spec.outputs[4];
    assert.equal(table.type, 'table');
    if (table.type === 'table') {
      assert.equal(table.downloadable, true);
      assert.equal(table.columns?.length, 5);
    }
  });

  it('parses every one of the 28 input types with its own fields and defaults', () => {
    const spec = parseOk(readFixture('all-inputs.json'));
    const types = new Set(spec.inputs.map((i) => i.type));
    for (const t of INPUT_TYPES) assert.ok(types.has(t), `fixture lacks input type ${t}`);
    const byKey = new Map(spec.inputs.map((i) => [i.key, i]));
    const text = byKey.get('text');
    assert.ok(text?.type === 'text');
    assert.equal(text.max_length, 10);
    assert.equal(text.required, true);
    assert.equal(text.default, null);
    assert.equal(text.group, 'Words');
    const slider = byKey.get('range');
    assert.ok(slider?.type === 'slider');
    assert.deepEqual([slider.min, slider.max, slider.step, slider.range], [0, 10, null, true]);
    const file = byKey.get('file');
    assert.ok(file?.type === 'file');
    assert.deepEqual(file.accept, ['.csv', 'text/csv']);
    const tags = byKey.get('tags');
    assert.ok(tags?.type === 'tags');
    assert.deepEqual(tags.suggestions, ['red', 'green']);
    const json = byKey.get('json');
    assert.ok(json?.type === 'json');
    assert.deepEqual(json.schema, { type: 'object' });
    const multi = byKey.get('multiselect');
    assert.ok(multi?.type === 'multiselect');
    assert.deepEqual(multi.options.map((o) => o.value), [1, 2.5, true]);
    const point = byKey.get('map_multipoint');
    assert.ok(point?.type === 'map_multipoint');
    assert.deepEqual([point.default_center, point.default_zoom], [null, 3]);
    const hidden = byKey.get('hidden');
    assert.deepEqual(hidden?.show_if, { key: 'toggle', equals: true });
    assert.equal(hidden?.required, false);
    const textarea = byKey.get('textarea');
    assert.ok(textarea?.type === 'textarea');
    assert.equal(textarea.monospace, true);
    const select = byKey.get('select');
    assert.ok(select?.type === 'select');
    assert.equal(select.searchable, true);
  });

  it('parses every one of the 39 output types with its own fields and defaults', () => {
    const spec = parseOk(readFixture('all-outputs.json'));
    assert.deepEqual(spec.outputs.map((o) => o.type), [...OUTPUT_TYPES]);
    const byKey = new Map(spec.outputs.map((o) => [o.key, o]));
    const num = byKey.get('number');
    assert.ok(num?.type === 'number');
    assert.deepEqual([num.format, num.precision, num.layout, num.streaming], ['percent', 1, 'panel', false]);
    const line = byKey.get('chart_line');
    assert.ok(line?.type === 'chart_line');
    assert.deepEqual([line.x_label, line.y_label, line.log_x, line.log_y], ['x', 'y', false, true]);
    const area = byKey.get('chart_area');
    assert.ok(area?.type === 'chart_area');
    assert.deepEqual([area.x_label, area.y_label, area.log_y], ['t', null, false]);
    const bool = byKey.get('boolean');
    assert.ok(bool?.type === 'boolean');
    assert.equal(bool.true_label, 'Yes');
    const image = byKey.get('image');
    assert.deepEqual(image?.supported_export_formats, ['png', 'webp']);
    assert.equal(byKey.get('kv')?.supported_export_formats, null);
    assert.equal(byKey.get('stream_text')?.streaming, true);
    assert.equal(byKey.get('text')?.layout, 'tab');
    const code = byKey.get('code');
    assert.ok(code?.type === 'code');
    assert.equal(code.language, 'sql');
  });

  it('gives a number output the default format "decimal" and a table output no columns', () => {
    const spec = parseOk(tool([], ['{"key": "n", "type": "number", "label": "N"},', '{"key": "t", "type": "table", "label": "T"}']));
    const [n, t] = spec.outputs;
    assert.ok(n.type === 'number' && t.type === 'table');
    assert.equal(n.format, 'decimal');
    assert.deepEqual([t.columns, t.downloadable], [null, false]);
  });

  it('accepts explicit nulls for nullable fields and secrets with defaults', () => {
    const spec = parseOk(JSON.stringify({
      id: 'x', name: 'X', description: null, icon: null, inputs: [], outputs: [],
      secrets: [{ key: 'API_KEY' }, { key: 'OTHER', description: 'd', required: true }],
    }));
    assert.deepEqual(spec.secrets, [
      { key: 'API_KEY', description: null, required: false },
      { key: 'OTHER', description: 'd', required: true },
    ]);
  });
});

describe('parseToolJson: JSON syntax errors with positions', () => {
  it('reports a trailing comma at the comma', () => {
    const e = only(parseErrors('{\n  "id": "x",\n  "name": "y",\n}'));
    assert.match(e.message, /trailing comma/);
    assert.deepEqual([e.line, e.column, e.endLine, e.endColumn], [3, 14, 3, 15]);
    assert.equal(e.path, '');
  });

  it('rejects comments', () => {
    const e = only(parseErrors('{\n  // the id\n  "id": "x"\n}'));
    assert.match(e.message, /comments are not allowed/);
    assert.deepEqual([e.line, e.column], [2, 3]);
  });

  it('reports a missing comma between properties', () => {
    const e = only(parseErrors('{\n  "id": "x"\n  "name": "y"\n}'));
    assert.match(e.message, /expected ','/);
    assert.deepEqual([e.line, e.column], [3, 3]);
  });

  it('reports single quotes, an empty file and a byte-order mark', () => {
    assert.match(only(parseErrors("{'id': 1}")).message, /invalid symbol/);
    const empty = only(parseErrors(''));
    assert.match(empty.message, /end of file/);
    assert.deepEqual([empty.line, empty.column], [1, 1]);
    assert.match(only(parseErrors('\ufeff{}')).message, /byte-order mark/);
  });

  it('reports every comment and trailing comma, since the parser keeps in step after them', () => {
    const errors = parseErrors('{\n  // one\n  "id": "x", /* two */\n  "tags": ["a",],\n}');
    assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [
      [2, 3, 'invalid JSON: comments are not allowed in JSON'],
      [3, 14, 'invalid JSON: comments are not allowed in JSON'],
      [4, 15, 'invalid JSON: trailing comma is not allowed in JSON'],
      [4, 17, 'invalid JSON: trailing comma is not allowed in JSON'],
    ]);
  });

  it('stops after the first error that desynchronises the parser', () => {
    const e = only(parseErrors('{\n  "id": NaN,\n  "name": tru\n}'));
    assert.match(e.message, /invalid symbol/);
    assert.deepEqual([e.line, e.column, e.endColumn], [2, 9, 12]);
  });

  it('reports an unterminated string on the right line', () => {
    const e = only(parseErrors('{\n  "id": "x,\n  "name": "y"\n}'));
    assert.equal(e.line, 2);
  });

  it('rejects a document that is not an object', () => {
    const e = only(parseErrors('[1, 2]'));
    assert.match(e.message, /must be a JSON object, got a list/);
  });

  it('counts CRLF line endings as one line break', () => {
    const e = only(parseErrors('{\r\n  "id": "x",\r\n}'));
    assert.deepEqual([e.line, e.column], [2, 12]);
  });
});

describe('parseToolJson: schema errors with paths and positions', () => {
  it('reports an unknown key with a suggestion, at the key', () => {
    const text = tool([
      '    {"key": "a", "type": "text", "label": "A"},',
      '    {"key": "b", "type": "text", "label": "B", "lable": "x"}',
    ]);
    const e = only(parseErrors(text));
    assert.equal(e.message, 'inputs[1]: unknown key "lable" for a text input (did you mean "label"?)');
    assert.equal(e.path, 'inputs[1].lable');
    assert.deepEqual([e.line, e.column, e.endLine, e.endColumn], [6, 48, 6, 55]);
  });

  it('reports an unknown top-level key and lists the allowed ones when nothing is close', () => {
    const e = only(parseErrors('{\n  "id": "x", "name": "y", "inputs": [], "outputs": [],\n  "citations": []\n}'));
    assert.equal(e.path, 'citations');
    assert.match(e.message, /^unknown key "citations" \(allowed: id, name, /);
    assert.deepEqual([e.line, e.column], [3, 3]);
  });

  it('rejects "label" on a secret', () => {
    const e = only(parseErrors('{"id": "x", "name": "y", "inputs": [], "outputs": [], "secrets": [{"key": "K", "label": "L"}]}'));
    assert.equal(e.path, 'secrets[0].label');
    assert.match(e.message, /unknown key "label"/);
  });

  it('reports a wrong type at the value', () => {
    const text = tool(['    {"key": "n", "type": "number", "label": "N",', '     "min": "0"}']);
    const e = only(parseErrors(text));
    assert.equal(e.message, 'inputs[0].min: expected a number, got a string "0"');
    assert.equal(e.path, 'inputs[0].min');
    assert.deepEqual([e.line, e.column, e.endLine, e.endColumn], [6, 13, 6, 16]);
  });

  it('reports missing type-specific fields at the object', () => {
    const text = tool([
      '    {"key": "s", "type": "select", "label": "S"},',
      '    {"key": "m", "type": "multiselect", "label": "M"},',
      '    {"key": "r", "type": "radio", "label": "R"},',
      '    {"key": "sl", "type": "slider", "label": "SL"},',
      '    {"key": "ac", "type": "autocomplete", "label": "AC"},',
      '    {"key": "tb", "type": "table", "label": "TB"}',
    ]);
    const errors = parseErrors(text);
    assert.deepEqual(errors.map((e) => e.path), [
      'inputs[0].options', 'inputs[1].options', 'inputs[2].options', 'inputs[3].min', 'inputs[3].max',
      'inputs[4].endpoint', 'inputs[5].columns',
    ]);
    assert.equal(errors[0].message, 'inputs[0]: missing required field "options" for a select input');
    assert.deepEqual(errors.map((e) => [e.line, e.column]), [[5, 5], [6, 5], [7, 5], [8, 5], [8, 5], [9, 5], [10, 5]]);
  });

  it('reports missing top-level required fields', () => {
    const errors = parseErrors('{\n  "name": "y"\n}');
    assert.deepEqual(errors.map((e) => e.path), ['id', 'inputs', 'outputs']);
    assert.equal(errors[0].message, 'missing required field "id"');
    assert.deepEqual([errors[0].line, errors[0].column], [1, 1]);
  });

  it('reports unknown input and output types with suggestions', () => {
    const text = tool(['    {"key": "a", "type": "sliderr", "label": "A"}'], ['    {"key": "o", "type": "chart_pi", "label": "O"}']);
    const errors = parseErrors(text);
    assert.equal(errors.length, 2);
    assert.equal(errors[0].message, 'inputs[0].type: unknown input type "sliderr" (did you mean "slider"?)');
    assert.deepEqual([errors[0].line, errors[0].column, errors[0].endColumn], [5, 26, 35]);
    assert.equal(errors[1].message, 'outputs[0].type: unknown output type "chart_pi" (did you mean "chart_pie"?)');
    assert.equal(errors[1].line, 8);
  });

  it('reports a missing type with the list of types', () => {
    const e = only(parseErrors(tool(['    {"key": "a", "label": "A"}'])));
    assert.equal(e.path, 'inputs[0].type');
    assert.match(e.message, /missing required field "type" \(one of: text, textarea, /);
  });

  it('reports bad enum values', () => {
    const errors = parseErrors(JSON.stringify({
      id: 'x', name: 'y', layout: 'grid', input_transport: 'xml', inputs: [],
      outputs: [{ key: 'o', type: 'number', label: 'O', format: 'money', layout: 'tabs' }],
    }));
    assert.deepEqual(errors.map((e) => e.path), ['layout', 'input_transport', 'outputs[0].format', 'outputs[0].layout']);
    assert.equal(errors[0].message, 'layout: "grid" is not one of form, chat, split');
    assert.match(errors[3].message, /did you mean "tab"/);
  });

  it('checks nested option, column and show_if shapes', () => {
    const errors = parseErrors(JSON.stringify({
      id: 'x', name: 'y', outputs: [],
      inputs: [
        { key: 's', type: 'select', label: 'S', options: [{ value: 1 }, { value: [1], label: 'L' }] },
        { key: 't', type: 'table', label: 'T', columns: [{ key: 'a', label: 'A' }] },
        { key: 'h', type: 'hidden', label: 'H', show_if: { key: 's' } },
        { key: 'm', type: 'map_point', label: 'M', default_center: [1, 2, 3] },
      ],
    }));
    assert.deepEqual(errors.map((e) => e.path), [
      'inputs[0].options[0].label', 'inputs[0].options[1].value', 'inputs[1].columns[0].type',
      'inputs[2].show_if.equals', 'inputs[3].default_center',
    ]);
    assert.match(errors[1].message, /expected a string, number or boolean, got a list/);
    assert.match(errors[4].message, /expected a list of 2 items, got 3/);
  });

  it('rejects non-integers for integer fields and out-of-range values', () => {
    const errors = parseErrors(JSON.stringify({
      id: 'x', name: 'y', inputs: [], outputs: [], max_memory_mb: 1.5, warm_keep_seconds: -1, retain_runs: true,
    }));
    assert.deepEqual(errors.map((e) => e.message), [
      'max_memory_mb: expected a whole number, got the number 1.5',
      'warm_keep_seconds: must be at least 0, got -1',
      'retain_runs: expected a whole number, got true',
    ]);
  });

  it('rejects null where a field is not nullable, and duplicate keys', () => {
    const errors = parseErrors('{"id": "x", "name": null, "inputs": [], "outputs": [], "id": "y"}');
    assert.deepEqual(errors.map((e) => e.path), ['name', 'id']);
    assert.equal(errors[0].message, 'name: expected a string, got null');
    assert.equal(errors[1].message, 'duplicate key "id"');
  });

  it('collects several errors across the file instead of stopping at the first', () => {
    const text = tool(
      [
        '    {"key": "a", "type": "text", "label": "A", "lable": "x"},',
        '    {"key": "b", "type": "number", "label": "B", "min": "1"},',
        '    {"key": "c", "type": "select", "label": "C"}',
      ],
      ['    {"key": "o", "type": "nope", "label": "O"}'],
    );
    const errors = parseErrors(text);
    assert.deepEqual(errors.map((e) => e.line), [5, 6, 7, 10]);
    assert.equal(errors.length, 4);
  });

  it('keeps a "__proto__" key as data instead of changing the prototype', () => {
    const spec = parseOk('{"id": "x", "name": "y", "outputs": [], "inputs": [{"key": "j", "type": "json", "label": "J", "default": {"__proto__": {"a": 1}}}]}');
    const def = spec.inputs[0].default;
    assert.ok(def !== null && typeof def === 'object' && !Array.isArray(def));
    assert.ok(Object.hasOwn(def, '__proto__'));
    assert.equal(Object.getPrototypeOf(def), Object.prototype);
    const top = parseToolJson('{"id": "x", "name": "y", "inputs": [], "outputs": [], "__proto__": {}}');
    assert.ok(!top.ok);
    assert.equal(top.errors[0].path, '__proto__');
  });

  it('names the file on every error when given one', () => {
    const r = parseToolJson('{}', '/tmp/tool.json');
    assert.ok(!r.ok);
    assert.ok(r.errors.every((e) => e.file === '/tmp/tool.json'));
    assert.ok(r.raw !== undefined);
  });
});

describe('errorAtPath', () => {
  const text = '{\n  "id": "x",\n  "inputs": [\n    {"key": "a"},\n    {"key": "b", "show_if": {"key": "zz"}}\n  ]\n}';

  it('splits paths into segments', () => {
    assert.deepEqual(splitJsonPath('inputs[2].show_if.key'), ['inputs', 2, 'show_if', 'key']);
    assert.deepEqual(splitJsonPath('overrides["a.b"].rtol'), ['overrides', 'a.b', 'rtol']);
    assert.deepEqual(splitJsonPath(''), []);
  });

  it('locates a node by its path', () => {
    const e = errorAtPath(text, 'inputs[1].show_if.key', 'bad');
    assert.equal(e.message, 'inputs[1].show_if.key: bad');
    assert.deepEqual([e.line, e.column, e.endColumn], [5, 37, 41]);
  });

  it('falls back to the nearest ancestor when the node is absent', () => {
    const e = errorAtPath(text, 'inputs[0].label', 'missing');
    assert.deepEqual([e.line, e.column], [4, 5]);
  });
});
