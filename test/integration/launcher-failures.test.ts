// Tools that fail to start or die: each failure is a LaunchError of the right kind, carrying the tool's
// stderr, and nothing is left running.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Launcher, LaunchError, ToolProcess, type LauncherStateEvent } from '../../src/core/runner/launcher';
import { postRun, ToolRequestError } from '../../src/core/runner/client';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const marker = newMarker();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-launch-fail-'));
const launcher = new Launcher({ artefactsRoot: tmp, extraEnv: { [MARKER_ENV]: marker }, stopGraceMs: 1000, evictGraceMs: 1000, healthTimeoutMs: 1500 });
const events: LauncherStateEvent[] = [];
launcher.onStateChange((e) => events.push(e));

after(async () => {
  await launcher.dispose();
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

async function launchError(promise: Promise<unknown>): Promise<LaunchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LaunchError, `expected a LaunchError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the launch to fail');
}

test('a tool that exits at start fails with kind "exit", its exit code and its stderr', async () => {
  const error = await launchError(launcher.ensureRunning(fixtureSpec('exits-at-start')));
  assert.equal(error.kind, 'exit');
  assert.equal(error.toolId, 'exits-at-start');
  assert.equal(error.exitCode, 1);
  assert.match(error.stderr, /No module named 'missing_dependency'/);
  assert.match(error.message, /exited with code 1 before it was ready/);
  assert.match(error.message, /--- stderr ---\nexits-at-start: ModuleNotFoundError/);
  assert.equal(launcher.isRunning('exits-at-start'), false);
  const last = events.filter((e) => e.toolId === 'exits-at-start').at(-1);
  assert.equal(last?.reason, 'spawn-failed');
  assert.equal(last?.error, error);
  // Failures are not sticky: the next call tries again (and fails again, the same way).
  assert.equal((await launchError(launcher.ensureRunning(fixtureSpec('exits-at-start')))).kind, 'exit');
});

test('a tool that never answers /healthz 200 times out and is stopped', async () => {
  const started = Date.now();
  const error = await launchError(launcher.ensureRunning(fixtureSpec('never-healthy')));
  const elapsed = Date.now() - started;
  assert.equal(error.kind, 'timeout');
  assert.match(error.message, /did not answer GET \/healthz with 200 within 1\.5 s/);
  assert.match(error.stderr, /warming up forever/);
  assert.ok(elapsed >= 1400 && elapsed < 6000, `elapsed ${elapsed} ms`);
  assert.ok(await waitFor(() => pidsWithMarker(marker).length === 0, 3000), 'the unhealthy process was stopped');
});

test('a Python tool without .venv fails with kind "venv" and says how to create one', async () => {
  const toolDir = path.join(tmp, 'py-no-venv');
  fs.mkdirSync(toolDir);
  for (const file of ['main.py', 'tool.json', 'pyproject.toml']) {
    fs.copyFileSync(path.join(fixtureSpec('py-compound-interest').toolDir, file), path.join(toolDir, file));
  }
  const error = await launchError(launcher.ensureRunning(fixtureSpec('py-compound-interest', { toolDir })));
  assert.equal(error.kind, 'venv');
  assert.match(error.message, /has no virtual environment: .*py-no-venv\/\.venv\/bin\/python is missing/);
  assert.match(error.message, /`uv sync`/);
  assert.match(error.message, /python3 -m venv \.venv && \.venv\/bin\/pip install fastapi uvicorn/);
});

test('a runtime that cannot be executed fails with kind "spawn"', async () => {
  const error = await launchError(ToolProcess.start(fixtureSpec('echo'), { artefactsRoot: tmp, nodePath: path.join(tmp, 'no-such-node') }));
  assert.equal(error.kind, 'spawn');
  assert.match(error.message, /could not start .*no-such-node: spawn .* ENOENT/);
});

test('a tool that crashes during /run: the request fails, stderr is kept, the pool drops the process', async () => {
  const proc = await launcher.ensureRunning(fixtureSpec('crash-mid-run'));
  const mark = proc.stderrOffset();
  await assert.rejects(
    postRun(proc.baseUrl, { runId: 'c1', inputs: { delay_ms: 20 }, artefactsDir: tmp, timeoutMs: 5000 }),
    (error: unknown) => error instanceof ToolRequestError && error.kind === 'network',
  );
  assert.deepEqual(await proc.exited, { code: 3, signal: null });
  assert.match(proc.stderrSince(mark), /simulated fatal error in handler/);
  assert.ok(await waitFor(() => !launcher.isRunning('crash-mid-run'), 2000));
  assert.ok(await waitFor(() => events.some((e) => e.toolId === 'crash-mid-run' && e.state === 'dormant' && e.reason === 'exited'), 3000));
});

test('a caller can stop waiting for a cold start; the spawn itself completes', async () => {
  const controller = new AbortController();
  const waiting = launcher.ensureRunning(fixtureSpec('echo'), { signal: controller.signal });
  controller.abort(new Error('user cancelled'));
  await assert.rejects(waiting, /user cancelled/);
  assert.ok(await waitFor(() => launcher.isRunning('echo'), 5000), 'the next run finds it warm');
  await launcher.stop('echo');
});

test('aborting ToolProcess.start stops the half-started process', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('cancelled cold start')), 150);
  await assert.rejects(
    ToolProcess.start(fixtureSpec('never-healthy'), { artefactsRoot: tmp, extraEnv: { [MARKER_ENV]: marker }, signal: controller.signal }),
    /cancelled cold start/,
  );
  assert.ok(await waitFor(() => pidsWithMarker(marker).length === 0, 3000));
});
