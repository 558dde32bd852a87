// WriteOptions.keepLockMs: the writer lock kept for a moment after a commit, so this store's next write (a run's
// outcome after its started row) commits without taking the lock again. Kept, then given back by itself; taken over
// by the next write; waited for (not broken) by another store; given back by close() and by a failing write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SqlJsStore } from '../../src/core/store/engine';
import { WriterLock } from '../../src/core/store/writerLock';
import type { WriteQueries } from '../../src/core/store/types';
import { withTemp } from '../integration/helpers/storeFiles';

const SETTINGS = 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)';
const put = (key: string, value: string) => (q: WriteQueries) => {
  q.run('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', [key, value]);
};
const setting = (store: SqlJsStore, key: string): string | undefined =>
  store.read((q) => q.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Inode and change time of the lock file: the same pair means the same acquisition. */
function lockIdentity(lockPath: string): string | undefined {
  const stat = fs.statSync(lockPath, { bigint: true, throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.ctimeNs}` : undefined;
}

for (const durability of ['full', 'background'] as const) {
  test(`keepLockMs (${durability}): the lock stays held after the commit, then is given back by itself`, async () => {
    await withTemp(async (_db, open) => {
      const a = await open();
      await a.write((q) => q.run(SETTINGS));
      assert.equal(fs.existsSync(a.lockPath), false, 'released at once without keepLockMs');
      await a.write(put('k', 'v'), { durability, keepLockMs: 500 });
      await sleep(20); // a background flush is done by now
      assert.ok(fs.existsSync(a.lockPath), 'kept after the commit');
      const other = new WriterLock(a.lockPath, 100);
      assert.equal(other.tryAcquire(), false, 'nobody else can take it meanwhile');
      other.dispose();
      await sleep(1_200);
      assert.equal(fs.existsSync(a.lockPath), false, 'given back when the time is up');
      assert.equal(setting(a, 'k'), 'v');
    });
  });
}

test('the next write inside the window takes the kept lock over (same acquisition) and then releases it', async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write(put('started', 'yes'), { durability: 'background', keepLockMs: 5_000 });
    await sleep(10);
    const kept = lockIdentity(a.lockPath);
    assert.ok(kept);
    let during: string | undefined;
    await a.write((q) => {
      during = lockIdentity(a.lockPath);
      put('finished', 'yes')(q);
    });
    assert.equal(during, kept, 'no new lock file: the kept one was used');
    assert.equal(fs.existsSync(a.lockPath), false, 'released right after the write that took it over');
    assert.equal(setting(a, 'finished'), 'yes');
    // Both commits are on disk: a fresh store reads them.
    const b = await open();
    assert.equal(setting(b, 'started'), 'yes');
    assert.equal(setting(b, 'finished'), 'yes');
  });
});

test('another store waits for a kept lock (it is never broken as stale) and then writes; nothing is lost', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open();
    const b = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write(put('a', '1'), { keepLockMs: 200 });
    const started = performance.now();
    await b.write(put('b', '2'));
    const waited = performance.now() - started;
    assert.ok(waited >= 100, `b waited for the kept lock (${waited.toFixed(0)} ms)`);
    assert.ok(waited < 2_000, `and not much longer (${waited.toFixed(0)} ms)`);
    await a.write(put('a', '3'));
    await a.close();
    await b.close();
    const c = await SqlJsStore.open({ dbPath });
    assert.equal(setting(c, 'a'), '3');
    assert.equal(setting(c, 'b'), '2');
    await c.close();
  });
});

test('close() gives a kept lock back and folds the log as usual', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write(put('k', 'v'), { durability: 'background', keepLockMs: 60_000 });
    await sleep(10);
    assert.ok(fs.existsSync(a.lockPath));
    const started = performance.now();
    await a.close();
    assert.ok(performance.now() - started < 5_000, 'close did not wait for the keep to run out');
    assert.equal(fs.existsSync(a.lockPath), false);
    const c = await SqlJsStore.open({ dbPath });
    assert.equal(setting(c, 'k'), 'v');
    assert.equal(c.info().pendingLogRecords, 0, 'checkpointed on close');
    await c.close();
  });
});

test('a failing write that took over a kept lock releases it; a checkpoint takes it over too', async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write(put('k', 'v'), { keepLockMs: 60_000 });
    await assert.rejects(
      a.write(() => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(fs.existsSync(a.lockPath), false, 'released after the failure');
    assert.equal(setting(a, 'k'), 'v', 'the earlier commit stands');
    await a.write(put('k', 'w'), { keepLockMs: 60_000 });
    await a.checkpoint();
    assert.equal(fs.existsSync(a.lockPath), false, 'the checkpoint took the kept lock over and released it');
    assert.equal(a.info().pendingLogRecords, 0);
  });
});
