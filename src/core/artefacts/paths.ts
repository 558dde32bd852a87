// Paths under the artefacts root. Every path that comes from the db (rel_path) or from a tool goes through
// safeJoin / resolveArtefactPath, so a crafted `../../.ssh/id_rsa` or a symlink a tool planted is never opened,
// written or deleted.
import fs from 'node:fs';
import path from 'node:path';

/** Top-level folders Pixie keeps for itself; tool ids starting with `_` are refused so they cannot collide. */
export const RESERVED_DIRS = ['_quarantine', '_thumbs', '_exports'] as const;

export class ArtefactPathError extends Error {
  override name = 'ArtefactPathError';
}

/** The segments of a relative path with forward slashes, or a reason it is not one. */
function relSegments(rel: string): string[] {
  if (typeof rel !== 'string' || rel === '') throw new ArtefactPathError('artefact path is empty');
  if (rel.includes('\0')) throw new ArtefactPathError(`artefact path contains a NUL byte: ${JSON.stringify(rel)}`);
  if (rel.includes('\\')) throw new ArtefactPathError(`artefact path must use forward slashes: ${rel}`);
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) throw new ArtefactPathError(`artefact path must be relative: ${rel}`);
  const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) throw new ArtefactPathError(`artefact path must not contain '..': ${rel}`);
  if (segments.length === 0) throw new ArtefactPathError(`artefact path names no file: ${rel}`);
  return segments;
}

/**
 * `root` + `rel`, refusing `..`, absolute paths, NUL and a symlink at any existing component below the root (each
 * component is lstat'ed). Components that do not exist yet are fine: the path may be about to be created.
 */
export function safeJoin(root: string, rel: string): string {
  const segments = relSegments(rel);
  let current = path.resolve(root);
  for (const segment of segments) {
    current = path.join(current, segment);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path.join(path.resolve(root), ...segments);
      throw error;
    }
    if (stat.isSymbolicLink()) {
      throw new ArtefactPathError(`artefact path goes through a symlink: ${rel} (at ${path.relative(root, current)})`);
    }
  }
  return current;
}

/** realpath of `p`, or of its nearest existing ancestor plus the missing rest. */
function realPathLoose(p: string): string {
  const missing: string[] = [];
  let current = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = path.dirname(current);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** Whether `p` is `root` or below it, comparing real paths (symlinks resolved). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(realPathLoose(root), realPathLoose(p));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Absolute path of a stored rel_path; throws ArtefactPathError when it would leave the root. */
export function resolveArtefactPath(root: string, relPath: string): string {
  let joined: string;
  try {
    joined = safeJoin(root, relPath);
  } catch (error) {
    if (error instanceof ArtefactPathError) {
      throw new ArtefactPathError(`refusing artefact path outside the artefacts root ${root}: ${error.message}`);
    }
    throw error;
  }
  if (!isInside(root, joined)) {
    throw new ArtefactPathError(`refusing artefact path outside the artefacts root ${root}: ${relPath}`);
  }
  return joined;
}

/** rel_path of an absolute path under the root: relative, forward slashes. */
export function toRelPath(root: string, absolute: string): string {
  const rel = path.relative(path.resolve(root), path.resolve(absolute));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new ArtefactPathError(`${absolute} is not below the artefacts root ${root}`);
  }
  return rel.split(path.sep).join('/');
}

/** One folder name taken from an id: no separators, no dot names, no NUL. */
function requireSegment(value: string, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new ArtefactPathError(`${what} cannot be used as a folder name: ${JSON.stringify(value)}`);
  }
  return value;
}

export function requireToolId(toolId: string): string {
  requireSegment(toolId, 'tool id');
  if (toolId.startsWith('_')) {
    throw new ArtefactPathError(`tool id ${toolId} starts with '_', which is reserved for Pixie (${RESERVED_DIRS.join(', ')})`);
  }
  return toolId;
}

/** rel_path of a run's folder: `<tool_id>/<run_id>`. */
export function runFolderRel(toolId: string, runId: string): string {
  return `${requireToolId(toolId)}/${requireSegment(runId, 'run id')}`;
}

/** lstat of `p` when it is a folder itself (a symlink to one is not); undefined when missing or anything else. */
function realFolderStat(p: string): fs.Stats | undefined {
  try {
    const stat = fs.lstatSync(p);
    return stat.isDirectory() ? stat : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The common case of runFolder, cheaply: the tool folder exists as a real folder (lstat: not a symlink), so one
 * plain mkdir puts the new run folder inside it. undefined when that is not the case (or the folder already
 * exists): runFolder then takes the long way, with its checks and errors.
 */
function newFolderInToolFolder(root: string, toolId: string, runId: string): string | undefined {
  const toolDir = path.join(path.resolve(root), toolId);
  const before = realFolderStat(toolDir);
  if (!before) return undefined;
  const dir = path.join(toolDir, runId);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  return finishNewRunFolder(root, toolId, before, dir);
}

/**
 * After the mkdir of a new run folder: the tool folder must still be the very folder lstat'ed before it (`before`; not
 * swapped for a symlink meanwhile) — then the new folder, made by mkdir (which never follows a final symlink), is
 * inside it, and as the tool folder sits directly under the root nothing else on the way can lead out. Then 0700.
 */
function finishNewRunFolder(root: string, toolId: string, before: fs.Stats, dir: string): string {
  const after = realFolderStat(path.dirname(dir));
  if (!after || after.ino !== before.ino || after.dev !== before.dev) {
    throw new ArtefactPathError(`refusing artefact path outside the artefacts root ${root}: ${toolId} changed while its run folder was made`);
  }
  // mkdir's mode is filtered by the umask: set it when that took more than group and other bits (rare).
  if (process.platform !== 'win32' && (fs.lstatSync(dir).mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
  return dir;
}

/**
 * runFolder with the mkdir on the thread pool: creating a folder is the slowest step of a warm run's set-up (a new
 * directory block and inode, ~0.3 ms here), and the run service overlaps it with the commit of the run's row.
 * The checks are runFolder's: the tool folder is lstat'ed before and after (same folder, not a symlink).
 */
export async function makeRunFolder(root: string, toolId: string, runId: string): Promise<string> {
  runFolderRel(toolId, runId); // the ids, checked before anything is made
  const toolDir = path.join(path.resolve(root), toolId);
  const before = realFolderStat(toolDir);
  if (before) {
    const dir = path.join(toolDir, runId);
    let made = true;
    try {
      await fs.promises.mkdir(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      made = false; // runFolder below says what is there
    }
    if (made) return finishNewRunFolder(root, toolId, before, dir);
  }
  return runFolder(root, toolId, runId);
}

/** Absolute path of a run's folder, without touching the disk (the ids are checked as runFolderRel does). */
export function runFolderPath(root: string, toolId: string, runId: string): string {
  return path.join(path.resolve(root), ...runFolderRel(toolId, runId).split('/'));
}

/** Creates `<root>/<tool_id>/<run_id>/` (0700 on POSIX) and returns its absolute path. */
export function runFolder(root: string, toolId: string, runId: string): string {
  const rel = runFolderRel(toolId, runId);
  // Every run makes a new folder in an existing tool folder: one lstat and one mkdir then, not the recursive mkdirs.
  const created = newFolderInToolFolder(root, toolId, runId);
  if (created !== undefined) return created;
  fs.mkdirSync(root, { recursive: true });
  const toolDir = safeJoin(root, requireToolId(toolId));
  fs.mkdirSync(toolDir, { recursive: true });
  const dir = safeJoin(root, rel);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask and ignored for an existing folder.
  if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
  // safeJoin again: the folders must not have been swapped for symlinks meanwhile.
  return resolveArtefactPath(root, rel);
}
