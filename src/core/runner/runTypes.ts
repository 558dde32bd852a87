// What a run looks like from outside: the events a UI subscribes to and the final outcome.
import type { ArtefactRecord } from '../store/repositories/artefacts';
import type { FinishedRunStatus } from '../store/repositories/runs';

export type RunEvent =
  | { type: 'started'; runId: string; toolId: string; startedAt: string }
  /** The process is starting (cold) — the UI may say "starting tool…". */
  | { type: 'spawning'; runId: string; toolId: string }
  /** A streamed output's accumulated value (stream_text text so far, all log lines, latest progress, …). */
  | { type: 'output'; runId: string; key: string; value: unknown }
  | { type: 'finished'; runId: string; outcome: RunOutcome };

export interface RunOutcome {
  runId: string;
  toolId: string;
  status: FinishedRunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Outputs as stored for replay (spilled values replaced by artefact references); undefined when the run failed. */
  outputs: Record<string, unknown> | undefined;
  errorText: string | undefined;
  meta: Record<string, unknown>;
  /** Artefact rows registered for this run (spilled values and files the tool wrote). */
  artefacts: ArtefactRecord[];
}

/** Inputs did not pass validation: no run row was written. */
export class InputValidationError extends Error {
  override name = 'InputValidationError';
  constructor(
    readonly toolId: string,
    readonly fieldErrors: Record<string, string>,
  ) {
    super(
      `Some inputs of ${toolId} are not valid:\n` +
        Object.entries(fieldErrors)
          .map(([key, message]) => `  ${key}: ${message}`)
          .join('\n'),
    );
  }
}

/** The tool cannot be run at all (broken tool.json, untrusted workspace, …): no run row was written. */
export class ToolNotRunnableError extends Error {
  override name = 'ToolNotRunnableError';
}
