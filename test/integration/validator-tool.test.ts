// validateTool against real tool processes: what the tool receives (PIXIE_VALIDATE, the sample payload),
// that the spawned process is always stopped (pass, fail, cancel), the launcher path, --reference-only,
// fixture filters, and the good fixture tools passing quickly.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Launcher } from '../../src/core/runner/launcher';
import { CHECK_NAMES, validateTool, ValidationCancelledError, type CheckResult } from '../../src/core/validator';
import { ensurePythonVenvs } from '../helpers/pythonTools';
import { FIXTURE_TOOLS_DIR, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'broken-tools');
const RAW_SERVER = pathToFileURL(path.join(CORPUS, '_lib', 'rawServer.mjs')).href;
const marker = newMarker();
const env = { [MARKER_ENV]: marker };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-validate-tool-'));
const fast = { healthMs: 15_000, shutdownGraceMs: 1000 };

after(async () => {
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

/** A tool in a temp folder whose server records what the validator sends. */
function recorderTool(name: string, runBody: string, extra: Record<string, unknown> = {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tool.json'), JSON.stringify({
    id: name, name, entrypoint: 'main.mjs',
    inputs: [{ key: 'text', label: 'Text', type: 'text', default: 'hello' }, { key: 'n', label: 'N', type: 'number', min: 2, max: 4 }],
    outputs: [{ key: 'seen', label: 'Seen', type: 'kv' }],
    ...extra,
  }));
  fs.writeFileSync(path.join(dir, 'main.mjs'), `
import fs from 'node:fs';
import { json, serve } from ${JSON.stringify(RAW_SERVER)};
const disk = JSON.parse(fs.readFileSync(new URL('./tool.json', import.meta.url), 'utf8'));
serve({
  'GET /healthz': (_req, res) => json(res, 200, { ok: true }),
  'GET /schema': (_req, res) => json(res, 200, disk),
  'POST /run': async (req, res, body) => { ${runBody} },
});
`);
  return dir;
}

describe('what the tool receives', () => {
  it('runs with PIXIE_VALIDATE=true and gets the sample payload: {run_id, inputs, _pixie} plus flat inputs and the run headers', async () => {
    const dir = recorderTool('recorder', `
      const b = JSON.parse(body);
      json(res, 200, { seen: { pairs: {
        validate: process.env.PIXIE_VALIDATE, tool_id: process.env.PIXIE_TOOL_ID,
        run_id: b.run_id, header_run_id: req.headers['x-pixie-run-id'], pixie_run_id: b._pixie.run_id,
        artefacts_dir: b._pixie.artefacts_dir, nested: b.inputs, flat_text: b.text, flat_n: b.n,
      } } });`);
    let ids = 0;
    const report = await validateTool({ dir }, { extraEnv: { ...env, PIXIE_VALIDATE: 'false' }, timeouts: fast, clock: { now: () => new Date(0), newId: () => `id-${++ids}` } });
    assert.equal(report.overall, 'pass', JSON.stringify(report.checks, null, 1));
    const seen = (report.sample_output as { seen: { pairs: Record<string, unknown> } }).seen.pairs;
    assert.equal(seen.validate, 'true', 'PIXIE_VALIDATE cannot be overridden');
    assert.equal(seen.tool_id, 'recorder');
    assert.equal(seen.run_id, 'id-1');
    assert.equal(seen.header_run_id, 'id-1');
    assert.equal(seen.pixie_run_id, 'id-1');
    assert.match(String(seen.artefacts_dir), /recorder\/id-1$/);
    assert.deepEqual(seen.nested, { text: 'hello', n: 3 });
    assert.equal(seen.flat_text, 'hello');
    assert.equal(seen.flat_n, 3);
    assert.deepEqual(report.sample_inputs, { text: 'hello', n: 3 });
    assert.equal(report.timestamp, '1970-01-01T00:00:00.000Z');
    assert.equal(pidsWithMarker(marker).length, 0, 'stopped before validateTool returned');
    // The temp artefacts root given to the tool is removed afterwards.
    assert.equal(fs.existsSync(path.dirname(String(seen.artefacts_dir))), false);
  });
});

describe('the spawned process is always stopped', () => {
  it('after a failing sample run, with clean_shutdown still measured', async () => {
    const report = await validateTool({ dir: path.join(CORPUS, 'sample-run-500') }, { extraEnv: env, timeouts: fast });
    assert.equal(report.stopped_at, 'sample_run_succeeds');
    assert.equal(report.checks.find((c) => c.name === 'clean_shutdown')?.status, 'pass');
    assert.match(report.spawn_log, /division by zero/);
    assert.equal(pidsWithMarker(marker).length, 0);
  });

  it('when cancelled while waiting for /healthz', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 400);
    await assert.rejects(
      validateTool({ dir: path.join(CORPUS, 'never-healthy'), toolId: 'never-healthy' }, { extraEnv: env, signal: controller.signal, timeouts: { healthMs: 20_000 } }),
      (error: unknown) => error instanceof ValidationCancelledError && error.toolId === 'never-healthy',
    );
    assert.ok(Date.now() - started < 8000, `cancel took ${Date.now() - started} ms`);
    assert.ok(await waitFor(() => pidsWithMarker(marker).length === 0, 2000));
  });

  it('when cancelled during the sample run', async () => {
    const dir = recorderTool('sleeper', 'setTimeout(() => json(res, 200, { seen: { pairs: {} } }), 10_000);');
    const controller = new AbortController();
    const checks: string[] = [];
    const done = validateTool({ dir }, {
      extraEnv: env,
      signal: controller.signal,
      timeouts: fast,
      onCheck: (c) => {
        checks.push(c.name);
        if (c.name === 'schema_matches_disk') setTimeout(() => controller.abort(), 200);
      },
    });
    await assert.rejects(done, ValidationCancelledError);
    assert.deepEqual(checks, CHECK_NAMES.slice(0, 7));
    assert.equal(pidsWithMarker(marker).length, 0);
  });
});

describe('options', () => {
  it('spawns through the launcher, outside its warm pool', async () => {
    const launcher = new Launcher({ artefactsRoot: tmp, extraEnv: env, stopGraceMs: 1000 });
    try {
      const report = await validateTool({ dir: path.join(CORPUS, 'good-streaming') }, { launcher, extraEnv: env, timeouts: fast });
      assert.equal(report.overall, 'pass', report.checks.map((c) => `${c.name}: ${c.message}`).join('\n'));
      assert.deepEqual(launcher.list(), []);
    } finally {
      await launcher.dispose();
    }
    assert.equal(pidsWithMarker(marker).length, 0);
  });

  it('--reference-only skips the sample run and reports the failing fixture as the sample', async () => {
    const report = await validateTool({ dir: path.join(CORPUS, 'fixture-outside-tolerance') }, { referenceOnly: true, extraEnv: env, timeouts: fast });
    const status = (name: string) => report.checks.find((c) => c.name === name);
    for (const name of ['sample_run_succeeds', 'output_conforms', 'streaming_check']) {
      assert.equal(status(name)?.status, 'skip');
      assert.match(status(name)?.message ?? '', /--reference-only/);
    }
    assert.equal(status('reference_fixtures_match')?.status, 'fail');
    assert.equal(report.reference_only, true);
    assert.deepEqual(report.sample_inputs, { spot: 100 });
    assert.equal((report.sample_output as { price: number }).price, 2.42);
  });

  it('--fixture and --tag pick fixtures, and say so when none match', async () => {
    const dir = path.join(CORPUS, 'good-node');
    const none = await validateTool({ dir }, { fixtures: ['nothing'], extraEnv: env, timeouts: fast });
    const ref = none.checks.find((c) => c.name === 'reference_fixtures_match');
    assert.equal(ref?.status, 'skip');
    assert.match(ref?.message ?? '', /No fixture matches --fixture nothing \(available: fixture_three_rows\.json\)/);
    const tagged = await validateTool({ dir }, { tags: ['smoke'], fixtures: ['three_*'], referenceOnly: true, extraEnv: env, timeouts: fast });
    assert.equal(tagged.checks.find((c) => c.name === 'reference_fixtures_match')?.status, 'pass');
  });

  it('reports every check in order through onCheck, with durations for those that ran', async () => {
    const seen: CheckResult[] = [];
    const report = await validateTool({ dir: path.join(CORPUS, 'missing-output-key') }, { extraEnv: env, timeouts: fast, onCheck: (c) => seen.push(c) });
    assert.deepEqual(seen.map((c) => c.name), [...CHECK_NAMES]);
    assert.deepEqual(seen, report.checks);
    assert.ok(report.durations_ms.tool_spawns !== undefined && report.durations_ms.tool_spawns > 0);
    assert.equal(report.durations_ms.streaming_check, undefined, 'skipped after the stop: not timed');
    assert.deepEqual(report.warnings, []);
  });
});

describe('the good fixture tools pass', () => {
  it('streamer (Node, streaming) passes', async () => {
    const report = await validateTool({ dir: path.join(FIXTURE_TOOLS_DIR, 'streamer') }, { extraEnv: env });
    assert.equal(report.overall, 'pass', report.checks.map((c) => `${c.status} ${c.name}: ${c.message}`).join('\n'));
    assert.equal(report.checks.find((c) => c.name === 'streaming_check')?.status, 'pass');
  });

  it('all-inputs (every input type) and all-outputs (every output type, streaming) pass', async () => {
    for (const id of ['all-inputs', 'all-outputs']) {
      const report = await validateTool({ dir: path.join(FIXTURE_TOOLS_DIR, id) }, { extraEnv: env });
      assert.equal(report.overall, 'pass', `${id}:\n${report.checks.map((c) => `${c.status} ${c.name}: ${c.message}`).join('\n')}`);
      assert.equal(report.checks.find((c) => c.name === 'output_conforms')?.status, 'pass', id);
    }
  });

  it('py-compound-interest (Python, FastAPI in its venv) passes', async (t) => {
    const reason = ensurePythonVenvs();
    if (reason) {
      t.skip(reason);
      return;
    }
    const report = await validateTool({ dir: path.join(FIXTURE_TOOLS_DIR, 'py-compound-interest') }, { extraEnv: env });
    assert.equal(report.overall, 'pass', report.checks.map((c) => `${c.status} ${c.name}: ${c.message}`).join('\n'));
    assert.equal(report.runtime, 'python');
    assert.match(report.checks.find((c) => c.name === 'runtime_present')?.message ?? '', /Python 3/);
  });
});
