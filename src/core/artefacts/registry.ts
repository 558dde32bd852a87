// The artefacts table side of registering files: rows inserted together with runs.total_artefact_bytes in the same
// transaction, so the total always equals the sum of the run's live rows.
import fs from 'node:fs';
import { addRunArtefactBytes } from '../store/repositories/runs';
import { findLiveArtefactBySha256, getArtefact, insertArtefact, type ArtefactRecord, type NewArtefact } from '../store/repositories/artefacts';
import type { ReadQueries, WriteQueries } from '../store/types';
import { ArtefactPathError, resolveArtefactPath } from './paths';

/** Inserts rows of one run and adds their sizes to the run's total; returns the stored rows. */
export function insertRunArtefacts(q: WriteQueries, runId: string, rows: readonly NewArtefact[]): ArtefactRecord[] {
  const records: ArtefactRecord[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (row.runId !== runId) throw new Error(`artefact row for run ${row.runId} inserted with run ${runId}`);
    const id = insertArtefact(q, row);
    const record = getArtefact(q, id);
    if (!record) throw new Error(`artefact ${id} vanished right after its insert`);
    records.push(record);
    bytes += row.sizeBytes;
  }
  if (bytes > 0 && !addRunArtefactBytes(q, runId, bytes)) throw new Error(`run ${runId} vanished while registering artefacts`);
  return records;
}

/**
 * For dedup: a live row with this content whose file is still on disk with the same size, so a new row can point at
 * it instead of a second copy. Only a regular file reached without symlinks counts.
 */
export function findReusableArtefact(q: ReadQueries, artefactsRoot: string, sha256: string, size: number): ArtefactRecord | undefined {
  const existing = findLiveArtefactBySha256(q, sha256);
  if (!existing || existing.sizeBytes !== size) return undefined;
  try {
    const stat = fs.lstatSync(resolveArtefactPath(artefactsRoot, existing.relPath));
    return stat.isFile() && stat.size === size ? existing : undefined;
  } catch (error) {
    if (error instanceof ArtefactPathError || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
