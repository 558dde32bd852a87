// A host killed with SIGKILL runs no exit handler, so its warm tools live on (the problem). Its registry file lets
// the next Pixie process stop them: the whole tree (group members and a child in its own session, SIGTERM-deaf
// ones included) of the dead host only, while a live host's tools and file stay untouched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Launcher, parseRegistryFile, processGroupMembers, reapOrphanedTools, registryDirFor, summarizeReap } from '../../src/core/runner/launcher';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidAlive, waitFor } from '../helpers/toolProcesses';
import type { RegistryHostReport } from './helpers/registryHost';

const REPO_ROOT = path.resolve(__dirname, '../..');
const HOST_SCRIPT = path.join(__dirname, 'helpers', 'registryHost.ts');
const marker = newMarker();
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-reaper-'));
const registryDir = registryDirFor(path.join(workspace, 'pixie.db'), workspace);
const hosts: ChildProcess[] = [];

after(() => {
  for (const host of hosts) if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  const leftovers = killLeftovers(marker);
  fs.rmSync(workspace, { recursive: true, force: true });
  assert.deepEqual(leftovers, [], 'no process of this test was left behind');
});

interface StartedHost {
  child: ChildProcess;
  report: RegistryHostReport;
  exited: Promise<void>;
}

function startHost(): Promise<StartedHost> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_SCRIPT, registryDir, path.join(workspace, 'artefacts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, [MARKER_ENV]: marker },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  hosts.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not report within 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, report: JSON.parse(line) as RegistryHostReport, exited });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`host exited early: ${stderr}`));
    });
  });
}

function treeOf(report: RegistryHostReport): number[] {
  return [report.echo.pid, report.echo.orphan, report.stubborn.pid, report.stubborn.sameGroup, report.stubborn.ownSession];
}

test('the tools of a SIGKILLed host survive it, and the reaper stops their whole trees; a live host is untouched', async () => {
  const [killed, live] = await Promise.all([startHost(), startHost()]);

  // Each host lists its two tools, with start times, in its own file.
  for (const host of [killed, live]) {
    assert.equal(path.dirname(host.report.registryFile), registryDir);
    const parsed = parseRegistryFile(fs.readFileSync(host.report.registryFile, 'utf8'));
    assert.ok(parsed.ok);
    assert.equal(parsed.file.host.pid, host.report.hostPid);
    assert.deepEqual(
      parsed.file.tools.map((t) => [t.toolId, t.pid, t.port, typeof t.startTime]).sort(),
      [['echo', host.report.echo.pid, host.report.echo.port, 'string'], ['ignores-sigterm', host.report.stubborn.pid, host.report.stubborn.port, 'string']],
    );
  }
  assert.ok(processGroupMembers(killed.report.stubborn.pid).includes(killed.report.stubborn.sameGroup));

  killed.child.kill('SIGKILL');
  await killed.exited;
  // The problem: nothing ran in the killed host, so every process of its tools is still there.
  assert.deepEqual(treeOf(killed.report).filter((pid) => !pidAlive(pid)), [], 'all alive after the host was SIGKILLed');
  assert.ok(fs.existsSync(killed.report.registryFile), 'the dead host\'s registry file is left behind');

  const started = Date.now();
  const report = await reapOrphanedTools(registryDir, { graceMs: 300 });
  const elapsed = Date.now() - started;

  assert.deepEqual(
    report.killed.map((k) => [k.toolId, k.pid, k.hostPid, k.forced]).sort(),
    [['echo', killed.report.echo.pid, killed.report.hostPid, false], ['ignores-sigterm', killed.report.stubborn.pid, killed.report.hostPid, true]],
  );
  assert.deepEqual(report.survivors, []);
  assert.deepEqual(report.removedFiles, [killed.report.registryFile]);
  assert.deepEqual(report.liveHosts, [live.report.registryFile]);
  assert.ok(elapsed < 5000, `both trees are stopped in parallel (${elapsed} ms)`);
  assert.match(summarizeReap(report), /stopped 2 tool processes left by 1 killed Pixie host/);

  assert.deepEqual(treeOf(killed.report).filter((pid) => pidAlive(pid)), [], 'every process of the dead host\'s tools is gone');
  assert.deepEqual(processGroupMembers(killed.report.echo.pid), []);
  assert.deepEqual(processGroupMembers(killed.report.stubborn.pid), []);
  assert.equal(fs.existsSync(killed.report.registryFile), false);

  // The live host: tools, their children and its file untouched.
  assert.deepEqual(treeOf(live.report).filter((pid) => !pidAlive(pid)), [], 'the live host\'s tools were not touched');
  assert.ok(fs.existsSync(live.report.registryFile));

  // A second pass finds nothing more to do.
  const again = await reapOrphanedTools(registryDir, { graceMs: 300 });
  assert.deepEqual([again.killed, again.removedFiles], [[], []]);
  assert.deepEqual(again.liveHosts, [live.report.registryFile]);

  // A normal shutdown stops the tools and removes the file.
  live.child.stdin?.end();
  await live.exited;
  assert.equal(live.child.exitCode, 0);
  assert.equal(fs.existsSync(live.report.registryFile), false, 'dispose() removed the registry file');
  assert.ok(await waitFor(() => treeOf(live.report).every((pid) => !pidAlive(pid)), 3000));
  assert.equal(fs.existsSync(registryDir), false, 'the last file gone, the folder too');
});

test('in-process: a tool is listed while it is still starting, and a failed start leaves no file; no option, no file', async () => {
  const dir = path.join(workspace, 'in-process', '.pixie-run');
  const errors: Error[] = [];
  const launcher = new Launcher({
    artefactsRoot: path.join(workspace, 'artefacts'),
    registryDir: dir,
    healthTimeoutMs: 1500,
    extraEnv: { [MARKER_ENV]: marker },
    onRegistryError: (error) => errors.push(error),
  });
  const file = launcher.registryFile ?? '';
  const starting = launcher.ensureRunning(fixtureSpec('never-healthy'));
  const listed = await waitFor(() => {
    try {
      const parsed = parseRegistryFile(fs.readFileSync(file, 'utf8'));
      return parsed.ok && parsed.file.tools.some((t) => t.toolId === 'never-healthy');
    } catch {
      return false;
    }
  }, 1400);
  assert.ok(listed, 'listed before /healthz ever answered 200');
  await assert.rejects(starting, /did not answer GET \/healthz/);
  assert.equal(fs.existsSync(file), false, 'the failed process was stopped and dropped from the registry');

  await launcher.ensureRunning(fixtureSpec('echo'));
  assert.ok(fs.existsSync(file));
  await launcher.dispose();
  assert.equal(fs.existsSync(file), false);
  assert.deepEqual(errors, []);

  const plain = new Launcher({ artefactsRoot: path.join(workspace, 'artefacts'), extraEnv: { [MARKER_ENV]: marker } });
  assert.equal(plain.registryFile, undefined);
  await plain.ensureRunning(fixtureSpec('echo'));
  await plain.dispose();
  assert.deepEqual(fs.readdirSync(path.dirname(dir)), [], 'nothing else was written, and the emptied folder was removed');
});
