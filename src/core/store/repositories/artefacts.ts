// artefacts: one row per file a run produced. Files live under the artefacts root at `rel_path`; with dedup several
// rows share one file, so the schema has no UNIQUE(rel_path) and a file may be removed only when its last row goes
// (countRowsForRelPath). Deleting rows never touches files: that is the sweeper's job.
//
// `tags` is stored as JSON array text, as the original's code writes it (the seed's docs say comma-separated):
// we read both forms and always write JSON.
import type { ReadQueries, SqlValue, Store, WriteQueries } from '../types';
import { InvalidValueError, NotFoundError } from './errors';
import { clampLimit, escapeLike, fromBool, normaliseLabel, parseJson, requireInteger, requireNonEmpty, toBool } from './values';

export interface ArtefactRecord {
  id: number;
  runId: string;
  toolId: string;
  outputKey: string;
  /** Relative to the artefacts root, forward slashes. */
  relPath: string;
  filename: string;
  mime: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  starred: boolean;
  label: string | null;
  tags: string[];
  thumbPath: string | null;
  deletedAt: string | null;
}

export interface NewArtefact {
  runId: string;
  toolId: string;
  outputKey: string;
  relPath: string;
  filename: string;
  mime: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  label?: string | null;
  tags?: readonly string[];
  thumbPath?: string | null;
}

export interface ArtefactFilter {
  toolId?: string;
  runId?: string;
  /** e.g. `image/` or `application/json`. */
  mimePrefix?: string;
  starred?: boolean;
  /** Exact label. */
  label?: string;
  tag?: string;
  includeDeleted?: boolean;
  limit?: number;
  offset?: number;
}

interface ArtefactRow {
  id: number;
  run_id: string;
  tool_id: string;
  output_key: string;
  rel_path: string;
  filename: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  created_at: string;
  starred: number;
  label: string | null;
  tags: string | null;
  thumb_path: string | null;
  deleted_at: string | null;
}

const COLUMNS =
  'id, run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, starred, label, tags, ' +
  'thumb_path, deleted_at';

/** Tags from either stored form: JSON array text (the original's code, ours) or comma-separated (the seed's docs). */
export function parseArtefactTags(text: string | null): string[] {
  if (text === null || text.trim() === '') return [];
  const parsed = parseJson(text);
  if (Array.isArray(parsed)) return parsed.filter((t): t is string => typeof t === 'string' && t !== '');
  if (parsed !== undefined) return typeof parsed === 'string' && parsed !== '' ? [parsed] : [];
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** JSON array text, or NULL for no tags (as the original writes an empty list). */
export function serialiseArtefactTags(tags: readonly string[]): string | null {
  const clean: string[] = [];
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.trim() === '') throw new InvalidValueError('artefact tags must be non-empty strings');
    if (!clean.includes(tag.trim())) clean.push(tag.trim());
  }
  return clean.length === 0 ? null : JSON.stringify(clean);
}

function toRecord(row: ArtefactRow): ArtefactRecord {
  return {
    id: Number(row.id),
    runId: row.run_id,
    toolId: row.tool_id,
    outputKey: row.output_key,
    relPath: row.rel_path,
    filename: row.filename,
    mime: row.mime,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    createdAt: row.created_at,
    starred: toBool(row.starred),
    label: row.label,
    tags: parseArtefactTags(row.tags),
    thumbPath: row.thumb_path,
    deletedAt: row.deleted_at,
  };
}

/** rel_path must stay under the artefacts root: the sweeper deletes files by it. */
function requireRelPath(relPath: string): string {
  requireNonEmpty(relPath, 'artefact rel_path');
  const segments = relPath.split('/');
  const unsafe =
    relPath.includes('\\') ||
    relPath.startsWith('/') ||
    /^[A-Za-z]:/.test(relPath) ||
    segments.some((s) => s === '..' || s === '');
  if (unsafe) {
    throw new InvalidValueError(
      `artefact rel_path must be relative with forward slashes and no '..' or empty segments: ${relPath}`,
    );
  }
  return relPath;
}

/** Inserts a row and returns its id. Does not change runs.total_artefact_bytes: compose with addRunArtefactBytes. */
export function insertArtefact(q: WriteQueries, artefact: NewArtefact): number {
  requireRelPath(artefact.relPath);
  requireNonEmpty(artefact.filename, 'artefact filename');
  requireNonEmpty(artefact.mime, 'artefact mime');
  requireNonEmpty(artefact.sha256, 'artefact sha256');
  requireInteger(artefact.sizeBytes, 'artefact size_bytes', 0);
  if (!q.get('SELECT 1 AS found FROM runs WHERE id = ?', [artefact.runId])) {
    throw new NotFoundError(`cannot add an artefact to run ${artefact.runId}: no such run`);
  }
  const result = q.run(
    `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at,
       starred, label, tags, thumb_path) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    [
      artefact.runId,
      artefact.toolId,
      artefact.outputKey,
      artefact.relPath,
      artefact.filename,
      artefact.mime,
      artefact.sizeBytes,
      artefact.sha256,
      artefact.createdAt,
      normaliseLabel(artefact.label ?? null),
      serialiseArtefactTags(artefact.tags ?? []),
      artefact.thumbPath ?? null,
    ],
  );
  return result.lastInsertRowid;
}

export function getArtefact(q: ReadQueries, id: number): ArtefactRecord | undefined {
  const row = q.get<ArtefactRow>(`SELECT ${COLUMNS} FROM artefacts WHERE id = ?`, [id]);
  return row ? toRecord(row) : undefined;
}

/** All rows of a run (soft-deleted included), oldest first. */
export function listArtefactsByRun(q: ReadQueries, runId: string, includeDeleted = true): ArtefactRecord[] {
  const where = includeDeleted ? '' : ' AND deleted_at IS NULL';
  // Ordered here rather than by ORDER BY id: in sql.js that clause alone adds ~25 µs to every execution (measured,
  // though the plan needs no sort), and this runs at the end of every run, mostly finding no rows at all.
  return q
    .all<ArtefactRow>(`SELECT ${COLUMNS} FROM artefacts WHERE run_id = ?${where}`, [runId])
    .map(toRecord)
    .sort((a, b) => a.id - b.id);
}

// Matches one tag in either stored form. json_each only sees valid JSON, so malformed (comma) text cannot raise.
const TAG_MATCH = `(
  EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(tags) THEN tags ELSE '[]' END) WHERE value = ?)
  OR (tags IS NOT NULL AND NOT json_valid(tags)
      AND instr(',' || replace(replace(tags, ', ', ','), ' ,', ',') || ',', ',' || ? || ',') > 0)
)`;

/** Newest first (created_at, then id). Soft-deleted rows only with includeDeleted. */
export function listArtefacts(q: ReadQueries, filter: ArtefactFilter = {}): ArtefactRecord[] {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (!filter.includeDeleted) clauses.push('deleted_at IS NULL');
  if (filter.toolId !== undefined) {
    clauses.push('tool_id = ?');
    params.push(filter.toolId);
  }
  if (filter.runId !== undefined) {
    clauses.push('run_id = ?');
    params.push(filter.runId);
  }
  if (filter.mimePrefix !== undefined) {
    clauses.push("mime LIKE ? ESCAPE '\\'");
    params.push(`${escapeLike(filter.mimePrefix)}%`);
  }
  if (filter.starred !== undefined) {
    clauses.push(filter.starred ? 'starred = 1' : 'starred = 0');
  }
  if (filter.label !== undefined) {
    clauses.push('label = ?');
    params.push(filter.label);
  }
  if (filter.tag !== undefined) {
    // A cheap instr() first skips rows that cannot hold the tag before json_each parses them; only for tags whose
    // JSON text is the tag itself (Python's json.dumps escapes non-ASCII, both escape quotes and backslashes).
    if (/^[\x20-\x7e]+$/.test(filter.tag) && !/["\\]/.test(filter.tag)) {
      clauses.push('instr(tags, ?) > 0');
      params.push(filter.tag);
    }
    clauses.push(TAG_MATCH);
    params.push(filter.tag, filter.tag);
  }
  const where = clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '';
  const limit = clampLimit(filter.limit, 100);
  const offset = requireInteger(filter.offset ?? 0, 'offset', 0);
  return q
    .all<ArtefactRow>(`SELECT ${COLUMNS} FROM artefacts${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [
      ...params,
      limit,
      offset,
    ])
    .map(toRecord);
}

/** Marks a live row deleted at `at`; false if unknown or already soft-deleted (its first deletion time is kept). */
export function softDeleteArtefact(q: WriteQueries, id: number, at: string): boolean {
  return q.run('UPDATE artefacts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', [at, id]).changes > 0;
}

/** Clears deleted_at; false if unknown or not deleted. */
export function restoreArtefact(q: WriteQueries, id: number): boolean {
  return q.run('UPDATE artefacts SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL', [id]).changes > 0;
}

export function setArtefactStarred(q: WriteQueries, id: number, starred: boolean): boolean {
  return q.run('UPDATE artefacts SET starred = ? WHERE id = ?', [fromBool(starred), id]).changes > 0;
}

/** null or blank clears the label. */
export function setArtefactLabel(q: WriteQueries, id: number, label: string | null): boolean {
  return q.run('UPDATE artefacts SET label = ? WHERE id = ?', [normaliseLabel(label), id]).changes > 0;
}

export function setArtefactTags(q: WriteQueries, id: number, tags: readonly string[]): boolean {
  return q.run('UPDATE artefacts SET tags = ? WHERE id = ?', [serialiseArtefactTags(tags), id]).changes > 0;
}

/** Hard-deletes the row (not the file) and returns it, so the caller can decide about the file. */
export function deleteArtefactRow(q: WriteQueries, id: number): ArtefactRecord | undefined {
  const existing = getArtefact(q, id);
  if (!existing) return undefined;
  q.run('DELETE FROM artefacts WHERE id = ?', [id]);
  return existing;
}

/** Hard-deletes every row of a run and returns them (used when a run is deleted). */
export function deleteArtefactRowsForRun(q: WriteQueries, runId: string): ArtefactRecord[] {
  const rows = listArtefactsByRun(q, runId, true);
  if (rows.length > 0) q.run('DELETE FROM artefacts WHERE run_id = ?', [runId]);
  return rows;
}

/** True on a db rebuilt by the newest original Pixie (UNIQUE(rel_path)): there two rows cannot share a file, so
 *  dedup must fall back to storing a copy under the new row's own path. */
export function artefactRelPathIsUnique(q: ReadQueries): boolean {
  const indexes = q.all<{ name: string; unique: number }>(
    "SELECT name, \"unique\" FROM pragma_index_list('artefacts') WHERE \"unique\" = 1",
  );
  return indexes.some((index) => {
    const columns = q.all<{ name: string | null }>('SELECT name FROM pragma_index_info(?)', [index.name]);
    return columns.length === 1 && columns[0]?.name === 'rel_path';
  });
}

/** For dedup: the oldest live row with this content hash (its file is on disk), if any. */
export function findLiveArtefactBySha256(q: ReadQueries, sha256: string): ArtefactRecord | undefined {
  const row = q.get<ArtefactRow>(
    `SELECT ${COLUMNS} FROM artefacts WHERE sha256 = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`,
    [sha256],
  );
  return row ? toRecord(row) : undefined;
}

/** Rows (soft-deleted included: they can be restored) pointing at this file. 0 = the file can go. */
export function countArtefactRowsForRelPath(q: ReadQueries, relPath: string): number {
  return Number(q.get<{ n: number }>('SELECT COUNT(*) AS n FROM artefacts WHERE rel_path = ?', [relPath])?.n ?? 0);
}

/** Rows soft-deleted strictly before `cutoff` (ISO-8601), oldest deletion first: the purge's work list. */
export function listSoftDeletedArtefactsBefore(q: ReadQueries, cutoff: string, limit?: number): ArtefactRecord[] {
  return q
    .all<ArtefactRow>(
      `SELECT ${COLUMNS} FROM artefacts WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at, id LIMIT ?`,
      [cutoff, clampLimit(limit, 10_000, 1_000_000)],
    )
    .map(toRecord);
}

/** New content of a file already registered (a scan found it grown or rewritten); false if the row is unknown.
 *  Does not change runs.total_artefact_bytes: compose with adjustRunArtefactBytes. */
export function updateArtefactContent(q: WriteQueries, id: number, content: { sizeBytes: number; sha256: string }): boolean {
  requireInteger(content.sizeBytes, 'artefact size_bytes', 0);
  requireNonEmpty(content.sha256, 'artefact sha256');
  return q.run('UPDATE artefacts SET size_bytes = ?, sha256 = ? WHERE id = ?', [content.sizeBytes, content.sha256, id]).changes > 0;
}

/** Bytes of a run's live (not soft-deleted) artefacts. */
export function sumArtefactBytesForRun(q: ReadQueries, runId: string): number {
  return Number(
    q.get<{ n: number }>(
      'SELECT COALESCE(SUM(size_bytes), 0) AS n FROM artefacts WHERE run_id = ? AND deleted_at IS NULL',
      [runId],
    )?.n ?? 0,
  );
}

export class ArtefactsRepository {
  constructor(private readonly store: Store) {}

  get(id: number): ArtefactRecord | undefined {
    return this.store.read((q) => getArtefact(q, id));
  }

  listByRun(runId: string, includeDeleted = true): ArtefactRecord[] {
    return this.store.read((q) => listArtefactsByRun(q, runId, includeDeleted));
  }

  list(filter: ArtefactFilter = {}): ArtefactRecord[] {
    return this.store.read((q) => listArtefacts(q, filter));
  }

  relPathIsUnique(): boolean {
    return this.store.read(artefactRelPathIsUnique);
  }

  findLiveBySha256(sha256: string): ArtefactRecord | undefined {
    return this.store.read((q) => findLiveArtefactBySha256(q, sha256));
  }

  countRowsForRelPath(relPath: string): number {
    return this.store.read((q) => countArtefactRowsForRelPath(q, relPath));
  }

  listSoftDeletedBefore(cutoff: string, limit?: number): ArtefactRecord[] {
    return this.store.read((q) => listSoftDeletedArtefactsBefore(q, cutoff, limit));
  }

  sumBytesForRun(runId: string): number {
    return this.store.read((q) => sumArtefactBytesForRun(q, runId));
  }

  insert(artefact: NewArtefact): Promise<number> {
    return this.store.write((q) => insertArtefact(q, artefact));
  }

  softDelete(id: number, at: string): Promise<boolean> {
    return this.store.write((q) => softDeleteArtefact(q, id, at));
  }

  restore(id: number): Promise<boolean> {
    return this.store.write((q) => restoreArtefact(q, id));
  }

  setStarred(id: number, starred: boolean): Promise<boolean> {
    return this.store.write((q) => setArtefactStarred(q, id, starred));
  }

  setLabel(id: number, label: string | null): Promise<boolean> {
    return this.store.write((q) => setArtefactLabel(q, id, label));
  }

  setTags(id: number, tags: readonly string[]): Promise<boolean> {
    return this.store.write((q) => setArtefactTags(q, id, tags));
  }

  deleteRow(id: number): Promise<ArtefactRecord | undefined> {
    return this.store.write((q) => deleteArtefactRow(q, id));
  }
}
