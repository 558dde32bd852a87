// The cross-process writer lock: a file holding {pid, host, nonce, time, start} that only one process can put at the
// lock path — hard-linked there from this lock object's own ticket file (lockTicket.ts), or, where the file system has
// no hard links, created with O_EXCL. Both fail with EEXIST while the lock is held, so the two ways mix safely.
// A lock on this host is stale only when its process is gone (or its pid was recycled: start time differs).
// Stale locks are broken under a second O_EXCL guard file so two breakers cannot both win.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOSTNAME } from './atomicFile';
import { isProcessAlive, processGone, processStartTime } from './processAlive';
import { StoreBusyError } from './errors';
import type { LockHolder } from './types';
import { LockTicket } from './lockTicket';

interface LockFileContent extends LockHolder {
  start?: string;
}

/** An unreadable (empty/half-written) lock older than this is treated as abandoned. */
const UNREADABLE_LOCK_GRACE_MS = 2_000;
/** A guard file older than this belongs to a breaker that died mid-break. */
const GUARD_STALE_MS = 2_000;
/** A waiter that has waited this long claims the next turn (the `.next` file). */
const CLAIM_AFTER_MS = 20;
/** How long an acquirer stands back while another waiter's claim on the next turn is pending. */
const STAND_BACK_MS = 100;

// Fairness (a fix found by the multi-process tests): a process writing back-to-back releases and re-takes the
// lock within microseconds, so waiters that poll every few ms almost never see it free and time out as "busy"
// after 5 s although the lock changed hands hundreds of times (3 processes × 500 increments failed so).
// A waiter that has waited CLAIM_AFTER_MS creates `<lock>.next` (O_EXCL, one claimant at a time) and polls
// fast; any acquirer that finds someone else's live claim stands back up to STAND_BACK_MS before competing.
// The claim only orders the queue: the O_EXCL lock file alone still decides who writes.
interface NextTurnClaim {
  pid: number;
  owner: string;
  time: number;
}

export class WriterLock {
  private heldNonce: string | undefined;
  /** The lock file this lock created (identity for release). */
  private heldFile: { ino: bigint; ctimeNs: bigint } | undefined;
  private readonly guardPath: string;
  private readonly claimPath: string;
  /** Identifies this lock object in claims (two stores in one process must not stand back for themselves). */
  private readonly owner = randomBytes(8).toString('hex');
  private acquisitions = 0;
  /** Undefined once hard links turned out not to work here (then O_EXCL). */
  private ticket: LockTicket | undefined;

  constructor(
    readonly lockPath: string,
    private readonly busyTimeoutMs: number,
  ) {
    this.guardPath = `${lockPath}.guard`;
    this.claimPath = `${lockPath}.next`;
    this.ticket = new LockTicket(lockPath, this.owner);
  }

  /** Remove this lock object's ticket file (the store is closing; the lock must not be held). */
  dispose(): void {
    if (this.heldNonce) this.release();
    this.ticket?.dispose();
  }

  get held(): boolean {
    return this.heldNonce !== undefined;
  }

  /** Wait (jittered backoff) until the lock is ours; StoreBusyError after the busy timeout. */
  async acquire(): Promise<void> {
    const started = Date.now();
    const deadline = started + this.busyTimeoutMs;
    let delay = 1;
    let claimed = false;
    try {
      await this.standBackForClaimant(deadline);
      for (;;) {
        if (this.tryAcquire()) return;
        this.breakIfStale();
        if (this.tryAcquire()) return;
        if (Date.now() >= deadline) throw this.busyError();
        if (!claimed && Date.now() - started >= CLAIM_AFTER_MS) claimed = this.tryClaimNextTurn();
        const wait = claimed ? 1 : Math.min(delay, Math.max(1, deadline - Date.now()));
        await sleep(wait * (0.5 + Math.random()));
        delay = Math.min(delay * 1.6, 25);
      }
    } finally {
      if (claimed) this.dropClaim();
    }
  }

  /** Let a waiter that claimed the next turn go first (see the fairness note at the top). */
  private async standBackForClaimant(deadline: number): Promise<void> {
    const until = Math.min(deadline, Date.now() + STAND_BACK_MS);
    while (Date.now() < until) {
      const claim = this.readClaim();
      if (!claim || claim.owner === this.owner) return;
      if (!this.claimIsLive(claim)) {
        fs.rmSync(this.claimPath, { force: true });
        return;
      }
      await sleep(1 + Math.random());
    }
  }

  private tryClaimNextTurn(): boolean {
    const claim: NextTurnClaim = { pid: process.pid, owner: this.owner, time: Date.now() };
    try {
      fs.writeFileSync(this.claimPath, JSON.stringify(claim), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false; // fairness is best effort
      const current = this.readClaim();
      if (current ? !this.claimIsLive(current) : this.isOldFile(this.claimPath)) fs.rmSync(this.claimPath, { force: true });
      return false;
    }
  }

  private dropClaim(): void {
    if (this.readClaim()?.owner === this.owner) fs.rmSync(this.claimPath, { force: true });
  }

  private readClaim(): NextTurnClaim | undefined {
    // Nearly always absent: checking first avoids an ENOENT exception on every commit.
    if (!fs.existsSync(this.claimPath)) return undefined;
    try {
      const parsed = JSON.parse(fs.readFileSync(this.claimPath, 'utf8')) as NextTurnClaim;
      return typeof parsed.pid === 'number' && typeof parsed.owner === 'string' ? parsed : undefined;
    } catch {
      return undefined; // absent, or half-written by its creator this very moment
    }
  }

  /** An unreadable claim (its creator was killed before writing it) is abandoned after the same grace as a lock. */
  private isOldFile(file: string): boolean {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    } catch {
      return false;
    }
  }

  /** A claim counts while its process lives and it is younger than a busy timeout (waiters give up by then). */
  private claimIsLive(claim: NextTurnClaim): boolean {
    return isProcessAlive(claim.pid) && Date.now() - claim.time < this.busyTimeoutMs + 1_000;
  }

  /** One attempt, no waiting. */
  tryAcquire(): boolean {
    if (this.heldNonce) throw new Error('writer lock is already held by this store');
    // Unique per acquisition without asking the OS for randomness each commit: this lock's random owner id + a count.
    const nonce = `${this.owner}-${(this.acquisitions += 1).toString(36)}`;
    const content: LockFileContent = {
      pid: process.pid,
      host: HOSTNAME,
      nonce,
      time: new Date().toISOString(),
      start: ownStartTime(),
    };
    if (this.ticket) {
      const linked = this.ticket.link(JSON.stringify(content));
      if (linked.outcome === 'busy') return false;
      if (linked.outcome === 'linked') {
        this.heldFile = linked.identity?.ino !== 0n ? linked.identity : undefined; // 0: no inode numbers here
        this.heldNonce = nonce;
        return true;
      }
      this.ticket = undefined; // no hard links on this file system: O_EXCL from now on
    }
    let fd: number;
    try {
      fd = fs.openSync(this.lockPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      fs.writeSync(fd, JSON.stringify(content));
      const stat = fs.fstatSync(fd, { bigint: true });
      this.heldFile = stat.ino !== 0n ? { ino: stat.ino, ctimeNs: stat.ctimeNs } : undefined; // 0: no inode numbers here
    } finally {
      fs.closeSync(fd);
    }
    this.heldNonce = nonce;
    return true;
  }

  release(): void {
    const nonce = this.heldNonce;
    const held = this.heldFile;
    this.heldNonce = undefined;
    this.heldFile = undefined;
    if (!nonce) return;
    // Only remove the lock if it is still ours (it could have been broken as stale by mistake). The file we created
    // is recognised by inode and change time (to the nanosecond; a reused inode number alone is not enough), which
    // costs one lstat instead of reading the lock back; without both, by the nonce inside.
    if (held) {
      const now = fs.lstatSync(this.lockPath, { bigint: true, throwIfNoEntry: false });
      if (now && now.ino === held.ino && now.ctimeNs === held.ctimeNs) unlinkQuietly(this.lockPath);
      return;
    }
    if (this.readHolder()?.nonce === nonce) unlinkQuietly(this.lockPath);
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
    return processGone(holder.pid, holder.start);
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

let cachedStartTime: { value: string | undefined } | undefined;

/** This process's start time never changes: read /proc once, not on every commit. */
function ownStartTime(): string | undefined {
  cachedStartTime ??= { value: processStartTime(process.pid) };
  return cachedStartTime.value;
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
