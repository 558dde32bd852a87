// Runs that go wrong, through the real launcher and pixie.db on disk: timeouts, cancel (honoured and ignored),
// crashes, tools that never start, the artefact quota, and runs interrupted by their Pixie process dying.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRunHarness, copyTools, eventually, toolPids, type RunHarness } from './helpers/runHarness';
import { RunService } from '../../src/core/runner/runService';
import { Launcher } from '../../src/core/runner/launcher';
import { recoverInterruptedRuns } from '../../src/core/runner/interrupted';
import { discoverTools, type DiscoveredTool } from '../../src/core/tools/discovery';
import { quotaExceededMessage, type QuotaExceeded } from '../../src/core/artefacts';
import { insertStartedRun } from '../../src/core/store/repositories/runs';
import { killLeftovers, MARKER_ENV, pidAlive, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

let h: RunHarness;
let shortTools: string;
let tools: Map<string, DiscoveredTool>;

before(async () => {
  h = await createRunHarness();
  // Copies with a 1 s max_runtime_seconds (tool.json edited, as a user would).
  shortTools = copyTools(['slow'], (_id, json) => {
    json.max_runtime_seconds = 1;
  });
  tools = new Map((await discoverTools(shortTools)).map((t) => [t.toolId, t]));
});

after(async () => {
  fs.rmSync(shortTools, { recursive: true, force: true });
  await h.close();
});

/** Pids the launcher reports for a tool as it becomes warm. */
function watchPids(launcher: Launcher, toolId: string): number[] {
  const pids: number[] = [];
  launcher.onStateChange((e) => {
    if (e.toolId === toolId && e.state === 'warm' && e.pid !== undefined) pids.push(e.pid);
  });
  return pids;
}

/** Resolves once the tool's process is busy with a run and the request has had time to arrive. */
async function whenBusy(launcher: Launcher, toolId: string): Promise<number> {
  await eventually(() => (launcher.get(toolId)?.activeUses ?? 0) > 0, 20_000, `${toolId} to be busy`);
  await new Promise((resolve) => setTimeout(resolve, 400));
  return launcher.get(toolId)?.pid as number;
}

test('max_runtime_seconds: the run ends `error` "timed out after 1 s" and the process tree is gone', async () => {
  const pids = watchPids(h.launcher, 'slow');
  const started = Date.now();
  const outcome = await h.service.run(tools.get('slow') as DiscoveredTool, { seconds: 30 });
  const elapsed = Date.now() - started;
  assert.equal(outcome.status, 'error');
  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'error');
  assert.equal(row?.outputs_json, null);
  assert.equal(row?.error_text, "timed out after 1 s (max_runtime_seconds); the tool's process was stopped");
  assert.equal(h.meta(outcome.runId).timed_out, true);
  assert.ok(elapsed >= 1000 && elapsed < 8000, `took ${elapsed} ms`);
  assert.equal(pids.length, 1);
  assert.equal(pidAlive(pids[0]), false, 'the timed-out process was stopped before the row was finished');
  assert.equal(h.launcher.isRunning('slow'), false);
  assert.deepEqual(pidsWithMarker(h.marker), []);
  assert.equal(h.toolState('slow')?.last_inputs_json, null);
  assert.equal(h.toolState('slow')?.run_count_total, 1);
});

test('cancel: POST /cancel is honoured, the run ends `cancelled` with what the tool answered, the tool stays warm', async () => {
  const tool = h.tool('slow');
  const handle = await h.service.start(tool, { seconds: 30 });
  const pid = await whenBusy(h.launcher, 'slow');
  const asked = Date.now();
  await handle.cancel();
  const outcome = await handle.done;
  assert.ok(Date.now() - asked < 3000, 'the tool stopped on request, well before any hard stop');
  assert.equal(outcome.status, 'cancelled');
  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'cancelled');
  assert.equal(row?.error_text, 'cancelled');
  const outputs = JSON.parse(row?.outputs_json ?? 'null') as { done: boolean; cancelled: boolean; elapsed: number };
  assert.deepEqual({ done: outputs.done, cancelled: outputs.cancelled }, { done: false, cancelled: true });
  assert.ok(outputs.elapsed < 10);
  assert.equal(h.meta(outcome.runId).hard_stopped, false);
  assert.equal(h.launcher.get('slow')?.pid, pid, 'the same process stays warm');
  assert.equal(h.toolState('slow')?.last_inputs_json, null, 'a cancelled run does not become the last inputs');
  // Cancelling again, or a finished run, is a no-op.
  await handle.cancel();
  await h.service.cancel(outcome.runId);
  assert.equal(h.runRow(outcome.runId)?.status, 'cancelled');
});

test('cancel: a tool that ignores /cancel is hard-stopped after the grace and the run is `cancelled` with hard_stopped', async () => {
  const service = new RunService({ store: h.store, launcher: h.launcher, config: h.config, cancelGraceMs: 300 });
  const handle = await service.start(h.tool('serial'), { ms: 60_000 });
  const pid = await whenBusy(h.launcher, 'serial');
  const asked = Date.now();
  await handle.cancel();
  const outcome = await handle.done;
  const waited = Date.now() - asked;
  assert.ok(waited >= 300 && waited < 6000, `hard stop after ${waited} ms`);
  assert.equal(outcome.status, 'cancelled');
  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'cancelled');
  assert.equal(row?.outputs_json, null);
  assert.equal(row?.error_text, 'cancelled (the tool did not stop within 0.3 s, so its process was stopped)');
  assert.equal(h.meta(outcome.runId).hard_stopped, true);
  assert.ok(await waitFor(() => !pidAlive(pid), 5000), 'the process was killed');
  assert.equal(h.launcher.isRunning('serial'), false);
});

test('a tool that crashes mid-run: `error` with the connection failure and its stderr; the next run starts afresh', async () => {
  const first = await h.service.run(h.tool('crash-mid-run'), {});
  assert.equal(first.status, 'error');
  const expected =
    /^tool 'crash-mid-run': could not reach the tool \(POST http:\/\/127\.0\.0\.1:\d+\/run\): .+\n--- stderr ---\ncrash-mid-run: Traceback \(most recent call last\): simulated fatal error in handler$/;
  assert.match(h.runRow(first.runId)?.error_text ?? '', expected);
  assert.equal(h.runRow(first.runId)?.outputs_json, null);
  await eventually(() => !h.launcher.isRunning('crash-mid-run'), 5000, 'the crashed process to be forgotten');
  // Only this run's stderr is attached, not the previous process's.
  const second = await h.service.run(h.tool('crash-mid-run'), { delay_ms: 0 });
  assert.match(h.runRow(second.runId)?.error_text ?? '', expected);
  assert.equal((h.runRow(second.runId)?.error_text ?? '').match(/simulated fatal error/g)?.length, 1);
  assert.equal(h.toolState('crash-mid-run')?.run_count_total, 2);
});

test('a tool that exits at start: `error` with its exit code and stderr, no process left', async () => {
  const outcome = await h.service.run(h.tool('exits-at-start'), {});
  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'error');
  assert.equal(
    row?.error_text,
    "Tool 'exits-at-start' exited with code 1 before it was ready (GET /healthz).\n--- stderr ---\nexits-at-start: ModuleNotFoundError: No module named 'missing_dependency'",
  );
  assert.equal(h.meta(outcome.runId).launch_error, 'exit');
  assert.equal(h.launcher.isRunning('exits-at-start'), false);
  assert.deepEqual(toolPids(h.marker, h.tool('exits-at-start').dir), []);
});

test('a tool that never becomes healthy: the launcher\'s health timeout ends the run, with its stderr', async () => {
  const launcher = new Launcher({ artefactsRoot: h.config.artefactsRoot, healthTimeoutMs: 1500, extraEnv: { [MARKER_ENV]: h.marker }, stopGraceMs: 500 });
  const service = new RunService({ store: h.store, launcher, config: h.config });
  try {
    const started = Date.now();
    const outcome = await service.run(h.tool('never-healthy'), {});
    const elapsed = Date.now() - started;
    const row = h.runRow(outcome.runId);
    assert.equal(row?.status, 'error');
    assert.match(
      row?.error_text ?? '',
      /^Tool 'never-healthy' did not answer GET \/healthz with 200 within 1\.5 s \(port \d+\)\. It must listen on 127\.0\.0\.1 at the port given by --port\.\n--- stderr ---\nnever-healthy: warming up forever$/,
    );
    assert.equal(h.meta(outcome.runId).launch_error, 'timeout');
    assert.ok(elapsed >= 1400 && elapsed < 8000, `took ${elapsed} ms`);
    assert.equal(launcher.isRunning('never-healthy'), false);
    assert.deepEqual(toolPids(h.marker, h.tool('never-healthy').dir), [], 'the unhealthy process was stopped');
  } finally {
    await launcher.dispose();
  }
});

test('quota: a run writing past max_artefact_bytes_per_run is killed within ~1 s; what it wrote stays registered', async () => {
  const limit = 256 * 1024;
  const service = new RunService({ store: h.store, launcher: h.launcher, config: { ...h.config, maxArtefactBytesPerRun: limit } });
  const handle = await service.start(h.tool('quota-hog'), { bytes: 200 * 1024 * 1024, chunk_bytes: 16 * 1024, delay_ms: 5 });
  const hog = path.join(h.runDir('quota-hog', handle.runId), 'hog.bin');
  // Watch from outside: when the file passed the limit, and when the tool's process died.
  let passedAt: number | undefined;
  let pid: number | undefined;
  let deadAt: number | undefined;
  const poll = setInterval(() => {
    pid ??= h.launcher.get('quota-hog')?.pid;
    if (passedAt === undefined && fs.existsSync(hog) && fs.statSync(hog).size > limit) passedAt = Date.now();
    if (pid !== undefined && deadAt === undefined && !pidAlive(pid)) deadAt = Date.now();
  }, 10);
  const outcome = await handle.done;
  await eventually(() => deadAt !== undefined, 5000, 'the hog to die');
  clearInterval(poll);
  assert.ok(passedAt !== undefined && deadAt !== undefined);
  assert.ok(deadAt - passedAt < 1500, `killed ${deadAt - passedAt} ms after passing the limit`);

  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'error');
  assert.equal(row?.outputs_json, null);
  const meta = h.meta(outcome.runId) as { killed_for_quota: boolean; quota: QuotaExceeded };
  assert.equal(meta.killed_for_quota, true);
  assert.equal(meta.quota.limit, limit);
  assert.ok(meta.quota.written > limit);
  assert.equal(row?.error_text, quotaExceededMessage(meta.quota));
  assert.match(row?.error_text ?? '', /^artefact quota exceeded \(wrote [\d.]+ KiB of 256 KiB\)$/);

  const size = fs.statSync(hog).size;
  assert.ok(size >= meta.quota.written);
  const rows = h.artefactRows(outcome.runId);
  assert.deepEqual(rows.map((r) => [r.rel_path, r.output_key, r.size_bytes]), [[`quota-hog/${outcome.runId}/hog.bin`, '', size]]);
  assert.equal(row?.total_artefact_bytes, size);
  assert.equal(h.launcher.isRunning('quota-hog'), false);
});

test('interrupted: a run whose Pixie process was killed is marked `error` "interrupted…"; live owners keep theirs', async () => {
  const worker = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'helpers', 'runWorker.ts'),
      JSON.stringify({
        dbPath: h.config.dbPath,
        artefactsRoot: h.config.artefactsRoot,
        toolsDir: h.config.toolsDir,
        toolId: 'slow',
        inputs: { seconds: 60 },
        marker: h.marker,
      }),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: worker.stdout }).once('line', resolve);
    worker.once('exit', (code) => reject(new Error(`worker exited (${code}) early: ${stderr}`)));
  });
  const { runId, toolPid } = JSON.parse(line) as { runId: string; toolPid: number };
  assert.equal(h.runRow(runId)?.status, 'running');
  worker.kill('SIGKILL');
  await new Promise((resolve) => worker.once('exit', resolve));
  // A host killed with SIGKILL cannot stop its tools (they lead their own process groups): the orphan is still there.
  // This documents a known gap; if it fails, something now reaps such orphans — update this test.
  assert.equal(pidAlive(toolPid), true, 'the tool outlived its SIGKILLed host');
  killLeftovers(h.marker);
  // That also killed this harness's own warm `slow` from earlier tests: drop it from the pool now, or the run below
  // could be handed the dead process before its exit is noticed (seen under load: the run failed at once).
  await h.launcher.stop('slow', { graceMs: 0 });

  // Rows that must survive: a live run of this process, a run of another host, an ownerless run started just now.
  const live = await h.service.start(h.tool('slow'), { seconds: 60 });
  const now = new Date();
  await h.store.write((q) => {
    insertStartedRun(q, { id: 'other-host', toolId: 'slow', startedAt: new Date(now.getTime() - 7_200_000).toISOString(), inputsJson: '{}' });
    q.run('UPDATE runs SET meta_json = ? WHERE id = ?', [JSON.stringify({ owner: { pid: worker.pid, host: 'elsewhere.invalid', start: null } }), 'other-host']);
    insertStartedRun(q, { id: 'ownerless-new', toolId: 'slow', startedAt: new Date(now.getTime() - 60_000).toISOString(), inputsJson: '{}' });
    insertStartedRun(q, { id: 'ownerless-old', toolId: 'slow', startedAt: new Date(now.getTime() - 7_200_000).toISOString(), inputsJson: '{}' });
  });

  const recovered = await recoverInterruptedRuns(h.store, now);
  assert.deepEqual(recovered.sort(), [runId, 'ownerless-old'].sort());
  const row = h.runRow(runId);
  assert.equal(row?.status, 'error');
  assert.equal(row?.finished_at, now.toISOString());
  assert.equal(row?.error_text, `interrupted: the process that ran it (pid ${worker.pid} on ${os.hostname()}) exited before the run finished`);
  const meta = h.meta(runId) as { interrupted: boolean; owner: { pid: number } };
  assert.equal(meta.interrupted, true);
  assert.equal(meta.owner.pid, worker.pid);
  assert.equal(h.runRow('ownerless-old')?.error_text, 'interrupted: the run never finished (no process is running it any more)');
  for (const id of [live.runId, 'other-host', 'ownerless-new']) assert.equal(h.runRow(id)?.status, 'running', id);
  assert.deepEqual(await recoverInterruptedRuns(h.store, now), [], 'a second pass finds nothing');

  await live.cancel();
  assert.equal((await live.done).status, 'cancelled');
});
