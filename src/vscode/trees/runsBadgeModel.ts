// The Runs view's badge without vscode: how many runs finished (ok or failed) since the user last looked at the view.
// Pure. Each observation reads only a few rows: the runs still running at the last observation, the runs running
// now, and the runs started in a short window before the last observation (one that started and finished between
// two observations, e.g. a quick tool or another window's run, is caught by the window). Runs already seen finished
// are remembered until they fall out of that window, so none is counted twice.

/** The columns an observation needs from `runs`. */
export interface RunStateRow {
  id: string;
  status: string;
  startedAt: string;
}

/** What the next observation must read: every run with status 'running', started at or after `startedSince`, or in `ids`. */
export interface BadgeCandidates {
  startedSince: string;
  ids: readonly string[];
}

export interface BadgeValue {
  value: number;
  tooltip: string;
}

export interface RunsBadgeCounterOptions {
  now?: () => number;
  /** How far before the last observation a run may have started and still be caught (covers debounce and
   *  commit lag between processes). */
  windowMs?: number;
}

const DEFAULT_WINDOW_MS = 5 * 60_000;

export class RunsBadgeCounter {
  private readonly now: () => number;
  private readonly windowMs: number;
  private running = new Set<string>();
  /** Finished runs already handled (counted or not), with their started_at: dropped once outside the window. */
  private readonly seen = new Map<string, string>();
  private lastObservedAt: number | undefined;
  private visible = false;
  private succeededCount = 0;
  private failedCount = 0;

  constructor(options: RunsBadgeCounterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  get succeeded(): number {
    return this.succeededCount;
  }

  get failed(): number {
    return this.failedCount;
  }

  get total(): number {
    return this.succeededCount + this.failedCount;
  }

  nextQuery(): BadgeCandidates {
    return { startedSince: this.windowStart(this.lastObservedAt ?? this.now()), ids: [...this.running] };
  }

  /**
   * The rows `nextQuery()` selected. The first observation is the baseline: what already finished is not new.
   * Returns true when the count changed.
   */
  observe(rows: readonly RunStateRow[]): boolean {
    const baseline = this.lastObservedAt === undefined;
    const observedAt = this.now();
    const before = this.total;
    const running = new Set<string>();
    for (const row of rows) {
      if (row.status === 'running') {
        running.add(row.id);
        continue;
      }
      if (this.seen.has(row.id)) continue;
      this.seen.set(row.id, row.startedAt);
      if (baseline || this.visible) continue;
      // Cancelled runs are the user's own doing: nothing to catch up on.
      if (row.status === 'ok') this.succeededCount++;
      else if (row.status === 'error') this.failedCount++;
    }
    this.running = running;
    this.lastObservedAt = observedAt;
    // A finished run older than the next window is never selected again (it is not running), so forget it.
    const oldest = this.windowStart(observedAt);
    for (const [id, startedAt] of this.seen) if (startedAt < oldest) this.seen.delete(id);
    return this.total !== before;
  }

  /** The view became visible (the user is looking: the count clears) or hidden (counting starts). */
  setVisible(visible: boolean): boolean {
    this.visible = visible;
    return visible ? this.clear() : false;
  }

  clear(): boolean {
    const changed = this.total > 0;
    this.succeededCount = 0;
    this.failedCount = 0;
    return changed;
  }

  /** undefined when there is nothing new (VS Code hides the badge). */
  badge(): BadgeValue | undefined {
    const total = this.total;
    if (total === 0) return undefined;
    const runs = `${total} new run${total === 1 ? '' : 's'} finished`;
    return { value: total, tooltip: this.failedCount > 0 ? `${runs}, ${this.failedCount} failed` : runs };
  }

  private windowStart(at: number): string {
    return new Date(at - this.windowMs).toISOString();
  }
}
