// One sweeper at a time across every process on the workspace. The store's writer lock serialises single commits,
// but a sweep is many short commits, so the sweeper also holds a lease: a `settings` row taken, renewed and released
// inside `store.write` (read-check-write is atomic there). It expires, so a killed sweeper blocks nobody for long;
// on this host a dead (or recycled) pid frees it at once.
import { randomBytes } from 'node:crypto';
import { HOSTNAME } from '../store/atomicFile';
import { isProcessAlive, processGone, processStartTime } from '../store/processAlive';
import { deleteSetting, getJsonSetting, setJsonSetting } from '../store/repositories/settings';
import { isPlainObject } from '../store/repositories/values';
import type { ReadQueries, Store, WriteQueries } from '../store/types';

export const LEASE_KEY = 'sweeper.lease';
/** A lease not renewed for this long is free (renewed at every batch, i.e. every few milliseconds while sweeping). */
export const LEASE_TTL_MS = 60_000;

export interface LeaseRecord {
  pid: number;
  host: string;
  nonce: string;
  /** ISO time the lease was first taken. */
  start: string;
  /** ISO time it expires unless renewed. */
  until: string;
  /** Process start time (Linux), to tell a recycled pid from the holder. */
  procStart?: string;
}

/** Another sweeper holds the lease; `holder` says who and until when. */
export class SweeperBusyError extends Error {
  override name = 'SweeperBusyError';
  constructor(readonly holder: LeaseRecord) {
    super(
      `another sweep is running (pid ${holder.pid} on ${holder.host}, since ${holder.start}); ` +
        `try again when it is done (its lease expires at ${holder.until} if it died).`,
    );
  }
}

/** Our lease was taken over (we stalled past its expiry): stop at once, the new holder finishes the work. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export function readLease(q: ReadQueries): LeaseRecord | undefined {
  const value = getJsonSetting(q, LEASE_KEY);
  if (!isPlainObject(value)) return undefined;
  const { pid, host, nonce, start, until, procStart } = value;
  if (typeof pid !== 'number' || typeof host !== 'string' || typeof nonce !== 'string') return undefined;
  if (typeof start !== 'string' || typeof until !== 'string') return undefined;
  return { pid, host, nonce, start, until, procStart: typeof procStart === 'string' ? procStart : undefined };
}

/** Why `holder` no longer counts, or undefined while it is valid. */
export function leaseVacancy(holder: LeaseRecord | undefined, nowMs: number): string | undefined {
  if (!holder) return 'free';
  const untilMs = Date.parse(holder.until);
  if (!Number.isFinite(untilMs) || untilMs <= nowMs) return 'expired';
  if (holder.host === HOSTNAME) {
    if (!isProcessAlive(holder.pid)) return 'holder died';
    if (processGone(holder.pid, holder.procStart)) return 'holder died (pid reused)';
  }
  return undefined;
}

export interface LeaseOptions {
  ttlMs?: number;
  now?: () => Date;
}

export class SweeperLease {
  readonly nonce = randomBytes(8).toString('hex');
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly startedAt: string;
  private renewedAtMs = 0;
  private released = false;
  /** Our own start time never changes: read /proc once, not at every renewal (each batch, inside the lock hold). */
  private readonly procStart = processStartTime(process.pid);

  private constructor(
    private readonly store: Store,
    options: LeaseOptions,
  ) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now().toISOString();
  }

  /** Takes the lease or throws SweeperBusyError naming the holder. */
  static async acquire(store: Store, options: LeaseOptions = {}): Promise<SweeperLease> {
    const lease = new SweeperLease(store, options);
    await store.write((q) => {
      const holder = readLease(q);
      if (holder && holder.nonce !== lease.nonce && leaseVacancy(holder, lease.now().getTime()) === undefined) {
        throw new SweeperBusyError(holder);
      }
      lease.writeIn(q);
    });
    return lease;
  }

  private writeIn(q: WriteQueries): void {
    const nowMs = this.now().getTime();
    const record: LeaseRecord = {
      pid: process.pid,
      host: HOSTNAME,
      nonce: this.nonce,
      start: this.startedAt,
      until: new Date(nowMs + this.ttlMs).toISOString(),
      procStart: this.procStart,
    };
    setJsonSetting(q, LEASE_KEY, record);
    this.renewedAtMs = nowMs;
  }

  /** Inside a batch's transaction: extend the lease, or throw LeaseLostError (rolling the batch back). */
  renewIn(q: WriteQueries): void {
    if (this.released) throw new LeaseLostError('the sweeper lease was already released');
    const holder = readLease(q);
    if (!holder || holder.nonce !== this.nonce) {
      throw new LeaseLostError(
        holder ? `the sweeper lease was taken over by pid ${holder.pid} on ${holder.host}` : 'the sweeper lease disappeared',
      );
    }
    this.writeIn(q);
  }

  /** Renew in its own small transaction when a third of the ttl has passed (long file phases). */
  async renewIfDue(): Promise<void> {
    if (this.now().getTime() - this.renewedAtMs < this.ttlMs / 3) return;
    await this.store.write((q) => this.renewIn(q));
  }

  /** Inside a transaction: give the lease back if it is still ours. Call markReleased() once it committed. */
  releaseIn(q: WriteQueries): void {
    if (this.released) return;
    if (readLease(q)?.nonce === this.nonce) deleteSetting(q, LEASE_KEY);
  }

  markReleased(): void {
    this.released = true;
  }

  async release(): Promise<void> {
    if (this.released) return;
    await this.store.write((q) => this.releaseIn(q));
    this.released = true;
  }

  get isReleased(): boolean {
    return this.released;
  }
}
