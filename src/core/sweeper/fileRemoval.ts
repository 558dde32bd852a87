// Deleting files under the artefacts root, and only there. Every path comes from the db or from a walk and goes
// through the artefacts module's safeJoin, which refuses `..`, absolute paths and a symlink at any level; the file
// itself is lstat'ed and only a regular file is unlinked. A crafted pixie.db (`rel_path = ../../.ssh/id_rsa`) or a
// planted symlink can therefore never make the sweeper delete anything outside the root.
import fs from 'node:fs';
import path from 'node:path';
import { ArtefactPathError, safeJoin } from '../artefacts/paths';

export type FileProbe =
  | { kind: 'file'; bytes: number; mtimeMs: number }
  | { kind: 'missing' }
  | { kind: 'refused'; reason: string };

export type RemoveOutcome =
  | { kind: 'removed'; bytes: number }
  | { kind: 'missing' }
  | { kind: 'refused'; reason: string }
  /** A guard said the file must stay (it changed since the plan). */
  | { kind: 'kept'; reason: string }
  | { kind: 'failed'; reason: string };

/** A rel_path exactly as Pixie writes them: forward slashes, no empty, `.` or `..` segments, relative. */
export function isCanonicalRelPath(rel: string): boolean {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\\') || rel.includes('\0')) return false;
  if (path.posix.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return false;
  return rel.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function lstatOrMissing(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Resolves paths under one root. Each folder is checked once with safeJoin (from its already checked parent, so every
 * component is lstat'ed exactly once) and remembered until forgetCheckedDirs() (once per batch): 20k files in 10k run
 * folders then cost one lstat per folder and one per file rather than one per path component of every file.
 */
export class ArtefactFiles {
  readonly root: string;
  private readonly checkedDirs = new Map<string, string>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Forget checked folders (call between batches, so a folder swapped for a symlink meanwhile is seen). */
  forgetCheckedDirs(): void {
    this.checkedDirs.clear();
  }

  /** Absolute path of `rel`, every folder checked; throws ArtefactPathError when it would leave the root. */
  resolve(rel: string): string {
    if (!isCanonicalRelPath(rel)) return safeJoin(this.root, rel); // throws for anything unsafe
    const cut = rel.lastIndexOf('/');
    if (cut < 0) return path.join(this.root, rel);
    return path.join(this.resolveDir(rel.slice(0, cut)), rel.slice(cut + 1));
  }

  /** A canonical folder path, checked one component at a time with safeJoin from its (already checked) parent. */
  private resolveDir(dirRel: string): string {
    const known = this.checkedDirs.get(dirRel);
    if (known !== undefined) return known;
    const cut = dirRel.lastIndexOf('/');
    const parentAbs = cut < 0 ? this.root : this.resolveDir(dirRel.slice(0, cut));
    const abs = safeJoin(parentAbs, dirRel.slice(cut + 1));
    this.checkedDirs.set(dirRel, abs);
    return abs;
  }

  /** What is at `rel`: a regular file (size, mtime), nothing, or something Pixie refuses to touch. */
  probe(rel: string): FileProbe {
    let abs: string;
    try {
      abs = this.resolve(rel);
    } catch (error) {
      if (error instanceof ArtefactPathError) return { kind: 'refused', reason: error.message };
      throw error;
    }
    const stat = lstatOrMissing(abs);
    if (!stat) return { kind: 'missing' };
    if (stat.isSymbolicLink()) return { kind: 'refused', reason: `refusing a symlink inside the artefacts root: ${rel}` };
    if (!stat.isFile()) return { kind: 'refused', reason: `not a regular file: ${rel}` };
    return { kind: 'file', bytes: stat.size, mtimeMs: stat.mtimeMs };
  }

  /**
   * Unlinks the regular file at `rel` (lstat and unlink asynchronous: many in flight hide the disk's latency).
   * `guard` sees its lstat first and may veto with a reason. A file already gone is `missing` (never counted twice).
   */
  async removeAsync(rel: string, guard?: (stat: fs.Stats) => string | undefined): Promise<RemoveOutcome> {
    let abs: string;
    try {
      abs = this.resolve(rel);
    } catch (error) {
      if (error instanceof ArtefactPathError) return { kind: 'refused', reason: error.message };
      return { kind: 'failed', reason: (error as Error).message };
    }
    return removeRegularFileAsync(abs, rel, guard);
  }

  /** Removes the folder `dirRel` and then its parents while they are empty, never the root or a top-level folder. */
  async removeEmptyDirs(dirRel: string): Promise<number> {
    if (!isCanonicalRelPath(dirRel)) return 0;
    let removed = 0;
    let current = dirRel;
    while (current.includes('/')) {
      let abs: string;
      try {
        abs = this.resolveDir(current);
      } catch {
        return removed;
      }
      try {
        await fs.promises.rmdir(abs);
      } catch {
        return removed; // not empty, gone, or not ours to remove: all fine
      }
      this.checkedDirs.delete(current);
      removed++;
      current = current.slice(0, current.lastIndexOf('/'));
    }
    return removed;
  }
}

/** Directory operations in flight at once: enough to overlap the disk's latency, few enough for the libuv pool. */
export const FILE_CONCURRENCY = 32;

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** lstat → guard → unlink, for a path already known to be safe. */
export async function removeRegularFileAsync(
  abs: string,
  label: string,
  guard?: (stat: fs.Stats) => string | undefined,
): Promise<RemoveOutcome> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(abs);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'failed', reason: `${label}: ${(error as Error).message}` };
  }
  if (stat.isSymbolicLink()) return { kind: 'refused', reason: `refusing a symlink: ${label}` };
  if (!stat.isFile()) return { kind: 'refused', reason: `not a regular file: ${label}` };
  const veto = guard?.(stat);
  if (veto !== undefined) return { kind: 'kept', reason: veto };
  try {
    await fs.promises.unlink(abs);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'failed', reason: `${label}: ${(error as Error).message}` };
  }
  return { kind: 'removed', bytes: stat.size };
}
