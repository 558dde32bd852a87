// The host's side of requests: check the envelope and the params, call the handler for the method, and turn its
// result or its error into the reply. A handler error with `fieldErrors` (input validation) keeps them.
import { isRecord } from './guards';
import { isRequestEnvelope, PARAM_GUARDS } from './messageGuards';
import type { ErrorMessage, RequestMethod, RequestParams, RequestResult, ResponseMessage } from './messages';

export type RequestHandlers = {
  [M in RequestMethod]: (params: RequestParams<M>) => Promise<RequestResult<M>> | RequestResult<M>;
};

/** An error whose message is meant for the user as it is (no stack, no class name). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
  }
}

function fieldErrorsOf(error: unknown): Record<string, string> | undefined {
  if (!isRecord(error) && !(error instanceof Error)) return undefined;
  const fields = (error as { fieldErrors?: unknown }).fieldErrors;
  if (!isRecord(fields)) return undefined;
  const entries = Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The reply to one message from the webview, or undefined when it is not a request at all (the caller handles
 * `ready` and ignores the rest). Never throws.
 */
export async function answerRequest(handlers: RequestHandlers, message: unknown): Promise<ResponseMessage | ErrorMessage | undefined> {
  if (!isRecord(message) || message.kind !== 'request') return undefined;
  const id = message.id;
  if (!isRequestEnvelope(message)) {
    if (!Number.isSafeInteger(id)) return undefined;
    return { kind: 'error', id: id as number, message: `unknown request ${JSON.stringify(message.method)}` };
  }
  const method = message.method;
  if (!PARAM_GUARDS[method](message.params)) {
    return { kind: 'error', id: message.id, message: `invalid parameters for ${method}` };
  }
  try {
    const handler = handlers[method] as (params: unknown) => Promise<unknown> | unknown;
    const result = await handler(message.params);
    return { kind: 'response', id: message.id, result };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const fieldErrors = fieldErrorsOf(error);
    return fieldErrors ? { kind: 'error', id: message.id, message: text, fieldErrors } : { kind: 'error', id: message.id, message: text };
  }
}
