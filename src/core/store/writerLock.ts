// The cross-process writer lock: a file created with O_EXCL holding {pid, host, nonce, time, start}.
// A lock on this host is stale only when its process is gone (or its pid was recycled: start time differs).
// Stale locks are broken under a second O_EXCL guard file so two breakers cannot both win.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOSTNAME } from './atomicFile';
import { isProcessAlive, processStartTime } from './processAlive';
import { StoreBusyError } from './errors';
import type { LockHolder } from './types';

interface LockFileContent extends LockHolder {
  start?: string;
}

/** An unreadable (empty/half-written) lock older than this is treated as abandoned. */
const UNREADABLE_LOCK_GRACE_MS = 2_000;
/** A guard file older than this belongs to a breaker that died mid-break. */
const GUARD_STALE_MS = 2_000;

export class WriterLock {
  private heldNonce: string | undefined;
  private readonly guardPath: string;

  constructor(
    readonly lockPath: string,
    private readonly busyTimeoutMs: number,
  ) {
    this.guardPath = `${lockPath}.guard`;
  }

  get held(): boolean {
    return this.heldNonce !== undefined;
  }

  /** Wait (jittered backoff) until the lock is ours; StoreBusyError after the busy timeout. */
  async acquire(): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs;
    let delay = 1;
    for (;;) {
      if (this.tryAcquire()) return;
      this.breakIfStale();
      if (this.tryAcquire()) return;
      if (Date.now() >= deadline) throw this.busyError();
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())) * (0.5 + Math.random()));
      delay = Math.min(delay * 1.6, 25);
    }
  }

  /** One attempt, no waiting. */
  tryAcquire(): boolean {
    if (this.heldNonce) throw new Error('writer lock is already held by this store');
    const nonce = randomBytes(8).toString('hex');
    const content: LockFileContent = {
      pid: process.pid,
      host: HOSTNAME,
      nonce,
      time: new Date().toISOString(),
      start: processStartTime(process.pid),
    };
    let fd: number;
    try {
      fd = fs.openSync(this.lockPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      fs.writeSync(fd, JSON.stringify(content));
    } finally {
      fs.closeSync(fd);
    }
    this.heldNonce = nonce;
    return true;
  }

  release(): void {
    const nonce = this.heldNonce;
    this.heldNonce = undefined;
    if (!nonce) return;
    const current = this.readHolder();
    // Only remove the lock if it is still ours (it could have been broken as stale by mistake).
    if (current?.nonce === nonce) fs.rmSync(this.lockPath, { force: true });
  }

  readHolder(): LockFileContent | undefined {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.lockPath, 'utf8')) as LockFileContent;
      return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** True when the lock file exists and its holder cannot still be running. */
  isStale(): boolean {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.lockPath);
    } catch {
      return false;
    }
    const holder = this.readHolder();
    if (!holder) return Date.now() - stat.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    if (holder.host !== HOSTNAME) return false; // another machine: we cannot tell, so never break it
    if (!isProcessAlive(holder.pid)) return true;
    const start = processStartTime(holder.pid);
    return holder.start !== undefined && start !== undefined && start !== holder.start;
  }

  /** Remove a stale lock, guarded so that only one process breaks it and a fresh lock is never removed. */
  breakIfStale(): boolean {
    if (!this.isStale()) return false;
    const stale = this.readHolder();
    let guard: number;
    try {
      guard = fs.openSync(this.guardPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(this.guardPath).mtimeMs > GUARD_STALE_MS) fs.rmSync(this.guardPath, { force: true });
      } catch {
        // The guard went away meanwhile.
      }
      return false;
    }
    try {
      fs.writeSync(guard, String(process.pid));
      // Re-check under the guard: the lock may have been released and re-taken by a live process.
      const now = this.readHolder();
      if (this.isStale() && now?.nonce === stale?.nonce) {
        fs.rmSync(this.lockPath, { force: true });
        return true;
      }
      return false;
    } finally {
      fs.closeSync(guard);
      fs.rmSync(this.guardPath, { force: true });
    }
  }

  private busyError(): StoreBusyError {
    const holder = this.readHolder();
    const who = holder ? `process ${holder.pid} on ${holder.host} (holding it since ${holder.time})` : 'another process';
    return new StoreBusyError(
      `pixie.db is busy: ${who} holds the write lock (${this.lockPath}) and did not release it within ` +
        `${this.busyTimeoutMs / 1000} s. Try again in a moment; a lock left by a process that has exited is cleared automatically.`,
    );
  }
}
