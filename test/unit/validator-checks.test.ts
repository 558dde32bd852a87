import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCoherenceDetailed } from '../../src/core/tools/coherence';
import { parseToolJson } from '../../src/core/tools/parse';
import { LaunchError } from '../../src/core/runner/launcher';
import { keyStderrLine } from '../../src/core/validator/context';
import { entrypointFrom } from '../../src/core/validator/checks/folderStructure';
import { jsonDifferences } from '../../src/core/validator/checks/jsonDiff';
import { usesCommonJs, usesEsmSyntax } from '../../src/core/validator/checks/nodeProject';
import { checkPyproject, isNonIndexRequirement, requirementName } from '../../src/core/validator/checks/pythonProject';
import { sampleRunTimeoutMs } from '../../src/core/validator/checks/sampleRun';
import { excerptAt } from '../../src/core/validator/checks/toolJsonParses';
import { spawnHint } from '../../src/core/validator/checks/toolSpawns';
import { selectFixtures } from '../../src/core/validator/fixtureSelection';
import type { FixtureFile, ReferenceFixture } from '../../src/core/tools/fixtures';

describe('coherence severities', () => {
  it("fails only the original's three rules; our extra rules are warnings", () => {
    const r = parseToolJson(JSON.stringify({
      id: 't', name: 'T', outputs: [{ key: 'o', type: 'text', label: 'O' }, { key: 'o', type: 'text', label: 'O2' }],
      inputs: [
        { key: 'a', type: 'text', label: 'A' },
        { key: 'a', type: 'text', label: 'A2' },
        { key: 'b', type: 'text', label: 'B', show_if: { key: 'zzz', equals: 1 } },
        { key: 'c', type: 'text', label: 'C', show_if: { key: 'c', equals: 1 } },
        { key: 'n', type: 'number', label: 'N', min: 5, max: 1 },
        { key: 'd', type: 'number', label: 'D', max: 1, default: 9 },
      ],
      secrets: [{ key: 'K' }, { key: 'K' }],
    }));
    assert.ok(r.ok);
    const bySeverity = (s: string) => checkCoherenceDetailed(r.spec).filter((p) => p.severity === s).map((p) => p.path);
    assert.deepEqual(bySeverity('error'), ['inputs[1].key', 'outputs[1].key', 'inputs[2].show_if.key']);
    assert.deepEqual(bySeverity('warning'), ['inputs[3].show_if.key', 'inputs[4].min', 'inputs[5].default', 'secrets[1].key']);
  });
});

describe('pyproject.toml', () => {
  it('normalises requirement names (PEP 503) through extras, versions and markers', () => {
    assert.equal(requirementName('Uvicorn[standard]>=0.30; python_version > "3.8"'), 'uvicorn');
    assert.equal(requirementName('python_dotenv==1.0'), 'python-dotenv');
    assert.equal(requirementName('Python.Dotenv'), 'python-dotenv');
    assert.equal(requirementName('  fastapi'), 'fastapi');
    assert.equal(requirementName('>=1'), undefined);
  });

  it('spots requirements that do not come from an index', () => {
    for (const r of ['mylib @ git+https://x/y.git', 'git+https://x/y.git', 'lib @ file:///tmp/lib', 'lib @ https://x/lib.whl', '../lib', './lib', '/opt/lib', 'lib-1.0.tar.gz']) {
      assert.ok(isNonIndexRequirement(r), r);
    }
    for (const r of ['fastapi>=0.115', 'numpy', 'uvicorn[standard]']) assert.ok(!isNonIndexRequirement(r), r);
  });

  const toml = (deps: string) => `[project]\nname = "t"\ndependencies = [${deps}]\n`;
  it('requires fastapi and uvicorn, warns on a missing pydantic or python-dotenv', async () => {
    assert.equal((await checkPyproject(toml('"fastapi", "uvicorn", "pydantic", "python-dotenv"'))).status, 'pass');
    const cookbook = await checkPyproject(toml('"fastapi>=0.115", "uvicorn>=0.30", "python-dotenv>=1.0"'));
    assert.equal(cookbook.status, 'warn');
    assert.match(cookbook.message, /pydantic/);
    const noUvicorn = await checkPyproject(toml('"fastapi"'));
    assert.equal(noUvicorn.status, 'fail');
    assert.match(noUvicorn.message, /missing required dependency uvicorn/);
    assert.match((await checkPyproject(toml(''))).message, /declares no dependencies.*missing required/);
    assert.match((await checkPyproject('[tool.poetry]\nname = "x"\n')).message, /no \[project\] table/);
    assert.match((await checkPyproject(toml('1, 2'))).message, /list of strings/);
  });

  it('reports TOML syntax errors with line and column', async () => {
    const r = await checkPyproject('[project]\nname = "t"\ndependencies = ["fastapi",\n');
    assert.equal(r.status, 'fail');
    assert.match(r.message, /not valid TOML: .*\(line \d+, column \d+\)/);
    assert.equal(typeof r.details?.line, 'number');
  });
});

describe('Node entry files', () => {
  it('recognises ES module and CommonJS syntax', () => {
    assert.ok(usesEsmSyntax("import http from 'node:http';"));
    assert.ok(usesEsmSyntax("import {\n a,\n b\n} from './x.js';"));
    assert.ok(usesEsmSyntax('export default function () {}'));
    assert.ok(!usesEsmSyntax("const m = await import('x'); // import later"));
    assert.ok(usesCommonJs("const http = require('node:http');"));
    assert.ok(usesCommonJs('module.exports = {};'));
    assert.ok(!usesCommonJs("import x from 'y';"));
  });
});

describe('folder structure helpers', () => {
  it('reads the entrypoint leniently, even from broken JSON', () => {
    assert.equal(entrypointFrom('{"entrypoint": "main.mjs", }'), 'main.mjs');
    assert.equal(entrypointFrom('{"id": "x"}'), 'main.py');
    assert.equal(entrypointFrom('{"entrypoint": ""}'), 'main.py');
    assert.equal(entrypointFrom('[1, 2]'), undefined);
  });

  it('shows the offending line with a caret', () => {
    assert.equal(excerptAt('{\n  "a": 1,\n}', 2, 9), '2 |   "a": 1,\n  |         ^');
    assert.equal(excerptAt('{}', 5, 1), '');
  });
});

describe('/schema differences', () => {
  it('lists changed, missing and added paths, ignoring key order', () => {
    const disk = { id: 't', name: 'A', inputs: [{ key: 'x', label: 'X' }], outputs: [] };
    const served = { outputs: [], inputs: [{ label: 'X', key: 'x', extra: 1 }], name: 'B', id: 't' };
    const { differences, total } = jsonDifferences(disk, served);
    assert.equal(total, 2);
    assert.deepEqual(differences.map((d) => [d.path, d.kind]), [['inputs[0].extra', 'added'], ['name', 'changed']]);
    assert.equal(jsonDifferences(disk, structuredClone(disk)).total, 0);
    assert.equal(jsonDifferences({ a: [1, 2, 3] }, { a: [1] }).total, 2);
    assert.equal(jsonDifferences({ a: Array.from({ length: 50 }, (_, i) => i) }, { a: [] }, 20).differences.length, 20);
  });
});

describe('spawn hints', () => {
  const err = (kind: 'exit' | 'timeout', stderr: string, exitCode: number | null = 1) => new LaunchError(kind, 'x', { toolId: 't', stderr, exitCode });
  it('names the missing package, the missing __main__ block and a fixed port', () => {
    assert.match(spawnHint('python', 'main.py', err('exit', "Traceback…\nModuleNotFoundError: No module named 'numpy'\n")) ?? '', /lacks the Python package "numpy"/);
    assert.match(spawnHint('python', 'main.py', err('exit', '', 0)) ?? '', /__name__ == "__main__"/);
    assert.match(spawnHint('node', 'main.mjs', err('exit', '', 0)) ?? '', /keep an HTTP server listening/);
    assert.match(spawnHint('node', 'main.mjs', err('exit', "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express'")) ?? '', /npm install/);
    assert.match(spawnHint('python', 'main.py', err('exit', 'OSError: [Errno 98] address already in use')) ?? '', /--port/);
    assert.equal(spawnHint('python', 'main.py', err('exit', 'something odd')), undefined);
  });

  it('picks the stderr line that names the error', () => {
    assert.equal(keyStderrLine('file:///x.mjs:2\nthrow new Error("boom")\n^\n\nError: boom\n    at file:///x.mjs:2:7\n\nNode.js v20.1.0\n'), 'Error: boom');
    assert.equal(keyStderrLine('Traceback (most recent call last):\n  File "main.py", line 1\nValueError: bad config\n'), 'ValueError: bad config');
    assert.equal(keyStderrLine('just a line\nlast line\n'), 'last line');
    assert.equal(keyStderrLine(''), undefined);
  });
});

describe('sample run timeout', () => {
  it('is validator_timeout_override, else max_runtime_seconds + 5 s', () => {
    assert.equal(sampleRunTimeoutMs({ validator_timeout_override: null, max_runtime_seconds: 60 }), 65_000);
    assert.equal(sampleRunTimeoutMs({ validator_timeout_override: 3, max_runtime_seconds: 60 }), 3_000);
  });
});

describe('fixture selection', () => {
  const fx = (fileName: string, name: string, tags: string[]): FixtureFile => ({
    path: `/r/${fileName}`,
    fileName,
    errors: [],
    fixture: { name, tags, inputs: {}, expected_outputs: {}, tolerance: {}, source: null, skip_reason: null, validator_timeout_override: null } as ReferenceFixture,
  });
  const files = [fx('fixture_basic.json', 'Basic', ['smoke']), fx('fixture_atm_call.json', 'ATM call', ['atm', 'call']), fx('fixture_itm_put.json', 'ITM put', ['put'])];
  const pick = (names: string[], tags: string[] = []) => selectFixtures(files, names, tags).map((f) => f.fileName);
  it('matches by short name, stem, file name, fixture name or glob', () => {
    assert.deepEqual(pick(['basic']), ['fixture_basic.json']);
    assert.deepEqual(pick(['fixture_basic']), ['fixture_basic.json']);
    assert.deepEqual(pick(['fixture_itm_put.json']), ['fixture_itm_put.json']);
    assert.deepEqual(pick(['ATM call']), ['fixture_atm_call.json']);
    assert.deepEqual(pick(['fixture_*_call*']), ['fixture_atm_call.json']);
    assert.deepEqual(pick(['*put', 'basic']), ['fixture_basic.json', 'fixture_itm_put.json']);
    assert.deepEqual(pick(['nothing']), []);
    assert.deepEqual(pick([]), files.map((f) => f.fileName));
  });

  it('filters by tag, combined with names', () => {
    assert.deepEqual(pick([], ['call', 'put']), ['fixture_atm_call.json', 'fixture_itm_put.json']);
    assert.deepEqual(pick(['*'], ['smoke']), ['fixture_basic.json']);
    assert.deepEqual(pick(['basic'], ['put']), []);
  });
});
