// The writer lock taken with link() instead of creating a file: each lock object keeps one file of its own beside
// the lock, `<lock>.ticket-<owner>`, rewrites its content in place and hard-links it to `<lock>` to acquire (link
// fails with EEXIST while anyone holds the lock, exactly like O_EXCL) and unlinks `<lock>` to release. Why: creating
// and removing a file on every commit allocates and frees an inode each time, and on ext4 without a journal (these
// VMs) allocating an inode first skips every inode freed in the last minutes — after a sweep or a test suite had
// deleted many files, taking the lock measured 1.9 ms instead of 0.14 (docs/STORE.md). link() allocates nothing.
// Where the file system has no hard links (FAT, some network shares) the caller falls back to O_EXCL.
import fs from 'node:fs';
import path from 'node:path';
import { HOSTNAME } from './atomicFile';
import { processGone } from './processAlive';

/** The ticket's content is padded to this many bytes, so rewriting it never changes the file's size. */
const TICKET_BYTES = 1024;
/** An unreadable ticket older than this was left by a process killed while creating it. */
const UNREADABLE_TICKET_GRACE_MS = 10_000;

export type LinkOutcome = 'linked' | 'busy' | 'unsupported';

/** errno codes of file systems that cannot hard-link (the caller falls back to O_EXCL). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EINVAL']);

export function ticketPrefix(lockPath: string): string {
  return `${path.basename(lockPath)}.ticket-`;
}

export class LockTicket {
  readonly path: string;
  private fd: number | undefined;

  constructor(
    readonly lockPath: string,
    owner: string,
  ) {
    this.path = path.join(path.dirname(lockPath), `${ticketPrefix(lockPath)}${owner}`);
  }

  /**
   * Write `content` into the ticket (creating it on first use) and link it as the lock. 'busy': the lock is held by
   * someone; 'unsupported': no hard links here (the ticket is removed again). On 'linked' returns the inode identity.
   */
  link(content: string): { outcome: LinkOutcome; identity?: { ino: bigint; ctimeNs: bigint } } {
    if (Buffer.byteLength(content) > TICKET_BYTES) return { outcome: 'unsupported' }; // never with a real host name
    const fd = this.open();
    const bytes = Buffer.alloc(TICKET_BYTES, 0x20); // JSON.parse ignores the trailing spaces
    bytes.write(content, 0, 'utf8');
    fs.writeSync(fd, bytes, 0, TICKET_BYTES, 0);
    try {
      fs.linkSync(this.path, this.lockPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return { outcome: 'busy' };
      if (NO_LINKS.has(code)) {
        this.dispose();
        return { outcome: 'unsupported' };
      }
      throw error;
    }
    // link() changed the inode's change time: this is the identity release() checks before unlinking the lock.
    const stat = fs.fstatSync(fd, { bigint: true });
    return { outcome: 'linked', identity: { ino: stat.ino, ctimeNs: stat.ctimeNs } };
  }

  /** Close and remove the ticket (the lock itself, if held, is the caller's to release first). */
  dispose(): void {
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } finally {
      this.fd = undefined;
      fs.rmSync(this.path, { force: true });
    }
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    removeDeadTickets(this.lockPath); // once, when this lock object makes its ticket
    this.fd = fs.openSync(this.path, 'wx+', 0o644);
    return this.fd;
  }
}

/**
 * Remove tickets of processes on this host that are gone (killed, so they never removed their own). A ticket that is
 * still linked as the lock stays the lock: only its own name goes; breaking a stale lock is the lock's business.
 */
export function removeDeadTickets(lockPath: string): number {
  const dir = path.dirname(lockPath);
  const prefix = ticketPrefix(lockPath);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.startsWith(prefix));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    let holder: { pid?: unknown; host?: unknown; start?: unknown } | undefined;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof holder;
    } catch {
      holder = undefined;
    }
    let dead: boolean;
    if (!holder || typeof holder.pid !== 'number') {
      try {
        dead = Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_TICKET_GRACE_MS;
      } catch {
        continue;
      }
    } else if (holder.host !== HOSTNAME) {
      continue; // another machine's: we cannot tell
    } else {
      dead = processGone(holder.pid, typeof holder.start === 'string' ? holder.start : undefined);
    }
    if (dead) {
      fs.rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}
