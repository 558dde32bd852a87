// A child process for the sweeper's multi-process tests (and the benchmark). Run: node sweeperWorker.js '<json job>'.
// Protocol on stdout, one line each, written synchronously (a SIGKILL cannot lose a line already written):
//   "ready"                 the store is open
//   "ack <run id>"          (record) the run is finished and durable, files on disk
//   "progress <phase> <done> <total> <bytes>"   (sweep) after each batch
//   "done <json>"           the job finished
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/store/open';
import { addRunArtefactBytes, finishRun, insertStartedRun } from '../../../src/core/store/repositories/runs';
import { insertArtefact } from '../../../src/core/store/repositories/artefacts';
import { setSetting } from '../../../src/core/store/repositories/settings';
import { applyPlan, planManualSweep } from '../../../src/core/sweeper';
import type { Store, WriteQueries } from '../../../src/core/store/types';

export type SweeperWorkerJob =
  | {
      /** Record runs the way the runner does: row (running) → files → artefact rows → finished. */
      mode: 'record';
      dbPath: string;
      artefactsRoot: string;
      toolId: string;
      tag: string;
      count: number;
      filesPerRun: number;
      /** Every n-th run is dated this many days back (so a sweep may take it once finished); 0 = never. */
      oldEvery: number;
      oldDays: number;
      pauseMs: number;
    }
  | {
      /** A tiny write every `intervalMs` until `durationMs` passed (or killed), each reported as
       *  "wait <ms it waited for the lock> <epoch ms when it asked>". */
      mode: 'probe';
      dbPath: string;
      durationMs: number;
      intervalMs: number;
    }
  | {
      /** `pixie sweep --apply --older-than …` with small batches, reporting progress. */
      mode: 'sweep';
      dbPath: string;
      artefactsRoot: string;
      toolsDir: string;
      olderThanSeconds: number;
      runBatchSize: number;
      /** Say "committed" after every durable write, then sleep this long: a kill then lands between a batch's
       *  commit and its unlinks, the window the unlink journal exists for. */
      pauseAfterWriteMs?: number;
    };

function say(line: string): void {
  fs.writeSync(1, `${line}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function record(job: Extract<SweeperWorkerJob, { mode: 'record' }>): Promise<void> {
  const store = await openStore({ dbPath: job.dbPath, idleCheckpointMs: 60_000, busyTimeoutMs: 30_000 });
  say('ready');
  let maxWaitMs = 0;
  const timed = async <T>(fn: (q: WriteQueries) => T): Promise<T> => {
    const asked = performance.now();
    return store.write((q) => {
      maxWaitMs = Math.max(maxWaitMs, performance.now() - asked);
      return fn(q);
    });
  };
  for (let i = 0; i < job.count; i++) {
    const id = `${job.tag}-${String(i).padStart(5, '0')}`;
    const old = job.oldEvery > 0 && i % job.oldEvery === 0;
    const startedAt = new Date(Date.now() - (old ? job.oldDays * 86_400_000 : 0)).toISOString();
    await timed((q) => insertStartedRun(q, { id, toolId: job.toolId, startedAt, inputsJson: '{"n":1}' }));
    const dir = path.join(job.artefactsRoot, job.toolId, id);
    fs.mkdirSync(dir, { recursive: true });
    const rows: Array<{ rel: string; bytes: number }> = [];
    for (let f = 0; f < job.filesPerRun; f++) {
      const bytes = 50 + ((i * 7 + f * 13) % 200);
      fs.writeFileSync(path.join(dir, `out-${f}.bin`), Buffer.alloc(bytes, 3));
      rows.push({ rel: `${job.toolId}/${id}/out-${f}.bin`, bytes });
    }
    await timed((q) => {
      for (const row of rows) {
        insertArtefact(q, {
          runId: id, toolId: job.toolId, outputKey: 'out', relPath: row.rel, filename: path.basename(row.rel),
          mime: 'application/octet-stream', sizeBytes: row.bytes, sha256: row.rel, createdAt: startedAt,
        });
      }
      addRunArtefactBytes(q, id, rows.reduce((sum, row) => sum + row.bytes, 0));
      finishRun(q, id, { status: 'ok', finishedAt: new Date().toISOString() });
    });
    say(`ack ${id}`);
    if (job.pauseMs > 0) await sleep(job.pauseMs);
  }
  await store.close();
  say(`done ${JSON.stringify({ maxWaitMs })}`);
}

async function probe(job: Extract<SweeperWorkerJob, { mode: 'probe' }>): Promise<void> {
  const store = await openStore({ dbPath: job.dbPath, idleCheckpointMs: 60_000, busyTimeoutMs: 30_000 });
  say('ready');
  const end = Date.now() + job.durationMs;
  let n = 0;
  let maxWaitMs = 0;
  while (Date.now() < end) {
    const askedAt = Date.now();
    const asked = performance.now();
    await store.write((q) => {
      const waited = performance.now() - asked;
      maxWaitMs = Math.max(maxWaitMs, waited);
      say(`wait ${waited.toFixed(2)} ${askedAt}`);
      setSetting(q, 'probe.counter', String(n++));
    });
    await sleep(job.intervalMs);
  }
  await store.close();
  say(`done ${JSON.stringify({ writes: n, maxWaitMs })}`);
}

/** The store with a pause after each commit (see pauseAfterWriteMs). */
function pausingAfterWrites(store: Store, pauseMs: number): Store {
  return {
    read: (fn) => store.read(fn),
    write: async (fn) => {
      const result = await store.write(fn);
      say('committed');
      await sleep(pauseMs);
      return result;
    },
    checkpoint: () => store.checkpoint(),
    onDidChange: (listener) => store.onDidChange(listener),
    refresh: () => store.refresh(),
    info: () => store.info(),
    get readOnlyReason() {
      return store.readOnlyReason;
    },
    close: () => store.close(),
  };
}

async function sweep(job: Extract<SweeperWorkerJob, { mode: 'sweep' }>): Promise<void> {
  const opened = await openStore({ dbPath: job.dbPath, idleCheckpointMs: 60_000, busyTimeoutMs: 30_000 });
  const store = job.pauseAfterWriteMs ? pausingAfterWrites(opened, job.pauseAfterWriteMs) : opened;
  say('ready');
  const settings = {
    artefactsRoot: job.artefactsRoot,
    dbPath: job.dbPath,
    toolsDir: job.toolsDir,
    retainRuns: 100,
    softDeleteRetentionDays: 7,
    retentionMaxArtefactBytes: 0,
  };
  const plan = await planManualSweep({ store, settings, olderThanSeconds: job.olderThanSeconds });
  const result = await applyPlan(plan, {
    store,
    settings,
    runBatchSize: job.runBatchSize,
    rowBatchSize: job.runBatchSize,
    fileBatchSize: job.runBatchSize,
    onProgress: (p) => say(`progress ${p.phase} ${p.done} ${p.total} ${p.bytesFreed}`),
  });
  await store.close();
  say(`done ${JSON.stringify(result.totals)}`);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as SweeperWorkerJob;
  if (job.mode === 'record') await record(job);
  else if (job.mode === 'probe') await probe(job);
  else if (job.mode === 'sweep') await sweep(job);
  else throw new Error(`unknown job ${JSON.stringify(job)}`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
