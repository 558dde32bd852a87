// The background sweepers of the extension host: the runs prune every `runsSweepIntervalSeconds` and the artefacts
// purge (soft deletes + housekeeping) every `sweeperIntervalSeconds`, the first pass shortly after start. The time
// of the last pass comes from `settings`, written by whichever process swept (another window, the CLI), so a restart
// or a second window does not sweep again too early. Passes run one at a time here, and the lease keeps them one at
// a time across processes. Timers are unref'd: they never keep a process alive.
import type { Disposable, Store } from '../store/types';
import type { ApplyOptions } from './apply';
import { SweeperBusyError, SweeperLease } from './lease';
import { applyPlan, planPass, type SweeperSettings } from './passes';
import { readPassRecord } from './records';
import type { SweepProgress, SweepResult } from './types';

export type SweeperPass = 'runs-prune' | 'artefacts-purge';
export const SWEEPER_PASSES: readonly SweeperPass[] = ['runs-prune', 'artefacts-purge'];

export type SweeperEvent =
  | { type: 'started'; pass: SweeperPass }
  | { type: 'progress'; pass: SweeperPass; progress: SweepProgress }
  | { type: 'finished'; pass: SweeperPass; result: SweepResult; nextAt: string }
  /** Not run: done recently by another process, or another process is sweeping right now. */
  | { type: 'skipped'; pass: SweeperPass; reason: string; nextAt: string }
  | { type: 'failed'; pass: SweeperPass; error: Error; nextAt: string };

export interface SchedulerConfig extends SweeperSettings {
  runsSweepIntervalSeconds: number;
  sweeperIntervalSeconds: number;
}

export interface SweeperSchedulerOptions {
  store: Store;
  config: SchedulerConfig;
  /** Delay of the first pass after start() (default 60 s: let activation finish first). */
  firstPassDelayMs?: number;
  /** Retry delay when another process holds the lease or a pass failed (default 10 min, at most the interval). */
  retryDelayMs?: number;
  /** Batch sizes of the apply (smaller = shorter lock holds, more commits). */
  batching?: Pick<ApplyOptions, 'runBatchSize' | 'rowBatchSize' | 'fileBatchSize'>;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** setTimeout's limit (~24.8 days); longer waits re-arm on expiry. */
const MAX_TIMER_MS = 2_147_483_647;

export class SweeperScheduler {
  private config: SchedulerConfig;
  private readonly timers = new Map<SweeperPass, NodeJS.Timeout>();
  private readonly nextAt = new Map<SweeperPass, number>();
  private readonly listeners = new Set<(event: SweeperEvent) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private current: { pass: SweeperPass; controller: AbortController } | undefined;
  private started = false;
  private readonly now: () => Date;

  constructor(private readonly options: SweeperSchedulerOptions) {
    this.config = options.config;
    this.now = options.now ?? (() => new Date());
  }

  onEvent(listener: (event: SweeperEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const pass of SWEEPER_PASSES) this.schedule(pass, this.options.firstPassDelayMs ?? 60_000);
  }

  /** Stops the timers and cancels a pass in progress (it stops after its current batch). */
  async stop(): Promise<void> {
    this.started = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.nextAt.clear();
    this.current?.controller.abort();
    await this.queue.catch(() => undefined);
  }

  /** New settings (intervals, retention): re-arm both timers from the recorded last passes. */
  updateConfig(config: SchedulerConfig): void {
    this.config = config;
    if (!this.started) return;
    for (const pass of SWEEPER_PASSES) this.schedule(pass, 0);
  }

  /** The pass running in this process, if any. */
  get running(): SweeperPass | undefined {
    return this.current?.pass;
  }

  /** When `pass` is next due (ISO), while started. */
  nextRunAt(pass: SweeperPass): string | undefined {
    const at = this.nextAt.get(pass);
    return at === undefined ? undefined : new Date(at).toISOString();
  }

  /** Runs a pass now regardless of its schedule ("Sweep now"); rejects with SweeperBusyError if another sweeps. */
  runNow(pass: SweeperPass): Promise<SweepResult> {
    return this.enqueue(() => this.runPass(pass, true)) as Promise<SweepResult>;
  }

  private emit(event: SweeperEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.log?.('warn', `sweeper event listener failed: ${(error as Error).message}`);
      }
    }
  }

  private intervalMs(pass: SweeperPass): number {
    return 1000 * (pass === 'runs-prune' ? this.config.runsSweepIntervalSeconds : this.config.sweeperIntervalSeconds);
  }

  /** When the pass is due by the settings record: last start + interval; now if never (or last was cancelled). */
  private dueAt(pass: SweeperPass): number {
    const record = this.options.store.read((q) => readPassRecord(q, pass));
    if (!record || record.cancelled) return this.now().getTime();
    return Date.parse(record.at) + this.intervalMs(pass);
  }

  private schedule(pass: SweeperPass, minDelayMs: number, explicitAt?: number): void {
    const existing = this.timers.get(pass);
    if (existing) clearTimeout(existing);
    if (!this.started) return;
    let due: number;
    try {
      due = explicitAt ?? this.dueAt(pass);
    } catch (error) {
      this.options.log?.('warn', `could not read the last ${pass} pass: ${(error as Error).message}`);
      due = this.now().getTime() + this.retryDelay(pass);
    }
    const at = Math.max(due, this.now().getTime() + minDelayMs);
    this.nextAt.set(pass, at);
    const timer = setTimeout(() => {
      this.timers.delete(pass);
      void this.enqueue(() => this.onTimer(pass)).catch(() => undefined);
    }, Math.min(Math.max(0, at - this.now().getTime()), MAX_TIMER_MS));
    timer.unref();
    this.timers.set(pass, timer);
  }

  private retryDelay(pass: SweeperPass): number {
    return Math.min(this.options.retryDelayMs ?? 600_000, this.intervalMs(pass));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async onTimer(pass: SweeperPass): Promise<void> {
    if (!this.started) return;
    // Another window or the CLI may have swept meanwhile; a long wait may also have been split by MAX_TIMER_MS.
    const due = this.dueAt(pass);
    if (due > this.now().getTime() + 1_000) {
      this.schedule(pass, 0, due);
      return;
    }
    await this.runPass(pass, false).catch(() => undefined);
  }

  private async runPass(pass: SweeperPass, manual: boolean): Promise<SweepResult | undefined> {
    const controller = new AbortController();
    this.current = { pass, controller };
    let lease: SweeperLease | undefined;
    try {
      lease = await SweeperLease.acquire(this.options.store);
      this.emit({ type: 'started', pass });
      const settings = this.config;
      const plan = await planPass(pass, { store: this.options.store, settings, now: this.now() });
      const result = await applyPlan(plan, {
        ...this.options.batching,
        store: this.options.store,
        settings,
        lease,
        signal: controller.signal,
        onProgress: (progress) => this.emit({ type: 'progress', pass, progress }),
      });
      await lease.release();
      const nextAt = this.rescheduleAfter(pass, Date.parse(result.startedAt) + this.intervalMs(pass));
      this.options.log?.(
        'info',
        `${pass}: ${result.totals.runs} runs, ${result.totals.artefacts} artefacts, ${result.totals.files} files, ` +
          `${result.totals.bytes} bytes${result.cancelled ? ' (cancelled)' : ''}`,
      );
      this.emit({ type: 'finished', pass, result, nextAt });
      return result;
    } catch (error) {
      if (lease && !lease.isReleased) await lease.release().catch(() => undefined);
      const nextAt = this.rescheduleAfter(pass, this.now().getTime() + this.retryDelay(pass));
      if (error instanceof SweeperBusyError) {
        this.emit({ type: 'skipped', pass, reason: error.message, nextAt });
      } else {
        this.options.log?.('error', `${pass} failed: ${(error as Error).message}`);
        this.emit({ type: 'failed', pass, error: error as Error, nextAt });
      }
      if (manual) throw error;
      return undefined;
    } finally {
      this.current = undefined;
    }
  }

  private rescheduleAfter(pass: SweeperPass, at: number): string {
    if (this.started) this.schedule(pass, 0, at);
    return new Date(at).toISOString();
  }
}
