// A sweep plan: every run, artefact row, file and validation report the apply would delete, and the bytes it would
// reclaim, computed without changing anything. `buildSweepPlan` is the pure part (snapshot + walk in, plan out);
// `planSweep` reads them. The apply re-decides every deletion inside its transactions with the same rules, so with
// nothing changing in between, the apply deletes exactly what the plan lists (tested as a property).
import path from 'node:path';
import type { Store } from '../store/types';
import { ArtefactFiles } from './fileRemoval';
import { findMissingFileRows, findStaleArtefactFiles, findStaleTempFiles, STALE_AFTER_MS } from './housekeeping';
import { selectBeyondRetain, selectForBudget, selectOlderThan } from './policies';
import { FileRefCounts, ThumbRefCounts } from './refCounts';
import { selectExpiredSoftDeletes } from './softDeletePurge';
import { readSweepSnapshot, type SnapshotArtefact, type SnapshotRun, type SweepSnapshot } from './snapshot';
import { walkArtefactTree, type ArtefactTree } from './tree';
import type {
  PlannedArtefact,
  PlannedFile,
  PlannedRun,
  RefusedPath,
  RunSweepReason,
  SweepCriteria,
  SweepKind,
  SweepPlan,
  SweepTotals,
} from './types';

export interface PlanOptions {
  kind: SweepKind;
  criteria: SweepCriteria;
  artefactsRoot: string;
  /** pixie.db: housekeeping looks beside it for the store's stale temp files (not with a tool filter). */
  dbPath?: string;
  now?: Date;
  /** Housekeeping leaves `.partial`, orphan and temp files younger than this (default 1 h). */
  staleAfterMs?: number;
}

export interface PlanInput extends PlanOptions {
  snapshot: SweepSnapshot;
  /** The walk of the artefacts folder; required for housekeeping, and it spares a stat per file otherwise. */
  tree?: ArtefactTree;
}

export function totalsOf(plan: Pick<SweepPlan, 'runs' | 'artefacts' | 'files' | 'validationReports'>): SweepTotals {
  return {
    runs: plan.runs.length,
    artefacts: plan.artefacts.length,
    files: plan.files.length,
    validationReports: plan.validationReports.length,
    bytes: plan.files.reduce((sum, file) => sum + file.bytes, 0),
  };
}

function selectRuns(input: PlanInput, artefactsByRun: Map<string, SnapshotArtefact[]>, refs: FileRefCounts): Map<string, RunSweepReason> {
  const { snapshot, criteria } = input;
  const chosen = new Map<string, RunSweepReason>();
  const take = (runs: SnapshotRun[], reason: RunSweepReason) => {
    for (const run of runs) if (!chosen.has(run.id)) chosen.set(run.id, reason);
  };
  if (criteria.olderThan) take(selectOlderThan(snapshot, Date.parse(criteria.olderThan.cutoff), criteria.toolId), 'older-than');
  if (criteria.retain) take(selectBeyondRetain(snapshot, criteria.retain, criteria.toolId), 'retain');
  if (criteria.maxArtefactBytes !== undefined && criteria.maxArtefactBytes > 0) {
    const simulated = refs.clone();
    for (const id of chosen.keys()) simulated.remove(artefactsByRun.get(id) ?? []);
    take(selectForBudget(snapshot, new Set(chosen.keys()), artefactsByRun, simulated, criteria.maxArtefactBytes), 'budget');
  }
  return chosen;
}

/** The pure planner: no I/O except `files.probe` for paths the walk could not answer (and housekeeping ages). */
export function buildSweepPlan(input: PlanInput, files = new ArtefactFiles(input.artefactsRoot)): SweepPlan {
  const now = input.now ?? new Date();
  const { snapshot, criteria, tree } = input;
  const staleAfterMs = input.staleAfterMs ?? STALE_AFTER_MS;
  const notes: string[] = [];
  const refused: RefusedPath[] = [];
  const runningIds = new Set(snapshot.runs.filter((run) => run.status === 'running').map((run) => run.id));
  const runsById = new Map<string, SnapshotRun>();
  for (const run of snapshot.runs) runsById.set(run.id, run);
  const artefactsByRun = new Map<string, SnapshotArtefact[]>();
  for (const row of snapshot.artefacts) {
    const list = artefactsByRun.get(row.runId);
    if (list) list.push(row);
    else artefactsByRun.set(row.runId, [row]);
  }
  const refsBefore = new FileRefCounts(snapshot.artefacts);
  const thumbsBefore = new ThumbRefCounts(snapshot.artefacts);

  // 1. Runs, and their artefact rows.
  const chosen = selectRuns(input, artefactsByRun, refsBefore);
  const runs: PlannedRun[] = [];
  const artefacts: PlannedArtefact[] = [];
  const removedRows: SnapshotArtefact[] = [];
  const planned = (row: SnapshotArtefact, reason: PlannedArtefact['reason']): PlannedArtefact => ({
    id: row.id,
    runId: row.runId,
    toolId: row.toolId,
    relPath: row.relPath,
    sizeBytes: row.sizeBytes,
    reason,
  });
  for (const [id, reason] of chosen) {
    const run = runsById.get(id) as SnapshotRun;
    const rows = artefactsByRun.get(id) ?? [];
    runs.push({ id, toolId: run.toolId, startedAt: run.startedAt, status: run.status, reason, artefactCount: rows.length });
    for (const row of rows) {
      artefacts.push(planned(row, 'run'));
      removedRows.push(row);
    }
  }
  const rowGoing = new Set(removedRows.map((row) => row.id));

  // 2. Soft-deleted rows past their retention (not those of a running run: its outputs are still being written).
  if (criteria.softDeleteCutoff !== undefined) {
    for (const row of selectExpiredSoftDeletes({
      rows: snapshot.artefacts,
      cutoff: criteria.softDeleteCutoff,
      toolId: criteria.toolId,
      runningIds,
      alreadyGoing: rowGoing,
    })) {
      artefacts.push(planned(row, 'soft-delete-expired'));
      removedRows.push(row);
      rowGoing.add(row.id);
    }
  }

  // 3. Housekeeping: rows whose file is gone.
  if (criteria.housekeeping) {
    if (!tree) throw new Error('housekeeping needs a walk of the artefacts folder');
    if (!tree.exists) {
      notes.push(
        criteria.toolId === undefined
          ? `the artefacts folder ${files.root} does not exist: no file checks were made`
          : `artefacts/${criteria.toolId}/ does not exist: no file checks were made for it`,
      );
    } else {
      const candidates = snapshot.artefacts.filter(
        (row) => !rowGoing.has(row.id) && (criteria.toolId === undefined || row.toolId === criteria.toolId),
      );
      const missing = findMissingFileRows({ rows: candidates, tree, files, runningIds });
      const byId = new Map(candidates.map((row) => [row.id, row]));
      for (const row of missing.rows) {
        artefacts.push(row);
        removedRows.push(byId.get(row.id) as SnapshotArtefact);
        rowGoing.add(row.id);
      }
      refused.push(...missing.refused);
      notes.push(...missing.notes);
    }
  }

  // 4. Files whose last row goes (dedup-aware), and thumbnails no row names any more.
  const fileEntries: PlannedFile[] = [];
  for (const rel of refsBefore.freedBy(removedRows)) {
    if (tree?.files.has(rel)) {
      // Found by the walk (so no symlink on the way): the size recorded in the db, to spare a stat per file.
      fileEntries.push({ relPath: rel, base: 'artefacts', bytes: refsBefore.sizeOf(rel), reason: 'last-row' });
      continue;
    }
    const probe = files.probe(rel);
    if (probe.kind === 'file') fileEntries.push({ relPath: rel, base: 'artefacts', bytes: probe.bytes, reason: 'last-row' });
    else if (probe.kind === 'refused') {
      // Rare (a crafted or corrupt row): the linear search costs nothing in practice.
      refused.push({ relPath: rel, artefactId: removedRows.find((row) => row.relPath === rel)?.id, reason: probe.reason });
    }
  }
  for (const thumb of thumbsBefore.freedBy(removedRows)) {
    const probe = files.probe(thumb);
    if (probe.kind === 'file') fileEntries.push({ relPath: thumb, base: 'artefacts', bytes: probe.bytes, reason: 'thumb' });
    else if (probe.kind === 'refused') refused.push({ relPath: thumb, reason: probe.reason });
  }

  // 5. Housekeeping: orphan files, stale partials, the store's temp files.
  if (criteria.housekeeping && tree?.exists) {
    const stale = findStaleArtefactFiles({
      tree,
      files,
      refs: refsBefore,
      thumbs: thumbsBefore,
      runningIds,
      nowMs: now.getTime(),
      staleAfterMs,
    });
    fileEntries.push(...stale.files);
    refused.push(...stale.refused);
  }
  if (criteria.housekeeping && tree && tree.symlinks.size > 0) {
    notes.push(`${tree.symlinks.size} symlink(s) inside the artefacts folder were not followed (${[...tree.symlinks].slice(0, 3).join(', ')}${tree.symlinks.size > 3 ? ', …' : ''})`);
  }
  if (criteria.housekeeping && input.dbPath !== undefined && criteria.toolId === undefined) {
    fileEntries.push(...findStaleTempFiles(input.dbPath, now.getTime(), staleAfterMs));
  }

  // 6. Validation reports.
  const validationReports = snapshot.reportsToPrune.filter(
    (report) => criteria.toolId === undefined || report.toolId === criteria.toolId,
  );

  const plan = {
    kind: input.kind,
    createdAt: now.toISOString(),
    criteria,
    runs,
    artefacts,
    files: fileEntries,
    validationReports,
    refused: dedupeRefused(refused),
    notes,
  };
  return { ...plan, totals: totalsOf(plan) };
}

function dedupeRefused(list: RefusedPath[]): RefusedPath[] {
  const seen = new Set<string>();
  return list.filter((entry) => {
    const key = `${entry.artefactId ?? ''}\0${entry.relPath}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Reads the db (one snapshot) and walks the artefacts folder when housekeeping asks for it, then plans. */
export async function planSweep(store: Store, options: PlanOptions): Promise<SweepPlan> {
  const snapshot = store.read((q) => readSweepSnapshot(q, options.criteria.reportsCutoff));
  // The walk comes after the snapshot: a file registered in between looks like an orphan, but it is fresh, and
  // orphans younger than an hour are never touched (the apply re-checks rows and age again).
  const tree = options.criteria.housekeeping ? await walkArtefactTree(options.artefactsRoot, options.criteria.toolId) : undefined;
  return buildSweepPlan({ ...options, snapshot, tree });
}

/** Absolute path of a planned file. */
export function plannedFilePath(file: PlannedFile, artefactsRoot: string, dbPath?: string): string {
  if (file.base === 'db') {
    if (dbPath === undefined) throw new Error(`cannot place ${file.relPath}: no db path`);
    return path.join(path.dirname(path.resolve(dbPath)), file.relPath);
  }
  return path.join(path.resolve(artefactsRoot), ...file.relPath.split('/'));
}
