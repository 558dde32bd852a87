// State handed from check to check: what earlier checks learned (the text and spec of tool.json, the
// runtime, the live process, the sample run) so later checks build on it instead of redoing it.
import type { ToolProcess } from '../runner/launcher';
import type { JsonObject, JsonValue, ToolSpec } from '../tools/model';
import type { CheckName, CheckStatus, ValidatorClock, ValidatorTimeouts } from './types';

export type ToolRuntime = 'python' | 'node';

export interface ValidationContext {
  readonly dir: string;
  readonly toolJsonPath: string;
  readonly clock: ValidatorClock;
  readonly timeouts: ValidatorTimeouts;
  readonly signal: AbortSignal | undefined;
  /** Temp (or given) root for PIXIE_ARTEFACTS_ROOT and the sample run's artefacts folder. */
  readonly artefactsRoot: string;
  readonly referenceOnly: boolean;
  readonly fixtureFilters: readonly string[];
  readonly tagFilters: readonly string[];

  /** Best-effort until check 2 parses tool.json; main.py by default. */
  entrypoint: string;
  runtime: ToolRuntime;
  toolJsonText?: string;
  raw?: JsonObject;
  spec?: ToolSpec;
  proc?: ToolProcess;
  sampleRunId?: string;
  sampleInputs?: JsonObject;
  sampleOutput?: JsonValue;
  /** Set by reference-only runs: the first failing fixture's inputs and outputs. */
  fixtureSample?: { inputs: JsonObject; outputs: JsonValue };
}

/** What one check returns; `details` must be plain JSON (it is stored in report_json). */
export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  details?: JsonObject;
}

export interface CheckDefinition {
  name: CheckName;
  /** A failure here stops the chain (checks 1–9). */
  gating: boolean;
  /** Needs the spawned process (checks 6–12). */
  needsProcess: boolean;
  run(ctx: ValidationContext): Promise<CheckOutcome>;
}

export const pass = (message: string, details: JsonObject = {}): CheckOutcome => ({ status: 'pass', message, details });
export const warn = (message: string, details: JsonObject = {}): CheckOutcome => ({ status: 'warn', message, details });
export const fail = (message: string, details: JsonObject = {}): CheckOutcome => ({ status: 'fail', message, details });
export const skip = (message: string, details: JsonObject = {}): CheckOutcome => ({ status: 'skip', message, details });

/** The tail of a long text (stderr, bodies) for a report: the end is where the error is. */
export function tail(text: string, max = 4000): string {
  return text.length <= max ? text : `…${text.slice(text.length - max)}`;
}

/** The stderr line that names the error: the last `…Error: …` / `…Exception…` line, else the last line. */
export function keyStderrLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Node\.js v\d/.test(l) && !/^at\s/.test(l) && l !== '^');
  const errorLine = [...lines].reverse().find((l) => /(?:Error|Exception|error)\b[^:]{0,40}:/.test(l));
  return errorLine ?? lines.pop();
}

export function head(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Turns any value into plain JSON for details (undefined → null, non-finite numbers → strings). */
export function toJson(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) Object.defineProperty(out, k, { value: toJson(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return String(value);
}
