// Series over an x axis (line, area, bar): the shapes tools send, read into one form.
//   {x:[…], series:[{name, y|data|values:[…]}]}   the spec's shape; a series may carry its own `x`
//   {series:[{name, points:[[x,y]] | [{x,y}]}]}   points per series
//   {series:{name:[…], …}}                       series as a dict
//   {x:[…], y:[…]} / {x, y:[[…],[…]], names?}     one series, or one per row of y
//   {points:[…]} / {rows|data:[…]} / a bare list  rows: numbers, [x, y1, y2…] tuples or {x, a, b} records
//                                                 (also long records {series, x, y})
import type { JsonValue } from '../../../../src/protocol';
import { arrayField, chartValue, field, looksLikeDate, record, seriesName, textField, toNumber, toText, uniqueNames, type JsonRecord } from './values';

export type XValue = number | string;
export type XYPoint = [XValue, number | null];

export interface XYSeries {
  name: string;
  points: XYPoint[];
}

export type XKind = 'value' | 'time' | 'category';

export interface XYData {
  series: XYSeries[];
  xKind: XKind;
  /** The x categories in order (category axes only). */
  categories: string[];
  /** The value's own fields (title, axis labels, flags), when it was an object. */
  options: JsonRecord;
  points: number;
}

const X_KEYS = ['x', 't', 'time', 'date', 'timestamp', 'label', 'name', 'category'];

function toX(value: JsonValue | undefined): XValue | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value;
  return null;
}

function isNumberLike(value: JsonValue): boolean {
  return value === null || toNumber(value) !== null;
}

/** Points from `[[x,y]]`, `[{x,y}]` or plain numbers (x = position). */
function pointsOf(list: JsonValue[]): XYPoint[] {
  const points: XYPoint[] = [];
  list.forEach((item, index) => {
    if (Array.isArray(item)) {
      const x = item.length >= 2 ? toX(item[0]) : null;
      if (x !== null) points.push([x, toNumber(item[1])]);
      return;
    }
    const rec = record(item);
    if (rec) {
      const x = toX(field(rec, ...X_KEYS));
      if (x !== null) points.push([x, toNumber(field(rec, 'y', 'value', 'v'))]);
      return;
    }
    if (isNumberLike(item)) points.push([index, toNumber(item)]);
  });
  return points;
}

/** y values paired with the x list by position (or with positions when there is none). */
function pair(ys: JsonValue[], xs: JsonValue[] | undefined): XYPoint[] {
  if (ys.some((y) => Array.isArray(y) || record(y) !== undefined)) return pointsOf(ys);
  const points: XYPoint[] = [];
  const n = xs ? Math.min(xs.length, ys.length) : ys.length;
  for (let i = 0; i < n; i += 1) {
    const x = xs ? toX(xs[i]) : i;
    if (x !== null) points.push([x, toNumber(ys[i])]);
  }
  return points;
}

function seriesFromRecord(item: JsonRecord, index: number, xs: JsonValue[] | undefined): XYSeries {
  const name = seriesName(item, index);
  const points = arrayField(item, 'points');
  if (points) return { name, points: pointsOf(points) };
  const ys = arrayField(item, 'y', 'data', 'values', 'value');
  return { name, points: ys ? pair(ys, arrayField(item, 'x') ?? xs) : [] };
}

function fromSeriesList(list: JsonValue[], xs: JsonValue[] | undefined, rec: JsonRecord): XYSeries[] {
  // A flat list of numbers is one series.
  if (list.every(isNumberLike)) return [{ name: textField(rec, 'name') ?? 'Series 1', points: pair(list, xs) }];
  const out: XYSeries[] = [];
  list.forEach((item, index) => {
    const itemRecord = record(item);
    if (itemRecord) out.push(seriesFromRecord(itemRecord, index, xs));
    else if (Array.isArray(item)) out.push({ name: `Series ${index + 1}`, points: pair(item, xs) });
  });
  return out;
}

function fromRows(rows: JsonValue[], options: JsonRecord): XYSeries[] {
  if (rows.length === 0) return [];
  if (rows.every(isNumberLike)) return [{ name: textField(options, 'name') ?? 'Series 1', points: pair(rows, undefined) }];
  const first = rows.find((row) => row !== null);
  if (Array.isArray(first)) {
    // [x, y1, y2, …] tuples: one series per column after x.
    const width = Math.max(...rows.slice(0, 100).map((row) => (Array.isArray(row) ? row.length : 0)));
    const names = arrayField(options, 'names', 'series_names');
    const out: XYSeries[] = [];
    for (let column = 1; column < width; column += 1) {
      const points: XYPoint[] = [];
      for (const row of rows) {
        if (!Array.isArray(row)) continue;
        const x = toX(row[0]);
        if (x !== null) points.push([x, toNumber(row[column])]);
      }
      out.push({ name: toText(names?.[column - 1]) ?? (width > 2 ? `Series ${column}` : 'y'), points });
    }
    return out;
  }
  const records = rows.map(record).filter((r): r is JsonRecord => r !== undefined);
  if (records.length === 0) return [];
  const sample = records.slice(0, 200);
  const xKey = X_KEYS.find((key) => sample.some((r) => Object.hasOwn(r, key)));
  // Long form: {series, x, y} rows grouped by series.
  const groupKey = ['series', 'group'].find((key) => sample.some((r) => Object.hasOwn(r, key)));
  if (groupKey && xKey && sample.some((r) => Object.hasOwn(r, 'y'))) {
    const groups = new Map<string, XYPoint[]>();
    for (const row of records) {
      const x = toX(row[xKey]);
      if (x === null) continue;
      const name = toText(row[groupKey]) ?? 'Series 1';
      let points = groups.get(name);
      if (!points) groups.set(name, (points = []));
      points.push([x, toNumber(row.y)]);
    }
    return [...groups].map(([name, points]) => ({ name, points }));
  }
  const keys: string[] = [];
  for (const row of sample) {
    for (const [key, cell] of Object.entries(row)) {
      if (key !== xKey && !keys.includes(key) && toNumber(cell) !== null) keys.push(key);
    }
  }
  return keys.map((key) => ({
    name: key,
    points: records.flatMap((row, index): XYPoint[] => {
      const x = xKey ? toX(row[xKey]) : index;
      return x === null ? [] : [[x, toNumber(row[key])]];
    }),
  }));
}

function seriesOf(value: JsonValue): { series: XYSeries[]; options: JsonRecord; xs?: JsonValue[] } | string {
  if (Array.isArray(value)) return { series: fromRows(value, {}), options: {} };
  const rec = record(value);
  if (!rec) return 'expected an object with `x` and `series` (or a list of points)';
  const xs = arrayField(rec, 'x', 'labels', 'categories', 'x_values');
  const series = rec.series;
  if (Array.isArray(series)) return { series: fromSeriesList(series, xs, rec), options: rec, xs };
  const seriesRecord = record(series);
  if (seriesRecord) {
    const list = Object.entries(seriesRecord).map(([name, data]): XYSeries => ({ name, points: Array.isArray(data) ? pair(data, xs) : [] }));
    return { series: list, options: rec, xs };
  }
  const ys = arrayField(rec, 'y', 'values');
  if (ys) {
    if (ys.length > 0 && ys.every((row) => Array.isArray(row))) {
      const names = arrayField(rec, 'names', 'series_names');
      return { series: ys.map((row, i) => ({ name: toText(names?.[i]) ?? `Series ${i + 1}`, points: pair(row as JsonValue[], xs) })), options: rec, xs };
    }
    return { series: [{ name: textField(rec, 'name', 'y_label') ?? 'y', points: pair(ys, xs) }], options: rec, xs };
  }
  const points = arrayField(rec, 'points');
  if (points) return { series: [{ name: textField(rec, 'name') ?? 'Series 1', points: pointsOf(points) }], options: rec };
  const rows = arrayField(rec, 'rows', 'data');
  if (rows) return { series: fromRows(rows, rec), options: rec };
  return 'no `series` (or `y`, `points`, `rows`) in the value';
}

/** The x axis kind all the points agree on: numbers, ISO dates, else categories. */
function xKindOf(series: XYSeries[]): XKind {
  let numbers = true;
  let dates = true;
  for (const s of series) {
    for (const [x] of s.points) {
      if (typeof x === 'number') dates = false;
      else {
        numbers = false;
        if (dates && !looksLikeDate(x)) dates = false;
      }
      if (!numbers && !dates) return 'category';
    }
  }
  return numbers ? 'value' : dates ? 'time' : 'category';
}

/**
 * The series in one form, or why the value cannot be read. `forceCategory` (bars) puts every x on a category axis.
 */
export function readXY(raw: unknown, forceCategory = false): XYData | string {
  const value = chartValue(raw);
  if (value === undefined) return 'no value';
  const read = seriesOf(value);
  if (typeof read === 'string') return read;
  const names = uniqueNames(read.series.map((s) => s.name));
  const series = read.series.map((s, i) => ({ name: names[i], points: s.points })).filter((s) => s.points.length > 0);
  let points = 0;
  for (const s of series) points += s.points.length;
  if (!series.some((s) => s.points.some(([, y]) => y !== null))) return 'no numeric y values';
  const xKind = forceCategory ? 'category' : xKindOf(series);
  const categories: string[] = [];
  if (xKind === 'category') {
    const seen = new Set<string>();
    const add = (x: JsonValue | undefined): void => {
      const text = toText(x);
      if (text !== undefined && !seen.has(text)) {
        seen.add(text);
        categories.push(text);
      }
    };
    for (const x of read.xs ?? []) add(x);
    for (const s of series) {
      for (const point of s.points) {
        point[0] = String(point[0]);
        add(point[0]);
      }
    }
  }
  return { series, xKind, categories, options: read.options, points };
}

/**
 * A large series on a numeric x axis as one flat Float64Array [x0, y0, x1, y1, …] (gaps are NaN): ECharts reads it
 * without a small array per point, which draws 100,000 points several times faster than pairs.
 */
export function flatPoints(points: XYPoint[]): Float64Array {
  const flat = new Float64Array(points.length * 2);
  points.forEach(([x, y], i) => {
    flat[2 * i] = typeof x === 'number' ? x : NaN;
    flat[2 * i + 1] = y ?? NaN;
  });
  return flat;
}
