// Reading outputs back for history replay: outputs_json when it was kept inline, else the run's
// `_pixie_run_outputs` artefact; and the value behind a text/json reference.
import fs from 'node:fs';
import { listArtefactsByRun } from '../store/repositories/artefacts';
import type { Store } from '../store/types';
import { resolveArtefactPath } from './paths';
import { RUN_OUTPUTS_KEY, type ArtefactRef } from './reference';

export class ArtefactMissingError extends Error {
  override name = 'ArtefactMissingError';
}

/** A run row's outputs as stored: outputs_json parsed, or the outputs.json artefact when they were oversize.
 *  undefined when the run has no outputs (still running, failed, or its artefact was deleted). */
export async function loadRunOutputs(
  store: Store,
  artefactsRoot: string,
  run: { id: string; outputsJson: string | null },
): Promise<unknown> {
  if (run.outputsJson !== null) return JSON.parse(run.outputsJson) as unknown;
  const row = store
    .read((q) => listArtefactsByRun(q, run.id, false))
    .find((a) => a.outputKey === RUN_OUTPUTS_KEY);
  if (!row) return undefined;
  const text = await fs.promises.readFile(resolveArtefactPath(artefactsRoot, row.relPath), 'utf8');
  return JSON.parse(text) as unknown;
}

/** The original value behind a `text` or `json` reference (a `file` reference is shown through its file). */
export async function readReferencedValue(artefactsRoot: string, ref: ArtefactRef): Promise<unknown> {
  if (ref.kind === 'file') throw new TypeError(`artefact ${ref.id} is a file; open it by its path instead of reading it inline`);
  let text: string;
  try {
    text = await fs.promises.readFile(resolveArtefactPath(artefactsRoot, ref.rel_path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtefactMissingError(`artefact file ${ref.rel_path} is missing`);
    throw error;
  }
  return ref.kind === 'text' ? text : (JSON.parse(text) as unknown);
}
