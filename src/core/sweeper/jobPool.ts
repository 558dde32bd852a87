// A bounded pool of asynchronous jobs shared by several producers. The apply's run batches all queue their folder
// jobs here, so the files of batch N+1 start the moment a job of batch N ends: the file phases of consecutive batches
// flow into each other instead of draining to zero at every batch boundary (a straggler no longer idles the disk).

export class JobPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a job pool needs at least one slot, not ${limit}`);
  }

  /** Runs `job` when a slot is free; resolves or rejects with it. Jobs start in the order they were queued. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over, still counted
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
