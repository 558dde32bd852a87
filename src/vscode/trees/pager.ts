// Keyset paging for the Runs and Artefacts views: pages of 100 read with `after = last row` in (started_at DESC,
// id DESC) order, so a refresh costs one indexed query per loaded page and never a scan of the table. Pure.

export const PAGE_SIZE = 100;

export interface KeysetRow {
  startedAt: string;
  id: string;
}

/** Reads up to `limit` rows strictly after `after`. */
export type PageReader<T extends KeysetRow> = (after: KeysetRow | undefined, limit: number) => T[];

/**
 * The loaded rows of one list. `reload` re-reads as many rows as were shown (so "Load more" survives a refresh);
 * `loadMore` reads one more page after the last row. `stale` marks that the next read must reload.
 */
export class KeysetPager<T extends KeysetRow> {
  private loaded: T[] = [];
  private more = false;
  private wanted: number;
  private isStale = true;

  constructor(
    private readonly read: PageReader<T>,
    private readonly pageSize = PAGE_SIZE,
  ) {
    this.wanted = pageSize;
  }

  get rows(): readonly T[] {
    return this.loaded;
  }

  get hasMore(): boolean {
    return this.more;
  }

  get stale(): boolean {
    return this.isStale;
  }

  markStale(): void {
    this.isStale = true;
  }

  /** Rows to show: reloads first when stale. */
  current(): readonly T[] {
    if (this.isStale) this.reload();
    return this.loaded;
  }

  reload(): void {
    const rows: T[] = [];
    let more = false;
    let after: KeysetRow | undefined;
    while (rows.length < this.wanted) {
      const limit = Math.min(this.pageSize, this.wanted - rows.length);
      const page = this.read(after, limit + 1);
      more = page.length > limit;
      rows.push(...page.slice(0, limit));
      if (!more) break;
      const last = rows[rows.length - 1]!;
      after = { startedAt: last.startedAt, id: last.id };
    }
    this.loaded = rows;
    this.more = more;
    this.isStale = false;
  }

  loadMore(): void {
    if (this.isStale) this.reload();
    const last = this.loaded[this.loaded.length - 1];
    if (!this.more || !last) return;
    const page = this.read({ startedAt: last.startedAt, id: last.id }, this.pageSize + 1);
    this.more = page.length > this.pageSize;
    this.loaded = [...this.loaded, ...page.slice(0, this.pageSize)];
    this.wanted = this.loaded.length;
  }

  /** Back to one page (a filter changed). */
  reset(): void {
    this.wanted = this.pageSize;
    this.loaded = [];
    this.more = false;
    this.isStale = true;
  }
}
