// Deleting files under the artefacts root, and only there. Every path comes from the db or from a walk and goes
// through the artefacts module's safeJoin, which refuses `..`, absolute paths and a symlink at any level; the file
// itself is lstat'ed and only a regular file is unlinked. A crafted pixie.db (`rel_path = ../../.ssh/id_rsa`) or a
// planted symlink can therefore never make the sweeper delete anything outside the root.
import fs from 'node:fs';
import path from 'node:path';
import { ArtefactPathError, safeJoin } from '../artefacts/paths';
import type { JobPool } from './jobPool';

// The callback API wrapped in one promise per call: about a fifth less CPU per call than fs.promises, which counts
// when an apply makes 60k of them (measured, bench/sweep.ts).
const lstatAsync = (abs: string): Promise<fs.Stats> =>
  new Promise((resolve, reject) => fs.lstat(abs, (error, stat) => (error ? reject(error) : resolve(stat))));
const unlinkAsync = (abs: string): Promise<void> =>
  new Promise((resolve, reject) => fs.unlink(abs, (error) => (error ? reject(error) : resolve())));
const rmdirAsync = (abs: string): Promise<void> =>
  new Promise((resolve, reject) => fs.rmdir(abs, (error) => (error ? reject(error) : resolve())));

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
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return false;
  // Segments checked by searching rather than splitting: this runs for every file of a sweep.
  if (rel.endsWith('/') || rel.includes('//')) return false;
  const wrapped = `/${rel}/`;
  return !wrapped.includes('/./') && !wrapped.includes('/../');
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
  /** The same checks made asynchronously (lstat on libuv's pool, not on the event loop), shared by concurrent callers. */
  private readonly checkingDirs = new Map<string, Promise<string>>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Forget checked folders (call between batches, so a folder swapped for a symlink meanwhile is seen). */
  forgetCheckedDirs(): void {
    this.checkedDirs.clear();
    this.checkingDirs.clear();
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

  /** resolve() with its folder checks asynchronous: the same refusals (as a rejected ArtefactPathError). */
  async resolveAsync(rel: string): Promise<string> {
    if (!isCanonicalRelPath(rel)) return safeJoin(this.root, rel); // throws for anything unsafe
    const cut = rel.lastIndexOf('/');
    if (cut < 0) return path.join(this.root, rel);
    return path.join(await this.resolveDirAsync(rel.slice(0, cut)), rel.slice(cut + 1));
  }

  /** resolveDir() asynchronously: each component lstat'ed once, from its checked parent, as safeJoin does. A
   *  canonical folder path (isCanonicalRelPath) only; rejects with ArtefactPathError for a symlink on the way. */
  resolveDirAsync(dirRel: string): Promise<string> {
    const known = this.checkedDirs.get(dirRel);
    if (known !== undefined) return Promise.resolve(known);
    const pending = this.checkingDirs.get(dirRel);
    if (pending !== undefined) return pending;
    const cut = dirRel.lastIndexOf('/');
    const parent = cut < 0 ? Promise.resolve(this.root) : this.resolveDirAsync(dirRel.slice(0, cut));
    const checking = parent.then((parentAbs) => checkComponent(parentAbs, dirRel.slice(cut + 1), dirRel));
    this.checkingDirs.set(dirRel, checking);
    return checking;
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
      abs = await this.resolveAsync(rel);
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
        abs = await this.resolveDirAsync(current);
      } catch {
        return removed;
      }
      try {
        await rmdirAsync(abs);
      } catch {
        return removed; // not empty, gone, or not ours to remove: all fine
      }
      this.checkedDirs.delete(current);
      this.checkingDirs.delete(current);
      removed++;
      current = current.slice(0, current.lastIndexOf('/'));
    }
    return removed;
  }
}

/** One folder component below a checked parent, as safeJoin checks it: absent is fine, a symlink is refused. */
function checkComponent(parentAbs: string, name: string, dirRel: string): Promise<string> {
  const abs = path.join(parentAbs, name);
  return lstatAsync(abs).then(
    (stat) => {
      if (stat.isSymbolicLink()) throw new ArtefactPathError(`artefact path goes through a symlink: ${dirRel} (at ${name})`);
      return abs;
    },
    (error: unknown) => {
      if (errnoOf(error) === 'ENOENT') return abs; // nothing there (yet): whatever is below it is missing too
      throw error;
    },
  );
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
    stat = await lstatAsync(abs);
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
    await unlinkAsync(abs);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'failed', reason: `${label}: ${(error as Error).message}` };
  }
  return { kind: 'removed', bytes: stat.size };
}

/** Files of one folder unlinked at once (a run folder holds a few; a big one is taken a few at a time). */
const FILES_PER_FOLDER_AT_ONCE = 4;

function refusalOf(error: unknown, rel: string): RemoveOutcome {
  if (error instanceof ArtefactPathError) return { kind: 'refused', reason: error.message };
  return { kind: 'failed', reason: `${rel}: ${(error as Error).message}` };
}

/**
 * Unlinks `rels` and removes the folders left empty: one job per folder (check the folder once, unlink its files,
 * then remove it and its empty parents), run on `pool`, so a folder goes right after its own files with no barrier
 * between a batch's file and folder phases. `alsoEmpty` are folders to remove when empty even if none of their files
 * was unlinked here (the folders of deleted runs). Paths that are not canonical go through removeAsync (safeJoin),
 * which refuses them. Outcomes come back in the order of `rels`.
 */
export async function removeFilesByFolder(
  files: ArtefactFiles,
  pool: JobPool,
  rels: readonly string[],
  alsoEmpty: readonly string[] = [],
): Promise<RemoveOutcome[]> {
  const outcomes = new Array<RemoveOutcome>(rels.length);
  const byFolder = new Map<string, number[]>();
  const odd: number[] = [];
  rels.forEach((rel, index) => {
    if (!isCanonicalRelPath(rel)) {
      odd.push(index);
      return;
    }
    const cut = rel.lastIndexOf('/');
    const folder = cut < 0 ? '' : rel.slice(0, cut);
    const list = byFolder.get(folder);
    if (list) list.push(index);
    else byFolder.set(folder, [index]);
  });
  const emptyAnyway = new Set(alsoEmpty.filter(isCanonicalRelPath));
  for (const folder of emptyAnyway) if (!byFolder.has(folder)) byFolder.set(folder, []);
  const folderJob = async (folder: string, indexes: number[]): Promise<void> => {
    let folderAbs: string;
    try {
      folderAbs = folder === '' ? files.root : await files.resolveDirAsync(folder);
    } catch (error) {
      for (const index of indexes) outcomes[index] = refusalOf(error, rels[index]);
      return;
    }
    const removeOne = (index: number): Promise<RemoveOutcome> => {
      const rel = rels[index];
      return removeRegularFileAsync(`${folderAbs}${path.sep}${rel.slice(rel.lastIndexOf('/') + 1)}`, rel);
    };
    const results =
      indexes.length <= FILES_PER_FOLDER_AT_ONCE
        ? await Promise.all(indexes.map(removeOne))
        : await mapConcurrent(indexes, FILES_PER_FOLDER_AT_ONCE, removeOne);
    let unlinked = false;
    results.forEach((outcome, k) => {
      outcomes[indexes[k]] = outcome;
      if (outcome.kind === 'removed') unlinked = true;
    });
    if (folder !== '' && (unlinked || emptyAnyway.has(folder))) await files.removeEmptyDirs(folder);
  };
  await Promise.all([
    ...[...byFolder].map(([folder, indexes]) => pool.run(() => folderJob(folder, indexes))),
    ...odd.map((index) =>
      pool.run(async () => {
        outcomes[index] = await files.removeAsync(rels[index]);
      }),
    ),
  ]);
  return outcomes;
}
