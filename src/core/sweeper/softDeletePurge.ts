// The soft-delete purge: artefacts deleted (soft) longer ago than `soft_delete_retention_days` are removed for good,
// row and file. Rows of a running run are left for the next pass: their run is still writing outputs.
import type { SnapshotArtefact } from './snapshot';

export interface ExpiredSoftDeleteQuery {
  rows: readonly SnapshotArtefact[];
  /** ISO time: rows soft-deleted strictly before it are expired. */
  cutoff: string;
  toolId?: string;
  runningIds: ReadonlySet<string>;
  /** Rows already going for another reason (with their run). */
  alreadyGoing: ReadonlySet<number>;
}

/** Expired soft-deleted rows, in id order. An unreadable deleted_at never expires (nothing is guessed). */
export function selectExpiredSoftDeletes(query: ExpiredSoftDeleteQuery): SnapshotArtefact[] {
  const cutoffMs = Date.parse(query.cutoff);
  return query.rows.filter((row) => {
    if (row.deletedAt === null || query.alreadyGoing.has(row.id) || query.runningIds.has(row.runId)) return false;
    if (query.toolId !== undefined && row.toolId !== query.toolId) return false;
    const deletedMs = Date.parse(row.deletedAt);
    return Number.isFinite(deletedMs) && deletedMs < cutoffMs;
  });
}

/** The same test inside the apply's transaction, on the row as it is then. */
export function isExpiredSoftDelete(deletedAt: string | null, cutoffMs: number): boolean {
  if (deletedAt === null) return false;
  const deletedMs = Date.parse(deletedAt);
  return Number.isFinite(deletedMs) && deletedMs < cutoffMs;
}
