// Reading and naming many rows through sql.js cheaply. sql.js costs about a microsecond per cell it hands to
// JavaScript (and a call per bound parameter), so a 20k-row snapshot read row by row costs a third of a second. Here
// SQLite packs a page of rows into ONE JSON text cell (json_group_array), which JSON.parse unpacks in a few
// milliseconds; and a list of values is bound as ONE JSON parameter read back with json_each.
import type { ReadQueries, SqlParams, SqlValue } from '../store/types';

/** Rows per JSON page: big enough to amortise the query, small enough that no page string gets large. */
export const JSON_PAGE_ROWS = 5_000;

/** `IN (…)` over one parameter holding a JSON array (see jsonList). */
export const IN_JSON_LIST = 'IN (SELECT value FROM json_each(?))';

/** A list of values as the one parameter of IN_JSON_LIST. */
export function jsonList(values: readonly SqlValue[]): string {
  return JSON.stringify(values);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every row of `table` as a tuple of `columns` (plain column names), in rowid order, a page of rows per cell.
 * Throws when SQLite cannot do it (a table without rowid, a BLOB value JSON cannot hold): callers then fall back
 * to reading row by row, which handles anything.
 */
export function readAllAsTuples(q: ReadQueries, table: string, columns: readonly string[], pageRows = JSON_PAGE_ROWS): unknown[][] {
  for (const name of [table, ...columns]) if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  // A page is a plain rowid range (a b-tree range scan); its upper end is the pageRows-th rowid after the last page.
  // (Paging with ORDER BY … LIMIT inside the aggregate's subquery measured slower than reading the whole table.)
  const pageEnd = `SELECT rowid AS r FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT 1 OFFSET ?`;
  const page = `SELECT json_group_array(json_array(${columns.join(', ')})) AS j FROM ${table} WHERE rowid > ? AND rowid <= ?`;
  const out: unknown[][] = [];
  // Below and above any rowid (64-bit integers, which SQLite compares with a real exactly).
  let after = -Number.MAX_VALUE;
  for (;;) {
    const end = q.get<{ r: number }>(pageEnd, [after, pageRows - 1])?.r;
    // A rowid past 2^53 would come back rounded and a page could repeat or skip rows.
    if (end !== undefined && !Number.isSafeInteger(end)) throw new Error(`rowid beyond 2^53 in ${table}`);
    const rows = JSON.parse(q.get<{ j: string }>(page, [after, end ?? Number.MAX_VALUE])?.j ?? '[]') as unknown;
    if (!Array.isArray(rows)) throw new Error(`unexpected JSON page from ${table}`);
    for (const row of rows) out.push(row as unknown[]);
    if (end === undefined) return out;
    after = end;
  }
}

/**
 * The rows of `select` as tuples of its result `columns` (plain names), all in one JSON cell. When JSON cannot carry
 * a value (a BLOB in a crafted db) the same SELECT is read row by row instead, so the answer never depends on it.
 */
export function selectTuples(q: ReadQueries, select: string, columns: readonly string[], params: SqlParams): unknown[][] {
  for (const name of columns) if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  let packed: string | undefined;
  try {
    packed = q.get<{ j: string }>(`SELECT json_group_array(json_array(${columns.join(', ')})) AS j FROM (${select})`, params)?.j;
  } catch {
    packed = undefined;
  }
  if (typeof packed === 'string') {
    const rows = JSON.parse(packed) as unknown;
    if (Array.isArray(rows)) return rows as unknown[][];
  }
  return q.all<Record<string, unknown>>(select, params).map((row) => columns.map((column) => row[column]));
}
