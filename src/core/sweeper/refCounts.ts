// How many artefact rows point at each file. With dedup several rows share one file, so a file is freed only when
// its last row goes; the plan simulates deletions on these counts exactly as apply decides them in its transaction.
import type { SnapshotArtefact } from './snapshot';

export class FileRefCounts {
  private readonly counts: Map<string, number>;
  private readonly sizes: Map<string, number>;
  private liveBytes = 0;

  constructor(rows: readonly SnapshotArtefact[], from?: FileRefCounts) {
    // Copying the maps of another instance is much cheaper than counting 20k rows again.
    this.counts = new Map(from?.counts);
    this.sizes = new Map(from?.sizes);
    this.liveBytes = from?.liveBytes ?? 0;
    for (const row of rows) this.add(row.relPath, row.sizeBytes);
  }

  /** An independent copy, for simulating deletions. */
  clone(): FileRefCounts {
    return new FileRefCounts([], this);
  }

  private add(relPath: string, size: number): void {
    const count = this.counts.get(relPath) ?? 0;
    this.counts.set(relPath, count + 1);
    // Rows sharing a file agree on its size; if a db says otherwise, count the file once at its largest.
    const previous = this.sizes.get(relPath);
    if (previous === undefined) {
      this.sizes.set(relPath, size);
      this.liveBytes += size;
    } else if (size > previous) {
      this.sizes.set(relPath, size);
      this.liveBytes += size - previous;
    }
  }

  has(relPath: string): boolean {
    return (this.counts.get(relPath) ?? 0) > 0;
  }

  /** The recorded size of a file (the largest its rows give), 0 if unknown. */
  sizeOf(relPath: string): number {
    return this.sizes.get(relPath) ?? 0;
  }

  /** Bytes of every file some row still points at. */
  get totalBytes(): number {
    return this.liveBytes;
  }

  /** Removes the rows; returns the files whose last row went (each once). */
  remove(rows: readonly SnapshotArtefact[]): string[] {
    const freed: string[] = [];
    for (const row of rows) {
      const count = this.counts.get(row.relPath) ?? 0;
      if (count <= 0) continue;
      if (count === 1) {
        this.counts.delete(row.relPath);
        this.liveBytes -= this.sizes.get(row.relPath) ?? 0;
        this.sizes.delete(row.relPath);
        freed.push(row.relPath);
      } else {
        this.counts.set(row.relPath, count - 1);
      }
    }
    return freed;
  }
}

/** Thumbnails are shared by content (`_thumbs/<sha>…`): one goes when no row names it any more. */
export class ThumbRefCounts {
  private readonly counts: Map<string, number>;

  constructor(rows: readonly SnapshotArtefact[], from?: ThumbRefCounts) {
    this.counts = new Map(from?.counts);
    for (const row of rows) {
      if (row.thumbPath) this.counts.set(row.thumbPath, (this.counts.get(row.thumbPath) ?? 0) + 1);
    }
  }

  clone(): ThumbRefCounts {
    return new ThumbRefCounts([], this);
  }

  has(thumbPath: string): boolean {
    return (this.counts.get(thumbPath) ?? 0) > 0;
  }

  remove(rows: readonly SnapshotArtefact[]): string[] {
    const freed: string[] = [];
    for (const row of rows) {
      if (!row.thumbPath) continue;
      const count = this.counts.get(row.thumbPath) ?? 0;
      if (count === 1) {
        this.counts.delete(row.thumbPath);
        freed.push(row.thumbPath);
      } else if (count > 1) {
        this.counts.set(row.thumbPath, count - 1);
      }
    }
    return freed;
  }
}
