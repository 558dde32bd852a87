// One tool's run history, newest first, a page at a time (keyset on started_at, id — the runs indexes serve it).
// Reads no outputs: the list needs only the summary of the inputs.
import { summariseInputs } from '../../core/store/repositories/runs';
import type { Store } from '../../core/store/types';
import type { HistoryCursor, HistoryPage, RunStatus } from '../../protocol';

export const HISTORY_PAGE_SIZE = 50;

interface HistoryRow {
  id: string;
  started_at: string;
  finished_at: string | null;
  inputs_json: string;
  status: string;
  starred: number;
  label: string | null;
}

const STATUSES: readonly string[] = ['running', 'ok', 'error', 'cancelled'];

export function listHistory(store: Store, toolId: string, before?: HistoryCursor, limit = HISTORY_PAGE_SIZE): HistoryPage {
  const params: (string | number)[] = [toolId];
  let after = '';
  if (before) {
    after = ' AND started_at <= ? AND (started_at < ? OR id < ?)';
    params.push(before.startedAt, before.startedAt, before.id);
  }
  params.push(limit + 1);
  const rows = store.read((q) =>
    q.all<HistoryRow>(
      `SELECT id, started_at, finished_at, inputs_json, status, starred, label FROM runs
       WHERE tool_id = ?${after} ORDER BY started_at DESC, id DESC LIMIT ?`,
      params,
    ),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    runs: page.map((row) => ({
      id: row.id,
      status: (STATUSES.includes(row.status) ? row.status : 'error') as RunStatus,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      summary: summariseInputs(row.inputs_json),
      starred: Number(row.starred) === 1,
      label: row.label,
    })),
    next: rows.length > limit && last ? { startedAt: last.started_at, id: last.id } : null,
  };
}
