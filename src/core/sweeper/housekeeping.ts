// Housekeeping: what no policy deletes but nobody needs. Stale `*.partial` files (an interrupted write), the store's
// temp files left by a dead process, files under artefacts/ that no row points at, and rows whose file is gone.
// Anything fresher than an hour, or inside the folder of a running run, is left alone: it may be mid-registration.
import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../store/processAlive';
import { isCanonicalRelPath, type ArtefactFiles } from './fileRemoval';
import type { FileRefCounts, ThumbRefCounts } from './refCounts';
import type { SnapshotArtefact } from './snapshot';
import { throughSymlink, type ArtefactTree } from './tree';
import type { PlannedArtefact, PlannedFile, RefusedPath } from './types';

/** `.partial`, orphan and temp files younger than this are never touched (the original's 3600 s for partials). */
export const STALE_AFTER_MS = 3_600_000;
/** Files users keep in folders on purpose. */
const KEEP_NAMES: readonly string[] = ['.gitkeep', '.gitignore'];

export function isPartialName(rel: string): boolean {
  return rel.endsWith('.partial');
}

/** Whether `rel` lies in the folder of a running run (any segment is its id: `<tool>/<run>/…` or the dated layout). */
export function insideRunningRun(rel: string, runningIds: ReadonlySet<string>): boolean {
  if (runningIds.size === 0) return false;
  return rel.split('/').some((segment) => runningIds.has(segment));
}

export interface StaleFileInput {
  tree: ArtefactTree;
  files: ArtefactFiles;
  /** Counts from the snapshot before any simulated deletion: "no row points here". */
  refs: FileRefCounts;
  thumbs: ThumbRefCounts;
  runningIds: ReadonlySet<string>;
  nowMs: number;
  staleAfterMs: number;
}

/** Orphan files (no row), unused thumbnails and stale partials found by the walk; each probed for age and size. */
export function findStaleArtefactFiles(input: StaleFileInput): { files: PlannedFile[]; refused: RefusedPath[] } {
  const files: PlannedFile[] = [];
  const refused: RefusedPath[] = [];
  const oldBefore = input.nowMs - input.staleAfterMs;
  for (const rel of input.tree.files) {
    if (input.refs.has(rel) || input.thumbs.has(rel)) continue;
    // Top-level files (a README, a .gitignore) are the user's; keep-files anywhere too.
    if (!rel.includes('/') || KEEP_NAMES.includes(rel.slice(rel.lastIndexOf('/') + 1))) continue;
    const partial = isPartialName(rel);
    if (insideRunningRun(rel, input.runningIds)) continue;
    const probe = input.files.probe(rel);
    if (probe.kind === 'refused') {
      refused.push({ relPath: rel, reason: probe.reason });
      continue;
    }
    if (probe.kind !== 'file' || probe.mtimeMs >= oldBefore) continue;
    files.push({ relPath: rel, base: 'artefacts', bytes: probe.bytes, reason: partial ? 'partial' : 'orphan' });
  }
  // The walk's order depends on the disk; the report's does not.
  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  refused.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, refused };
}

export interface MissingRowsInput {
  rows: readonly SnapshotArtefact[];
  tree: ArtefactTree;
  files: ArtefactFiles;
  runningIds: ReadonlySet<string>;
}

/**
 * Rows whose file is gone. Only checked below a top-level folder that exists: a whole tool folder (or the root)
 * missing looks like an unmounted disk or a moved workspace, and deleting every row then would be a disaster.
 */
export function findMissingFileRows(input: MissingRowsInput): { rows: PlannedArtefact[]; refused: RefusedPath[]; notes: string[] } {
  const rows: PlannedArtefact[] = [];
  const refused: RefusedPath[] = [];
  const absentTops = new Set<string>();
  for (const row of input.rows) {
    if (input.runningIds.has(row.runId) || input.tree.files.has(row.relPath)) continue;
    const top = row.relPath.split('/')[0];
    // A tool-scoped walk says nothing about other folders (a dedup row may point into another tool's folder).
    if (input.tree.scope !== undefined && top !== input.tree.scope) continue;
    if (isCanonicalRelPath(row.relPath) && !input.tree.topDirs.has(top) && !throughSymlink(input.tree, row.relPath)) {
      absentTops.add(top);
      continue;
    }
    const probe = input.files.probe(row.relPath);
    if (probe.kind === 'refused') refused.push({ relPath: row.relPath, artefactId: row.id, reason: probe.reason });
    else if (probe.kind === 'missing') {
      rows.push({ id: row.id, runId: row.runId, toolId: row.toolId, relPath: row.relPath, sizeBytes: row.sizeBytes, reason: 'missing-file' });
    }
  }
  const notes = [...absentTops]
    .sort()
    .map((top) => `artefacts/${top}/ does not exist: its rows were not checked for missing files (moved or unmounted?)`);
  return { rows, refused, notes };
}

const TEMP_NAME = (dbBase: string): RegExp =>
  new RegExp(`^\\.${dbBase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d+)-[0-9a-f]+$`);

/** Why a store temp file must stay, or undefined when it can go: its writer is alive, or it is recent. */
export function tempFileVeto(name: string, dbPath: string, stat: fs.Stats, nowMs: number, staleAfterMs: number): string | undefined {
  const match = TEMP_NAME(path.basename(dbPath)).exec(name);
  if (!match) return 'not a Pixie temp file';
  const pid = Number(match[1]);
  if (pid === process.pid || isProcessAlive(pid)) return `process ${pid} is alive`;
  if (stat.mtimeMs >= nowMs - staleAfterMs) return 'written less than an hour ago';
  return undefined;
}

/** `.pixie.db.tmp-<pid>-*` files beside pixie.db whose process is gone (a checkpoint killed half-way). */
export function findStaleTempFiles(dbPath: string, nowMs: number, staleAfterMs: number): PlannedFile[] {
  const dir = path.dirname(path.resolve(dbPath));
  const pattern = TEMP_NAME(path.basename(dbPath));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const found: PlannedFile[] = [];
  for (const name of names.filter((n) => pattern.test(n)).sort()) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(path.join(dir, name));
    } catch {
      continue;
    }
    if (!stat.isFile() || tempFileVeto(name, dbPath, stat, nowMs, staleAfterMs) !== undefined) continue;
    found.push({ relPath: name, base: 'db', bytes: stat.size, reason: 'temp' });
  }
  return found;
}
