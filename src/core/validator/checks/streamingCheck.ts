// Check 10: only for tools with an output marked `streaming: true` (the original's rule): GET /stream for
// the sample run yields at least one non-empty event within 10 s. Does not stop the chain.
import { streamRun, ToolHttpError, ToolRequestError, ToolStreamError } from '../../runner/client';
import { fail, pass, skip, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The run id the tool knows the sample run by: its echo in the response, else the id we sent. */
function streamRunId(ctx: ValidationContext): string {
  const out = ctx.sampleOutput;
  if (isRecord(out)) {
    for (const key of ['run_id', 'id']) if (typeof out[key] === 'string' && out[key] !== '') return out[key] as string;
  }
  return ctx.sampleRunId ?? 'validator';
}

class FirstEvent extends Error {}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const spec = ctx.spec;
  const proc = ctx.proc;
  if (!spec || !proc) return fail('The tool is not running, so /stream cannot be checked.');
  const streamed = spec.outputs.filter((o) => o.streaming);
  if (streamed.length === 0) return skip('No output has "streaming": true, so there is no stream to check.');
  const runId = streamRunId(ctx);
  const limitMs = ctx.timeouts.streamMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limitMs);
  const onOuterAbort = (): void => controller.abort();
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const started = performance.now();
  let first: { key: string | null; data: string } | undefined;
  try {
    const summary = await streamRun(proc.baseUrl, runId, {
      signal: controller.signal,
      connectTimeoutMs: limitMs,
      knownOutputKeys: spec.outputs.map((o) => o.key),
      defaultTextKey: spec.outputs.find((o) => o.type === 'stream_text')?.key,
      onEvent: (event) => {
        if (event.raw.data.trim() === '') return;
        first = { key: event.outputKey ?? null, data: event.raw.data.slice(0, 200) };
        throw new FirstEvent();
      },
    });
    return fail(
      `GET /stream?run_id=${runId} ${summary.endedBy === 'done-event' ? 'sent "done"' : 'closed'} without any event: a streaming tool must send its output as SSE events (event: <output_key> / data: …).`,
      { run_id: runId, ended_by: summary.endedBy },
    );
  } catch (error) {
    const elapsed = Math.round(performance.now() - started);
    if (first) return pass(`GET /stream sent its first event after ${elapsed} ms${first.key ? ` (output "${first.key}")` : ''}.`, { run_id: runId, first_event: first, elapsed_ms: elapsed });
    if (ctx.signal?.aborted) throw error;
    const details = { run_id: runId, elapsed_ms: elapsed, stderr: proc.stderrSnapshot().slice(-2000) };
    if (error instanceof ToolHttpError) {
      return fail(`GET /stream?run_id=${runId} answered ${error.status}${error.detail ? `: ${error.detail}` : ''}. A tool with streaming outputs must serve GET /stream?run_id= as text/event-stream.`, details);
    }
    if (error instanceof ToolStreamError) return fail(`The stream reported an error before any output: ${error.message}.`, details);
    if (controller.signal.aborted || (error instanceof ToolRequestError && error.kind === 'timeout')) {
      return fail(`GET /stream?run_id=${runId} sent no event within ${limitMs / 1000} s: send the first chunk as soon as there is one.`, details);
    }
    return fail(`GET /stream?run_id=${runId} failed: ${(error as Error).message}.`, details);
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export const streamingCheck: CheckDefinition = { name: 'streaming_check', gating: false, needsProcess: true, run };
