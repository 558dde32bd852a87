// Commits with durability 'background' (the run's started row): answered once the record is in the redo log, flushed
// on a worker thread while the writer lock stays held; ordering, close(), a failing flush. Also the writer's cheap
// paths (prepareForAppend after a read, the lock released by its file's identity, lastInsertRowid on demand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SqlJsStore } from '../../src/core/store/engine';
import { StoreError } from '../../src/core/store/errors';
import { LOG_HEADER_SIZE, RedoLog } from '../../src/core/store/redoLog';
import { WriterLock } from '../../src/core/store/writerLock';
import { withTemp } from '../integration/helpers/storeFiles';

const SETTINGS = 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)';
const NOTES = 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)';


const setting = (store: SqlJsStore, key: string): string | undefined =>
  store.read((q) => q.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;

type FdatasyncCallback = (error: NodeJS.ErrnoException | null) => void;

/** Holds every async fdatasync until release() (the sync one is untouched); restore() puts fs back. */
function holdAsyncFlushes(failWith?: NodeJS.ErrnoException): { pending: () => number; release: () => void; restore: () => void } {
  const original = fs.fdatasync;
  const held: (() => void)[] = [];
  const patched = (fd: number, callback: FdatasyncCallback): void => {
    held.push(() => (failWith ? callback(failWith) : original(fd, callback)));
  };
  (fs as unknown as { fdatasync: typeof patched }).fdatasync = patched;
  return {
    pending: () => held.length,
    release: () => held.splice(0).forEach((go) => go()),
    restore: () => {
      (fs as unknown as { fdatasync: typeof original }).fdatasync = original;
    },
  };
}

test("a 'background' commit is answered before its flush, visible at once to this store and another, and durable", async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open();
    const b = await open();
    await a.write((q) => q.run(SETTINGS));
    const flushes = holdAsyncFlushes();
    try {
      await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k', 'v']), { durability: 'background' });
      assert.equal(flushes.pending(), 1, 'answered while its flush is still outstanding');
      assert.equal(setting(a, 'k'), 'v');
      assert.equal(setting(b, 'k'), 'v', 'the record is in the log file: another store reads it');
      assert.equal(new WriterLock(a.lockPath, 100).tryAcquire(), false, 'the writer lock is held until the flush is done');
    } finally {
      flushes.release();
      flushes.restore();
    }
    await a.close();
    const c = await SqlJsStore.open({ dbPath });
    assert.equal(setting(c, 'k'), 'v');
    await c.close();
  });
});

test("this store's next write, and another store's, wait for a pending 'background' flush", async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    const b = await open({ busyTimeoutMs: 5_000 });
    await a.write((q) => q.run(SETTINGS));
    const flushes = holdAsyncFlushes();
    const order: string[] = [];
    try {
      await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['first', '1']), { durability: 'background' });
      const next = a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['second', '2'])).then(() => order.push('a'));
      const other = b.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['third', '3'])).then(() => order.push('b'));
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(order.length, 0, 'nobody committed while the flush was pending');
      order.push('flushed');
      flushes.release();
      await Promise.all([next, other]);
    } finally {
      flushes.restore();
    }
    assert.equal(order[0], 'flushed');
    assert.deepEqual(order.slice(1).sort(), ['a', 'b']);
    for (const store of [a, b]) {
      assert.equal(setting(store, 'first'), '1');
      assert.equal(setting(store, 'second'), '2');
      assert.equal(setting(store, 'third'), '3');
    }
  });
});

test("close() waits for a pending 'background' flush, and a checkpoint never overtakes one", async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open({ checkpointMaxRecords: 3 });
    await a.write((q) => q.run(SETTINGS));
    await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['one', '1']));
    // The third record reaches checkpointMaxRecords: it is flushed in place (no worker), then checkpointed.
    const flushes = holdAsyncFlushes();
    try {
      await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['two', '2']), { durability: 'background' });
      assert.equal(flushes.pending(), 0, 'a commit that triggers a checkpoint is flushed before it');
      assert.equal(a.info().pendingLogRecords, 0, 'and the checkpoint ran');
      await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['three', '3']), { durability: 'background' });
      assert.equal(flushes.pending(), 1);
      let closed = false;
      const closing = a.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(closed, false, 'close() is waiting for the flush');
      flushes.release();
      await closing;
    } finally {
      flushes.restore();
    }
    const c = await SqlJsStore.open({ dbPath });
    assert.equal(setting(c, 'three'), '3');
    await c.close();
  });
});

test("a failing 'background' flush is logged, the lock is released, and the store goes on from the disk", async () => {
  await withTemp(async (_db, open) => {
    const messages: string[] = [];
    const a = await open({ log: (level, message) => messages.push(`${level}: ${message}`) });
    await a.write((q) => q.run(SETTINGS));
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }) as NodeJS.ErrnoException;
    const flushes = holdAsyncFlushes(eio);
    try {
      await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k', 'v']), { durability: 'background' });
      flushes.release();
    } finally {
      flushes.restore();
    }
    await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['after', 'yes']));
    assert.ok(messages.some((m) => m.startsWith('error: could not flush the redo log') && m.includes('EIO')), messages.join('\n'));
    assert.equal(setting(a, 'after'), 'yes', 'the next commit took the lock and succeeded');
    assert.equal(setting(a, 'k'), 'v', 'reloaded from the log, which still holds the record the page cache kept');
  });
});

test('a torn record another writer left after ours is zeroed before our next append (the cheap path is not taken)', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['one', '1']));
    // Where the next record goes, bytes of a record a crashed writer began (the magic and a length, then nothing).
    const end = new RedoLog(a.logPath).read(LOG_HEADER_SIZE).validEnd;
    const torn = Buffer.alloc(4096, 0x7a);
    torn.writeUInt32LE(0x52454431, 0);
    const fd = fs.openSync(a.logPath, 'r+');
    fs.writeSync(fd, torn, 0, torn.length, end);
    fs.closeSync(fd);
    await a.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['two', '2']));
    const log = new RedoLog(a.logPath).read(LOG_HEADER_SIZE);
    assert.equal(log.records.length, 3, 'all three records read back');
    const after = Buffer.alloc(4096);
    const check = fs.openSync(a.logPath, 'r');
    fs.readSync(check, after, 0, after.length, log.validEnd);
    fs.closeSync(check);
    assert.ok(after.every((byte) => byte === 0), 'nothing but zeros after the last record');
    const b = await SqlJsStore.open({ dbPath });
    assert.equal(setting(b, 'two'), '2');
    await b.close();
  });
});

test('release() leaves a lock file that replaced ours (same path, another file) in place', async () => {
  await withTemp(async ({ dbPath }) => {
    const lockPath = `${dbPath}.lck`;
    const lock = new WriterLock(lockPath, 100);
    assert.equal(lock.tryAcquire(), true);
    // Ours was broken by mistake and someone else took the lock: a new file at the same path.
    fs.unlinkSync(lockPath);
    fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: 'elsewhere', nonce: 'theirs', time: new Date().toISOString() }));
    lock.release();
    assert.equal(JSON.parse(fs.readFileSync(lockPath, 'utf8')).nonce, 'theirs');
    fs.unlinkSync(lockPath);
    assert.equal(lock.tryAcquire(), true);
    lock.release();
    assert.equal(fs.existsSync(lockPath), false, 'our own lock file is removed');
  });
});

test('lastInsertRowid is read on demand: right after its statement it is exact; later it refuses to guess', async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    await a.write((q) => q.run(NOTES));
    const ids = await a.write((q) => [q.run('INSERT INTO notes (text) VALUES (?)', ['a']).lastInsertRowid, q.run('INSERT INTO notes (text) VALUES (?)', ['b']).lastInsertRowid]);
    assert.deepEqual(ids, [1, 2]);
    await assert.rejects(
      a.write((q) => {
        const first = q.run('INSERT INTO notes (text) VALUES (?)', ['c']);
        q.run('INSERT INTO notes (text) VALUES (?)', ['d']);
        return first.lastInsertRowid;
      }),
      (error: unknown) => error instanceof StoreError && /right after its statement/.test(error.message),
    );
    const kept = await a.write((q) => q.run('INSERT INTO notes (text) VALUES (?)', ['e']));
    assert.throws(() => kept.lastInsertRowid, /right after its statement/, 'not outside the write() callback either');
    const updated = await a.write((q) => q.run('UPDATE notes SET text = ? WHERE id = ?', ['z', 1]).lastInsertRowid);
    assert.equal(updated, 0, 'not an insert: 0, as before');
  });
});
