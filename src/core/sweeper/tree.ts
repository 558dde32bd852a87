// One walk of the artefacts folder for housekeeping and for a plan's "does this file exist" questions: names only
// (readdir, no stat per file: on a slow disk 20k lstats cost more than the whole dry-run budget). Symlinks are
// recorded and never followed, so nothing reached through one is ever listed, let alone deleted.
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ArtefactPathError, safeJoin } from '../artefacts/paths';

/** Pixie's own folders at the top of the root that housekeeping leaves alone (the user inspects them). */
export const UNSWEPT_DIRS: readonly string[] = ['_quarantine', '_exports'];
/** Yield to the event loop after this many folders so a background walk does not freeze the extension host. */
const DIRS_PER_SLICE = 256;

export interface ArtefactTree {
  /** Whether the artefacts root (or the tool folder walked) exists as a folder. */
  exists: boolean;
  /** Relative paths (forward slashes) of regular files. */
  files: Set<string>;
  /** Relative paths of symlinks found (files or folders); none is followed. */
  symlinks: Set<string>;
  /** Top-level folder names under the root (tool ids, `_thumbs`…), to tell "file missing" from "folder gone". */
  topDirs: Set<string>;
  /** The one top-level folder walked, when the walk was limited to it. */
  scope: string | undefined;
}

function readEntries(dir: string): fs.Dirent[] | undefined {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Walks `root` (or only `root/<onlyTop>`), skipping `_quarantine` and `_exports`. A folder that turns out to be a
 * symlink is listed in `symlinks` and not entered.
 */
export async function walkArtefactTree(root: string, onlyTop?: string): Promise<ArtefactTree> {
  const tree: ArtefactTree = { exists: false, files: new Set(), symlinks: new Set(), topDirs: new Set(), scope: onlyTop };
  const absRoot = path.resolve(root);
  let start = absRoot;
  let startRel = '';
  if (onlyTop !== undefined) {
    try {
      start = safeJoin(absRoot, onlyTop);
    } catch (error) {
      if (error instanceof ArtefactPathError) {
        tree.symlinks.add(onlyTop);
        return tree;
      }
      throw error;
    }
    startRel = onlyTop;
  }
  const rootEntries = readEntries(start);
  if (!rootEntries) return tree;
  tree.exists = true;
  if (onlyTop !== undefined) tree.topDirs.add(onlyTop);
  const pending: Array<{ abs: string; rel: string; entries?: fs.Dirent[] }> = [{ abs: start, rel: startRel, entries: rootEntries }];
  let dirsSinceYield = 0;
  while (pending.length > 0) {
    const dir = pending.pop() as { abs: string; rel: string; entries?: fs.Dirent[] };
    const entries = dir.entries ?? readEntries(dir.abs);
    if (!entries) continue; // removed while we walked
    for (const entry of entries) {
      const rel = dir.rel === '' ? entry.name : `${dir.rel}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        tree.symlinks.add(rel);
      } else if (entry.isDirectory()) {
        if (dir.rel === '') {
          if (UNSWEPT_DIRS.includes(entry.name)) continue;
          tree.topDirs.add(entry.name);
        }
        // A name from readdir holds no separator: concatenation is path.join without its normalising pass.
        pending.push({ abs: `${dir.abs}${path.sep}${entry.name}`, rel });
      } else if (entry.isFile()) {
        tree.files.add(rel);
      }
    }
    if (++dirsSinceYield >= DIRS_PER_SLICE) {
      dirsSinceYield = 0;
      await yieldToLoop();
    }
  }
  return tree;
}

/** Whether `rel` (canonical: no empty or `.` segments) passes through a symlink the walk found. */
export function throughSymlink(tree: ArtefactTree, rel: string): string | undefined {
  if (tree.symlinks.size === 0) return undefined;
  let prefix = '';
  for (const segment of rel.split('/')) {
    prefix = prefix === '' ? segment : `${prefix}/${segment}`;
    if (tree.symlinks.has(prefix)) return prefix;
  }
  return undefined;
}
