// Three real processes doing locked read-modify-write increments of one counter on one pixie.db: the writer
// lock and the catch-up before each transaction must make every increment count (without the lock, about two
// thirds of them were lost in the design's measurements).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/core/store/open';
import { startWorker } from './helpers/workerProcess';
import { nativeIntegrityCheck, withNative } from './helpers/realSqlite';
import { COUNTER_TABLE, createTables, tempDb, tempLeftovers } from './helpers/storeFiles';

const WORKERS = 3;
const INCREMENTS = 500;

interface IncrementReport {
  counter: number;
  seconds: number;
  maxWriteMs: number[];
}

async function runIncrements(checkpointMaxRecords: number | undefined): Promise<IncrementReport> {
  const { dir, dbPath, cleanup } = tempDb();
  try {
    await createTables(dbPath, [COUNTER_TABLE, 'INSERT INTO counter (id, value) VALUES (1, 0)']);
    const started = Date.now();
    const workers = Array.from({ length: WORKERS }, () => startWorker({ mode: 'increment', dbPath, count: INCREMENTS, checkpointMaxRecords }));
    const maxWriteMs: number[] = [];
    try {
      for (const worker of workers) {
        const exit = await worker.exited;
        assert.equal(exit.code, 0, `worker ${worker.pid} failed: ${worker.stderr()}`);
        const done = worker.done() as { maxWriteMs: number } | undefined;
        assert.ok(done, `worker ${worker.pid} did not finish`);
        maxWriteMs.push(done.maxWriteMs);
      }
    } finally {
      for (const worker of workers) worker.kill();
      await Promise.all(workers.map((worker) => worker.exited));
    }
    const seconds = (Date.now() - started) / 1000;

    const store = await openStore({ dbPath });
    const counter = store.read((q) => q.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))?.value ?? -1;
    assert.equal(store.info().pendingLogRecords, 0, 'the last worker to close folded the log');
    await store.close();
    assert.deepEqual(tempLeftovers(dir), []);
    // What every other SQLite client sees after the workers closed (each close checkpoints).
    assert.equal(withNative(dbPath, (db) => (db.prepare('SELECT value FROM counter WHERE id = 1').get() as { value: number }).value), counter);
    assert.equal(nativeIntegrityCheck(dbPath), 'ok');
    return { counter, seconds, maxWriteMs };
  } finally {
    cleanup();
  }
}

for (let repeat = 1; repeat <= 3; repeat++) {
  test(`3 processes × 500 read-modify-write increments = exactly 1500 (run ${repeat} of 3)`, { timeout: 60_000 }, async () => {
    const report = await runIncrements(undefined);
    console.log(`increments run ${repeat}: ${JSON.stringify(report)}`);
    assert.equal(report.counter, WORKERS * INCREMENTS);
  });
}

test('3 × 500 increments with a checkpoint every 7 commits (checkpoints race other writers) = exactly 1500', { timeout: 60_000 }, async () => {
  const report = await runIncrements(7);
  console.log(`increments with frequent checkpoints: ${JSON.stringify(report)}`);
  assert.equal(report.counter, WORKERS * INCREMENTS);
});
