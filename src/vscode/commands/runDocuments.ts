// Texts of the read-only `pixie-run:` documents: a run's inputs and outputs as JSON (what "Compare with
// Previous Run" diffs) and its error text with the tool's stderr. Pure.
import type { RunRecord } from '../../core/store/repositories/runs';
import { inputsOf } from '../trees/runsModel';

export const RUN_SCHEME = 'pixie-run';
export type RunDocumentKind = 'json' | 'error';

/** `pixie-run:/<toolId>/<runId>.json` / `…/<runId>.error.log`: the path names the tool so the tab title reads well. */
export function runDocumentPath(toolId: string, runId: string, kind: RunDocumentKind): string {
  return `/${encodeURIComponent(toolId)}/${encodeURIComponent(runId)}${kind === 'json' ? '.json' : '.error.log'}`;
}

export function parseRunDocumentPath(uriPath: string): { runId: string; kind: RunDocumentKind } | undefined {
  const match = /^\/[^/]+\/([^/]+?)\.(json|error\.log)$/.exec(uriPath);
  if (!match) return undefined;
  return { runId: decodeURIComponent(match[1]!), kind: match[2] === 'json' ? 'json' : 'error' };
}

/** Stable key order so the diff editor shows only real differences. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function runJsonText(run: RunRecord, outputs: unknown, outputsNote?: string): string {
  const doc: Record<string, unknown> = {
    tool: run.toolId,
    run_id: run.id,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    starred: run.starred,
    label: run.label,
    inputs: sortKeys(inputsOf(run.inputsJson)),
    outputs: outputs === undefined ? null : sortKeys(outputs),
  };
  if (outputsNote) doc.outputs_note = outputsNote;
  if (run.errorText) doc.error = run.errorText.split('\n--- stderr ---\n')[0];
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function runErrorText(run: RunRecord): string {
  if (!run.errorText) {
    return `Run ${run.id} of ${run.toolId} (${run.status}) has no error text.\n`;
  }
  return `Run ${run.id} of ${run.toolId} — ${run.status}, started ${run.startedAt}\n\n${run.errorText}\n`;
}
