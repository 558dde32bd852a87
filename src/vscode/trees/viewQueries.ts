// Reads the views need that the repositories do not offer (plain functions over ReadQueries, no vscode).
// Runs with artefacts are walked newest first through the runs' (started_at) index with an EXISTS probe on
// idx_artefacts_run, so a page stops after `limit` hits instead of grouping the whole artefacts table.
import type { RunCursor } from '../../core/store/repositories/runs';
import type { ReadQueries, SqlValue } from '../../core/store/types';

export interface RunWithArtefacts {
  id: string;
  toolId: string;
  startedAt: string;
  status: string;
  count: number;
  bytes: number;
}

export function runsWithArtefacts(
  q: ReadQueries,
  options: { after?: RunCursor; limit: number; includeDeleted: boolean; toolId?: string },
): RunWithArtefacts[] {
  const live = options.includeDeleted ? '' : ' AND a.deleted_at IS NULL';
  const clauses = [`EXISTS (SELECT 1 FROM artefacts a WHERE a.run_id = r.id${live})`];
  const params: SqlValue[] = [];
  if (options.toolId !== undefined) {
    clauses.push('r.tool_id = ?');
    params.push(options.toolId);
  }
  if (options.after) {
    clauses.push('r.started_at <= ? AND (r.started_at < ? OR r.id < ?)');
    params.push(options.after.startedAt, options.after.startedAt, options.after.id);
  }
  const rows = q.all<{ id: string; tool_id: string; started_at: string; status: string; n: number; bytes: number }>(
    `SELECT r.id, r.tool_id, r.started_at, r.status,
       (SELECT COUNT(*) FROM artefacts a WHERE a.run_id = r.id${live}) AS n,
       (SELECT COALESCE(SUM(a.size_bytes), 0) FROM artefacts a WHERE a.run_id = r.id${live}) AS bytes
     FROM runs r WHERE ${clauses.join(' AND ')} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    [...params, options.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    toolId: row.tool_id,
    startedAt: row.started_at,
    status: row.status,
    count: Number(row.n),
    bytes: Number(row.bytes),
  }));
}

/** Tool ids that have artefacts (live ones unless includeDeleted), by id. */
export function toolsWithArtefacts(q: ReadQueries, includeDeleted: boolean): string[] {
  const where = includeDeleted ? '' : ' WHERE deleted_at IS NULL';
  return q.all<{ tool_id: string }>(`SELECT DISTINCT tool_id FROM artefacts${where} ORDER BY tool_id`).map((r) => r.tool_id);
}

/** Tool ids that have runs, by id (DISTINCT over idx_runs_tool: reads the index, not the rows). */
export function toolsWithRuns(q: ReadQueries): string[] {
  return q.all<{ tool_id: string }>('SELECT DISTINCT tool_id FROM runs ORDER BY tool_id').map((r) => r.tool_id);
}

/** Every (tool, workspace) membership, for the Tools view. */
export function allMemberships(q: ReadQueries): Array<{ toolId: string; workspaceId: number }> {
  return q
    .all<{ tool_id: string; workspace_id: number }>('SELECT tool_id, workspace_id FROM tool_workspaces')
    .map((r) => ({ toolId: r.tool_id, workspaceId: Number(r.workspace_id) }));
}

/** Every tool's tags, for the Tools view (one query rather than one per tool). */
export function allToolTagPairs(q: ReadQueries): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of q.all<{ tool_id: string; tag: string }>('SELECT tool_id, tag FROM tool_tags ORDER BY tag')) {
    const list = out.get(row.tool_id);
    if (list) list.push(row.tag);
    else out.set(row.tool_id, [row.tag]);
  }
  return out;
}

/** True when the runs table has at least one row (the "no runs yet" welcome). */
export function hasAnyRun(q: ReadQueries): boolean {
  return q.get('SELECT 1 AS found FROM runs LIMIT 1') !== undefined;
}

export function hasAnyArtefact(q: ReadQueries): boolean {
  return q.get('SELECT 1 AS found FROM artefacts LIMIT 1') !== undefined;
}

/** The Runs badge's candidates (see runsBadgeModel.ts): running, started since `startedSince`, or one of `ids`.
 *  Each term has an index (idx_runs_status, idx_runs_started, the primary key), so SQLite unions three lookups. */
export function runsForBadge(q: ReadQueries, candidates: { startedSince: string; ids: readonly string[] }): Array<{ id: string; status: string; startedAt: string }> {
  const ids = candidates.ids;
  const byId = ids.length > 0 ? ` OR id IN (${ids.map(() => '?').join(', ')})` : '';
  return q
    .all<{ id: string; status: string; started_at: string }>(
      `SELECT id, status, started_at FROM runs WHERE status = 'running' OR started_at >= ?${byId}`,
      [candidates.startedSince, ...ids],
    )
    .map((row) => ({ id: row.id, status: row.status, startedAt: row.started_at }));
}
