// A child process that uses the store the way a second VS Code window or the `pixie` CLI would, driven by the
// integration tests. Run: node --import tsx storeWorker.ts '<json WorkerJob>'.
// Protocol on stdout, one line each: "ready" once the store is open, "ack <id>" only AFTER write() resolved
// (so every acknowledged id must survive a SIGKILL), "done <json>" at the end. Errors go to stderr, exit code 1.
import fs from 'node:fs';
import { openStore } from '../../../src/core/store/open';
import type { SqlJsStore } from '../../../src/core/store/engine';

export type WorkerJob =
  | {
      /** Read-modify-write `counter.value` (id 1) `count` times, each in its own write. */
      mode: 'increment';
      dbPath: string;
      count: number;
      checkpointMaxRecords?: number;
    }
  | {
      /** Insert rows `<tag>-<n>` into `items` (with a payload), acknowledging each; `count` 0 = until killed. */
      mode: 'append';
      dbPath: string;
      tag: string;
      count: number;
      payloadBytes: number;
      checkpointMaxRecords?: number;
      /** Pause between writes, so readers get a look in. */
      pauseMs?: number;
      /** Also add 1 to `counter.value` (id 1) in the same transaction: replaying a record twice would show. */
      alsoCount?: boolean;
    };

/** Written with fs.writeSync so a line is in the pipe before the next statement runs (a SIGKILL cannot lose it). */
function say(line: string): void {
  fs.writeSync(1, `${line}\n`);
}

function openFor(job: WorkerJob): Promise<SqlJsStore> {
  return openStore({
    dbPath: job.dbPath,
    checkpointMaxRecords: job.checkpointMaxRecords,
    // Only threshold checkpoints (and the one on close) in workers: the tests choose how often they happen.
    idleCheckpointMs: 60_000,
    log: (level, message) => process.stderr.write(`[worker ${process.pid} ${level}] ${message}\n`),
  });
}

async function increment(job: Extract<WorkerJob, { mode: 'increment' }>): Promise<void> {
  const store = await openFor(job);
  say('ready');
  let maxWriteMs = 0;
  for (let i = 0; i < job.count; i++) {
    const started = performance.now();
    await store.write((q) => {
      const row = q.get<{ value: number }>('SELECT value FROM counter WHERE id = 1');
      if (!row) throw new Error('counter row 1 is missing');
      q.run('UPDATE counter SET value = ? WHERE id = 1', [row.value + 1]);
    });
    maxWriteMs = Math.max(maxWriteMs, performance.now() - started);
  }
  await store.close();
  say(`done ${JSON.stringify({ increments: job.count, maxWriteMs: Math.round(maxWriteMs) })}`);
}

async function append(job: Extract<WorkerJob, { mode: 'append' }>): Promise<void> {
  const store = await openFor(job);
  say('ready');
  const payload = 'x'.repeat(job.payloadBytes);
  for (let n = 1; job.count === 0 || n <= job.count; n++) {
    const id = `${job.tag}-${n}`;
    await store.write((q) => {
      q.run('INSERT INTO items (id, writer, payload) VALUES (?, ?, ?)', [id, job.tag, payload]);
      if (job.alsoCount) q.run('UPDATE counter SET value = value + 1 WHERE id = 1');
    });
    say(`ack ${id}`);
    if (job.pauseMs) await new Promise((resolve) => setTimeout(resolve, job.pauseMs));
  }
  await store.close();
  say(`done ${JSON.stringify({ appended: job.count })}`);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
  if (job.mode === 'increment') await increment(job);
  else if (job.mode === 'append') await append(job);
  else throw new Error(`unknown worker mode in ${process.argv[2]}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker ${process.pid} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exit(1);
});
