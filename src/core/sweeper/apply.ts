// Executes a plan in batches, each one short `store.write` (one hold of the writer lock), so runs being recorded
// meanwhile wait milliseconds, not seconds. Order inside a batch: re-check and delete rows (and journal the files that
// lost their last row) in the transaction; after the commit, unlink those files. A crash between the two leaves
// files without rows — never rows without files — and the next sweep finishes them from the journal. See
// docs/RETENTION.md.
import fs from 'node:fs';
import path from 'node:path';
import { setJsonSetting } from '../store/repositories/settings';
import type { Store, WriteQueries } from '../store/types';
import {
  ArtefactFiles,
  FILE_CONCURRENCY,
  mapConcurrent,
  removeFilesByFolder,
  removeRegularFileAsync,
  type RemoveOutcome,
} from './fileRemoval';
import { JobPool } from './jobPool';
import { insideRunningRun, STALE_AFTER_MS, tempFileVeto } from './housekeeping';
import { clearJournal, journalKey, readJournals, writeJournal } from './journal';
import { SweeperLease, type LeaseOptions } from './lease';
import { PASS_RECORD_KEYS, passRecordOf } from './records';
import {
  deleteArtefactBatch,
  deleteReportBatch,
  deleteRunBatch,
  readRunBatch,
  runningRunIds,
  stillReferenced,
  type BatchOutcome,
} from './transactions';
import type { FileSweepReason, PlannedFile, PlannedRun, SweepPhase, SweepPlan, SweepProgress, SweepResult } from './types';

export interface ApplyOptions {
  store: Store;
  artefactsRoot: string;
  /** pixie.db, for the store temp files a plan may list. */
  dbPath?: string;
  /** Stops between batches; what was done is reported with `cancelled: true`. */
  signal?: AbortSignal;
  onProgress?: (progress: SweepProgress) => void;
  /** Runs per transaction, fixed (fewer when they hold many artefacts). Default: adaptive, see lockHoldTargetMs. */
  runBatchSize?: number;
  /** Without runBatchSize, each run batch is sized so one transaction holds the writer lock about this long
   *  (default 25 ms): big batches on a fast machine, small ones on a slow or busy one, where other writers wait.
   *  Another writer can wait for up to two holds plus its replay of what they deleted, so keep it well under the
   *  100 ms a writer may wait. */
  lockHoldTargetMs?: number;
  /** Artefact rows (or reports) per transaction (default 200). */
  rowBatchSize?: number;
  /** Files unlinked between two looks at the signal and the lease (housekeeping phase; default 500). */
  fileBatchSize?: number;
  now?: () => Date;
  staleAfterMs?: number;
  /** A lease the caller already holds (the scheduler); otherwise apply takes one and gives it back. */
  lease?: SweeperLease;
  leaseOptions?: LeaseOptions;
  /** Record the pass in `settings` (default true). */
  record?: boolean;
}

const HOUSEKEEPING_REASONS: readonly FileSweepReason[] = ['orphan', 'partial', 'temp'];

/** The mutable state of one apply. */
class ApplyRun {
  readonly files: ArtefactFiles;
  readonly result: Omit<SweepResult, 'finishedAt'>;
  private seq = 0;
  /** Journals whose files have all been dealt with: cleared by the next transaction. */
  private finishedJournals: string[] = [];
  private readonly now: () => Date;
  readonly staleAfterMs: number;

  constructor(
    readonly plan: SweepPlan,
    readonly options: ApplyOptions,
    readonly lease: SweeperLease,
  ) {
    this.files = new ArtefactFiles(options.artefactsRoot);
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
    this.result = {
      kind: plan.kind,
      criteria: plan.criteria,
      startedAt: this.now().toISOString(),
      dryRun: false,
      cancelled: false,
      runs: [],
      artefacts: [],
      files: [],
      validationReports: [],
      refused: [],
      skipped: [],
      recovered: [],
      failed: [],
      notes: [...plan.notes],
      totals: { runs: 0, artefacts: 0, files: 0, validationReports: 0, bytes: 0 },
    };
  }

  get store(): Store {
    return this.options.store;
  }

  nowMs(): number {
    return this.now().getTime();
  }

  aborted(): boolean {
    if (this.options.signal?.aborted) this.result.cancelled = true;
    return this.result.cancelled;
  }

  progress(phase: SweepPhase, done: number, total: number): void {
    this.options.onProgress?.({ phase, done, total, bytesFreed: this.result.totals.bytes });
  }

  /**
   * Runs `fn` in a write that also renews the lease, clears the journals of batches whose files are done, and opens
   * this batch's journal (returned as `journal` when the batch freed files).
   */
  async batch(fn: (q: WriteQueries) => BatchOutcome): Promise<BatchOutcome & { journal: string | undefined }> {
    const key = journalKey(this.lease.nonce, ++this.seq);
    const clearing = [...this.finishedJournals];
    const outcome = await this.store.write((q) => {
      this.lease.renewIn(q);
      for (const done of clearing) clearJournal(q, done);
      const out = fn(q);
      const pending = [...out.files, ...out.thumbs];
      if (pending.length > 0) writeJournal(q, key, pending);
      return out;
    });
    this.finishedJournals = this.finishedJournals.filter((done) => !clearing.includes(done));
    return { ...outcome, journal: outcome.files.length + outcome.thumbs.length > 0 ? key : undefined };
  }

  /** After a batch's commit: unlink its freed files, then empty folders they (or deleted runs) leave behind. */
  async unlinkFreed(outcome: BatchOutcome & { journal: string | undefined }, runDirs: readonly string[] = []): Promise<void> {
    this.files.forgetCheckedDirs();
    const outcomes = await removeFilesByFolder(this.files, new JobPool(FOLDER_JOBS), freedPaths(outcome), runDirs);
    this.bookFreed(outcome, outcomes);
  }

  /** Books the outcomes of removeFilesByFolder(freedPaths(outcome)); the batch's journal can then be cleared. */
  bookFreed(outcome: BatchOutcome & { journal: string | undefined }, outcomes: readonly RemoveOutcome[]): void {
    outcomes.forEach((removed, i) => {
      const file: PlannedFile =
        i < outcome.files.length
          ? { relPath: outcome.files[i], base: 'artefacts', bytes: 0, reason: 'last-row' }
          : { relPath: outcome.thumbs[i - outcome.files.length], base: 'artefacts', bytes: 0, reason: 'thumb' };
      this.record(removed, file, this.result.files);
    });
    if (outcome.journal !== undefined) this.finishedJournals.push(outcome.journal);
  }

  /** Books one file outcome; true when it was unlinked. */
  record(outcome: RemoveOutcome, file: PlannedFile, into: PlannedFile[]): boolean {
    switch (outcome.kind) {
      case 'removed':
        into.push({ ...file, bytes: outcome.bytes });
        this.result.totals.files += 1;
        this.result.totals.bytes += outcome.bytes;
        return true;
      case 'refused':
        this.result.refused.push({ relPath: file.relPath, reason: outcome.reason });
        return false;
      case 'failed':
        this.result.failed.push({ id: file.relPath, reason: outcome.reason });
        return false;
      case 'kept':
        this.result.skipped.push({ id: file.relPath, reason: outcome.reason });
        return false;
      case 'missing':
        return false; // already gone: nothing freed, nothing to report twice
    }
  }

  absorb(outcome: BatchOutcome): void {
    this.result.runs.push(...outcome.runs);
    this.result.artefacts.push(...outcome.artefacts);
    this.result.skipped.push(...outcome.skipped);
    this.result.totals.runs += outcome.runs.length;
    this.result.totals.artefacts += outcome.artefacts.length;
  }

  /** The last transaction: close the journal, record the pass, give the lease back (if ours). */
  async finish(ownLease: boolean): Promise<SweepResult> {
    const finishedAt = this.now();
    const clearing = [...this.finishedJournals];
    const record = this.options.record !== false ? passRecordOf(this.result, finishedAt) : undefined;
    await this.store.write((q) => {
      if (ownLease) this.lease.releaseIn(q);
      else this.lease.renewIn(q);
      for (const done of clearing) clearJournal(q, done);
      if (record) setJsonSetting(q, PASS_RECORD_KEYS[this.plan.kind], record);
    });
    this.finishedJournals = [];
    if (ownLease) this.lease.markReleased();
    return { ...this.result, finishedAt: finishedAt.toISOString() };
  }
}

/** Finishes files that interrupted sweeps had committed to unlinking (their rows are already gone). */
async function recover(run: ApplyRun): Promise<void> {
  const journals = run.store.read((q) => readJournals(q, run.lease.nonce));
  let done = 0;
  for (const journal of journals) {
    run.progress('recover', done, journals.length);
    const kept = run.store.read((q) => {
      const refs = stillReferenced(q, 'rel_path', journal.files);
      for (const thumb of stillReferenced(q, 'thumb_path', journal.files)) refs.add(thumb);
      return refs;
    });
    run.files.forgetCheckedDirs();
    // A row pointing at a file again means it is not ours to delete any more.
    const todo = journal.files.filter((rel) => !kept.has(rel));
    const outcomes = await mapConcurrent(todo, FILE_CONCURRENCY, (rel) => run.files.removeAsync(rel));
    const dirs = new Set<string>();
    outcomes.forEach((outcome, i) => {
      const rel = todo[i];
      if (run.record(outcome, { relPath: rel, base: 'artefacts', bytes: 0, reason: 'last-row' }, run.result.recovered) && rel.includes('/')) {
        dirs.add(rel.slice(0, rel.lastIndexOf('/')));
      }
    });
    await mapConcurrent([...dirs], FILE_CONCURRENCY, (dir) => run.files.removeEmptyDirs(dir));
    await run.store.write((q) => {
      run.lease.renewIn(q);
      clearJournal(q, journal.key);
    });
    done++;
  }
  if (journals.length > 0) run.progress('recover', done, journals.length);
}

/** The next batch from `start`: up to `maxRuns` runs and about `maxRows` artefact rows (always at least one run). */
function nextRunBatch(runs: readonly PlannedRun[], start: number, maxRuns: number, maxRows: number): PlannedRun[] {
  const batch: PlannedRun[] = [];
  let rows = 0;
  for (let i = start; i < runs.length; i++) {
    const run = runs[i];
    if (batch.length > 0 && (batch.length >= maxRuns || rows + run.artefactCount > maxRows)) break;
    batch.push(run);
    rows += run.artefactCount;
  }
  return batch;
}

/** Adaptive run batches: the first size, and the bounds. The upper one also bounds what another writer replays
 *  after one batch (about 1000 rows with their index entries). */
const ADAPTIVE = { first: 50, min: 5, max: 250 };
/** Folder jobs in flight at once (each a few lstat/unlink calls, then an rmdir): enough to keep libuv's pool busy. */
const FOLDER_JOBS = 16;
/** Committed run batches whose files may be in flight when the next transaction starts: the previous one only, so
 *  a cancel (or a lost lease) seen in a batch's progress stops the sweep at most one batch later. */
const MAX_BATCHES_IN_FLIGHT = 2;

/** Paths a committed batch freed, files then thumbnails (the order bookFreed expects). */
function freedPaths(outcome: BatchOutcome): string[] {
  return [...outcome.files, ...outcome.thumbs];
}

/** Next batch size from how long the last one held the lock: towards the target, at most doubling or halving. */
function adaptBatchSize(size: number, heldMs: number, targetMs: number): number {
  const factor = Math.min(2, Math.max(0.5, targetMs / Math.max(heldMs, 1)));
  return Math.min(ADAPTIVE.max, Math.max(ADAPTIVE.min, Math.round(size * factor)));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs, pipelined: the files of committed batches are unlinked (on a pool shared by all batches) while the next
 * transactions run, so the disk's latency and sql.js's CPU overlap and the file work never drains between batches.
 * At most MAX_BATCHES_IN_FLIGHT committed batches have files in flight; their outcomes are booked in batch order, and
 * a journal is cleared only once its files were dealt with. Cancelling stops before the next transaction (batches
 * already committed are finished).
 */
async function applyRuns(run: ApplyRun): Promise<void> {
  const { plan, options } = run;
  const fixed = options.runBatchSize;
  const target = options.lockHoldTargetMs ?? 25;
  const maxRows = options.rowBatchSize ?? (fixed === undefined ? 4 * ADAPTIVE.max : 200);
  const pool = new JobPool(FOLDER_JOBS);
  let size = fixed ?? ADAPTIVE.first;
  let next = 0;
  let done = 0;
  const inFlight: Array<Promise<void>> = [];
  let booked: Promise<void> = Promise.resolve();
  // The first batch's reads, once, outside the lock: warming sql.js up (statements, code paths) took a cold first
  // transaction from ~45 to ~20 ms of lock hold here. The batch reads them again inside its transaction.
  if (plan.runs.length > 0) run.store.read((q) => readRunBatch(q, nextRunBatch(plan.runs, 0, size, maxRows)));
  try {
    while (next < plan.runs.length) {
      while (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift();
      // Looked at after the wait: a progress callback (which runs while we wait) may have just cancelled.
      if (run.aborted()) break;
      const batch = nextRunBatch(plan.runs, next, size, maxRows);
      next += batch.length;
      let lockedAt = 0;
      const outcome = await run.batch((q) => {
        lockedAt = performance.now();
        return deleteRunBatch(q, batch);
      });
      if (fixed === undefined) size = adaptBatchSize(size, performance.now() - lockedAt, target);
      run.absorb(outcome);
      const runDirs = outcome.runs.filter((r) => !r.toolId.includes('/') && !r.id.includes('/')).map((r) => `${r.toolId}/${r.id}`);
      // Its own folder checks: batches overlap, and each must see the folders as they are after its commit.
      const removal = removeFilesByFolder(new ArtefactFiles(options.artefactsRoot), pool, freedPaths(outcome), runDirs);
      const previous = booked;
      booked = removal.then(async (outcomes) => {
        await previous;
        run.bookFreed(outcome, outcomes);
        done += batch.length;
        run.progress('runs', done, plan.runs.length);
      });
      // A failure (a throwing progress callback) surfaces where the chain is awaited, not as an unhandled rejection.
      booked.catch(() => undefined);
      inFlight.push(booked);
    }
  } finally {
    // Committed batches always get their files unlinked, even when a later transaction failed.
    await booked;
  }
}

async function applyArtefacts(run: ApplyRun): Promise<void> {
  const rows = run.plan.artefacts.filter((artefact) => artefact.reason !== 'run');
  const cutoffMs = run.plan.criteria.softDeleteCutoff === undefined ? -Infinity : Date.parse(run.plan.criteria.softDeleteCutoff);
  let done = 0;
  for (const batch of chunk(rows, run.options.rowBatchSize ?? 200)) {
    if (run.aborted()) return;
    run.files.forgetCheckedDirs();
    const outcome = await run.batch((q) => deleteArtefactBatch(q, batch, cutoffMs, (rel) => run.files.probe(rel).kind === 'missing'));
    run.absorb(outcome);
    await run.unlinkFreed(outcome);
    done += batch.length;
    run.progress('artefacts', done, rows.length);
  }
}

async function applyReports(run: ApplyRun): Promise<void> {
  const { plan } = run;
  const cutoff = plan.criteria.reportsCutoff;
  if (cutoff === undefined || plan.validationReports.length === 0) return;
  let done = 0;
  for (const batch of chunk(plan.validationReports, run.options.rowBatchSize ?? 200)) {
    if (run.aborted()) return;
    const { deleted, skipped } = await run.store.write((q) => {
      run.lease.renewIn(q);
      return deleteReportBatch(q, batch, cutoff);
    });
    run.result.validationReports.push(...deleted);
    run.result.skipped.push(...skipped);
    run.result.totals.validationReports += deleted.length;
    done += batch.length;
    run.progress('reports', done, plan.validationReports.length);
  }
}

/** Orphans, stale partials and temp files: re-checked against the rows and their age right before each unlink. */
async function applyHousekeepingFiles(run: ApplyRun): Promise<void> {
  const planned = run.plan.files.filter((file) => HOUSEKEEPING_REASONS.includes(file.reason));
  const dbPath = run.options.dbPath;
  let done = 0;
  for (const batch of chunk(planned, run.options.fileBatchSize ?? 500)) {
    if (run.aborted()) return;
    await run.lease.renewIfDue();
    const rels = batch.filter((file) => file.base === 'artefacts').map((file) => file.relPath);
    const { referenced, running } = run.store.read((q) => {
      const refs = stillReferenced(q, 'rel_path', rels);
      for (const thumb of stillReferenced(q, 'thumb_path', rels)) refs.add(thumb);
      return { referenced: refs, running: runningRunIds(q) };
    });
    run.files.forgetCheckedDirs();
    const oldBefore = run.nowMs() - run.staleAfterMs;
    const staleGuard = (stat: fs.Stats) => (stat.mtimeMs >= oldBefore ? 'modified less than an hour ago' : undefined);
    // Decide and unlink concurrently, then book the outcomes in plan order (a stable report).
    const outcomes = await mapConcurrent(batch, FILE_CONCURRENCY, async (file): Promise<RemoveOutcome> => {
      if (file.base === 'db') {
        if (dbPath === undefined || file.relPath.includes('/') || file.relPath.includes('\\')) {
          return { kind: 'refused', reason: 'temp file outside the database folder' };
        }
        const abs = path.join(path.dirname(path.resolve(dbPath)), file.relPath);
        const nowMs = run.nowMs();
        return removeRegularFileAsync(abs, file.relPath, (stat) => tempFileVeto(file.relPath, dbPath, stat, nowMs, run.staleAfterMs));
      }
      if (referenced.has(file.relPath)) return { kind: 'kept', reason: 'a row points at this file now' };
      if (insideRunningRun(file.relPath, running)) return { kind: 'kept', reason: 'inside the folder of a running run' };
      return run.files.removeAsync(file.relPath, staleGuard);
    });
    const dirs = new Set<string>();
    outcomes.forEach((outcome, i) => {
      const file = batch[i];
      if (run.record(outcome, file, run.result.files) && file.base === 'artefacts' && file.relPath.includes('/')) {
        dirs.add(file.relPath.slice(0, file.relPath.lastIndexOf('/')));
      }
    });
    await mapConcurrent([...dirs], FILE_CONCURRENCY, (dir) => run.files.removeEmptyDirs(dir));
    done += batch.length;
    run.progress('files', done, planned.length);
  }
}

/**
 * Applies `plan`: recover interrupted sweeps, then runs, artefact rows, validation reports, housekeeping files.
 * Throws SweeperBusyError when another process sweeps (unless `lease` is given), LeaseLostError if our lease was
 * taken over mid-way (what was committed stays committed; the new holder finishes).
 */
export async function applySweepPlan(plan: SweepPlan, options: ApplyOptions): Promise<SweepResult> {
  const ownLease = options.lease === undefined;
  // The lease always runs on the real clock: other processes judge its expiry by theirs.
  const lease = options.lease ?? (await SweeperLease.acquire(options.store, options.leaseOptions));
  const run = new ApplyRun(plan, options, lease);
  try {
    await recover(run);
    await applyRuns(run);
    await applyArtefacts(run);
    await applyReports(run);
    await applyHousekeepingFiles(run);
    run.aborted();
    return await run.finish(ownLease);
  } catch (error) {
    // The open journal (if any) stays: the next sweep finishes its files.
    if (ownLease && !lease.isReleased) await lease.release().catch(() => undefined);
    throw error;
  }
}
