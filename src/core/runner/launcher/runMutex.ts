// A FIFO mutex whose waiters can give up (AbortSignal): serialises runs of a `concurrent: false` tool.

export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
}

export class RunMutex {
  private held = false;
  private readonly queue: Waiter[] = [];

  get locked(): boolean {
    return this.held;
  }

  /** Callers waiting for the lock (not counting the holder). */
  get waiting(): number {
    return this.queue.length;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant(this.releaser());
      else this.held = false;
    };
  }
}
