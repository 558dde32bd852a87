// The unlink journal. A batch deletes rows in a transaction first and unlinks their files after the commit, so a
// crash in between can leave files without rows, never rows without files. To make the very next sweep finish that
// work (rather than waiting an hour for orphan housekeeping), the batch's transaction also records the files it is
// about to unlink in `settings` (`sweeper.unlink.<lease>.<n>`); the next batch's transaction clears it.
import { deleteSetting, setJsonSetting } from '../store/repositories/settings';
import type { ReadQueries, WriteQueries } from '../store/types';

export const JOURNAL_PREFIX = 'sweeper.unlink.';

export interface JournalEntry {
  key: string;
  /** Paths under the artefacts root (artefact files and thumbnails) whose rows were deleted. */
  files: string[];
}

export function journalKey(leaseNonce: string, seq: number): string {
  return `${JOURNAL_PREFIX}${leaseNonce}.${seq}`;
}

export function writeJournal(q: WriteQueries, key: string, files: readonly string[]): void {
  setJsonSetting(q, key, { files });
}

export function clearJournal(q: WriteQueries, key: string): void {
  deleteSetting(q, key);
}

/** Journal entries left by other (interrupted) sweeps; a malformed value lists no files but is still cleared. */
export function readJournals(q: ReadQueries, exceptLeaseNonce?: string): JournalEntry[] {
  const rows = q.all<{ key: string; value: string }>(
    "SELECT key, value FROM settings WHERE substr(key, 1, length(?)) = ? ORDER BY key",
    [JOURNAL_PREFIX, JOURNAL_PREFIX],
  );
  const own = exceptLeaseNonce === undefined ? undefined : `${JOURNAL_PREFIX}${exceptLeaseNonce}.`;
  return rows
    .filter((row) => own === undefined || !row.key.startsWith(own))
    .map((row) => {
      let files: string[] = [];
      try {
        const parsed = JSON.parse(row.value) as unknown;
        const list = typeof parsed === 'object' && parsed !== null ? (parsed as { files?: unknown }).files : undefined;
        if (Array.isArray(list)) files = list.filter((f): f is string => typeof f === 'string');
      } catch {
        files = [];
      }
      return { key: row.key, files };
    });
}
