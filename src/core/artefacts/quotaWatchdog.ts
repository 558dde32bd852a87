// Watches a run folder's size while the tool runs (reference §4.4, polled every 250 ms here instead of 1 s) and
// calls onExceeded once when it passes the limit. Killing the tool is the caller's job (the run service owns the
// process); files already written stay and are registered by the scan.
import fs from 'node:fs';
import path from 'node:path';

export interface QuotaExceeded {
  /** Bytes measured in the folder. */
  written: number;
  limit: number;
}

export interface QuotaWatchdogOptions {
  dir: string;
  limitBytes: number;
  onExceeded(info: QuotaExceeded): void;
  intervalMs?: number;
  /** A failed measurement (other than the folder not existing yet); the watchdog keeps polling. */
  onError?(error: unknown): void;
  /** Measure as soon as start() is called (default). False for a folder known to be empty then (a run's new
   *  folder): the first measurement comes one interval later, and a run shorter than that reads nothing. */
  measureAtStart?: boolean;
}

export const QUOTA_POLL_MS = 250;

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(2).replace(/\.?0+$/, '')} ${units[unit]}`;
}

/** The run's error_text when the watchdog stopped it: `artefact quota exceeded (wrote 10.5 GiB of 10 GiB)`. */
export function quotaExceededMessage(info: QuotaExceeded): string {
  let written = formatBytes(info.written);
  let limit = formatBytes(info.limit);
  // Rounded alike ("3 MiB of 3 MiB") says nothing: give the exact bytes then.
  if (written === limit) [written, limit] = [`${info.written} bytes`, `${info.limit} bytes`];
  return `artefact quota exceeded (wrote ${written} of ${limit})`;
}

/** Total size of the regular files below `dir`, symlinks not followed (du-like, apparent sizes). 0 if missing. */
export async function folderBytes(dir: string): Promise<number> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 0;
    throw error;
  }
  let total = 0;
  const files: string[] = [];
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(abs);
    else if (entry.isFile()) files.push(abs);
  }
  // lstat in small batches: a big folder is measured quickly without opening thousands of requests at once.
  for (let i = 0; i < files.length; i += 64) {
    const sizes = await Promise.all(
      files.slice(i, i + 64).map((f) =>
        fs.promises.lstat(f).then(
          (s) => (s.isFile() ? s.size : 0),
          () => 0, // deleted between readdir and lstat
        ),
      ),
    );
    for (const size of sizes) total += size;
  }
  return total;
}

export class QuotaWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private measuring: Promise<void> | undefined;
  private stopped = false;
  private firedFlag = false;
  private lastBytes = 0;
  private readonly intervalMs: number;

  constructor(private readonly options: QuotaWatchdogOptions) {
    if (!Number.isSafeInteger(options.limitBytes) || options.limitBytes < 0) {
      throw new RangeError(`limitBytes must be a non-negative integer, got ${options.limitBytes}`);
    }
    this.intervalMs = options.intervalMs ?? QUOTA_POLL_MS;
  }

  /** Starts polling (the first measurement happens right away unless measureAtStart is false). */
  start(): this {
    if (this.stopped) throw new Error('a stopped QuotaWatchdog cannot be restarted');
    if (this.timer !== undefined || this.measuring !== undefined) return this;
    if (this.options.measureAtStart === false) this.schedule();
    else this.tick();
    return this;
  }

  /** Bytes found by the last measurement. */
  get lastMeasuredBytes(): number {
    return this.lastBytes;
  }

  get fired(): boolean {
    return this.firedFlag;
  }

  /** Stops polling and waits for a measurement in progress; onExceeded is not called after this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.measuring;
  }

  /** One measurement now (also used by tick); fires onExceeded when over the limit for the first time. */
  async check(): Promise<number> {
    const written = await folderBytes(this.options.dir);
    this.lastBytes = written;
    if (!this.stopped && !this.firedFlag && written > this.options.limitBytes) {
      this.firedFlag = true;
      this.options.onExceeded({ written, limit: this.options.limitBytes });
    }
    return written;
  }

  private tick(): void {
    this.timer = undefined;
    this.measuring = this.check()
      .then(
        () => undefined,
        (error: unknown) => this.options.onError?.(error),
      )
      .finally(() => {
        this.measuring = undefined;
        // Once fired there is nothing left to watch for.
        if (!this.stopped && !this.firedFlag) this.schedule();
      });
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }
}
