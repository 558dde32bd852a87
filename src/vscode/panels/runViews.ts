// A stored run as the webview renders it (RunView): the inputs that were sent, the outputs (inline or from the
// run's outputs artefact) with files resolved, the error, the files the run wrote, and notes from meta_json.
// Used for a run that just finished and for a replay from history alike, so both look the same.
import { loadRunOutputs, RUN_OUTPUTS_KEY } from '../../core/artefacts';
import { listArtefactsByRun } from '../../core/store/repositories/artefacts';
import { getRun } from '../../core/store/repositories/runs';
import type { Store } from '../../core/store/types';
import { toJsonValue } from '../../core/tools/inputValues';
import type { ArtefactView, JsonValue, RunView } from '../../protocol';
import { locateArtefact, resolveOutputs, type ResolveContext } from './outputResolver';

function parseObject(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `inputs` of the stored `{run_id, inputs, _pixie}` envelope (or a bare inputs object, as older rows hold). */
export function storedInputs(inputsJson: string): Record<string, JsonValue> {
  const parsed = parseObject(inputsJson);
  const inner = parsed && typeof parsed.inputs === 'object' && parsed.inputs !== null && !Array.isArray(parsed.inputs) ? parsed.inputs : parsed;
  const value = toJsonValue(inner ?? {});
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/** What meta_json says the user should know about the outputs. */
export function noticesFromMeta(meta: Record<string, unknown> | undefined): string[] {
  if (!meta) return [];
  const notes: string[] = [];
  const problems = meta.output_problems;
  if (typeof problems === 'object' && problems !== null) {
    const p = problems as Record<string, unknown>;
    const missing = names(p.missing);
    if (missing.length > 0) notes.push(`The tool did not return: ${missing.join(', ')}.`);
    if (Array.isArray(p.invalid)) {
      for (const item of p.invalid) {
        if (typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>).message === 'string') {
          notes.push(String((item as Record<string, unknown>).message));
        }
      }
    }
    const extra = names(p.extra);
    if (extra.length > 0) notes.push(`The tool returned values it does not declare: ${extra.join(', ')}.`);
  }
  if (Array.isArray(meta.mime_mismatches)) {
    for (const item of meta.mime_mismatches) {
      if (typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>).message === 'string') {
        notes.push(String((item as Record<string, unknown>).message));
      }
    }
  }
  if (Array.isArray(meta.quarantined) && meta.quarantined.length > 0) {
    notes.push(`${meta.quarantined.length} file(s) the tool wrote were quarantined (links or special files).`);
  }
  return notes;
}

export async function buildRunView(store: Store, runId: string, ctx: ResolveContext): Promise<RunView | undefined> {
  const row = store.read((q) => getRun(q, runId));
  if (!row) return undefined;
  const notices = noticesFromMeta(parseObject(row.metaJson));
  let outputs: Record<string, JsonValue> | null = null;
  if (row.status !== 'running') {
    try {
      const stored = await loadRunOutputs(store, ctx.artefactsRoot, { id: row.id, outputsJson: row.outputsJson });
      outputs = stored === undefined ? null : await resolveOutputs(stored, ctx);
      if (stored === undefined && row.status === 'ok') notices.push('The outputs of this run are no longer stored (their file was removed).');
    } catch (error) {
      notices.push(`The outputs of this run could not be read: ${(error as Error).message}`);
    }
  }
  const artefacts: ArtefactView[] = store
    .read((q) => listArtefactsByRun(q, runId, false))
    .filter((a) => a.outputKey !== RUN_OUTPUTS_KEY)
    .map((a) => {
      const where = locateArtefact(ctx.artefactsRoot, a.relPath);
      return { id: a.id, outputKey: a.outputKey, filename: a.filename, mime: a.mime, size: a.sizeBytes, uri: 'path' in where ? ctx.toUri(where.path) : null };
    });
  const started = Date.parse(row.startedAt);
  const finished = row.finishedAt ? Date.parse(row.finishedAt) : NaN;
  return {
    id: row.id,
    toolId: row.toolId,
    status: row.status,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: Number.isFinite(started) && Number.isFinite(finished) ? Math.max(0, finished - started) : null,
    inputs: storedInputs(row.inputsJson),
    outputs,
    error: row.errorText,
    starred: row.starred,
    label: row.label,
    artefacts,
    notices,
  };
}
