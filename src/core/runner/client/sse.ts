// GET /stream?run_id= from a tool, parsed with eventsource-parser and normalised (see sseNormalise.ts).
// Ends on `event: done` or when the tool closes the stream; `event: error` rejects with ToolStreamError.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ToolHttpError, ToolRequestError, ToolStreamError } from './errors';
import { describeErrorBody, truncateText } from './errorBody';
import { toolUrl } from './request';
import { normaliseSseMessage, type NormaliseContext, type StreamEvent } from './sseNormalise';

export interface StreamRunOptions extends NormaliseContext {
  signal?: AbortSignal;
  /** Called in order, one event at a time (a returned promise is awaited: back-pressure). */
  onEvent: (event: StreamEvent) => void | Promise<void>;
  /** Time allowed until the response headers arrive (default 10 000 ms); the stream itself has no limit. */
  connectTimeoutMs?: number;
}

export interface StreamSummary {
  events: number;
  endedBy: 'done-event' | 'closed';
}

class ConnectTimeout extends Error {}

export async function streamRun(baseUrl: string, runId: string, options: StreamRunOptions): Promise<StreamSummary> {
  const url = toolUrl(baseUrl, `/stream?run_id=${encodeURIComponent(runId)}`);
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw new ToolRequestError('aborted', `GET ${url} was cancelled`, url);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const connectMs = options.connectTimeoutMs ?? 10_000;
  const connectTimer = setTimeout(() => controller.abort(new ConnectTimeout()), connectMs);

  const fail = (error: unknown): Error => {
    if (error instanceof ToolStreamError || error instanceof ToolHttpError || error instanceof ToolRequestError) return error;
    if (options.signal?.aborted) return new ToolRequestError('aborted', `GET ${url} was cancelled`, url, { cause: error });
    if (controller.signal.reason instanceof ConnectTimeout) {
      return new ToolRequestError('timeout', `GET ${url} did not answer within ${connectMs} ms`, url, { cause: error });
    }
    if (controller.signal.aborted) return error instanceof Error ? error : new Error(String(error)); // onEvent threw
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    return new ToolRequestError('network', `the stream from the tool broke off (GET ${url}): ${why}`, url, { cause: error });
  };

  try {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    clearTimeout(connectTimer);
    if (!response.ok) {
      const text = await response.text();
      throw new ToolHttpError(response.status, response.statusText, describeErrorBody(text), truncateText(text), url);
    }
    if (!response.body) return { events: 0, endedBy: 'closed' };

    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => pending.push(message) });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let events = 0;
    for (;;) {
      const { value, done } = await reader.read();
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      while (pending.length > 0) {
        const message = pending.shift() as EventSourceMessage;
        const normalised = normaliseSseMessage(message, options);
        if (normalised.kind === 'done') {
          controller.abort();
          return { events, endedBy: 'done-event' };
        }
        if (normalised.kind === 'error') {
          controller.abort();
          throw new ToolStreamError(normalised.message, message.data);
        }
        for (const event of normalised.events) {
          events++;
          try {
            await options.onEvent(event);
          } catch (error) {
            controller.abort();
            throw error;
          }
        }
      }
      if (done) return { events, endedBy: 'closed' };
    }
  } catch (error) {
    throw fail(error);
  } finally {
    clearTimeout(connectTimer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
