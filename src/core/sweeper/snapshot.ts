// The db state a plan is made from, read in one `store.read`: every run and artefact row with only the columns the
// policies need (no inputs/outputs JSON), which runs hold a starred or labelled artefact, and the validation reports
// old enough to go.
import type { ReadQueries } from '../store/types';
import { readAllAsTuples } from './bulkRead';
import type { PlannedReport, RunProtection } from './types';

export interface SnapshotRun {
  id: string;
  toolId: string;
  startedAt: string;
  /** Date.parse(startedAt); NaN when unreadable (such a run is never "older than" anything). */
  startedMs: number;
  status: string;
  starred: boolean;
  label: string | null;
}

export interface SnapshotArtefact {
  id: number;
  runId: string;
  toolId: string;
  relPath: string;
  sizeBytes: number;
  deletedAt: string | null;
  thumbPath: string | null;
}

export interface SweepSnapshot {
  runs: SnapshotRun[];
  artefacts: SnapshotArtefact[];
  /** Runs holding a live starred (or labelled) artefact: kept like starred runs (docs/RETENTION.md). */
  pinnedByArtefact: Map<string, RunProtection>;
  /** Reports older than the cutoff that are not their tool's latest. */
  reportsToPrune: PlannedReport[];
}

interface RunRow {
  id: string;
  tool_id: string;
  started_at: string;
  status: string;
  starred: number;
  label: string | null;
}

interface ArtefactRow {
  id: number;
  run_id: string;
  tool_id: string;
  rel_path: string;
  size_bytes: number;
}

/** Same rule as the repository's pruneValidationReportsOlderThan, listed instead of deleted. */
export const REPORTS_TO_PRUNE_SQL = `SELECT tool_id, timestamp FROM validation_reports v WHERE timestamp < ?
  AND timestamp < (SELECT MAX(w.timestamp) FROM validation_reports w WHERE w.tool_id = v.tool_id)
  ORDER BY tool_id, timestamp`;

/** Runs and artefacts packed into JSON pages (bulkRead); throws when the db holds something JSON cannot carry. */
function readRowsFast(q: ReadQueries): { runs: SnapshotRun[]; artefacts: SnapshotArtefact[] } {
  const runs = readAllAsTuples(q, 'runs', ['id', 'tool_id', 'started_at', 'status', 'starred', 'label']).map((r) => ({
    id: r[0] as string,
    toolId: r[1] as string,
    startedAt: r[2] as string,
    startedMs: Date.parse(r[2] as string),
    status: r[3] as string,
    starred: Number(r[4]) !== 0,
    label: r[5] as string | null,
  }));
  const artefacts = readAllAsTuples(q, 'artefacts', ['id', 'run_id', 'tool_id', 'rel_path', 'size_bytes', 'deleted_at', 'thumb_path']).map(
    (r) => ({
      id: Number(r[0]),
      runId: r[1] as string,
      toolId: r[2] as string,
      relPath: r[3] as string,
      sizeBytes: Number(r[4]) || 0,
      deletedAt: r[5] as string | null,
      thumbPath: r[6] as string | null,
    }),
  );
  // rowid order is id order when id is the rowid (always in Pixie's schema); anything else is sorted here.
  for (let i = 1; i < artefacts.length; i++) {
    if (!(artefacts[i - 1].id < artefacts[i].id)) {
      artefacts.sort((a, b) => a.id - b.id);
      break;
    }
  }
  return { runs, artefacts };
}

/** The same rows read one by one: slower, but it takes whatever the db holds (BLOBs, a table without rowid). */
function readRowsOneByOne(q: ReadQueries): { runs: SnapshotRun[]; artefacts: SnapshotArtefact[] } {
  const runs = q.all<RunRow>('SELECT id, tool_id, started_at, status, starred, label FROM runs').map((row) => ({
    id: row.id,
    toolId: row.tool_id,
    startedAt: row.started_at,
    startedMs: Date.parse(row.started_at),
    status: row.status,
    starred: Number(row.starred) !== 0,
    label: row.label,
  }));
  // The sparse columns (deleted_at, thumb_path) from their own queries: fewer cells.
  const deletedAt = new Map<number, string>();
  for (const row of q.all<{ id: number; deleted_at: string }>('SELECT id, deleted_at FROM artefacts WHERE deleted_at IS NOT NULL')) {
    deletedAt.set(Number(row.id), row.deleted_at);
  }
  const thumbs = new Map<number, string>();
  for (const row of q.all<{ id: number; thumb_path: string }>('SELECT id, thumb_path FROM artefacts WHERE thumb_path IS NOT NULL')) {
    thumbs.set(Number(row.id), row.thumb_path);
  }
  const artefacts = q.all<ArtefactRow>('SELECT id, run_id, tool_id, rel_path, size_bytes FROM artefacts ORDER BY id').map((row) => {
    const id = Number(row.id);
    return {
      id,
      runId: row.run_id,
      toolId: row.tool_id,
      relPath: row.rel_path,
      sizeBytes: Number(row.size_bytes) || 0,
      deletedAt: deletedAt.get(id) ?? null,
      thumbPath: thumbs.get(id) ?? null,
    };
  });
  return { runs, artefacts };
}

export function readSweepSnapshot(q: ReadQueries, reportsCutoff?: string): SweepSnapshot {
  let rows: { runs: SnapshotRun[]; artefacts: SnapshotArtefact[] };
  try {
    rows = readRowsFast(q);
  } catch {
    rows = readRowsOneByOne(q);
  }
  const { runs, artefacts } = rows;
  const pinnedByArtefact = new Map<string, RunProtection>();
  for (const row of q.all<{ run_id: string; starred: number }>(
    'SELECT run_id, MAX(starred) AS starred FROM artefacts WHERE deleted_at IS NULL AND (starred = 1 OR label IS NOT NULL) GROUP BY run_id',
  )) {
    pinnedByArtefact.set(row.run_id, Number(row.starred) !== 0 ? 'starred-artefact' : 'labelled-artefact');
  }
  const reportsToPrune =
    reportsCutoff === undefined
      ? []
      : q.all<{ tool_id: string; timestamp: string }>(REPORTS_TO_PRUNE_SQL, [reportsCutoff]).map((row) => ({
          toolId: row.tool_id,
          timestamp: row.timestamp,
        }));
  return { runs, artefacts, pinnedByArtefact, reportsToPrune };
}
