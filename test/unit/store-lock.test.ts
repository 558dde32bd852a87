// The writer lock: O_EXCL file with {pid, host, nonce, time}, busy error after the timeout naming the holder,
// stale locks (dead pid, recycled pid, unreadable and old) broken under a guard, release only of our own lock,
// and fairness: a process that writes back-to-back cannot starve a waiting one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WriterLock } from '../../src/core/store/writerLock';
import { StoreBusyError } from '../../src/core/store/errors';
import { deadPid, tempDb } from '../integration/helpers/storeFiles';

async function withLockPath(fn: (lockPath: string) => Promise<void> | void): Promise<void> {
  const { dir, cleanup } = tempDb();
  try {
    await fn(path.join(dir, 'pixie.db.lck'));
  } finally {
    cleanup();
  }
}

function writeForeignLock(lockPath: string, holder: Record<string, unknown>): void {
  fs.writeFileSync(lockPath, JSON.stringify({ nonce: 'f00dfeedf00dfeed', time: new Date().toISOString(), ...holder }));
}

test('O_EXCL: one holder at a time; the file says who holds it', async () => {
  await withLockPath(async (lockPath) => {
    const a = new WriterLock(lockPath, 1_000);
    const b = new WriterLock(lockPath, 1_000);
    assert.equal(a.tryAcquire(), true);
    assert.equal(a.held, true);
    assert.equal(b.tryAcquire(), false);
    const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Record<string, unknown>;
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.host, os.hostname());
    assert.match(String(holder.nonce), /^[0-9a-f]{16}-[0-9a-z]+$/);
    assert.ok(!Number.isNaN(Date.parse(String(holder.time))));
    assert.throws(() => a.tryAcquire(), /already held/);
    a.release();
    assert.equal(a.held, false);
    assert.equal(fs.existsSync(lockPath), false);
    assert.equal(b.tryAcquire(), true);
    b.release();
  });
});

test('a held lock makes acquire() fail after the busy timeout with a message naming the holder', async () => {
  await withLockPath(async (lockPath) => {
    const a = new WriterLock(lockPath, 1_000);
    await a.acquire();
    const b = new WriterLock(lockPath, 300);
    const started = performance.now();
    await assert.rejects(b.acquire(), (error: Error) => {
      assert.ok(error instanceof StoreBusyError);
      assert.match(error.message, new RegExp(`^pixie\\.db is busy: process ${process.pid} on ${os.hostname()} \\(holding it since .+\\) holds the write lock \\(${lockPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) and did not release it within 0\\.3 s\\.`));
      return true;
    });
    const waited = performance.now() - started;
    assert.ok(waited >= 290 && waited < 2_500, `waited ${waited} ms`);
    assert.equal(a.held, true, 'the holder keeps its lock');
    a.release();
  });
});

test('a lock whose process is dead is broken at once', async () => {
  await withLockPath(async (lockPath) => {
    writeForeignLock(lockPath, { pid: deadPid(), host: os.hostname() });
    const lock = new WriterLock(lockPath, 2_000);
    const started = performance.now();
    await lock.acquire();
    assert.ok(performance.now() - started < 200);
    assert.equal((JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
  });
});

test('a lock of a live pid whose start time differs (pid recycled) is stale; with the same start time it is not', async () => {
  await withLockPath(async (lockPath) => {
    writeForeignLock(lockPath, { pid: process.pid, host: os.hostname(), start: '1' });
    const lock = new WriterLock(lockPath, 300);
    assert.equal(lock.isStale(), true);
    await lock.acquire();
    lock.release();
    // The real holder (this process, its real start time) is never taken for stale.
    const holder = new WriterLock(lockPath, 300);
    await holder.acquire();
    assert.equal(lock.isStale(), false);
    await assert.rejects(lock.acquire(), StoreBusyError);
    holder.release();
  });
});

test('a lock from another host is never broken (its pid means nothing here)', async () => {
  await withLockPath(async (lockPath) => {
    writeForeignLock(lockPath, { pid: deadPid(), host: `not-${os.hostname()}` });
    const lock = new WriterLock(lockPath, 250);
    assert.equal(lock.isStale(), false);
    await assert.rejects(lock.acquire(), /busy: process \d+ on not-/);
    assert.equal(fs.existsSync(lockPath), true);
  });
});

test('an unreadable lock is broken only once it is older than the grace period', async () => {
  await withLockPath(async (lockPath) => {
    fs.writeFileSync(lockPath, ''); // a holder killed between creating the file and writing it
    const lock = new WriterLock(lockPath, 250);
    assert.equal(lock.isStale(), false, 'young: its writer may be about to fill it in');
    await assert.rejects(lock.acquire(), /busy: another process holds the write lock/);
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(lockPath, old, old);
    fs.writeFileSync(lockPath, '{"pid": 12'); // half-written JSON is unreadable too
    fs.utimesSync(lockPath, old, old);
    assert.equal(lock.isStale(), true);
    await lock.acquire();
    lock.release();
  });
});

test('release() removes only our own lock (checked by nonce)', async () => {
  await withLockPath(async (lockPath) => {
    const lock = new WriterLock(lockPath, 1_000);
    await lock.acquire();
    // Someone broke our lock by mistake and took it: our release must not remove theirs.
    writeForeignLock(lockPath, { pid: process.pid, host: os.hostname(), nonce: 'someone-else' });
    lock.release();
    assert.equal(fs.existsSync(lockPath), true);
    assert.equal((JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { nonce: string }).nonce, 'someone-else');
    lock.release(); // not held: nothing happens
    assert.equal(fs.existsSync(lockPath), true);
  });
});

test('breaking is guarded: a live guard blocks it, a guard left by a dead breaker expires', async () => {
  await withLockPath(async (lockPath) => {
    writeForeignLock(lockPath, { pid: deadPid(), host: os.hostname() });
    fs.writeFileSync(`${lockPath}.guard`, '4242');
    const lock = new WriterLock(lockPath, 1_000);
    assert.equal(lock.breakIfStale(), false, 'someone else is breaking it right now');
    assert.equal(fs.existsSync(lockPath), true);
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(`${lockPath}.guard`, old, old);
    assert.equal(lock.breakIfStale(), false, 'the old guard is cleared first');
    assert.equal(fs.existsSync(`${lockPath}.guard`), false);
    assert.equal(lock.breakIfStale(), true);
    assert.equal(fs.existsSync(lockPath), false);
  });
});

test('fairness: a waiter gets the lock while another holder re-takes it back-to-back', async () => {
  await withLockPath(async (lockPath) => {
    const greedy = new WriterLock(lockPath, 5_000);
    const waiter = new WriterLock(lockPath, 3_000);
    let stop = false;
    let rounds = 0;
    const loop = (async () => {
      while (!stop) {
        await greedy.acquire();
        await sleep(3); // holds it a little, then re-takes it at once
        greedy.release();
        rounds += 1;
      }
    })();
    await sleep(20);
    const started = performance.now();
    await waiter.acquire();
    const waited = performance.now() - started;
    waiter.release();
    stop = true;
    await loop;
    assert.ok(rounds > 2);
    assert.ok(waited < 1_000, `the waiter waited ${Math.round(waited)} ms for a lock released ${rounds} times`);
    assert.equal(fs.existsSync(`${lockPath}.next`), false, 'the claim on the next turn is dropped once served');
  });
});

test('a claim on the next turn left by a dead process is ignored and removed', async () => {
  await withLockPath(async (lockPath) => {
    fs.writeFileSync(`${lockPath}.next`, JSON.stringify({ pid: deadPid(), owner: 'gone', time: Date.now() }));
    const lock = new WriterLock(lockPath, 1_000);
    const started = performance.now();
    await lock.acquire();
    assert.ok(performance.now() - started < 90, 'no standing back (100 ms) for a dead claimant');
    assert.equal(fs.existsSync(`${lockPath}.next`), false);
    lock.release();
  });
});

test('an empty claim file (its waiter killed before writing it) stops blocking fairness after the grace period', async () => {
  await withLockPath(async (lockPath) => {
    const claimPath = `${lockPath}.next`;
    fs.writeFileSync(claimPath, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(claimPath, old, old);
    const greedy = new WriterLock(lockPath, 5_000);
    const waiter = new WriterLock(lockPath, 3_000);
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await greedy.acquire();
        await sleep(3);
        greedy.release();
      }
    })();
    await sleep(20);
    const started = performance.now();
    await waiter.acquire();
    const waited = performance.now() - started;
    waiter.release();
    stop = true;
    await loop;
    assert.ok(waited < 1_000, `the waiter waited ${Math.round(waited)} ms`);
    assert.equal(fs.existsSync(claimPath), false);
  });
});
