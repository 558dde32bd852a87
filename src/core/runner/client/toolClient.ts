// The HTTP contract Pixie speaks to a tool (reference §2.4): POST /run, GET /schema, POST /cancel, GET /healthz.
import { ToolHttpError, ToolRequestError } from './errors';
import { describeErrorBody, truncateText } from './errorBody';
import { fetchText, toolUrl, type RequestLimits } from './request';

interface PostRunCommon {
  runId: string;
  /** Absolute path of the run's artefact folder. */
  artefactsDir: string;
  signal?: AbortSignal;
  /** max_runtime_seconds + 5 s in the original; omitted or 0 = no limit. */
  timeoutMs?: number;
}

/** The inputs, or the whole body already serialized (runBodyJson of the same run id, inputs and folder). */
export type PostRunOptions = PostRunCommon &
  ({ inputs: Record<string, unknown>; bodyJson?: undefined } | { bodyJson: string; inputs?: undefined });

export interface RunRequestBody {
  run_id: string;
  inputs: Record<string, unknown>;
  _pixie: { run_id: string; artefacts_dir: string };
}

export function buildRunBody(runId: string, inputs: Record<string, unknown>, artefactsDir: string): RunRequestBody {
  return { run_id: runId, inputs, _pixie: { run_id: runId, artefacts_dir: artefactsDir } };
}

/**
 * JSON.stringify(buildRunBody(runId, inputs, artefactsDir)) from the inputs' JSON text: the run service keeps that
 * text for the row and tool_state anyway, so the inputs are serialized once per run.
 */
export function runBodyJson(runId: string, inputsJson: string, artefactsDir: string): string {
  const id = JSON.stringify(runId);
  return `{"run_id":${id},"inputs":${inputsJson},"_pixie":{"run_id":${id},"artefacts_dir":${JSON.stringify(artefactsDir)}}}`;
}

/** Header values must be Latin-1; a path that is not is left to the body's `_pixie.artefacts_dir`. */
function headerSafe(value: string): boolean {
  return /^[\x20-\x7e\u00a0-\u00ff]*$/.test(value);
}

export function buildRunHeaders(runId: string, artefactsDir: string): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Pixie-Run-Id': runId };
  if (headerSafe(artefactsDir)) headers['X-Pixie-Artefacts-Dir'] = artefactsDir;
  return headers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function httpError(url: string, status: number, statusText: string, body: string): ToolHttpError {
  return new ToolHttpError(status, statusText, describeErrorBody(body), truncateText(body), url);
}

function parseJsonBody(url: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ToolRequestError('bad-response', `the tool's answer to ${url} is not JSON: ${truncateText(text.trim(), 200) || '(empty body)'}`, url, {
      cause: error,
    });
  }
}

/** POST /run; resolves to the tool's JSON object keyed by output key. */
export async function postRun(baseUrl: string, options: PostRunOptions): Promise<Record<string, unknown>> {
  const url = toolUrl(baseUrl, '/run');
  const response = await fetchText(
    url,
    {
      method: 'POST',
      headers: buildRunHeaders(options.runId, options.artefactsDir),
      body: options.bodyJson ?? JSON.stringify(buildRunBody(options.runId, options.inputs, options.artefactsDir)),
    },
    { signal: options.signal, timeoutMs: options.timeoutMs },
  );
  if (response.status < 200 || response.status > 299) throw httpError(url, response.status, response.statusText, response.text);
  const parsed = parseJsonBody(url, response.text);
  if (!isRecord(parsed)) {
    const shape = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    throw new ToolRequestError('bad-response', `the tool's /run returned ${shape}; expected a JSON object keyed by output key`, url);
  }
  return parsed;
}

/** GET /schema (the tool's tool.json as it serves it). */
export async function getSchema(baseUrl: string, limits: RequestLimits = {}): Promise<unknown> {
  const url = toolUrl(baseUrl, '/schema');
  const response = await fetchText(url, { method: 'GET' }, { signal: limits.signal, timeoutMs: limits.timeoutMs ?? 5000 });
  if (response.status < 200 || response.status > 299) throw httpError(url, response.status, response.statusText, response.text);
  return parseJsonBody(url, response.text);
}

/** POST /cancel?run_id= — best effort: never throws; true when the tool answered 2xx. */
export async function postCancel(baseUrl: string, runId: string, limits: RequestLimits = {}): Promise<boolean> {
  const url = toolUrl(baseUrl, `/cancel?run_id=${encodeURIComponent(runId)}`);
  try {
    const response = await fetchText(url, { method: 'POST' }, { signal: limits.signal, timeoutMs: limits.timeoutMs ?? 5000 });
    return response.status >= 200 && response.status <= 299;
  } catch {
    return false;
  }
}

/** GET /healthz: true on 200, false on any other status or no answer within the timeout (default 1 s). */
export async function healthz(baseUrl: string, limits: RequestLimits = {}): Promise<boolean> {
  try {
    const response = await fetchText(toolUrl(baseUrl, '/healthz'), { method: 'GET' }, { signal: limits.signal, timeoutMs: limits.timeoutMs ?? 1000 });
    return response.status === 200;
  } catch {
    return false;
  }
}
