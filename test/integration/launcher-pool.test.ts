// The warm pool with real tool processes: spawn, reuse, TTL, LRU with pinned tools, spawn-once,
// concurrent:false serialisation, death detection, state events — and no process left behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Launcher, LauncherDisposedError, type LauncherStateEvent } from '../../src/core/runner/launcher';
import { postRun } from '../../src/core/runner/client';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidAlive, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const marker = newMarker();
const artefactsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-launcher-'));
const launchers: Launcher[] = [];

function makeLauncher(options: Partial<ConstructorParameters<typeof Launcher>[0]> = {}): Launcher {
  const launcher = new Launcher({ artefactsRoot, extraEnv: { [MARKER_ENV]: marker }, evictGraceMs: 1000, stopGraceMs: 1000, ...options });
  launchers.push(launcher);
  return launcher;
}

after(async () => {
  await Promise.all(launchers.map((l) => l.dispose()));
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(artefactsRoot, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

test('spawns echo, waits for health, and answers POST /run with the Pixie environment', async () => {
  const launcher = makeLauncher();
  const proc = await launcher.ensureRunning(fixtureSpec('echo'));
  assert.equal(proc.state, 'ready');
  assert.ok(proc.port > 0 && proc.baseUrl === `http://127.0.0.1:${proc.port}`);
  const runDir = path.join(artefactsRoot, 'echo', 'run-1');
  const out = await postRun(proc.baseUrl, { runId: 'run-1', inputs: { text: 'hi there', show_env: true }, artefactsDir: runDir });
  assert.equal(out.echo, 'hi there');
  const env = out.env as Record<string, string>;
  assert.equal(env.PIXIE_TOOL_ID, 'echo');
  assert.equal(env.PIXIE_ARTEFACTS_ROOT, artefactsRoot);
  assert.equal(env.PYTHONUNBUFFERED, '1');
  assert.equal(env.PYTHONDONTWRITEBYTECODE, '1');
  assert.equal(env.PIXIE_RUN_ID, undefined, 'a pooled spawn without a run has no PIXIE_RUN_ID');
  assert.equal(env.PATH, process.env.PATH);
  assert.equal(env.NODE_OPTIONS, undefined);
  assert.equal(env.npm_lifecycle_event, undefined);
  const request = out.request as Record<string, unknown>;
  assert.equal(request.pid, proc.pid);
  assert.equal(request.shape, 'nested');
  assert.equal(request.header_run_id, 'run-1');
  assert.equal(request.header_artefacts_dir, runDir);
  assert.deepEqual(launcher.list().map((i) => [i.toolId, i.state, i.pid, i.port]), [['echo', 'warm', proc.pid, proc.port]]);
  assert.equal(launcher.isRunning('echo'), true);
  await launcher.stop('echo');
  assert.equal(launcher.isRunning('echo'), false);
  assert.equal(pidAlive(proc.pid), false);
  assert.equal(proc.state, 'exited');
});

test('a warm process is reused (same pid) and touched', async () => {
  const launcher = makeLauncher();
  const first = await launcher.ensureRunning(fixtureSpec('echo'));
  const usedAt = first.lastUsed;
  await new Promise((resolve) => setTimeout(resolve, 20));
  const second = await launcher.ensureRunning(fixtureSpec('echo'));
  assert.equal(second, first);
  assert.equal(second.pid, first.pid);
  assert.ok(second.lastUsed > usedAt);
  await launcher.stopAll();
});

test('a process spawned for a run carries PIXIE_RUN_ID and PIXIE_RUN_ARTEFACTS_DIR', async () => {
  const launcher = makeLauncher();
  const runDir = path.join(artefactsRoot, 'echo', 'run-9');
  const proc = await launcher.ensureRunning(fixtureSpec('echo'), { run: { runId: 'run-9', artefactsDir: runDir }, extraEnv: { EXTRA_FLAG: 'yes' } });
  const out = await postRun(proc.baseUrl, { runId: 'run-9', inputs: { text: 'x', show_env: true }, artefactsDir: runDir });
  const env = out.env as Record<string, string>;
  assert.equal(env.PIXIE_RUN_ID, 'run-9');
  assert.equal(env.PIXIE_RUN_ARTEFACTS_DIR, runDir);
  assert.equal(env.EXTRA_FLAG, 'yes');
  await launcher.stopAll();
});

test('idle processes past their warm-keep time are stopped; pinned and busy ones stay', async () => {
  const launcher = makeLauncher();
  const short = await launcher.ensureRunning(fixtureSpec('echo', { warmKeepSeconds: 0.15 }));
  const pinned = await launcher.ensureRunning(fixtureSpec('all-shapes', { warmKeepSeconds: 0.15, pinnedWarm: true }));
  const busy = await launcher.ensureRunning(fixtureSpec('slow', { warmKeepSeconds: 0.15 }));
  const release = busy.beginUse();
  const long = await launcher.ensureRunning(fixtureSpec('big-output', { warmKeepSeconds: 60 }));
  for (const id of ['echo', 'all-shapes', 'slow', 'big-output']) launcher.touch(id); // spawning took a while
  assert.deepEqual(await launcher.sweep(), [], 'nothing has been idle long enough yet');
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.deepEqual(await launcher.sweep(), ['echo']);
  assert.equal(pidAlive(short.pid), false);
  assert.equal(launcher.isRunning('echo'), false);
  assert.ok(pidAlive(pinned.pid) && pidAlive(busy.pid) && pidAlive(long.pid));
  release();
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(await launcher.sweep(), ['slow']);
  launcher.setPinned('all-shapes', false);
  assert.deepEqual(await launcher.sweep(), ['all-shapes']);
  assert.deepEqual(launcher.list().map((i) => i.toolId), ['big-output']);
  await launcher.stopAll();
});

test('beyond warmKeepMax the least recently used unpinned process is evicted', async () => {
  const launcher = makeLauncher({ warmKeepMax: 2 });
  const pinned = await launcher.ensureRunning(fixtureSpec('echo', { pinnedWarm: true }));
  const older = await launcher.ensureRunning(fixtureSpec('all-shapes'));
  await new Promise((resolve) => setTimeout(resolve, 10));
  pinned.touch(); // the pinned one is the oldest-but-one by use; it must survive anyway
  const third = await launcher.ensureRunning(fixtureSpec('big-output'));
  assert.ok(await waitFor(() => !pidAlive(older.pid), 3000), 'all-shapes (LRU, unpinned) is evicted');
  const warm = () => launcher.list().filter((i) => i.state === 'warm');
  assert.deepEqual(warm().map((i) => i.toolId), ['big-output', 'echo']);
  // Now both are in use order echo < big-output; pinned echo stays even though it is the LRU one.
  third.touch();
  const fourth = await launcher.ensureRunning(fixtureSpec('slow'));
  assert.ok(await waitFor(() => !pidAlive(third.pid), 3000), 'big-output is evicted, not the pinned echo');
  assert.ok(pidAlive(pinned.pid) && pidAlive(fourth.pid));
  assert.deepEqual(warm().map((i) => [i.toolId, i.pinned]), [['echo', true], ['slow', false]]);
  await launcher.stopAll();
});

test('concurrent ensureRunning calls spawn the tool once', async () => {
  const launcher = makeLauncher();
  const events: LauncherStateEvent[] = [];
  const unsubscribe = launcher.onStateChange((e) => events.push(e));
  const procs = await Promise.all(Array.from({ length: 6 }, () => launcher.ensureRunning(fixtureSpec('echo'))));
  assert.equal(new Set(procs.map((p) => p.pid)).size, 1);
  assert.equal(events.filter((e) => e.state === 'starting').length, 1);
  assert.deepEqual(events.map((e) => [e.toolId, e.state, e.reason]), [['echo', 'starting', 'spawn'], ['echo', 'warm', 'ready']]);
  await launcher.stop('echo');
  assert.deepEqual(events.slice(2).map((e) => [e.state, e.reason]), [['stopping', 'stop'], ['dormant', 'stop']]);
  unsubscribe();
  await launcher.ensureRunning(fixtureSpec('echo'));
  assert.equal(events.length, 4, 'no events after unsubscribing');
  await launcher.stopAll();
});

test('concurrent:false runs are serialised by the run slot; without it they overlap', async () => {
  const launcher = makeLauncher();
  const spec = fixtureSpec('serial');
  assert.equal(spec.concurrent, false);
  const proc = await launcher.ensureRunning(spec);
  const run = (i: number) => postRun(proc.baseUrl, { runId: `r${i}`, inputs: { ms: 120 }, artefactsDir: artefactsRoot });
  const serialised = await Promise.all(
    [1, 2, 3].map(async (i) => {
      const release = await launcher.acquireRunSlot(spec);
      try {
        return await run(i);
      } finally {
        release();
      }
    }),
  );
  assert.deepEqual(serialised.map((o) => o.overlapped), [false, false, false]);
  assert.equal(serialised[2].max_active, 1);
  // The control: the same calls without the slot do overlap, so the assertion above can fail.
  const free = await Promise.all([4, 5].map(run));
  assert.equal(free.some((o) => o.overlapped === true), true);
  // A concurrent tool's slot is free at once.
  const releases = await Promise.all([1, 2].map(() => launcher.acquireRunSlot({ toolId: 'echo', concurrent: true })));
  releases.forEach((r) => r());
  await launcher.stopAll();
});

test('a process that dies is noticed, dropped from the pool, and respawned on next use', async () => {
  const launcher = makeLauncher();
  const events: LauncherStateEvent[] = [];
  launcher.onStateChange((e) => events.push(e));
  const first = await launcher.ensureRunning(fixtureSpec('echo'));
  process.kill(first.pid, 'SIGKILL');
  assert.ok(await waitFor(() => !launcher.isRunning('echo'), 2000));
  assert.ok(await waitFor(() => events.some((e) => e.state === 'dormant' && e.reason === 'exited'), 2000));
  assert.deepEqual(first.exit, { code: null, signal: 'SIGKILL' });
  const second = await launcher.ensureRunning(fixtureSpec('echo'));
  assert.notEqual(second.pid, first.pid);
  await launcher.stopAll();
});

test('a changed launch spec (e.g. entry point) replaces the warm process; settings alone do not', async () => {
  const launcher = makeLauncher();
  const first = await launcher.ensureRunning(fixtureSpec('echo'));
  const same = await launcher.ensureRunning(fixtureSpec('echo', { warmKeepSeconds: 5, pinnedWarm: true }));
  assert.equal(same, first);
  assert.equal(launcher.isPinned('echo'), true);
  const replaced = await launcher.ensureRunning(fixtureSpec('echo', { maxMemoryMb: 128 }));
  assert.notEqual(replaced.pid, first.pid);
  assert.ok(await waitFor(() => !pidAlive(first.pid), 3000));
  await launcher.stopAll();
});

test('prewarm starts a dormant tool but never evicts to make room', async () => {
  const launcher = makeLauncher({ warmKeepMax: 1 });
  const warm = await launcher.prewarm(fixtureSpec('echo'));
  assert.ok(warm && launcher.isRunning('echo'));
  assert.equal(await launcher.prewarm(fixtureSpec('echo')), warm, 'already warm: the same process');
  assert.equal(await launcher.prewarm(fixtureSpec('all-shapes')), undefined, 'pool full: skipped');
  assert.equal(launcher.isRunning('echo'), true);
  assert.equal(await launcher.prewarm(fixtureSpec('exits-at-start')), undefined);
  await launcher.stopAll();
});

test('spawnForValidation runs outside the pool with the extra env; dispose stops it and refuses new work', async () => {
  const launcher = makeLauncher({ warmKeepMax: 1 });
  await launcher.ensureRunning(fixtureSpec('all-shapes'));
  const validation = await launcher.spawnForValidation(fixtureSpec('echo'), { PIXIE_VALIDATE: 'true' });
  assert.equal(launcher.isRunning('echo'), false, 'not in the pool');
  assert.equal(launcher.isRunning('all-shapes'), true, 'and it did not evict anything');
  const out = await postRun(validation.baseUrl, { runId: 'v', inputs: { text: 'v', show_env: true }, artefactsDir: artefactsRoot });
  assert.equal((out.env as Record<string, string>).PIXIE_VALIDATE, 'true');
  await launcher.dispose();
  assert.equal(pidAlive(validation.pid), false);
  assert.deepEqual(launcher.list(), []);
  await assert.rejects(launcher.ensureRunning(fixtureSpec('echo')), LauncherDisposedError);
  await assert.rejects(launcher.spawnForValidation(fixtureSpec('echo')), LauncherDisposedError);
});

test('touch/stop/setPinned on unknown tools and stopAll with nothing running are no-ops', async () => {
  const launcher = makeLauncher();
  launcher.touch('nope');
  launcher.setPinned('nope', true);
  launcher.setPinned('nope', true);
  await launcher.stop('nope');
  await launcher.stopAll();
  assert.deepEqual(launcher.list(), []);
  assert.equal(launcher.get('nope'), undefined);
});
