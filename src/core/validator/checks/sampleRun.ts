// Check 8: one POST /run with sample inputs (each input's default, else a value of its type) answers
// 2xx with a JSON object. The body is `{run_id, inputs, _pixie}` plus the inputs again at top level,
// for tools written against the original's flat request shape.
import path from 'node:path';
import { buildRunHeaders, describeErrorBody, ToolRequestError } from '../../runner/client';
import { fetchText } from '../../runner/client/request';
import type { JsonObject, JsonValue } from '../../tools/model';
import { samplePayload } from '../../tools/samples';
import { fail, head, keyStderrLine, pass, tail, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The sample run's timeout: validator_timeout_override, else max_runtime_seconds + 5 s (as the original). */
export function sampleRunTimeoutMs(spec: { validator_timeout_override: number | null; max_runtime_seconds: number }): number {
  return (spec.validator_timeout_override ?? spec.max_runtime_seconds + 5) * 1000;
}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const proc = ctx.proc;
  const spec = ctx.spec;
  if (!proc || !spec) return fail('The tool is not running, so the sample run cannot be made.');
  const runId = ctx.clock.newId();
  const artefactsDir = path.join(ctx.artefactsRoot, spec.id, runId);
  const payload = samplePayload(spec, runId);
  payload._pixie = { run_id: runId, artefacts_dir: artefactsDir };
  ctx.sampleRunId = runId;
  ctx.sampleInputs = payload.inputs as JsonObject;
  const timeoutMs = sampleRunTimeoutMs(spec);
  const stderrFrom = proc.stderrOffset();
  const started = performance.now();
  const url = `${proc.baseUrl}/run`;
  let response;
  try {
    response = await fetchText(url, { method: 'POST', headers: buildRunHeaders(runId, artefactsDir), body: JSON.stringify(payload) }, {
      timeoutMs,
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const stderr = tail(proc.stderrSince(stderrFrom));
    if (error instanceof ToolRequestError && error.kind === 'timeout') {
      const setting = spec.validator_timeout_override !== null ? 'validator_timeout_override' : 'max_runtime_seconds + 5 s';
      return fail(
        `POST /run with the sample inputs did not answer within ${timeoutMs / 1000} s (${setting}): make the tool answer its default inputs quickly, or raise validator_timeout_override in tool.json.`,
        { timeout_ms: timeoutMs, stderr },
      );
    }
    // A dropped connection usually means the process died: give its exit a moment to be noticed.
    await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 500))]);
    const exit = proc.exit;
    const died = exit ? ` The tool process ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`} during the run.` : '';
    return fail(`POST /run with the sample inputs failed: ${(error as Error).message}.${died}`, { stderr });
  }
  const elapsed = Math.round(performance.now() - started);
  const stderr = tail(proc.stderrSince(stderrFrom));
  if (response.status < 200 || response.status > 299) {
    const reason = describeErrorBody(response.text);
    const lastErr = keyStderrLine(stderr) ?? '';
    return fail(
      `POST /run with the sample inputs answered ${response.status}${reason ? `: ${reason.split('\n').slice(0, 3).join('; ')}` : ''}` +
        `${lastErr ? ` (stderr: ${lastErr.slice(0, 200)})` : ''}. The sample inputs are each input's default (or a value of its type); the tool must accept them.`,
      { status: response.status, body: head(response.text), stderr, elapsed_ms: elapsed },
    );
  }
  let body: JsonValue;
  try {
    body = JSON.parse(response.text) as JsonValue;
  } catch {
    return fail(`POST /run answered ${response.status} but its body is not JSON (${head(response.text.trim(), 120) || 'empty'}): return a JSON object keyed by output key.`, {
      status: response.status,
      content_type: response.contentType,
      body: head(response.text),
      stderr,
    });
  }
  ctx.sampleOutput = body;
  if (!isRecord(body)) {
    const kind = Array.isArray(body) ? 'a list' : body === null ? 'null' : `a ${typeof body}`;
    return fail(`POST /run answered with ${kind}: it must return a JSON object keyed by output key.`, { status: response.status, body: head(response.text) });
  }
  return pass(`POST /run with the sample inputs answered ${response.status} in ${elapsed} ms.`, { status: response.status, elapsed_ms: elapsed, run_id: runId });
}

export const sampleRunSucceeds: CheckDefinition = { name: 'sample_run_succeeds', gating: true, needsProcess: true, run };
