import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listFixtures, loadTolerance, parseFixture, parseToleranceYaml } from '../../src/core/tools/fixtures';
import type { ToolJsonError } from '../../src/core/tools/model';

const ATM_CALL = `{
  "name": "ATM call",
  "source": "textbook value",
  "inputs": { "spot": 100, "strike": 100, "days_to_expiry": 30, "rate": 4, "volatility": 20, "option_type": "call" },
  "expected_outputs": { "price": 2.4151 },
  "tolerance": { "price": { "rtol": 0.01, "atol": 0.05 } },
  "tags": ["atm", "call"]
}`;

function errorsOf(r: { ok: true } | { ok: false; errors: ToolJsonError[] }): ToolJsonError[] {
  assert.equal(r.ok, false, 'expected errors');
  return r.ok ? [] : r.errors;
}

describe('parseFixture', () => {
  it('parses a fixture and applies defaults', () => {
    const r = parseFixture(ATM_CALL, 'fixture_atm_call.json', ['price', 'greeks']);
    assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('\n'));
    assert.deepEqual(r.fixture, {
      name: 'ATM call',
      source: 'textbook value',
      inputs: { spot: 100, strike: 100, days_to_expiry: 30, rate: 4, volatility: 20, option_type: 'call' },
      expected_outputs: { price: 2.4151 },
      tolerance: { price: { rtol: 0.01, atol: 0.05 } },
      skip_reason: null,
      tags: ['atm', 'call'],
      validator_timeout_override: null,
    });
  });

  it('rejects extra keys and missing required fields, with positions', () => {
    const text = '{\n  "name": "x",\n  "expected": {},\n  "inputs": []\n}';
    const errors = errorsOf(parseFixture(text));
    assert.deepEqual(errors.map((e) => [e.path, e.line, e.column]), [
      ['expected', 3, 3],
      ['inputs', 4, 13],
      ['expected_outputs', 1, 1],
    ]);
    assert.equal(errors[0].message, 'unknown key "expected" (did you mean "expected_outputs"?)');
    assert.equal(errors[1].message, 'inputs: expected an object, got a list');
  });

  it('rejects expected outputs the tool does not declare, at the key', () => {
    const text = '{\n  "name": "x",\n  "inputs": {},\n  "expected_outputs": {\n    "price": 1,\n    "prise": 2\n  }\n}';
    const e = errorsOf(parseFixture(text, 'f.json', ['price']));
    assert.equal(e.length, 1);
    assert.equal(e[0].message, 'expected_outputs: "prise" is not an output of this tool');
    assert.deepEqual([e[0].path, e[0].line, e[0].column, e[0].file], ['expected_outputs.prise', 6, 5, 'f.json']);
  });

  it('checks the types of optional fields', () => {
    const errors = errorsOf(parseFixture(JSON.stringify({
      name: 'x', inputs: {}, expected_outputs: {}, tolerance: { price: 0.1 }, tags: 'a', validator_timeout_override: '5',
    })));
    assert.deepEqual(errors.map((e) => e.path), ['tolerance.price', 'tags', 'validator_timeout_override']);
  });

  it('reports bad JSON and a non-object document', () => {
    assert.match(errorsOf(parseFixture('{"name": "x",}'))[0].message, /trailing comma/);
    assert.match(errorsOf(parseFixture('[]'))[0].message, /must be a JSON object/);
  });
});

describe('parseToleranceYaml', () => {
  it('parses defaults, overrides and options, filling option defaults', () => {
    const r = parseToleranceYaml([
      'defaults:',
      '  number: {rtol: 0.05, atol: 1.0}',
      '  chart_line:',
      '    compare: data_only',
      '    series_match: by_index',
      'overrides:',
      '  price: {rtol: 0.1}',
      'options:',
      '  on_extra_output_key: fail',
    ].join('\n'));
    assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('\n'));
    assert.deepEqual(r.config, {
      defaults: { number: { rtol: 0.05, atol: 1 }, chart_line: { compare: 'data_only', series_match: 'by_index' } },
      overrides: { price: { rtol: 0.1 } },
      options: { on_extra_output_key: 'fail', on_missing_expected_key: 'fail', truncate_diff_chars: 400 },
    });
  });

  it('treats an empty file as all defaults', () => {
    for (const text of ['', '# nothing here\n']) {
      const r = parseToleranceYaml(text);
      assert.ok(r.ok);
      assert.deepEqual(r.config, {
        defaults: {}, overrides: {},
        options: { on_extra_output_key: 'warn', on_missing_expected_key: 'fail', truncate_diff_chars: 400 },
      });
    }
  });

  it('hints at the key:{…} missing-space footgun (value read as text)', () => {
    const errors = errorsOf(parseToleranceYaml('overrides:\n  price:{rtol:0.1}\n'));
    assert.equal(errors[0].message, 'overrides: expected an object, got a string "price:{rtol:0.1}"');
    assert.deepEqual([errors[0].line, errors[0].column], [2, 3]);
    assert.match(errors[1].message, /^hint: "price:\{…" has no space after the colon/);
    assert.equal(errors[1].line, 2);
  });

  it('hints at the footgun when it turns into an odd key', () => {
    const errors = errorsOf(parseToleranceYaml('defaults:\n  number:{rtol: 0.05}\n'));
    assert.match(errors[0].message, /unknown key "number:\{rtol"/);
    assert.ok(errors.some((e) => /^hint: "number:\{…"/.test(e.message)));
  });

  it('reports unknown types, unknown settings, bad enums and bad options, all at once', () => {
    const errors = errorsOf(parseToleranceYaml([
      'defaults:',
      '  numbr: {rtol: 1}',
      '  number: {abs: 0.1}',
      '  table: {compare: rows_sorted}',
      'options:',
      '  on_missing_expected_key: explode',
      '  truncate_diff_chars: -1',
      'extras: 1',
    ].join('\n')));
    assert.deepEqual(errors.map((e) => [e.path, e.line]), [
      ['defaults.numbr', 2],
      ['defaults.number.abs', 3],
      ['defaults.table.compare', 4],
      ['options.on_missing_expected_key', 6],
      ['options.truncate_diff_chars', 7],
      ['extras', 8],
    ]);
    assert.match(errors[0].message, /did you mean "number"/);
    assert.match(errors[1].message, /unknown key "abs"/);
    assert.match(errors[2].message, /"rows_sorted" is not one of rows_unordered, rows_ordered/);
    assert.ok(!errors.some((e) => e.message.startsWith('hint:')), 'no footgun in this file');
  });

  it('reports YAML syntax errors with their line, and a non-mapping document', () => {
    const [e] = errorsOf(parseToleranceYaml('defaults:\n  number: [1\n'));
    assert.match(e.message, /^invalid YAML: /);
    assert.equal(e.line, 3);
    assert.match(errorsOf(parseToleranceYaml('a: 1\na: 2\n'))[0].message, /unique/);
    assert.match(errorsOf(parseToleranceYaml('- 1\n- 2\n'))[0].message, /must be a mapping/);
  });
});

describe('listFixtures / loadTolerance', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
    const ref = path.join(dir, 'reference');
    fs.mkdirSync(ref);
    fs.writeFileSync(path.join(ref, 'fixture_b.json'), ATM_CALL);
    fs.writeFileSync(path.join(ref, 'fixture_a.json'), '{"name": "a", "inputs": {}, "expected_outputs": {"nope": 1}}');
    fs.writeFileSync(path.join(ref, 'notes.json'), '{}');
    fs.writeFileSync(path.join(ref, 'tolerance.yaml'), 'defaults:\n  number: {rtol: 0.05, atol: 1.0}\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists fixture_*.json sorted and parses each against the declared outputs', async () => {
    const files = await listFixtures(dir, { outputs: [{ key: 'price' }, { key: 'greeks' }] });
    assert.deepEqual(files.map((f) => f.fileName), ['fixture_a.json', 'fixture_b.json']);
    assert.equal(files[0].fixture, undefined);
    assert.match(files[0].errors[0].message, /"nope" is not an output/);
    assert.equal(files[0].errors[0].file, path.join(dir, 'reference', 'fixture_a.json'));
    assert.equal(files[1].fixture?.name, 'ATM call');
    assert.deepEqual(files[1].errors, []);
  });

  it('without a spec, does not check expected output keys', async () => {
    const files = await listFixtures(dir);
    assert.ok(files.every((f) => f.errors.length === 0));
  });

  it('returns [] for a tool without reference/', async () => {
    assert.deepEqual(await listFixtures(path.join(dir, 'reference', 'nothing')), []);
  });

  it('loads tolerance.yaml, or the defaults when there is none', async () => {
    const r = await loadTolerance(dir);
    assert.ok(r.ok);
    assert.deepEqual(r.config.defaults, { number: { rtol: 0.05, atol: 1 } });
    const none = await loadTolerance(path.join(dir, 'reference'));
    assert.ok(none.ok);
    assert.deepEqual(none.config.overrides, {});
  });
});
