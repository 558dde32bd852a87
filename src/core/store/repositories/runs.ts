// runs: one row per tool invocation. Run ids (UUIDs) and timestamps come from the caller so the redo log replays
// exactly. A finished run is final: finishRun only moves a row out of `running`, so a late tool response cannot
// overwrite a cancellation.
import type { ReadQueries, SqlValue, Store, WriteQueries } from '../types';
import { deleteArtefactRowsForRun, type ArtefactRecord } from './artefacts';
import { InvalidValueError } from './errors';
import {
  clampLimit,
  escapeLike,
  fromBool,
  isPlainObject,
  normaliseLabel,
  parseJson,
  requireInteger,
  requireNonEmpty,
  toBool,
} from './values';

export type RunStatus = 'running' | 'ok' | 'error' | 'cancelled';
export type FinishedRunStatus = Exclude<RunStatus, 'running'>;
const FINISHED_STATUSES: readonly string[] = ['ok', 'error', 'cancelled'];

export interface RunRecord {
  id: string;
  toolId: string;
  startedAt: string;
  finishedAt: string | null;
  /** The exact JSON sent to the tool. */
  inputsJson: string;
  /** null while running, on error, or when the output was too big to keep inline (see metaJson). */
  outputsJson: string | null;
  errorText: string | null;
  status: RunStatus;
  starred: boolean;
  label: string | null;
  totalArtefactBytes: number;
  metaJson: string | null;
}

/** A history-list row: no outputs, plus a one-line summary of the inputs. */
export interface RunSummary {
  id: string;
  toolId: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  errorText: string | null;
  starred: boolean;
  label: string | null;
  summary: string;
}

export interface NewRun {
  id: string;
  toolId: string;
  startedAt: string;
  inputsJson: string;
  /** Written with the row (the run service records its owner here), so no second statement is needed. */
  metaJson?: string | null;
}

export interface RunFinish {
  status: FinishedRunStatus;
  finishedAt: string;
  /** Omitted = left as is. */
  outputsJson?: string | null;
  errorText?: string | null;
  metaJson?: string | null;
  totalArtefactBytes?: number;
}

/** Position in the (started_at DESC, id DESC) order: the last row of the previous page. */
export interface RunCursor {
  startedAt: string;
  id: string;
}

export interface RunFilter {
  toolId?: string;
  status?: RunStatus;
  starredOnly?: boolean;
  /** Substring of inputs_json (case-insensitive for ASCII). */
  search?: string;
}

export interface RunListOptions extends RunFilter {
  limit?: number;
  /** Return runs strictly after this position (keyset pagination). */
  after?: RunCursor;
}

interface RunRow {
  id: string;
  tool_id: string;
  started_at: string;
  finished_at: string | null;
  inputs_json: string;
  outputs_json: string | null;
  error_text: string | null;
  status: string;
  starred: number;
  label: string | null;
  total_artefact_bytes: number;
  meta_json: string | null;
}

const COLUMNS =
  'id, tool_id, started_at, finished_at, inputs_json, outputs_json, error_text, status, starred, label, ' +
  'total_artefact_bytes, meta_json';

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    toolId: row.tool_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    inputsJson: row.inputs_json,
    outputsJson: row.outputs_json,
    errorText: row.error_text,
    status: row.status as RunStatus,
    starred: toBool(row.starred),
    label: row.label,
    totalArtefactBytes: Number(row.total_artefact_bytes ?? 0),
    metaJson: row.meta_json,
  };
}

const SUMMARY_MAX_CHARS = 60;

function inputValueText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function isEmptyInput(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** One-line preview like the original's history list: the first non-empty input as `key: value`, the value cut to
 *  60 characters (with …). Accepts the `{run_id, inputs}` envelope or a bare inputs object; '' when nothing fits. */
export function summariseInputs(inputsJson: string | null): string {
  let data = parseJson(inputsJson);
  if (isPlainObject(data) && isPlainObject(data.inputs)) data = data.inputs;
  if (!isPlainObject(data)) return '';
  for (const [key, value] of Object.entries(data)) {
    if (isEmptyInput(value)) continue;
    const chars = Array.from(inputValueText(value).replace(/\s+/g, ' '));
    const text = chars.length > SUMMARY_MAX_CHARS ? `${chars.slice(0, SUMMARY_MAX_CHARS).join('')}…` : chars.join('');
    return `${key}: ${text}`;
  }
  return '';
}

export function insertStartedRun(q: WriteQueries, run: NewRun): void {
  requireNonEmpty(run.id, 'run id');
  requireNonEmpty(run.toolId, 'run tool id');
  requireNonEmpty(run.startedAt, 'run started_at');
  if (parseJson(run.inputsJson) === undefined) throw new InvalidValueError(`run ${run.id}: inputs_json is not valid JSON`);
  const metaJson = run.metaJson ?? null;
  if (metaJson !== null && parseJson(metaJson) === undefined) throw new InvalidValueError(`run ${run.id}: meta_json is not valid JSON`);
  q.run(
    `INSERT INTO runs(id, tool_id, started_at, inputs_json, status, starred, total_artefact_bytes, meta_json)
     VALUES(?, ?, ?, ?, 'running', 0, 0, ?)`,
    [run.id, run.toolId, run.startedAt, run.inputsJson, metaJson],
  );
}

/** Moves a running run to its final status; false if the run is unknown or already finished. */
export function finishRun(q: WriteQueries, id: string, finish: RunFinish): boolean {
  if (!FINISHED_STATUSES.includes(finish.status)) {
    throw new InvalidValueError(`run ${id}: cannot finish with status ${String(finish.status)}`);
  }
  const sets = ['status = ?', 'finished_at = ?'];
  const params: SqlValue[] = [finish.status, finish.finishedAt];
  if (finish.outputsJson !== undefined) {
    sets.push('outputs_json = ?');
    params.push(finish.outputsJson);
  }
  if (finish.errorText !== undefined) {
    sets.push('error_text = ?');
    params.push(finish.errorText);
  }
  if (finish.metaJson !== undefined) {
    sets.push('meta_json = ?');
    params.push(finish.metaJson);
  }
  if (finish.totalArtefactBytes !== undefined) {
    sets.push('total_artefact_bytes = ?');
    params.push(requireInteger(finish.totalArtefactBytes, 'total_artefact_bytes', 0));
  }
  return q.run(`UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND status = 'running'`, [...params, id]).changes > 0;
}

export function getRun(q: ReadQueries, id: string): RunRecord | undefined {
  const row = q.get<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE id = ?`, [id]);
  return row ? toRecord(row) : undefined;
}

/** Just a run's meta_json (undefined when there is no such run): what finishing a run merges into, without
 *  reading its inputs and outputs. */
export function getRunMetaJson(q: ReadQueries, id: string): { metaJson: string | null } | undefined {
  const row = q.get<{ meta_json: string | null }>('SELECT meta_json FROM runs WHERE id = ?', [id]);
  return row ? { metaJson: row.meta_json } : undefined;
}

function filterClauses(filter: RunFilter): { clauses: string[]; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (filter.toolId !== undefined) {
    clauses.push('tool_id = ?');
    params.push(filter.toolId);
  }
  if (filter.status !== undefined) {
    clauses.push('status = ?');
    params.push(filter.status);
  }
  if (filter.starredOnly) clauses.push('starred = 1');
  if (filter.search !== undefined && filter.search !== '') {
    clauses.push("inputs_json LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(filter.search)}%`);
  }
  return { clauses, params };
}

const where = (clauses: string[]): string => (clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '');

function listQuery(columns: string, options: RunListOptions): { sql: string; params: SqlValue[] } {
  const { clauses, params } = filterClauses(options);
  if (options.after) {
    // The first term is a plain range on started_at, so the (tool_id,) started_at indexes serve it.
    clauses.push('started_at <= ? AND (started_at < ? OR id < ?)');
    params.push(options.after.startedAt, options.after.startedAt, options.after.id);
  }
  const limit = clampLimit(options.limit, 50);
  return { sql: `SELECT ${columns} FROM runs${where(clauses)} ORDER BY started_at DESC, id DESC LIMIT ?`, params: [...params, limit] };
}

/** Newest first by (started_at, id); page with `after: cursorOf(lastRow)`. */
export function listRuns(q: ReadQueries, options: RunListOptions = {}): RunRecord[] {
  const { sql, params } = listQuery(COLUMNS, options);
  return q.all<RunRow>(sql, params).map(toRecord);
}

/** What a history list shows of a run: everything but the outputs and meta (up to the inline limit each). */
export type RunListRow = Pick<RunRecord, 'id' | 'toolId' | 'startedAt' | 'finishedAt' | 'inputsJson' | 'errorText' | 'status' | 'starred' | 'label'>;

const LIST_COLUMNS = 'id, tool_id, started_at, finished_at, inputs_json, error_text, status, starred, label';

/** listRuns without outputs_json and meta_json: a page of the Runs view neither reads nor decodes them (with outputs
 *  near the inline limit that is most of a page's bytes). Same filters, order and paging. */
export function listRunListRows(q: ReadQueries, options: RunListOptions = {}): RunListRow[] {
  const { sql, params } = listQuery(LIST_COLUMNS, options);
  return q.all<Omit<RunRow, 'outputs_json' | 'meta_json' | 'total_artefact_bytes'>>(sql, params).map((row) => ({
    id: row.id,
    toolId: row.tool_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    inputsJson: row.inputs_json,
    errorText: row.error_text,
    status: row.status as RunStatus,
    starred: toBool(row.starred),
    label: row.label,
  }));
}

export function runCursorOf(run: Pick<RunRecord, 'startedAt' | 'id'>): RunCursor {
  return { startedAt: run.startedAt, id: run.id };
}

export function countRuns(q: ReadQueries, filter: RunFilter = {}): number {
  const { clauses, params } = filterClauses(filter);
  return Number(q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM runs${where(clauses)}`, params)?.n ?? 0);
}

/** Runs still marked running, oldest first (at startup these are leftovers of a crashed process). */
export function listRunningRuns(q: ReadQueries): RunRecord[] {
  return q.all<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE status = 'running' ORDER BY started_at, id`).map(toRecord);
}

export function setRunStarred(q: WriteQueries, id: string, starred: boolean): boolean {
  return q.run('UPDATE runs SET starred = ? WHERE id = ?', [fromBool(starred), id]).changes > 0;
}

/** null or blank clears the label (labelled runs are never pruned). */
export function setRunLabel(q: WriteQueries, id: string, label: string | null): boolean {
  return q.run('UPDATE runs SET label = ? WHERE id = ?', [normaliseLabel(label), id]).changes > 0;
}

export function addRunArtefactBytes(q: WriteQueries, id: string, bytes: number): boolean {
  requireInteger(bytes, 'artefact bytes', 0);
  return (
    q.run('UPDATE runs SET total_artefact_bytes = COALESCE(total_artefact_bytes, 0) + ? WHERE id = ?', [bytes, id])
      .changes > 0
  );
}

/** Adds a signed byte delta (an artefact's file changed size), never going below 0. */
export function adjustRunArtefactBytes(q: WriteQueries, id: string, delta: number): boolean {
  requireInteger(delta, 'artefact byte delta', Number.MIN_SAFE_INTEGER);
  return (
    q.run('UPDATE runs SET total_artefact_bytes = MAX(0, COALESCE(total_artefact_bytes, 0) + ?) WHERE id = ?', [delta, id])
      .changes > 0
  );
}

export interface DeletedRun {
  deleted: boolean;
  /** The artefact rows removed with it; their files are still on disk (the sweeper decides about them). */
  artefacts: ArtefactRecord[];
}

/** Deletes a run and its artefact rows (the seed's schema has no cascade; the newest original's would do the same). */
export function deleteRun(q: WriteQueries, id: string): DeletedRun {
  const artefacts = deleteArtefactRowsForRun(q, id);
  const deleted = q.run('DELETE FROM runs WHERE id = ?', [id]).changes > 0;
  return { deleted, artefacts };
}

/** The newest runs of one tool for its history list, without outputs. */
export function recentRunsByTool(q: ReadQueries, toolId: string, limit = 20): RunSummary[] {
  const rows = q.all<Omit<RunRow, 'outputs_json' | 'meta_json' | 'total_artefact_bytes'>>(
    `SELECT id, tool_id, started_at, finished_at, inputs_json, error_text, status, starred, label
     FROM runs WHERE tool_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
    [toolId, clampLimit(limit, 20)],
  );
  return rows.map((row) => ({
    id: row.id,
    toolId: row.tool_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status as RunStatus,
    errorText: row.error_text,
    starred: toBool(row.starred),
    label: row.label,
    summary: summariseInputs(row.inputs_json),
  }));
}

/** Ids a retention pass may delete for one tool: finished, unstarred, unlabelled runs beyond the newest `keep` of
 *  those. Starred and labelled runs are never candidates and do not use up `keep`. */
export function listRunPruneCandidates(q: ReadQueries, toolId: string, keep: number): string[] {
  requireInteger(keep, 'keep', 0);
  return q
    .all<{ id: string }>(
      `SELECT id FROM runs WHERE tool_id = ? AND status <> 'running' AND starred = 0 AND label IS NULL
       ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?`,
      [toolId, keep],
    )
    .map((row) => row.id);
}

export class RunsRepository {
  constructor(private readonly store: Store) {}

  get(id: string): RunRecord | undefined {
    return this.store.read((q) => getRun(q, id));
  }

  list(options: RunListOptions = {}): RunRecord[] {
    return this.store.read((q) => listRuns(q, options));
  }

  count(filter: RunFilter = {}): number {
    return this.store.read((q) => countRuns(q, filter));
  }

  listRunning(): RunRecord[] {
    return this.store.read(listRunningRuns);
  }

  recentByTool(toolId: string, limit = 20): RunSummary[] {
    return this.store.read((q) => recentRunsByTool(q, toolId, limit));
  }

  pruneCandidates(toolId: string, keep: number): string[] {
    return this.store.read((q) => listRunPruneCandidates(q, toolId, keep));
  }

  insertStarted(run: NewRun): Promise<void> {
    return this.store.write((q) => insertStartedRun(q, run));
  }

  finish(id: string, finish: RunFinish): Promise<boolean> {
    return this.store.write((q) => finishRun(q, id, finish));
  }

  setStarred(id: string, starred: boolean): Promise<boolean> {
    return this.store.write((q) => setRunStarred(q, id, starred));
  }

  setLabel(id: string, label: string | null): Promise<boolean> {
    return this.store.write((q) => setRunLabel(q, id, label));
  }

  addArtefactBytes(id: string, bytes: number): Promise<boolean> {
    return this.store.write((q) => addRunArtefactBytes(q, id, bytes));
  }

  delete(id: string): Promise<DeletedRun> {
    return this.store.write((q) => deleteRun(q, id));
  }
}
