// table: same columns, same number of rows, rows compared cell by cell (numbers within float tolerance).
// rows_unordered (default) sorts both sides by their cells first; rows_ordered compares in order.
// Rows may be objects keyed by column or lists in column order (as fixtures often write them).
import type { Comparator } from './types';
import { compareJson, deepDiff, floatTolerance, isRecord, kindOf, modeSetting } from './values';

/** Column keys of a table value: strings, or `{key}` / `{label}` column specs. */
export function columnKeys(columns: unknown): string[] {
  if (!Array.isArray(columns)) return [];
  const out: string[] = [];
  for (const c of columns) {
    if (typeof c === 'string') out.push(c);
    else if (isRecord(c) && (typeof c.key === 'string' || typeof c.label === 'string')) out.push(String(c.key ?? c.label));
  }
  return out;
}

export function rowObject(row: unknown, columns: readonly string[]): Record<string, unknown> {
  if (isRecord(row)) return row;
  if (Array.isArray(row)) {
    const out: Record<string, unknown> = {};
    row.forEach((cell, i) => {
      out[columns[i] ?? `#${i}`] = cell;
    });
    return out;
  }
  return { _value: row };
}

export function compareRows(
  comparator: string,
  expectedRows: readonly unknown[],
  actualRows: readonly unknown[],
  columns: readonly string[],
  ordered: boolean,
  tolerance: { rtol: number; atol: number },
  rowsPath = 'rows',
): ReturnType<Comparator> {
  if (expectedRows.length !== actualRows.length) {
    return { ok: false, comparator, path: rowsPath, expected: expectedRows.length, actual: actualRows.length, metric: `${actualRows.length} rows, expected ${expectedRows.length}` };
  }
  const project = (rows: readonly unknown[]): Record<string, unknown>[] => {
    const objects = rows.map((r) => rowObject(r, columns));
    if (columns.length === 0) return objects;
    // Compare only the table's columns (a row may carry extra bookkeeping fields).
    return objects.map((o) => Object.fromEntries(columns.map((c) => [c, o[c] ?? null])));
  };
  const e = project(expectedRows);
  const a = project(actualRows);
  if (!ordered) {
    e.sort(compareJson);
    a.sort(compareJson);
  }
  for (let i = 0; i < e.length; i++) {
    const d = deepDiff(e[i], a[i], tolerance, `${rowsPath}[${i}]`);
    if (d) return { ok: false, comparator, ...d, metric: ordered ? d.metric : `${d.metric} (rows compared after sorting)` };
  }
  return { ok: true, comparator };
}

export const compareTable: Comparator = (expected, actual, tol, type) => {
  const mode = modeSetting(tol, 'rows_unordered', ['rows_unordered', 'rows_ordered', 'skip'], type);
  const comparator = `table_${mode}`;
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  if (!isRecord(expected)) return { ok: false, comparator, path: '', expected, actual, metric: 'the fixture\'s expected table is not an object with rows' };
  if (!isRecord(actual)) return { ok: false, comparator, path: '', expected, actual, metric: `expected a table {columns, rows}, got ${kindOf(actual)}` };
  const expCols = columnKeys(expected.columns);
  const actCols = columnKeys(actual.columns);
  if (expCols.length > 0 && actCols.length > 0 && expCols.join('\u0000') !== actCols.join('\u0000')) {
    return { ok: false, comparator, path: 'columns', expected: expCols, actual: actCols, metric: `columns differ: expected [${expCols.join(', ')}], got [${actCols.join(', ')}]` };
  }
  const expRows = Array.isArray(expected.rows) ? expected.rows : [];
  const actRows = Array.isArray(actual.rows) ? actual.rows : undefined;
  if (!actRows) return { ok: false, comparator, path: 'rows', expected: expRows.length, actual: actual.rows, metric: `rows is ${kindOf(actual.rows)}, expected a list` };
  return compareRows(comparator, expRows, actRows, expCols.length > 0 ? expCols : actCols, mode === 'rows_ordered', floatTolerance(tol));
};
