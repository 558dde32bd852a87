// What one batch does inside its `store.write` (one short hold of the writer lock): re-check every planned entry
// against the current rows, delete what still qualifies with a few set-based statements (small redo-log records),
// and work out which files lost their last row. Files are unlinked by the caller after the commit.
// Lists go in as ONE JSON parameter (`IN (SELECT value FROM json_each(?))`) and rows come back as one JSON cell
// (bulkRead): with sql.js every bound parameter and every cell read is a call into WebAssembly, and this halves the
// time a batch holds the writer lock. Each statement is logged and replayed by other processes as it is.
import type { ReadQueries, SqlValue, WriteQueries } from '../store/types';
import { IN_JSON_LIST, jsonList, selectTuples } from './bulkRead';
import { protectionOf } from './policies';
import type { SnapshotArtefact } from './snapshot';
import { isExpiredSoftDelete } from './softDeletePurge';
import type { PlannedArtefact, PlannedReport, PlannedRun, RunProtection, SkippedEntry } from './types';

/** Values of `column` among `values` that some artefact row still has (rel_path or thumb_path). */
export function stillReferenced(q: ReadQueries, column: 'rel_path' | 'thumb_path', values: readonly string[]): Set<string> {
  const found = new Set<string>();
  if (values.length === 0) return found;
  for (const row of q.all<{ v: string }>(`SELECT DISTINCT ${column} AS v FROM artefacts WHERE ${column} ${IN_JSON_LIST}`, [
    jsonList([...new Set(values)]),
  ])) {
    found.add(row.v);
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

const ARTEFACT_FIELDS = ['id', 'run_id', 'tool_id', 'rel_path', 'size_bytes', 'thumb_path', 'deleted_at', 'run_status'] as const;

/** Artefact rows (with their run's status) of a SELECT that names ARTEFACT_FIELDS. */
function selectArtefactRows(q: ReadQueries, select: string, params: SqlValue[]): ArtefactRow[] {
  return selectTuples(q, select, ARTEFACT_FIELDS, params).map((t) => ({
    id: t[0] as number,
    run_id: t[1] as string,
    tool_id: t[2] as string,
    rel_path: t[3] as string,
    size_bytes: t[4] as number,
    thumb_path: t[5] as string | null,
    deleted_at: t[6] as string | null,
    run_status: t[7] as string | null,
  }));
}

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

/** What a run batch re-checks: the planned runs as they are now, and their artefact rows. */
export interface RunBatchRows {
  current: Map<string, { status: string; starred: unknown; labelled: boolean }>;
  rowsByRun: Map<string, SnapshotArtefact[]>;
  /** Runs holding a live starred (or else labelled) artefact. */
  pinned: Map<string, RunProtection>;
}

/**
 * Reads the planned runs and their artefact rows, each row saying whether it pins its run (live and starred, or live
 * and labelled): one read for both the re-check and the deletion, instead of two EXISTS probes per run. Also run once
 * outside the lock before the first batch, so that batch's lock hold does not include warming these code paths up.
 */
export function readRunBatch(q: ReadQueries, batch: readonly PlannedRun[]): RunBatchRows {
  const planned = [jsonList(batch.map((run) => run.id))];
  const current: RunBatchRows['current'] = new Map();
  for (const t of selectTuples(
    q,
    `SELECT id, status, starred, label IS NOT NULL AS labelled FROM runs WHERE id ${IN_JSON_LIST}`,
    ['id', 'status', 'starred', 'labelled'],
    planned,
  )) {
    current.set(t[0] as string, { status: t[1] as string, starred: t[2], labelled: Number(t[3]) !== 0 });
  }
  const rowsByRun = new Map<string, SnapshotArtefact[]>();
  const pinned = new Map<string, RunProtection>();
  for (const t of selectTuples(
    q,
    `SELECT id, run_id, tool_id, rel_path, size_bytes, thumb_path, deleted_at,
       (deleted_at IS NULL AND starred = 1) AS pin_star, (deleted_at IS NULL AND label IS NOT NULL) AS pin_label
     FROM artefacts WHERE run_id ${IN_JSON_LIST}`,
    ['id', 'run_id', 'tool_id', 'rel_path', 'size_bytes', 'thumb_path', 'deleted_at', 'pin_star', 'pin_label'],
    planned,
  )) {
    const row = toSnapshotRow({
      id: t[0] as number,
      run_id: t[1] as string,
      tool_id: t[2] as string,
      rel_path: t[3] as string,
      size_bytes: t[4] as number,
      thumb_path: t[5] as string | null,
      deleted_at: t[6] as string | null,
      run_status: null,
    });
    const list = rowsByRun.get(row.runId);
    if (list) list.push(row);
    else rowsByRun.set(row.runId, [row]);
    if (Number(t[7])) pinned.set(row.runId, 'starred-artefact');
    else if (Number(t[8]) && !pinned.has(row.runId)) pinned.set(row.runId, 'labelled-artefact');
  }
  return { current, rowsByRun, pinned };
}

/** Deletes the planned runs that are still unprotected and not running, with all their artefact rows. */
export function deleteRunBatch(q: WriteQueries, batch: readonly PlannedRun[]): BatchOutcome {
  const outcome: BatchOutcome = { runs: [], artefacts: [], skipped: [], files: [], thumbs: [] };
  const { current, rowsByRun, pinned } = readRunBatch(q, batch);
  const doomed: PlannedRun[] = [];
  for (const plannedRun of batch) {
    const row = current.get(plannedRun.id);
    const protection: RunProtection | undefined = row
      ? protectionOf(
          {
            id: plannedRun.id,
            toolId: plannedRun.toolId,
            startedAt: plannedRun.startedAt,
            startedMs: NaN,
            status: row.status,
            starred: Number(row.starred) !== 0,
            // Only whether there is a label matters (any label protects); the text itself is not read.
            label: row.labelled ? '' : null,
          },
          pinned,
        )
      : 'gone';
    if (protection !== undefined) outcome.skipped.push({ id: plannedRun.id, reason: `run ${protection === 'gone' ? 'already gone' : `is ${protection}`}` });
    else doomed.push(plannedRun);
  }
  if (doomed.length === 0) return outcome;
  const ids = [jsonList(doomed.map((run) => run.id))];
  q.run(`DELETE FROM artefacts WHERE run_id ${IN_JSON_LIST}`, ids);
  q.run(`DELETE FROM runs WHERE id ${IN_JSON_LIST}`, ids);
  const removed: SnapshotArtefact[] = [];
  for (const run of doomed) {
    const rows = rowsByRun.get(run.id) ?? [];
    for (const row of rows) {
      removed.push(row);
      outcome.artefacts.push({ id: row.id, runId: row.runId, toolId: row.toolId, relPath: row.relPath, sizeBytes: row.sizeBytes, reason: 'run' });
    }
    outcome.runs.push({ ...run, artefactCount: rows.length });
  }
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
  const rows = selectArtefactRows(
    q,
    `SELECT a.id AS id, a.run_id AS run_id, a.tool_id AS tool_id, a.rel_path AS rel_path, a.size_bytes AS size_bytes,
       a.thumb_path AS thumb_path, a.deleted_at AS deleted_at, r.status AS run_status
     FROM artefacts a LEFT JOIN runs r ON r.id = a.run_id WHERE a.id ${IN_JSON_LIST}`,
    [jsonList(batch.map((a) => a.id))],
  );
  for (const row of rows) current.set(Number(row.id), row);
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
  q.run(`DELETE FROM artefacts WHERE id ${IN_JSON_LIST}`, [jsonList(doomed.map((row) => Number(row.id)))]);
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
