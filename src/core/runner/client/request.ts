// One fetch to a tool with a timeout and the caller's AbortSignal, failures mapped to ToolRequestError
// (so callers can tell "the user cancelled" from "the tool is not answering").
import { ToolRequestError } from './errors';

export interface RequestLimits {
  signal?: AbortSignal;
  /** Covers the whole exchange, body included; omitted or 0 = no limit. */
  timeoutMs?: number;
}

export interface TextResponse {
  status: number;
  statusText: string;
  contentType: string;
  text: string;
}

export function toolUrl(baseUrl: string, pathAndQuery: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Combines the caller's signal with a timeout; `classify` tells which of them fired. */
export function limitSignal(limits: RequestLimits): { signal?: AbortSignal; classify: () => 'aborted' | 'timeout' | undefined } {
  const timeout = limits.timeoutMs && limits.timeoutMs > 0 ? AbortSignal.timeout(limits.timeoutMs) : undefined;
  const signals = [limits.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  return {
    signal,
    classify: () => (limits.signal?.aborted ? 'aborted' : timeout?.aborted ? 'timeout' : undefined),
  };
}

export function requestFailure(error: unknown, url: string, method: string, classify: () => 'aborted' | 'timeout' | undefined, timeoutMs?: number): ToolRequestError {
  if (error instanceof ToolRequestError) return error;
  const why = classify();
  if (why === 'aborted') return new ToolRequestError('aborted', `${method} ${url} was cancelled`, url, { cause: error });
  if (why === 'timeout') {
    return new ToolRequestError('timeout', `${method} ${url} did not complete within ${timeoutMs} ms`, url, { cause: error });
  }
  return new ToolRequestError('network', `could not reach the tool (${method} ${url}): ${describeNetworkError(error)}`, url, { cause: error });
}

export async function fetchText(url: string, init: RequestInit, limits: RequestLimits): Promise<TextResponse> {
  const method = init.method ?? 'GET';
  const { signal, classify } = limitSignal(limits);
  try {
    const response = await fetch(url, { ...init, signal });
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get('content-type') ?? '',
      text,
    };
  } catch (error) {
    throw requestFailure(error, url, method, classify, limits.timeoutMs);
  }
}
