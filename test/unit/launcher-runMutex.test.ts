import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunMutex } from '../../src/core/runner/launcher/runMutex';

test('grants the lock in FIFO order, one holder at a time', async () => {
  const mutex = new RunMutex();
  const order: number[] = [];
  let holders = 0;
  let maxHolders = 0;
  await Promise.all(
    [1, 2, 3, 4].map(async (n) => {
      const release = await mutex.acquire();
      holders++;
      maxHolders = Math.max(maxHolders, holders);
      order.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      holders--;
      release();
    }),
  );
  assert.deepEqual(order, [1, 2, 3, 4]);
  assert.equal(maxHolders, 1);
  assert.equal(mutex.locked, false);
});

test('a waiter that aborts leaves the queue without taking the lock', async () => {
  const mutex = new RunMutex();
  const release = await mutex.acquire();
  const controller = new AbortController();
  const waiting = mutex.acquire(controller.signal);
  const next = mutex.acquire();
  assert.equal(mutex.waiting, 2);
  controller.abort(new Error('user cancelled'));
  await assert.rejects(waiting, /user cancelled/);
  assert.equal(mutex.waiting, 1);
  release();
  const releaseNext = await next;
  assert.equal(mutex.locked, true);
  releaseNext();
  assert.equal(mutex.locked, false);
});

test('an already-aborted signal rejects at once; a release called twice is harmless', async () => {
  const mutex = new RunMutex();
  await assert.rejects(mutex.acquire(AbortSignal.abort(new Error('gone'))), /gone/);
  const release = await mutex.acquire();
  const second = mutex.acquire();
  release();
  release(); // must not hand the lock to a second waiter or unlock it under the new holder
  const release2 = await second;
  assert.equal(mutex.locked, true);
  release2();
  assert.equal(mutex.locked, false);
});
