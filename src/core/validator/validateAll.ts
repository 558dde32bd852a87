// Validate-all: every tool validated (at most N at a time), each report saved, and one validate_jobs
// row kept current (counters, per-tool outcomes, a heartbeat) so the UI, the CLI and other windows can
// follow it. A second request while a batch runs joins that batch instead of starting another — in
// this process through the coordinator, across processes through the row's heartbeat.
import os from 'node:os';
import type { Store } from '../store/types';
import {
  getValidateJob,
  runningValidateJobs,
  startValidateJob,
  updateValidateJob,
  type ValidateJobRecord,
  type ValidateJobStatus,
} from '../store/repositories/validateJobs';
import { isPidAlive } from '../runner/launcher';
import { systemClock } from './clock';
import { saveReport } from './report';
import type { Overall, ValidateToolOptions, ValidationReport, ValidationTarget, ValidatorClock } from './types';
import { ValidationCancelledError, validateTool } from './validateTool';

export interface ValidateAllTool extends ValidationTarget {
  toolId: string;
  /** Archived tools are listed as skipped and not counted. */
  archived?: boolean;
}

export interface ValidateAllOptions {
  store: Store;
  tools: readonly ValidateAllTool[];
  /** Options for every validateTool call (clock, launcher, timeouts, trust, …). */
  validate?: Omit<ValidateToolOptions, 'signal' | 'onCheck' | 'archived'>;
  /** Tools validated at the same time (default 2). */
  concurrency?: number;
  /** Aborting cancels the batch (for every caller that joined it). */
  signal?: AbortSignal;
  onProgress?: (progress: ValidateAllProgress) => void;
  /** Save each report to validation_reports (default true). */
  save?: boolean;
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this is considered abandoned (default 60 s). */
  staleAfterMs?: number;
  /** Polling interval when following a job run by another process (default 500 ms). */
  pollMs?: number;
}

export interface ToolOutcome {
  tool_id: string;
  tool_path: string;
  overall: Overall | 'error';
  /** The first failing (else warning) check, or why the tool was skipped. */
  message: string;
  /** Timestamp of the saved report, null when there is none. */
  timestamp: string | null;
  duration_ms: number;
}

export interface ValidateAllProgress {
  jobId: string;
  total: number;
  completed: number;
  passed: number;
  warned: number;
  failed: number;
  /** Tools being validated right now. */
  running: string[];
  last?: ToolOutcome;
}

export type JoinKind = 'started' | 'joined-in-process' | 'joined-other-process';

export interface ValidateAllResult extends Omit<ValidateAllProgress, 'last' | 'running'> {
  status: ValidateJobStatus;
  startedAt: string;
  finishedAt: string | null;
  tools: ToolOutcome[];
  join: JoinKind;
}

interface JobDetails {
  heartbeat_at: string;
  owner: { pid: number; host: string };
  running: string[];
  tools: ToolOutcome[];
}

function parseDetails(json: string | null): Partial<JobDetails> {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Partial<JobDetails>) : {};
  } catch {
    return {};
  }
}

function resultFromRow(row: ValidateJobRecord, join: JoinKind): ValidateAllResult {
  const details = parseDetails(row.detailsJson);
  return {
    jobId: row.id,
    status: row.status,
    total: row.total,
    completed: row.completed,
    passed: row.passed,
    warned: row.warned,
    failed: row.failed,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    tools: Array.isArray(details.tools) ? details.tools : [],
    join,
  };
}

/**
 * A `running` job still being worked on by someone: its heartbeat is fresh and, when it belongs to a
 * process on this machine, that process is alive. Abandoned rows are closed as `error`.
 */
export async function findLiveJob(store: Store, now: Date, staleAfterMs: number): Promise<ValidateJobRecord | undefined> {
  const host = os.hostname();
  for (const job of store.read(runningValidateJobs)) {
    const details = parseDetails(job.detailsJson);
    const beat = Date.parse(details.heartbeat_at ?? job.startedAt);
    const ownerGone = details.owner?.host === host && details.owner.pid !== process.pid && !isPidAlive(details.owner.pid);
    const stale = !Number.isFinite(beat) || now.getTime() - beat > staleAfterMs;
    if (!ownerGone && !stale) return job;
    await store.write((q) =>
      updateValidateJob(q, job.id, {
        status: 'error',
        finishedAt: now.toISOString(),
        detailsJson: JSON.stringify({ ...details, abandoned: ownerGone ? 'the process running it has exited' : `no heartbeat since ${details.heartbeat_at ?? job.startedAt}` }),
      }),
    );
  }
  return undefined;
}

/** The check that decided the verdict: the first fail, else the first warning. */
function headline(report: ValidationReport): string {
  if (report.overall === 'skip') return report.skip_reason ?? 'skipped';
  const first = report.checks.find((c) => c.status === 'fail') ?? report.checks.find((c) => c.status === 'warn');
  return first ? `${first.name}: ${first.message}` : 'all checks passed';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** Follows a job another process runs until it ends (or our signal aborts, leaving it running). */
async function followJob(store: Store, jobId: string, options: ValidateAllOptions, clock: ValidatorClock): Promise<ValidateAllResult> {
  const pollMs = options.pollMs ?? 500;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  for (;;) {
    store.refresh();
    const row = store.read((q) => getValidateJob(q, jobId));
    if (!row) throw new Error(`validate job ${jobId} disappeared`);
    const details = parseDetails(row.detailsJson);
    options.onProgress?.({ jobId, total: row.total, completed: row.completed, passed: row.passed, warned: row.warned, failed: row.failed, running: details.running ?? [] });
    if (row.status !== 'running' || options.signal?.aborted) return resultFromRow(row, 'joined-other-process');
    if ((await findLiveJob(store, clock.now(), staleAfterMs))?.id !== jobId) {
      return resultFromRow(store.read((q) => getValidateJob(q, jobId)) ?? row, 'joined-other-process');
    }
    await sleep(pollMs, options.signal);
  }
}

interface Batch {
  promise: Promise<ValidateAllResult>;
  controller: AbortController;
  listeners: Set<(p: ValidateAllProgress) => void>;
}

async function runBatch(options: ValidateAllOptions, batch: Batch, clock: ValidatorClock): Promise<ValidateAllResult> {
  const { store } = options;
  const signal = batch.controller.signal;
  const jobId = clock.newId();
  const startedAt = clock.now().toISOString();
  const toValidate = options.tools.filter((t) => !t.archived);
  const skipped: ToolOutcome[] = options.tools
    .filter((t) => t.archived)
    .map((t) => ({ tool_id: t.toolId, tool_path: t.dir, overall: 'skip', message: 'archived (not validated)', timestamp: null, duration_ms: 0 }));
  const outcomes: ToolOutcome[] = [];
  const running = new Set<string>();
  const counts = { completed: 0, passed: 0, warned: 0, failed: 0 };
  const owner = { pid: process.pid, host: os.hostname() };
  const details = (): string =>
    JSON.stringify({ heartbeat_at: clock.now().toISOString(), owner, running: [...running], tools: [...outcomes, ...skipped] } satisfies JobDetails);

  await store.write((q) => {
    startValidateJob(q, jobId, toValidate.length, startedAt);
    updateValidateJob(q, jobId, { detailsJson: details() });
  });
  // Writes are chained so the row never goes back to an older snapshot.
  let writes = Promise.resolve();
  const persist = (update: Parameters<typeof updateValidateJob>[2]): Promise<void> => {
    writes = writes.then(() => store.write((q) => void updateValidateJob(q, jobId, update))).catch(() => undefined);
    return writes;
  };
  const heartbeat = setInterval(() => void persist({ detailsJson: details() }), options.heartbeatMs ?? 10_000);
  heartbeat.unref();
  const emit = (last?: ToolOutcome): void => {
    const progress: ValidateAllProgress = { jobId, total: toValidate.length, ...counts, running: [...running], last };
    for (const listener of batch.listeners) listener(progress);
  };
  emit();

  const queue = [...toValidate];
  const validateOne = async (tool: ValidateAllTool): Promise<void> => {
    const t0 = performance.now();
    let outcome: ToolOutcome;
    try {
      const report = await validateTool(tool, { ...(options.validate ?? {}), clock: options.validate?.clock ?? clock, signal });
      outcome = { tool_id: report.tool_id, tool_path: report.tool_path, overall: report.overall, message: headline(report), timestamp: null, duration_ms: report.duration_ms };
      if (options.save !== false) {
        try {
          await saveReport(store, report);
          outcome.timestamp = report.timestamp;
        } catch (error) {
          outcome.message = `${outcome.message} (the report could not be saved: ${(error as Error).message})`;
        }
      }
    } catch (error) {
      if (error instanceof ValidationCancelledError || signal.aborted) return;
      outcome = { tool_id: tool.toolId, tool_path: tool.dir, overall: 'error', message: `validation crashed: ${(error as Error).message}`, timestamp: null, duration_ms: Math.round(performance.now() - t0) };
    }
    outcomes.push(outcome);
    counts.completed++;
    // A tool skipped by validateTool (untrusted workspace) is completed but neither passed nor failed.
    if (outcome.overall === 'pass') counts.passed++;
    else if (outcome.overall === 'warn') counts.warned++;
    else if (outcome.overall !== 'skip') counts.failed++;
    void persist({ ...counts, detailsJson: details() });
    emit(outcome);
  };
  const worker = async (): Promise<void> => {
    while (queue.length > 0 && !signal.aborted) {
      const tool = queue.shift() as ValidateAllTool;
      running.add(tool.toolId);
      emit();
      try {
        await validateOne(tool);
      } finally {
        running.delete(tool.toolId);
      }
    }
  };
  let status: ValidateJobStatus = 'done';
  try {
    const width = Math.max(1, Math.min(options.concurrency ?? 2, toValidate.length));
    await Promise.all(Array.from({ length: width }, worker));
    if (signal.aborted) status = 'cancelled';
  } catch (error) {
    status = 'error';
    throw error;
  } finally {
    clearInterval(heartbeat);
    const finishedAt = clock.now().toISOString();
    await persist({ ...counts, status, finishedAt, detailsJson: details() });
  }
  const row = store.read((q) => getValidateJob(q, jobId));
  return row ? resultFromRow(row, 'started') : { jobId, status, total: toValidate.length, ...counts, startedAt, finishedAt: null, tools: [...outcomes, ...skipped], join: 'started' };
}

/** One batch at a time per store: a request while one runs joins it. */
export class ValidateAllCoordinator {
  private current: Batch | undefined;

  constructor(private readonly store: Store) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Cancels the batch in progress, if any. */
  cancel(): void {
    this.current?.controller.abort();
  }

  async run(options: Omit<ValidateAllOptions, 'store'>): Promise<ValidateAllResult> {
    const clock = options.validate?.clock ?? systemClock;
    const full: ValidateAllOptions = { ...options, store: this.store };
    const join = (batch: Batch, kind: JoinKind): Promise<ValidateAllResult> => {
      const listener = options.onProgress;
      if (listener) batch.listeners.add(listener);
      const onAbort = (): void => batch.controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) batch.controller.abort();
      return batch.promise
        .then((r) => ({ ...r, join: kind }))
        .finally(() => {
          if (listener) batch.listeners.delete(listener);
          options.signal?.removeEventListener('abort', onAbort);
        });
    };
    if (this.current) return join(this.current, 'joined-in-process');

    const live = await findLiveJob(this.store, clock.now(), options.staleAfterMs ?? 60_000);
    if (this.current) return join(this.current, 'joined-in-process');
    if (live) return followJob(this.store, live.id, full, clock);

    const batch: Batch = { controller: new AbortController(), listeners: new Set(), promise: Promise.resolve() as unknown as Promise<ValidateAllResult> };
    batch.promise = runBatch(full, batch, clock).finally(() => {
      if (this.current === batch) this.current = undefined;
    });
    this.current = batch;
    return join(batch, 'started');
  }
}

const coordinators = new WeakMap<Store, ValidateAllCoordinator>();

/** The coordinator of a store (one per store object, so every caller in this process shares it). */
export function coordinatorFor(store: Store): ValidateAllCoordinator {
  let c = coordinators.get(store);
  if (!c) {
    c = new ValidateAllCoordinator(store);
    coordinators.set(store, c);
  }
  return c;
}

/** Validates every given tool as one batch (joining a batch already running for this store). */
export function validateAll(options: ValidateAllOptions): Promise<ValidateAllResult> {
  const { store, ...rest } = options;
  return coordinatorFor(store).run(rest);
}
