// The host's registry file of tool processes: its place and format, atomic rewrites, removal when empty or closed,
// and that a failing write never throws into the spawn path.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ProcessRegistry,
  REGISTRY_DIR_NAME,
  ensurePrivateDir,
  userRuntimeRoot,
  parseRegistryFile,
  registryDirFor,
  startTimeOf,
  type RegistryFile,
} from '../../src/core/runner/launcher';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-registry-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let dirs = 0;
function freshDir(): string {
  return path.join(tmp, `ws-${++dirs}`, REGISTRY_DIR_NAME);
}

function readRegistry(file: string): RegistryFile {
  const parsed = parseRegistryFile(fs.readFileSync(file, 'utf8'));
  assert.ok(parsed.ok, 'the file parses');
  return parsed.file;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('registryDirFor: a private per-user folder under the temp dir, one per pixie.db path', () => {
  const root = userRuntimeRoot('/tmpx');
  assert.equal(path.dirname(root), '/tmpx');
  assert.match(path.basename(root), /^pixie-[\w.-]+$/);
  const a = registryDirFor('/ws/pixie.db', '/tmpx');
  assert.equal(path.dirname(a), root);
  assert.match(path.basename(a), /^tool-processes-[0-9a-f]{16}$/);
  assert.equal(registryDirFor('/ws/./pixie.db', '/tmpx'), a, 'the same database, the same folder');
  assert.notEqual(registryDirFor('/ws/data/my.db', '/tmpx'), a);
  assert.equal(registryDirFor('pixie.db', '/tmpx'), registryDirFor(path.join(process.cwd(), 'pixie.db'), '/tmpx'));
});

test('the folders are made 0700; a folder of another user, writable by others, or a symlink is refused', { skip: process.platform === 'win32' }, () => {
  const base = freshDir();
  const dir = path.join(base, 'child');
  ensurePrivateDir(dir);
  assert.equal((fs.statSync(base).mode & 0o777).toString(8), '700');
  assert.equal((fs.statSync(dir).mode & 0o777).toString(8), '700');
  fs.chmodSync(dir, 0o777);
  assert.throws(() => ensurePrivateDir(dir), /writable by other users/);
  fs.rmdirSync(dir);
  fs.symlinkSync(os.tmpdir(), dir);
  assert.throws(() => ensurePrivateDir(dir), /not a folder/);
  const errors: Error[] = [];
  const registry = new ProcessRegistry(dir, { onError: (error) => errors.push(error) });
  registry.add({ toolId: 'echo', pid: process.pid, port: 1 });
  assert.match(errors[0]?.message ?? '', /not a folder/, 'the registry refuses it too (and says so)');
});

test('no file until a tool starts; then host and tools with start times, in a folder only this user can read', () => {
  const dir = freshDir();
  const registry = new ProcessRegistry(dir);
  assert.equal(fs.existsSync(dir), false, 'nothing is written before the first tool');
  assert.match(path.basename(registry.filePath), new RegExp(`^${process.pid}-[0-9a-f]{12}\\.json$`));

  registry.add({ toolId: 'echo', pid: process.pid, port: 41234 });
  const file = readRegistry(registry.filePath);
  assert.deepEqual(file.host, { pid: process.pid, startTime: startTimeOf(process.pid), hostname: os.hostname() });
  assert.ok(file.host.startTime, 'Linux gives a start time');
  assert.deepEqual(file.tools, [{ toolId: 'echo', pid: process.pid, port: 41234, startTime: startTimeOf(process.pid) }]);
  assert.equal((fs.statSync(dir).mode & 0o777).toString(8), '700');
  assert.equal((fs.statSync(registry.filePath).mode & 0o777).toString(8), '600');
});

test('every change rewrites the file by rename (never in place) and leaves no temp file', () => {
  const dir = freshDir();
  const registry = new ProcessRegistry(dir);
  registry.add({ toolId: 'a', pid: 111_111, port: 1 });
  const firstInode = fs.statSync(registry.filePath).ino;
  registry.add({ toolId: 'b', pid: 222_222, port: 2 });
  assert.notEqual(fs.statSync(registry.filePath).ino, firstInode, 'a new file was renamed over the old one');
  assert.deepEqual(readRegistry(registry.filePath).tools.map((t) => t.toolId), ['a', 'b']);
  assert.deepEqual(readRegistry(registry.filePath).tools[0].startTime, undefined, 'a pid that does not exist has no start time');

  registry.remove(111_111);
  assert.deepEqual(readRegistry(registry.filePath).tools.map((t) => t.toolId), ['b']);
  assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(registry.filePath)]);

  registry.remove(222_222);
  assert.equal(fs.existsSync(registry.filePath), false, 'an empty registry is no file at all');
  registry.remove(222_222); // unknown pid: no-op, no error
});

test('a stale temp file from an interrupted rewrite is simply overwritten', () => {
  const dir = freshDir();
  const registry = new ProcessRegistry(dir);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${registry.filePath}.tmp`, '{"half": ');
  registry.add({ toolId: 'a', pid: 333_333, port: 3 });
  assert.equal(fs.existsSync(`${registry.filePath}.tmp`), false);
  assert.equal(readRegistry(registry.filePath).tools.length, 1);
});

test('track() drops a process once it has exited, but not a newer process that reused its pid', async () => {
  const dir = freshDir();
  const registry = new ProcessRegistry(dir);
  const first = deferred();
  registry.track({ toolId: 'old', pid: 444_444, port: 4, exited: first.promise });
  const second = deferred();
  registry.track({ toolId: 'other', pid: 555_555, port: 5, exited: second.promise });
  registry.add({ toolId: 'new', pid: 444_444, port: 6 }); // same pid, a later process
  first.resolve();
  await first.promise;
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(registry.entries.map((e) => e.toolId).sort(), ['new', 'other']);
  second.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(readRegistry(registry.filePath).tools.map((t) => t.toolId), ['new']);
});

test('close() forgets everything and removes the file; a later exit does not bring it back', async () => {
  const dir = freshDir();
  const registry = new ProcessRegistry(dir);
  const exit = deferred();
  registry.track({ toolId: 'a', pid: 666_666, port: 7, exited: exit.promise });
  assert.ok(fs.existsSync(registry.filePath));
  registry.close();
  assert.equal(fs.existsSync(registry.filePath), false);
  exit.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fs.existsSync(registry.filePath), false);
});

test('a write that fails is reported to onError and never thrown', () => {
  const blocker = path.join(tmp, 'not-a-folder');
  fs.writeFileSync(blocker, 'x');
  const errors: Error[] = [];
  const registry = new ProcessRegistry(path.join(blocker, REGISTRY_DIR_NAME), { onError: (e) => errors.push(e) });
  assert.doesNotThrow(() => registry.add({ toolId: 'a', pid: 777_777, port: 8 }));
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /ENOTDIR|EEXIST|not a folder/);
  assert.deepEqual(registry.entries.map((e) => e.pid), [777_777], 'still tracked in memory');
  const silent = new ProcessRegistry(path.join(blocker, 'x'));
  assert.doesNotThrow(() => silent.add({ toolId: 'a', pid: 777_777, port: 8 }));
});

test('parseRegistryFile accepts the format and rejects anything else', () => {
  const good = {
    format: 'pixie-tool-processes',
    version: 1,
    host: { pid: 10, startTime: '123', hostname: 'h' },
    tools: [{ toolId: 't', pid: 11, startTime: '124', port: 5000 }, { toolId: 'u', pid: 12, port: 0 }],
  };
  const ok = parseRegistryFile(JSON.stringify(good));
  assert.deepEqual(ok, { ok: true, file: good });

  const variants: [string, unknown][] = [
    ['truncated', JSON.stringify(good).slice(0, 40)],
    ['not an object', '[]'],
    ['no format tag', { ...good, format: undefined }],
    ['other format', { ...good, format: 'something-else' }],
    ['version 0', { ...good, version: 0 }],
    ['version as text', { ...good, version: '1' }],
    ['host pid 0', { ...good, host: { ...good.host, pid: 0 } }],
    ['host pid fractional', { ...good, host: { ...good.host, pid: 1.5 } }],
    ['no hostname', { ...good, host: { pid: 10 } }],
    ['start time a number', { ...good, host: { ...good.host, startTime: 123 } }],
    ['tools not a list', { ...good, tools: {} }],
    ['tool without id', { ...good, tools: [{ pid: 11, port: 1 }] }],
    ['tool port too big', { ...good, tools: [{ toolId: 't', pid: 11, port: 70_000 }] }],
    ['tool negative pid', { ...good, tools: [{ toolId: 't', pid: -11, port: 1 }] }],
    ['tool as string', { ...good, tools: ['t'] }],
  ];
  for (const [label, value] of variants) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    assert.deepEqual(parseRegistryFile(text), { ok: false, reason: 'corrupt' }, label);
  }
  assert.deepEqual(parseRegistryFile(JSON.stringify({ ...good, version: 2, tools: 'who knows' })), { ok: false, reason: 'newer' });
});

test('startTimeOf: the same value for the same process, none for a bad or missing pid; the ps path agrees with itself', () => {
  const own = startTimeOf(process.pid);
  assert.ok(own && /^\d+$/.test(own));
  assert.equal(startTimeOf(process.pid), own);
  assert.equal(startTimeOf(0), undefined);
  assert.equal(startTimeOf(-5), undefined);
  assert.equal(startTimeOf(2 ** 22 + 12345), undefined, 'above pid_max: no such process');
  assert.equal(startTimeOf(process.pid, 'win32'), undefined);
  const viaPs = startTimeOf(process.pid, 'darwin');
  assert.match(viaPs ?? '', /^ps:\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}$/);
  assert.equal(startTimeOf(process.pid, 'darwin'), viaPs);
  assert.notEqual(startTimeOf(1, 'darwin'), viaPs);
  assert.equal(startTimeOf(2 ** 22 + 12345, 'darwin'), undefined);
});
