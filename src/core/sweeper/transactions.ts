// What one batch does inside its `store.write` (one short hold of the writer lock): re-check every planned entry
// against the current rows, delete what still qualifies with a few set-based statements (small redo-log records),
// and work out which files lost their last row. Files are unlinked by the caller after the commit.
import type { ReadQueries, SqlValue, WriteQueries } from '../store/types';
import { protectionOf } from './policies';
import type { SnapshotArtefact } from './snapshot';
import { isExpiredSoftDelete } from './softDeletePurge';
import type { PlannedArtefact, PlannedReport, PlannedRun, RunProtection, SkippedEntry } from './types';

/** Parameters per IN (…) list: well under SQLite's limit, and short statements in the redo log. */
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const marks = (n: number): string => new Array<string>(n).fill('?').join(', ');

/** Values of `column` among `values` that some artefact row still has (rel_path or thumb_path). */
export function stillReferenced(q: ReadQueries, column: 'rel_path' | 'thumb_path', values: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(values)])) {
    for (const row of q.all<{ v: string }>(`SELECT DISTINCT ${column} AS v FROM artefacts WHERE ${column} IN (${marks(part.length)})`, part)) {
      found.add(row.v);
    }
  }
  return found;
}

/** Files (rel_path) and thumbnails whose last row was among `removed`, each once. */
function freedBy(q: ReadQueries, removed: readonly Pick<SnapshotArtefact, 'relPath' | 'thumbPath'>[]): { files: string[]; thumbs: string[] } {
  const rels = [...new Set(removed.map((row) => row.relPath))];
  const keptRels = stillReferenced(q, 'rel_path', rels);
  const thumbs = [...new Set(removed.map((row) => row.thumbPath).filter((t): t is string => !!t))];
  const keptThumbs = thumbs.length > 0 ? stillReferenced(q, 'thumb_path', thumbs) : new Set<string>();
  return { files: rels.filter((rel) => !keptRels.has(rel)), thumbs: thumbs.filter((t) => !keptThumbs.has(t)) };
}

interface ArtefactRow {
  id: number;
  run_id: string;
  tool_id: string;
  rel_path: string;
  size_bytes: number;
  thumb_path: string | null;
  deleted_at: string | null;
  run_status: string | null;
}

const ARTEFACT_COLUMNS =
  'a.id, a.run_id, a.tool_id, a.rel_path, a.size_bytes, a.thumb_path, a.deleted_at, r.status AS run_status';

function toSnapshotRow(row: ArtefactRow): SnapshotArtefact {
  return {
    id: Number(row.id),
    runId: row.run_id,
    toolId: row.tool_id,
    relPath: row.rel_path,
    sizeBytes: Number(row.size_bytes) || 0,
    deletedAt: row.deleted_at,
    thumbPath: row.thumb_path,
  };
}

export interface BatchOutcome {
  runs: PlannedRun[];
  artefacts: PlannedArtefact[];
  skipped: SkippedEntry[];
  /** Paths under the artefacts root to unlink now that the commit is durable. */
  files: string[];
  thumbs: string[];
}

interface CurrentRunRow {
  id: string;
  tool_id: string;
  started_at: string;
  status: string;
  starred: number;
  label: string | null;
  starred_artefact: number;
  labelled_artefact: number;
}

/** Deletes the planned runs that are still unprotected and not running, with all their artefact rows. */
export function deleteRunBatch(q: WriteQueries, batch: readonly PlannedRun[]): BatchOutcome {
  const outcome: BatchOutcome = { runs: [], artefacts: [], skipped: [], files: [], thumbs: [] };
  const current = new Map<string, CurrentRunRow>();
  for (const part of chunks(batch.map((run) => run.id))) {
    const rows = q.all<CurrentRunRow>(
      `SELECT r.id, r.tool_id, r.started_at, r.status, r.starred, r.label,
         EXISTS(SELECT 1 FROM artefacts a WHERE a.run_id = r.id AND a.deleted_at IS NULL AND a.starred = 1) AS starred_artefact,
         EXISTS(SELECT 1 FROM artefacts a WHERE a.run_id = r.id AND a.deleted_at IS NULL AND a.label IS NOT NULL) AS labelled_artefact
       FROM runs r WHERE r.id IN (${marks(part.length)})`,
      part,
    );
    for (const row of rows) current.set(row.id, row);
  }
  const doomed: PlannedRun[] = [];
  for (const planned of batch) {
    const row = current.get(planned.id);
    let protection: RunProtection | undefined;
    if (!row) protection = 'gone';
    else {
      const pinned = new Map<string, RunProtection>();
      if (Number(row.starred_artefact)) pinned.set(row.id, 'starred-artefact');
      else if (Number(row.labelled_artefact)) pinned.set(row.id, 'labelled-artefact');
      protection = protectionOf(
        { id: row.id, toolId: row.tool_id, startedAt: row.started_at, startedMs: NaN, status: row.status, starred: Number(row.starred) !== 0, label: row.label },
        pinned,
      );
    }
    if (protection !== undefined) outcome.skipped.push({ id: planned.id, reason: `run ${protection === 'gone' ? 'already gone' : `is ${protection}`}` });
    else doomed.push(planned);
  }
  if (doomed.length === 0) return outcome;
  const ids = doomed.map((run) => run.id);
  const removed: SnapshotArtefact[] = [];
  for (const part of chunks(ids)) {
    const rows = q.all<ArtefactRow>(
      `SELECT id, run_id, tool_id, rel_path, size_bytes, thumb_path, deleted_at, NULL AS run_status FROM artefacts
       WHERE run_id IN (${marks(part.length)})`,
      part,
    );
    removed.push(...rows.map(toSnapshotRow));
    q.run(`DELETE FROM artefacts WHERE run_id IN (${marks(part.length)})`, part);
    q.run(`DELETE FROM runs WHERE id IN (${marks(part.length)})`, part);
  }
  const countByRun = new Map<string, number>();
  for (const row of removed) {
    countByRun.set(row.runId, (countByRun.get(row.runId) ?? 0) + 1);
    outcome.artefacts.push({ id: row.id, runId: row.runId, toolId: row.toolId, relPath: row.relPath, sizeBytes: row.sizeBytes, reason: 'run' });
  }
  outcome.runs = doomed.map((run) => ({ ...run, artefactCount: countByRun.get(run.id) ?? 0 }));
  const freed = freedBy(q, removed);
  outcome.files = freed.files;
  outcome.thumbs = freed.thumbs;
  return outcome;
}

/**
 * Deletes planned artefact rows (expired soft deletes, rows whose file is gone) that still qualify. `fileIsMissing`
 * re-checks the disk for `missing-file` rows. Their runs' total_artefact_bytes go down by the rows' sizes.
 */
export function deleteArtefactBatch(
  q: WriteQueries,
  batch: readonly PlannedArtefact[],
  softDeleteCutoffMs: number,
  fileIsMissing: (relPath: string) => boolean,
): BatchOutcome {
  const outcome: BatchOutcome = { runs: [], artefacts: [], skipped: [], files: [], thumbs: [] };
  const current = new Map<number, ArtefactRow>();
  for (const part of chunks(batch.map((a) => a.id))) {
    const rows = q.all<ArtefactRow>(
      `SELECT ${ARTEFACT_COLUMNS} FROM artefacts a LEFT JOIN runs r ON r.id = a.run_id WHERE a.id IN (${marks(part.length)})`,
      part,
    );
    for (const row of rows) current.set(Number(row.id), row);
  }
  const doomed: ArtefactRow[] = [];
  const reasons = new Map<number, PlannedArtefact['reason']>();
  for (const planned of batch) {
    const row = current.get(planned.id);
    let veto: string | undefined;
    if (!row) veto = 'artefact already gone';
    else if (row.run_status === 'running') veto = 'its run is running';
    else if (planned.reason === 'soft-delete-expired') {
      if (row.deleted_at === null) veto = 'artefact was restored';
      else if (!isExpiredSoftDelete(row.deleted_at, softDeleteCutoffMs)) veto = 'artefact was deleted more recently';
    } else if (planned.reason === 'missing-file' && !fileIsMissing(row.rel_path)) veto = 'its file is there again';
    if (veto !== undefined || !row) outcome.skipped.push({ id: String(planned.id), reason: veto ?? 'artefact already gone' });
    else {
      doomed.push(row);
      reasons.set(Number(row.id), planned.reason);
    }
  }
  if (doomed.length === 0) return outcome;
  for (const part of chunks(doomed.map((row) => Number(row.id)))) q.run(`DELETE FROM artefacts WHERE id IN (${marks(part.length)})`, part);
  const bytesByRun = new Map<string, number>();
  for (const row of doomed) bytesByRun.set(row.run_id, (bytesByRun.get(row.run_id) ?? 0) + (Number(row.size_bytes) || 0));
  for (const [runId, bytes] of bytesByRun) {
    if (bytes <= 0) continue;
    q.run('UPDATE runs SET total_artefact_bytes = MAX(0, COALESCE(total_artefact_bytes, 0) - ?) WHERE id = ?', [bytes, runId]);
  }
  const removed = doomed.map(toSnapshotRow);
  outcome.artefacts = removed.map((row) => ({
    id: row.id,
    runId: row.runId,
    toolId: row.toolId,
    relPath: row.relPath,
    sizeBytes: row.sizeBytes,
    reason: reasons.get(row.id) ?? 'soft-delete-expired',
  }));
  const freed = freedBy(q, removed);
  outcome.files = freed.files;
  outcome.thumbs = freed.thumbs;
  return outcome;
}

/** Deletes planned validation reports that are still older than the cutoff and still not their tool's latest. */
export function deleteReportBatch(q: WriteQueries, batch: readonly PlannedReport[], cutoff: string): { deleted: PlannedReport[]; skipped: SkippedEntry[] } {
  const deleted: PlannedReport[] = [];
  const skipped: SkippedEntry[] = [];
  for (const report of batch) {
    const params: SqlValue[] = [report.toolId, report.timestamp, cutoff, report.toolId];
    const changes = q.run(
      `DELETE FROM validation_reports WHERE tool_id = ? AND timestamp = ? AND timestamp < ?
       AND timestamp < (SELECT MAX(w.timestamp) FROM validation_reports w WHERE w.tool_id = ?)`,
      params,
    ).changes;
    if (changes > 0) deleted.push(report);
    else skipped.push({ id: `${report.toolId}@${report.timestamp}`, reason: 'report is gone or is now its tool’s latest' });
  }
  return { deleted, skipped };
}

/** Ids of runs currently running. */
export function runningRunIds(q: ReadQueries): Set<string> {
  return new Set(q.all<{ id: string }>("SELECT id FROM runs WHERE status = 'running'").map((row) => row.id));
}
