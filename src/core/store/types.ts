// The store's public shape. Repositories and every caller depend on these types only, not on sql.js.

/** A value bound to a `?` placeholder. Only JSON-safe values: statements are written to the redo log. */
export type SqlValue = string | number | null;
export type SqlParams = readonly SqlValue[];
export type Row = Record<string, SqlValue>;

/** Read-only queries: used inside `Store.read` and inside a write transaction. */
export interface ReadQueries {
  all<T extends object = Row>(sql: string, params?: SqlParams): T[];
  get<T extends object = Row>(sql: string, params?: SqlParams): T | undefined;
}

export interface RunResult {
  /** Rows changed by this statement. */
  changes: number;
  /** rowid of the last INSERT on this connection (deterministic under replay: same base, same order). */
  lastInsertRowid: number;
}

/** Queries inside one write transaction. Every `run` is recorded in the redo log; keep it deterministic:
 *  ids and timestamps come from the caller as parameters, never `datetime('now')` or `random()`. */
export interface WriteQueries extends ReadQueries {
  run(sql: string, params?: SqlParams): RunResult;
}

/** Names of the tables a commit touched. `external` = committed by another process (or window). */
export interface StoreChange {
  tables: ReadonlySet<string>;
  external: boolean;
}

export interface Disposable {
  dispose(): void;
}

export interface LockHolder {
  pid: number;
  host: string;
  nonce: string;
  time: string;
}

export interface StoreInfo {
  dbPath: string;
  logPath: string;
  lockPath: string;
  fileBytes: number;
  logBytes: number;
  /** Records in the redo log not yet folded into pixie.db. */
  pendingLogRecords: number;
  /** Last log sequence number applied in this process. */
  lsn: number;
  /** LSN folded into the file on disk by the last checkpoint. */
  checkpointLsn: number;
  checkpointId: string;
  readOnlyReason: string | undefined;
  lockHolder: LockHolder | undefined;
}

export interface CheckpointResult {
  /** Log records folded into pixie.db by this checkpoint (0 = nothing to do). */
  foldedRecords: number;
  lsn: number;
  fileBytes: number;
}

export interface WriteOptions {
  /**
   * 'full' (the default): resolve once the commit is flushed to the disk (fdatasync).
   * 'background': resolve once the commit is in the redo log — every process already reads it, and a crash of this
   * process loses nothing — while the flush finishes on a worker thread; only a power loss in that fraction of a
   * millisecond can lose it. The writer lock is held until the flush is done, and this store's next write or
   * checkpoint waits for it, so no later commit can be acknowledged before this one is on the disk.
   */
  durability?: 'full' | 'background';
  /**
   * After this commit (and its flush), keep the writer lock for up to this many ms. This store's next write in that
   * time commits without taking the lock again or re-reading pixie.db and its log: no other process can have written
   * meanwhile. For a caller that knows another commit follows shortly (a run's started row, then its outcome). Other
   * processes wait up to this long more; close() and a checkpoint end it. Default 0: released at once.
   */
  keepLockMs?: number;
}

export interface Store {
  /** Run synchronous reads on an up-to-date view (other processes' commits are picked up first). Never blocks on the lock. */
  read<T>(fn: (q: ReadQueries) => T): T;
  /** One durable transaction: take the writer lock, catch up, run `fn` (synchronous), append to the redo log,
   *  fdatasync, release. Rejects with `StoreBusyError` after the busy timeout, `StoreReadOnlyError` when read-only;
   *  any error thrown by `fn` (or a constraint failure) rolls back and nothing is logged. */
  write<T>(fn: (q: WriteQueries) => T, options?: WriteOptions): Promise<T>;
  /** Fold the redo log into pixie.db now (atomic replace). */
  checkpoint(): Promise<CheckpointResult>;
  /** Fired after a local commit and when another process's commit is noticed. */
  onDidChange(listener: (change: StoreChange) => void): Disposable;
  /** Re-read the log/file now and fire change events for what other processes committed. */
  refresh(): void;
  info(): StoreInfo;
  readonly readOnlyReason: string | undefined;
  /** Checkpoint (if writable and anything is pending), stop timers and watchers. */
  close(): Promise<void>;
}
