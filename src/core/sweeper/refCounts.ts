// How many artefact rows point at each file. With dedup several rows share one file, so a file is freed only when
// its last row goes; the plan simulates deletions on these counts exactly as apply decides them in its transaction.
import type { SnapshotArtefact } from './snapshot';

interface FileEntry extends Marked {
  /** The largest size its rows give. */
  size: number;
}

/** Scratch state of one lastRowsAmong call, kept on the entries themselves (no map of 20k removals per plan). */
interface Marked {
  count: number;
  /** The call that last counted this entry, and how many of its rows that call saw. */
  markCall: number;
  markGone: number;
}

let lastCall = 0;

/** Entries of `refs` whose every row is among `rows` (each once), leaving their counts as they are. */
function lastRowsAmong(
  refs: ReadonlyMap<string, Marked>,
  rows: readonly SnapshotArtefact[],
  keyOf: (row: SnapshotArtefact) => string | null,
): string[] {
  const call = ++lastCall;
  const freed: string[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    if (!key) continue;
    const entry = refs.get(key);
    if (!entry) continue;
    const gone = entry.markCall === call ? entry.markGone + 1 : 1;
    entry.markCall = call;
    entry.markGone = gone;
    if (gone === entry.count) freed.push(key);
  }
  return freed;
}

export class FileRefCounts {
  /** One entry per file (one lookup per row, not one per map). */
  private readonly files = new Map<string, FileEntry>();
  private liveBytes = 0;

  constructor(rows: readonly SnapshotArtefact[], from?: FileRefCounts) {
    if (from) {
      for (const [relPath, entry] of from.files) this.files.set(relPath, { count: entry.count, size: entry.size, markCall: 0, markGone: 0 });
      this.liveBytes = from.liveBytes;
    }
    for (const row of rows) this.add(row.relPath, row.sizeBytes);
  }

  /** An independent copy, for simulating deletions. */
  clone(): FileRefCounts {
    return new FileRefCounts([], this);
  }

  private add(relPath: string, size: number): void {
    const entry = this.files.get(relPath);
    if (entry === undefined) {
      this.files.set(relPath, { count: 1, size, markCall: 0, markGone: 0 });
      this.liveBytes += size;
      return;
    }
    entry.count += 1;
    // Rows sharing a file agree on its size; if a db says otherwise, count the file once at its largest.
    if (size > entry.size) {
      this.liveBytes += size - entry.size;
      entry.size = size;
    }
  }

  has(relPath: string): boolean {
    return this.files.has(relPath);
  }

  /** The recorded size of a file (the largest its rows give), 0 if unknown. */
  sizeOf(relPath: string): number {
    return this.files.get(relPath)?.size ?? 0;
  }

  /** Bytes of every file some row still points at. */
  get totalBytes(): number {
    return this.liveBytes;
  }

  /** The files whose last row is among `rows` (each once), without changing the counts. */
  freedBy(rows: readonly SnapshotArtefact[]): string[] {
    return lastRowsAmong(this.files, rows, (row) => row.relPath);
  }

  /** Removes the rows; returns the files whose last row went (each once). */
  remove(rows: readonly SnapshotArtefact[]): string[] {
    const freed: string[] = [];
    for (const row of rows) {
      const entry = this.files.get(row.relPath);
      if (entry === undefined) continue;
      if (entry.count === 1) {
        this.files.delete(row.relPath);
        this.liveBytes -= entry.size;
        freed.push(row.relPath);
      } else {
        entry.count -= 1;
      }
    }
    return freed;
  }
}

/** Thumbnails are shared by content (`_thumbs/<sha>…`): one goes when no row names it any more. */
export class ThumbRefCounts {
  private readonly counts = new Map<string, Marked>();

  constructor(rows: readonly SnapshotArtefact[], from?: ThumbRefCounts) {
    if (from) for (const [thumb, entry] of from.counts) this.counts.set(thumb, { count: entry.count, markCall: 0, markGone: 0 });
    for (const row of rows) {
      if (!row.thumbPath) continue;
      const entry = this.counts.get(row.thumbPath);
      if (entry) entry.count += 1;
      else this.counts.set(row.thumbPath, { count: 1, markCall: 0, markGone: 0 });
    }
  }

  clone(): ThumbRefCounts {
    return new ThumbRefCounts([], this);
  }

  has(thumbPath: string): boolean {
    return this.counts.has(thumbPath);
  }

  /** The thumbnails whose last row is among `rows` (each once), without changing the counts. */
  freedBy(rows: readonly SnapshotArtefact[]): string[] {
    return lastRowsAmong(this.counts, rows, (row) => row.thumbPath);
  }

  remove(rows: readonly SnapshotArtefact[]): string[] {
    const freed: string[] = [];
    for (const row of rows) {
      if (!row.thumbPath) continue;
      const entry = this.counts.get(row.thumbPath);
      if (entry === undefined) continue;
      if (entry.count === 1) {
        this.counts.delete(row.thumbPath);
        freed.push(row.thumbPath);
      } else {
        entry.count -= 1;
      }
    }
    return freed;
  }
}
