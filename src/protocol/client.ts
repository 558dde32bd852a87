// The webview's side of requests: numbered requests, replies matched by id, error replies as RequestError.
// Transport-agnostic (a post function in, messages fed to `receive`), so it runs the same in tests.
import { isErrorMessage, isResponseMessage, RESULT_GUARDS } from './messageGuards';
import type { RequestMethod, RequestParams, RequestResult, WebviewToHost } from './messages';

export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    message: string,
    /** Per-input messages from the host's validation, keyed by input key. */
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface Pending {
  method: RequestMethod;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class ProtocolClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  request<M extends RequestMethod>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    if (this.closed) return Promise.reject(new RequestError('the panel is closing'));
    const id = this.nextId++;
    return new Promise<RequestResult<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject });
      try {
        this.post({ kind: 'request', id, method, params } as WebviewToHost);
      } catch (error) {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Feeds a message from the host; true when it was a reply to one of our requests. */
  receive(message: unknown): boolean {
    if (isResponseMessage(message)) {
      const pending = this.take(message.id);
      if (!pending) return true;
      if (RESULT_GUARDS[pending.method](message.result)) pending.resolve(message.result);
      else pending.reject(new RequestError(`the host answered ${pending.method} with something unexpected`));
      return true;
    }
    if (isErrorMessage(message)) {
      this.take(message.id)?.reject(new RequestError(message.message, message.fieldErrors ?? {}));
      return true;
    }
    return false;
  }

  /** Requests still waiting for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Rejects everything still waiting (the webview is going away). */
  close(): void {
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new RequestError('the panel is closing'));
    this.pending.clear();
  }

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }
}
