// Deleting a run from the Runs view: the run row and its artefact rows in one transaction, then the files whose
// last row went — each path through resolveArtefactPath (never outside the artefacts root), regular files only.
// Unlike the sweeper this deletes starred and labelled runs too: the user asked for this one. Pure Node.
import fs from 'node:fs';
import path from 'node:path';
import { resolveArtefactPath } from '../../core/artefacts/paths';
import { countArtefactRowsForRelPath } from '../../core/store/repositories/artefacts';
import { deleteRun, getRun } from '../../core/store/repositories/runs';
import type { Store } from '../../core/store/types';

export interface RunDeletion {
  deleted: boolean;
  artefactRows: number;
  filesRemoved: number;
  bytesRemoved: number;
  /** Paths not removed and why (outside the root, not a regular file, an error). */
  skipped: string[];
}

export class RunStillRunningError extends Error {
  override name = 'RunStillRunningError';
}

export async function deleteRunWithFiles(
  store: Store,
  artefactsRoot: string,
  runId: string,
  isActive: (runId: string) => boolean,
): Promise<RunDeletion> {
  if (isActive(runId)) throw new RunStillRunningError('This run is still in progress: cancel it first, then delete it.');
  const { deleted, rows, freed } = await store.write((q) => {
    const run = getRun(q, runId);
    if (!run) return { deleted: false, rows: 0, freed: [] as string[] };
    const result = deleteRun(q, runId);
    // Dedup lets several rows share one file: only files no remaining row points at may go.
    const rels = [...new Set(result.artefacts.map((a) => a.relPath))];
    return {
      deleted: result.deleted,
      rows: result.artefacts.length,
      freed: rels.filter((rel) => countArtefactRowsForRelPath(q, rel) === 0),
    };
  });
  const outcome: RunDeletion = { deleted, artefactRows: rows, filesRemoved: 0, bytesRemoved: 0, skipped: [] };
  const folders = new Set<string>();
  for (const rel of freed) {
    let abs: string;
    try {
      abs = resolveArtefactPath(artefactsRoot, rel);
    } catch (error) {
      outcome.skipped.push(`${rel}: ${(error as Error).message}`);
      continue;
    }
    try {
      const stat = fs.lstatSync(abs);
      if (!stat.isFile()) {
        outcome.skipped.push(`${rel}: not a regular file`);
        continue;
      }
      fs.unlinkSync(abs);
      outcome.filesRemoved++;
      outcome.bytesRemoved += stat.size;
      folders.add(path.dirname(abs));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') outcome.skipped.push(`${rel}: ${(error as Error).message}`);
    }
  }
  // The run's folder (artefacts/<tool>/<run>/) and its sub-folders, when now empty; never the root or a tool folder.
  const root = path.resolve(artefactsRoot);
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    let current = folder;
    while (path.dirname(current) !== root && current.startsWith(root + path.sep)) {
      try {
        fs.rmdirSync(current);
      } catch {
        break; // not empty (or gone): stop here
      }
      current = path.dirname(current);
    }
  }
  return outcome;
}
