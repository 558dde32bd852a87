// Errors the store throws on purpose; each message says what happened and what to do.

export class StoreError extends Error {
  override name = 'StoreError';
}

/** The writer lock could not be taken within the busy timeout. */
export class StoreBusyError extends StoreError {
  override name = 'StoreBusyError';
}

/** The store was opened read-only (e.g. an unfolded SQLite WAL from the original Pixie is present). */
export class StoreReadOnlyError extends StoreError {
  override name = 'StoreReadOnlyError';
}

/** pixie.db (or its redo log) cannot be read as a database; nothing was changed on disk. */
export class StoreCorruptError extends StoreError {
  override name = 'StoreCorruptError';
}
