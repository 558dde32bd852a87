// The one promise everything that needs the store waits on. activate() registers the UI at once and opens the store
// in the background; commands, views, virtual documents and restored panels await `settled`, then look at `state`.
// Pure (no vscode import).

export type GateState = 'pending' | 'ready' | 'failed';

export class ReadyGate {
  private current: GateState = 'pending';
  private reason: string | undefined;
  private settle: () => void = () => undefined;
  /** Resolves once the gate opened or failed; never rejects (a failure is a state, not an exception). */
  readonly settled: Promise<void> = new Promise<void>((resolve) => {
    this.settle = resolve;
  });

  get state(): GateState {
    return this.current;
  }

  /** Why the services are not available; undefined while pending or once ready. */
  get failure(): string | undefined {
    return this.reason;
  }

  /** The services are wired: waiting callers proceed. Only the first open() or fail() counts; returns whether this one did. */
  open(): boolean {
    if (this.current !== 'pending') return false;
    this.current = 'ready';
    this.settle();
    return true;
  }

  /** The services will not come (the store did not open, the window is closing): waiting callers get `reason`. */
  fail(reason: string): boolean {
    if (this.current !== 'pending') return false;
    this.current = 'failed';
    this.reason = reason;
    this.settle();
    return true;
  }
}
