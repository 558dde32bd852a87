// Errors from talking to a tool over HTTP. ToolHttpError: the tool answered with a non-2xx status.
// ToolRequestError: no usable answer at all (timeout, connection refused, cancelled, not JSON).

/** The tool answered with a non-2xx status; `detail` is the cleaned-up reason (FastAPI's detail unwrapped). */
export class ToolHttpError extends Error {
  override name = 'ToolHttpError';
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly detail: string,
    /** The raw body, truncated to 2000 characters. */
    readonly body: string,
    readonly url: string,
  ) {
    const head = `Tool responded ${status}${statusText ? ` ${statusText}` : ''}`;
    super(detail ? `${head}:${detail.includes('\n') ? '\n' : ' '}${detail}` : head);
  }
}

export type ToolRequestFailure = 'timeout' | 'network' | 'aborted' | 'bad-response';

export class ToolRequestError extends Error {
  override name = 'ToolRequestError';
  constructor(
    readonly kind: ToolRequestFailure,
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The tool's stream reported `event: error`. */
export class ToolStreamError extends Error {
  override name = 'ToolStreamError';
  constructor(
    message: string,
    /** The raw data of the error event. */
    readonly data: string,
  ) {
    super(message);
  }
}

/**
 * True when the connection itself was refused (ECONNREFUSED): nothing listened on the port, so the request reached
 * no tool and sending it again cannot repeat anything the tool did.
 */
export function isConnectionRefused(error: unknown): boolean {
  if (!(error instanceof ToolRequestError) || error.kind !== 'network') return false;
  const fetchError = error.cause as { cause?: unknown } | undefined;
  return (fetchError?.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
}
