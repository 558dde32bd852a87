import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkCoherence, checkCoherenceDetailed } from '../../src/core/tools/coherence';
import type { ToolSpec } from '../../src/core/tools/model';
import { errorAtPath, parseToolJson } from '../../src/core/tools/parse';

function spec(doc: Record<string, unknown>): ToolSpec {
  const r = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs: [], ...doc }));
  if (!r.ok) assert.fail(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}

describe('checkCoherence', () => {
  it('finds nothing wrong with the example tools', () => {
    for (const name of ['compound-interest.json', 'all-inputs.json', 'all-outputs.json']) {
      const r = parseToolJson(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'toolsjson', name), 'utf8'));
      assert.ok(r.ok);
      assert.deepEqual(checkCoherence(r.spec), [], name);
    }
  });

  it('reports duplicate input and output keys', () => {
    const problems = checkCoherence(spec({
      inputs: [
        { key: 'a', type: 'text', label: 'A' },
        { key: 'a', type: 'number', label: 'A again' },
      ],
      outputs: [
        { key: 'o', type: 'text', label: 'O' },
        { key: 'p', type: 'text', label: 'P' },
        { key: 'o', type: 'number', label: 'O again' },
      ],
    }));
    assert.deepEqual(problems, [
      'inputs[1].key: duplicate input key "a" (also inputs[0])',
      'outputs[2].key: duplicate output key "o" (also outputs[0])',
    ]);
  });

  it('reports show_if pointing at a missing input or at itself, with a suggestion', () => {
    const problems = checkCoherence(spec({
      inputs: [
        { key: 'mode', type: 'text', label: 'Mode' },
        { key: 'b', type: 'text', label: 'B', show_if: { key: 'mdoe', equals: 'x' } },
        { key: 'c', type: 'text', label: 'C', show_if: { key: 'c', equals: 'x' } },
        { key: 'd', type: 'text', label: 'D', show_if: { key: 'mode', equals: 'x' } },
      ],
    }));
    assert.deepEqual(problems, [
      'inputs[1].show_if.key: show_if refers to "mdoe", which is not an input (did you mean "mode"?)',
      'inputs[2].show_if.key: show_if refers to the input itself ("c")',
    ]);
  });

  it('reports impossible ranges, empty choices and duplicate secrets, all at once', () => {
    const detailed = checkCoherenceDetailed(spec({
      inputs: [
        { key: 'n', type: 'number', label: 'N', min: 5, max: 1 },
        { key: 's', type: 'slider', label: 'S', min: 10, max: 0 },
        { key: 'd', type: 'date', label: 'D', min: '2026-02-01', max: '2026-01-01' },
        { key: 't', type: 'table', label: 'T', columns: [], min_rows: 3, max_rows: 1 },
        { key: 'r', type: 'radio', label: 'R', options: [] },
        { key: 'm', type: 'multiselect', label: 'M', options: [] },
      ],
      secrets: [{ key: 'K' }, { key: 'K' }],
    }));
    assert.deepEqual(detailed.map((p) => p.path), [
      'inputs[0].min', 'inputs[1].min', 'inputs[2].min', 'inputs[3].min_rows', 'inputs[4].options', 'secrets[1].key',
    ]);
  });

  it('reports defaults the input itself would refuse', () => {
    const problems = checkCoherence(spec({
      inputs: [
        { key: 'n', type: 'number', label: 'N', min: 0, max: 10, default: 50 },
        { key: 's', type: 'select', label: 'S', options: [{ value: 'a', label: 'A' }], default: 'b' },
        { key: 'c', type: 'colour', label: 'C', default: 'red' },
        { key: 'ok', type: 'select', label: 'OK', options: [{ value: 4, label: 'Four' }], default: '4' },
      ],
    }));
    assert.deepEqual(problems, [
      'inputs[0].default: the default does not fit this number input: must be at most 10',
      'inputs[1].default: the default does not fit this select input: must be one of "a"',
      'inputs[2].default: the default does not fit this colour input: expected a colour #rrggbb',
    ]);
  });

  it('gives paths that locate the problem in the file', () => {
    const text = '{\n  "id": "t", "name": "T", "outputs": [],\n  "inputs": [\n    {"key": "a", "type": "text", "label": "A"},\n    {"key": "a", "type": "text", "label": "B"}\n  ]\n}';
    const r = parseToolJson(text);
    assert.ok(r.ok);
    const [problem] = checkCoherenceDetailed(r.spec);
    const located = errorAtPath(text, problem.path, 'duplicate');
    assert.deepEqual([located.line, located.column], [5, 13]);
  });
});
