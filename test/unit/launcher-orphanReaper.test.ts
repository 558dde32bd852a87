// The reaper's decisions, against a fake process table and a fake tree kill: which registry files it acts on,
// which processes it kills (only a dead host's tools that still have their recorded start time), what it leaves
// alone, and how it treats corrupt, half-written, newer-format and foreign files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reapOrphanedTools, summarizeReap, type ProcessProbe, type ReapOptions, type RegisteredTool, type RegistryHost } from '../../src/core/runner/launcher';
import type { KillTreeResult } from '../../src/core/runner/launcher/processTree';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-reaper-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HOST = 'this-machine';
let dirs = 0;

/** A process table: pid → start time. */
class FakeProcesses implements ProcessProbe {
  readonly table = new Map<number, string>();
  readonly killed: number[] = [];
  survivorsOf = new Set<number>();
  failOn = new Set<number>();

  isAlive(pid: number): boolean {
    return this.table.has(pid);
  }

  startTime(pid: number): string | undefined {
    return this.table.get(pid);
  }

  readonly killTree = async (pid: number): Promise<KillTreeResult> => {
    if (this.failOn.has(pid)) throw new Error('boom');
    this.killed.push(pid);
    if (this.survivorsOf.has(pid)) return { forced: true, survivors: [pid] };
    this.table.delete(pid);
    return { forced: pid % 2 === 0, survivors: [] };
  };

  options(extra: ReapOptions = {}): ReapOptions {
    return { probe: this, killTree: this.killTree, hostname: HOST, ...extra };
  }
}

function freshDir(): string {
  const dir = path.join(tmp, `run-${++dirs}`);
  fs.mkdirSync(dir);
  return dir;
}

function writeRegistry(dir: string, host: Partial<RegistryHost> & { pid: number }, tools: RegisteredTool[], nonce = 'abc123'): string {
  const file = path.join(dir, `${host.pid}-${nonce}.json`);
  const body = { format: 'pixie-tool-processes', version: 1, host: { hostname: HOST, startTime: 'h-start', ...host }, tools };
  fs.writeFileSync(file, JSON.stringify(body));
  return file;
}

function age(file: string, ms: number): void {
  const when = new Date(Date.now() - ms);
  fs.utimesSync(file, when, when);
}

test('a dead host: its tools are killed, gone ones skipped, and its file removed', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(200, 't200').set(301, 't301');
  const file = writeRegistry(dir, { pid: 100 }, [
    { toolId: 'echo', pid: 200, startTime: 't200', port: 5001 },
    { toolId: 'slow', pid: 301, startTime: 't301', port: 5002 },
    { toolId: 'gone', pid: 400, startTime: 't400', port: 5003 },
  ]);
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed.sort(), [200, 301]);
  assert.deepEqual(
    report.killed.sort((a, b) => a.pid - b.pid),
    [
      { toolId: 'echo', pid: 200, port: 5001, hostPid: 100, forced: true },
      { toolId: 'slow', pid: 301, port: 5002, hostPid: 100, forced: false },
    ],
  );
  assert.deepEqual(report.removedFiles, [file]);
  assert.equal(fs.existsSync(file), false);
  assert.deepEqual([report.recycled, report.unverified, report.survivors, report.errors], [[], [], [], []]);
  assert.match(summarizeReap(report), /^stopped 2 tool processes left by 1 killed Pixie host: .*echo \(pid 200, SIGKILL\).*slow \(pid 301\).*1 registry file removed$/);
});

test('a host whose pid now belongs to a later process counts as dead', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(100, 'someone-else').set(200, 't200');
  writeRegistry(dir, { pid: 100, startTime: 'h-start' }, [{ toolId: 'echo', pid: 200, startTime: 't200', port: 1 }]);
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed, [200]);
  assert.equal(report.removedFiles.length, 1);
});

test('a live host (same pid and start time) is left alone, tools and file', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(100, 'h-start').set(200, 't200');
  const file = writeRegistry(dir, { pid: 100 }, [{ toolId: 'echo', pid: 200, startTime: 't200', port: 1 }]);
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed, []);
  assert.deepEqual(report.liveHosts, [file]);
  assert.ok(fs.existsSync(file));
  assert.equal(summarizeReap(report), 'no tool processes left by killed Pixie hosts');
});

test('a host recorded without a start time is alive while its pid is (cannot prove otherwise)', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(100, 'anything').set(200, 't200');
  writeRegistry(dir, { pid: 100, startTime: undefined }, [{ toolId: 'echo', pid: 200, startTime: 't200', port: 1 }]);
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed, []);
  assert.equal(report.liveHosts.length, 1);
});

test('a recycled tool pid (start time differs) is never killed; nor a tool without a recorded start time', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(200, 'a-stranger').set(201, 't201').set(202, 't202');
  const file = writeRegistry(dir, { pid: 100 }, [
    { toolId: 'recycled', pid: 200, startTime: 't200', port: 1 },
    { toolId: 'no-start', pid: 201, port: 2 },
    { toolId: 'ours', pid: 202, startTime: 't202', port: 3 },
  ]);
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed, [202]);
  assert.deepEqual(report.recycled, [{ toolId: 'recycled', pid: 200, file }]);
  assert.deepEqual(report.unverified, [{ toolId: 'no-start', pid: 201, file }]);
  assert.ok(procs.isAlive(200) && procs.isAlive(201));
  assert.equal(fs.existsSync(file), false, 'nothing more can be done for that host: its file goes');
  assert.match(summarizeReap(report), /1 recorded pid\(s\) now belong to other processes \(left alone\); 1 process\(es\) could not be verified/);
});

test('another machine\'s file is untouched even though its host pid is dead here', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(200, 't200');
  const file = writeRegistry(dir, { pid: 100, hostname: 'other-machine' }, [{ toolId: 'echo', pid: 200, startTime: 't200', port: 1 }]);
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed, []);
  assert.deepEqual(report.otherMachines, [file]);
  assert.ok(fs.existsSync(file));
});

test('corrupt and half-written files: ignored while young, removed when old; a newer format and foreign files are kept', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  const youngCorrupt = path.join(dir, '11-aa.json');
  const oldCorrupt = path.join(dir, '12-bb.json');
  const youngTemp = path.join(dir, '13-cc.json.tmp');
  const oldTemp = path.join(dir, '14-dd.json.tmp');
  const newer = path.join(dir, '15-ee.json');
  const foreign = path.join(dir, 'notes.txt');
  const gitignore = path.join(dir, '.gitignore');
  fs.writeFileSync(youngCorrupt, '{"format":"pixie-tool-pro');
  fs.writeFileSync(oldCorrupt, '');
  fs.writeFileSync(youngTemp, '{');
  fs.writeFileSync(oldTemp, '{');
  fs.writeFileSync(newer, JSON.stringify({ format: 'pixie-tool-processes', version: 7, hosts: [] }));
  fs.writeFileSync(foreign, 'mine');
  fs.writeFileSync(gitignore, '*\n');
  fs.mkdirSync(path.join(dir, '16-ff.json')); // a folder with our name pattern: unreadable as a file
  for (const file of [oldCorrupt, oldTemp, newer, foreign, gitignore]) age(file, 3_600_000);

  const report = await reapOrphanedTools(dir, procs.options({ staleAfterMs: 60_000 }));
  assert.deepEqual(report.removedJunk.sort(), [oldCorrupt, oldTemp].sort());
  assert.deepEqual(report.skipped.sort(), [newer, youngCorrupt].sort());
  assert.equal(report.errors.length, 1, 'the folder is reported, not fatal');
  assert.match(report.errors[0], /16-ff\.json/);
  for (const kept of [youngCorrupt, youngTemp, newer, foreign, gitignore]) assert.ok(fs.existsSync(kept), `${kept} kept`);
  for (const gone of [oldCorrupt, oldTemp]) assert.equal(fs.existsSync(gone), false, `${gone} removed`);
});

test('survivors (or a failed kill) keep the file for the next attempt', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(200, 't200').set(300, 't300');
  procs.survivorsOf.add(200);
  procs.failOn.add(300);
  const first = writeRegistry(dir, { pid: 100 }, [{ toolId: 'stubborn', pid: 200, startTime: 't200', port: 1 }], 'aa');
  const second = writeRegistry(dir, { pid: 101 }, [{ toolId: 'failing', pid: 300, startTime: 't300', port: 2 }], 'bb');
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(report.survivors, [200]);
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0], /failing \(pid 300\): boom/);
  assert.ok(fs.existsSync(first) && fs.existsSync(second));
  assert.deepEqual(report.removedFiles, []);
  assert.match(summarizeReap(report), /still alive: 200/);
});

test('several dead hosts at once; a missing folder is nothing to do', async () => {
  const dir = freshDir();
  const procs = new FakeProcesses();
  procs.table.set(200, 't200').set(201, 't201').set(100, 'h-live');
  writeRegistry(dir, { pid: 90 }, [{ toolId: 'a', pid: 200, startTime: 't200', port: 1 }], 'aa');
  writeRegistry(dir, { pid: 91 }, [{ toolId: 'b', pid: 201, startTime: 't201', port: 2 }], 'bb');
  writeRegistry(dir, { pid: 100, startTime: 'h-live' }, [], 'cc');
  const report = await reapOrphanedTools(dir, procs.options());
  assert.deepEqual(procs.killed.sort(), [200, 201]);
  assert.equal(report.removedFiles.length, 2);
  assert.equal(report.liveHosts.length, 1);
  assert.match(summarizeReap(report), /left by 2 killed Pixie hosts/);

  const none = await reapOrphanedTools(path.join(dir, 'does-not-exist'), procs.options());
  assert.deepEqual(none.errors, []);
  assert.deepEqual(none.killed, []);
});
