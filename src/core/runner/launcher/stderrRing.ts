// The newest bytes a tool wrote to stderr, capped (64 KiB by default) so a chatty tool cannot grow memory.
// Offsets count every byte ever written, so a run can ask for "what was written since I started".

export const DEFAULT_STDERR_CAP_BYTES = 64 * 1024;

export class StderrRing {
  private chunks: Buffer[] = [];
  private held = 0;
  private written = 0;

  constructor(readonly capBytes: number = DEFAULT_STDERR_CAP_BYTES) {
    if (!Number.isInteger(capBytes) || capBytes <= 0) throw new RangeError(`stderr cap must be a positive integer, got ${capBytes}`);
  }

  push(chunk: Buffer | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (buf.length === 0) return;
    this.written += buf.length;
    if (buf.length >= this.capBytes) {
      buf = Buffer.from(buf.subarray(buf.length - this.capBytes));
      this.chunks = [];
      this.held = 0;
    }
    this.chunks.push(buf);
    this.held += buf.length;
    while (this.held > this.capBytes) {
      const first = this.chunks[0];
      const excess = this.held - this.capBytes;
      if (first.length <= excess) {
        this.chunks.shift();
        this.held -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.held -= excess;
      }
    }
  }

  /** Total bytes ever written: pass it to `since()` later. */
  get offset(): number {
    return this.written;
  }

  /** Bytes currently held (≤ cap). */
  get size(): number {
    return this.held;
  }

  snapshot(): string {
    return Buffer.concat(this.chunks, this.held).toString('utf8');
  }

  /**
   * What was written after `offset`. When part of it has already been dropped by the cap, the text starts
   * with a marker saying how many bytes are missing.
   */
  since(offset: number): string {
    const wanted = this.written - Math.max(0, offset);
    if (wanted <= 0) return '';
    const all = Buffer.concat(this.chunks, this.held);
    if (wanted <= all.length) return all.subarray(all.length - wanted).toString('utf8');
    return `[… ${wanted - all.length} earlier bytes of stderr dropped …]\n${all.toString('utf8')}`;
  }
}
