// Stopping kills the whole tree: the tool, grandchildren in its group, and descendants that left the group,
// even when they ignore SIGTERM. Checked against /proc.
import { test, after } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Launcher, killProcessTree, processGroupMembers } from '../../src/core/runner/launcher';
import { postRun } from '../../src/core/runner/client';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidAlive, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const marker = newMarker();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-tree-'));
const launcher = new Launcher({ artefactsRoot: tmp, extraEnv: { [MARKER_ENV]: marker } });

after(async () => {
  await launcher.dispose();
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

test('a tool that ignores SIGTERM, and its two stubborn grandchildren, are SIGKILLed after the grace period', async () => {
  const proc = await launcher.ensureRunning(fixtureSpec('ignores-sigterm'));
  const out = await postRun(proc.baseUrl, { runId: 't1', inputs: {}, artefactsDir: tmp });
  const pids = out.pids as { self: number; same_group: number; own_session: number };
  assert.equal(pids.self, proc.pid);
  assert.ok(pidAlive(pids.same_group) && pidAlive(pids.own_session));
  assert.ok(processGroupMembers(proc.pid).includes(pids.same_group));
  assert.ok(!processGroupMembers(proc.pid).includes(pids.own_session), 'the second grandchild left the group');
  assert.deepEqual(pidsWithMarker(marker).sort(), [pids.self, pids.same_group, pids.own_session].sort());

  const started = Date.now();
  await launcher.stop('ignores-sigterm', { graceMs: 400 });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 380, `SIGKILL came only after the grace period (${elapsed} ms)`);
  for (const [name, pid] of Object.entries(pids)) assert.equal(pidAlive(pid), false, `${name} (${pid}) is gone`);
  assert.equal(proc.exit?.signal, 'SIGKILL');
  assert.match(proc.stderrSnapshot(), /SIGTERM received and ignored/);
  assert.deepEqual(pidsWithMarker(marker), []);
});

test('a descendant that left the group is killed even though its parent exits cleanly on SIGTERM', async () => {
  const proc = await launcher.ensureRunning(fixtureSpec('echo'));
  const out = await postRun(proc.baseUrl, { runId: 't2', inputs: { text: 'x', spawn_orphan: true }, artefactsDir: tmp });
  const orphan = out.orphan_pid as number;
  assert.ok(pidAlive(orphan));
  assert.ok(!processGroupMembers(proc.pid).includes(orphan));
  const started = Date.now();
  await launcher.stop('echo', { graceMs: 3000 });
  assert.ok(Date.now() - started < 2500, 'echo exits on SIGTERM, so no need to wait the whole grace');
  assert.equal(pidAlive(proc.pid), false);
  assert.equal(pidAlive(orphan), false, 'the escaped descendant was found before SIGTERM and killed');
  assert.deepEqual(proc.exit, { code: null, signal: 'SIGTERM' });
});

test('killProcessTree tolerates a process that is already gone, and repeated stops', async () => {
  const proc = await launcher.ensureRunning(fixtureSpec('all-shapes'));
  const first = launcher.stop('all-shapes');
  const again = proc.stop();
  await Promise.all([first, again]);
  assert.deepEqual(await killProcessTree(proc.pid, { graceMs: 50 }), { forced: false, survivors: [] });
  assert.deepEqual(await proc.stop(), { forced: false, survivors: [] });
});

test('a host that crashes without dispose() still takes its tools (and their escaped children) with it', () => {
  const script = path.join(tmp, 'crashing-host.ts');
  const src = (p: string) => JSON.stringify(path.resolve(__dirname, p));
  fs.writeFileSync(script, `
    import { Launcher } from ${src('../../src/core/runner/launcher')};
    import { fixtureSpec } from ${src('../helpers/toolProcesses')};
    (async () => {
      const launcher = new Launcher({ artefactsRoot: ${JSON.stringify(tmp)}, extraEnv: { ${MARKER_ENV}: process.env.HOST_MARKER ?? '' } });
      const proc = await launcher.ensureRunning(fixtureSpec('ignores-sigterm'));
      const res = await fetch(proc.baseUrl + '/run', { method: 'POST', body: '{}' });
      process.stdout.write(JSON.stringify(await res.json()));
      throw new Error('host crashed');
    })();
  `);
  const hostMarker = newMarker();
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, HOST_MARKER: hostMarker },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /host crashed/);
  const { pairs: _pairs, ...pids } = (JSON.parse(result.stdout) as { pids: Record<string, number> }).pids;
  assert.equal(Object.keys(pids).length, 3);
  const survivors = Object.values(pids).filter((pid) => pidAlive(pid));
  killLeftovers(hostMarker);
  assert.deepEqual(survivors, [], 'the exit hook SIGKILLed the group and the escaped grandchild');
});
