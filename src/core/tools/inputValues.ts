// Checks one submitted input value against its spec and turns it into the value sent to the tool.
// Values normally arrive typed (from the webview); strings are also accepted where a CLI or a form
// would send them (numbers, booleans, JSON for the list/object types) and converted.
import { acceptEntries, acceptMatches, parseDataUrl } from './dataUrl';
import type { ColumnSpec, InputSpec, InputSpecOf, JsonValue, SelectOption } from './model';
import { setOwn } from './ownKeys';

export type Coerced = { value: JsonValue } | { error: string };

const MB = 1024 * 1024;

export function coerceInputValue(input: InputSpec, raw: unknown): Coerced {
  switch (input.type) {
    case 'text':
    case 'textarea':
      return text(raw, input.max_length);
    case 'markdown':
    case 'code':
    case 'autocomplete':
      return text(raw, null);
    case 'hidden': {
      const v = toJsonValue(raw);
      return v === undefined ? { error: 'expected a JSON value' } : { value: v };
    }
    case 'number':
      return number(raw, input.min, input.max);
    case 'slider':
      return input.range ? sliderRange(raw, input.min, input.max) : number(raw, input.min, input.max);
    case 'select':
    case 'radio': {
      const match = matchOption(input.options, raw);
      return match !== undefined ? { value: match } : { error: `must be one of ${listOptions(input.options)}` };
    }
    case 'multiselect':
      return multiselect(raw, input.options);
    case 'checkbox':
    case 'toggle': {
      const b = asBoolean(raw);
      return b === undefined ? { error: 'expected true or false' } : { value: b };
    }
    case 'date':
      return date(raw, input.min, input.max);
    case 'time':
      return typeof raw === 'string' && TIME.test(raw) ? { value: raw } : { error: 'expected a time HH:MM' };
    case 'datetime':
      return datetime(raw);
    case 'date_range':
      return dateRange(raw);
    case 'file':
      return files(raw, input.multiple, input.max_size_mb, acceptEntries(input.accept));
    case 'image':
      return files(raw, input.multiple, input.max_size_mb, ['image/*']);
    case 'audio':
      return files(raw, false, input.max_size_mb, ['audio/*']);
    case 'colour':
      return typeof raw === 'string' && /^#[0-9a-fA-F]{6}$/.test(raw) ? { value: raw } : { error: 'expected a colour #rrggbb' };
    case 'json':
      return json(raw);
    case 'tags':
      return tags(raw);
    case 'table':
      return table(raw, input);
    case 'map_point': {
      const p = latLng(asJson(raw));
      return typeof p === 'string' ? { error: p } : { value: p };
    }
    case 'map_bbox':
      return bbox(raw);
    case 'map_polygon':
      return pointList(raw, 3, 'a polygon needs at least 3 points');
    case 'map_multipoint':
      return pointList(raw, 0, '');
  }
}

// ---------- scalars ----------

function text(raw: unknown, maxLength: number | null): Coerced {
  if (typeof raw !== 'string') return { error: `expected text, got ${kindOf(raw)}` };
  // Count code points, as Python's len() does.
  if (maxLength !== null && [...raw].length > maxLength) return { error: `must be at most ${maxLength} characters` };
  return { value: raw };
}

export function asNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function number(raw: unknown, min: number | null, max: number | null): Coerced {
  const n = asNumber(raw);
  if (n === undefined) return { error: `expected a number, got ${kindOf(raw)}` };
  const range = inRange(n, min, max);
  return range ? { error: range } : { value: n };
}

function inRange(n: number, min: number | null, max: number | null): string | undefined {
  if (min !== null && n < min) return `must be at least ${min}`;
  if (max !== null && n > max) return `must be at most ${max}`;
  return undefined;
}

function sliderRange(raw: unknown, min: number, max: number): Coerced {
  const v = asJson(raw);
  if (!Array.isArray(v) || v.length !== 2) return { error: 'expected a range [low, high]' };
  const lo = asNumber(v[0]);
  const hi = asNumber(v[1]);
  if (lo === undefined || hi === undefined) return { error: 'expected a range of two numbers [low, high]' };
  if (lo > hi) return { error: `low end (${lo}) is above high end (${hi})` };
  const range = inRange(lo, min, max) ?? inRange(hi, min, max);
  return range ? { error: range } : { value: [lo, hi] };
}

export function asBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  if (typeof raw === 'string') {
    const s = raw.trim().toLowerCase();
    if (['true', 'on', '1', 'yes'].includes(s)) return true;
    if (['false', 'off', '0', 'no'].includes(s)) return false;
  }
  return undefined;
}

/** The option value `raw` selects; a string matches an option whose value prints the same ("4" → 4). */
function matchOption(options: SelectOption[], raw: unknown): SelectOption['value'] | undefined {
  const exact = options.find((o) => o.value === raw);
  if (exact) return exact.value;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
    return options.find((o) => String(o.value) === String(raw))?.value;
  }
  return undefined;
}

function listOptions(options: SelectOption[]): string {
  const shown = options.slice(0, 10).map((o) => JSON.stringify(o.value)).join(', ');
  return options.length > 10 ? `${shown}, …` : shown;
}

function multiselect(raw: unknown, options: SelectOption[]): Coerced {
  const v = asJson(raw);
  if (!Array.isArray(v)) return { error: 'expected a list of choices' };
  const out: SelectOption['value'][] = [];
  for (const item of v) {
    const match = matchOption(options, item);
    if (match === undefined) return { error: `${JSON.stringify(item)} is not one of ${listOptions(options)}` };
    out.push(match);
  }
  return { value: out };
}

// ---------- dates ----------

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function date(raw: unknown, min: string | null, max: string | null): Coerced {
  if (typeof raw !== 'string' || !isCalendarDate(raw)) return { error: 'expected a date YYYY-MM-DD' };
  // Bounds that are not dates themselves are ignored rather than failing every run.
  if (min !== null && isCalendarDate(min) && raw < min) return { error: `must be on or after ${min}` };
  if (max !== null && isCalendarDate(max) && raw > max) return { error: `must be on or before ${max}` };
  return { value: raw };
}

function datetime(raw: unknown): Coerced {
  const m = typeof raw === 'string' ? DATETIME.exec(raw) : null;
  if (!m || !isCalendarDate(m[1])) return { error: 'expected a date and time YYYY-MM-DDTHH:MM' };
  return { value: raw as string };
}

function dateRange(raw: unknown): Coerced {
  const v = asJson(raw);
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string'
    || !isCalendarDate(v[0]) || !isCalendarDate(v[1])) {
    return { error: 'expected two dates ["YYYY-MM-DD", "YYYY-MM-DD"]' };
  }
  if (v[0] > v[1]) return { error: `start ${v[0]} is after end ${v[1]}` };
  return { value: [v[0], v[1]] };
}

// ---------- files ----------

function files(raw: unknown, multiple: boolean, maxSizeMb: number | null, accept: string[]): Coerced {
  if (multiple) {
    const list = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(list)) return { error: 'expected a list of data URLs' };
    for (const [i, item] of list.entries()) {
      const one = file(item, maxSizeMb, accept);
      if ('error' in one) return { error: `file ${i + 1}: ${one.error}` };
    }
    return { value: list as string[] };
  }
  return file(raw, maxSizeMb, accept);
}

function file(raw: unknown, maxSizeMb: number | null, accept: string[]): Coerced {
  if (typeof raw !== 'string') return { error: `expected a data URL, got ${kindOf(raw)}` };
  const parsed = parseDataUrl(raw);
  if ('error' in parsed) return parsed;
  if (maxSizeMb !== null && parsed.size > maxSizeMb * MB) {
    return { error: `file is ${(parsed.size / MB).toFixed(1)} MB; the limit is ${maxSizeMb} MB` };
  }
  if (!acceptMatches(accept, parsed.mime, parsed.name)) {
    return { error: `file type ${parsed.mime} is not accepted (accepts ${accept.join(', ')})` };
  }
  return { value: raw };
}

// ---------- JSON-shaped values ----------

/** Strings are parsed as JSON (a form or CLI sends lists that way); anything else is returned as is. */
function asJson(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** `raw` as a JSON value, or undefined when it holds something JSON cannot carry. */
export function toJsonValue(raw: unknown, depth = 0): JsonValue | undefined {
  if (depth > 100) return undefined;
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (Array.isArray(raw)) {
    const out: JsonValue[] = [];
    for (const item of raw) {
      const v = toJsonValue(item, depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, item] of Object.entries(raw)) {
      const v = toJsonValue(item, depth + 1);
      if (v === undefined) return undefined;
      setOwn(out, k, v);
    }
    return out;
  }
  return undefined;
}

function json(raw: unknown): Coerced {
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw) as unknown;
    } catch (err) {
      return { error: `not valid JSON: ${(err as Error).message}` };
    }
  }
  const value = toJsonValue(v);
  if (value === undefined || value === null || typeof value !== 'object') return { error: 'expected a JSON object or list' };
  return { value };
}

function tags(raw: unknown): Coerced {
  const v = asJson(raw);
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) return { error: 'expected a list of strings' };
  return { value: v as string[] };
}

const NUMBER_COLUMN = new Set(['number', 'integer', 'int', 'float']);
const BOOLEAN_COLUMN = new Set(['boolean', 'bool', 'checkbox']);

function table(raw: unknown, input: InputSpecOf<'table'>): Coerced {
  const rows = asJson(raw);
  if (!Array.isArray(rows)) return { error: 'expected a list of rows' };
  if (input.min_rows !== null && rows.length < input.min_rows) return { error: `needs at least ${input.min_rows} rows` };
  if (input.max_rows !== null && rows.length > input.max_rows) return { error: `allows at most ${input.max_rows} rows` };
  const columns = new Map<string, ColumnSpec>(input.columns.map((c) => [c.key, c]));
  const out: JsonValue[] = [];
  for (const [i, row] of rows.entries()) {
    const obj = toJsonValue(row);
    if (obj === undefined || obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return { error: `row ${i + 1}: expected an object keyed by column` };
    }
    const clean: { [key: string]: JsonValue } = {};
    for (const [key, cell] of Object.entries(obj)) {
      const column = columns.get(key);
      if (!column) return { error: `row ${i + 1}: unknown column "${key}"` };
      const type = column.type.toLowerCase();
      if (cell === null || cell === '') {
        setOwn(clean, key, null);
      } else if (NUMBER_COLUMN.has(type)) {
        const n = asNumber(cell);
        if (n === undefined) return { error: `row ${i + 1}, ${column.label}: expected a number` };
        setOwn(clean, key, n);
      } else if (BOOLEAN_COLUMN.has(type)) {
        const b = asBoolean(cell);
        if (b === undefined) return { error: `row ${i + 1}, ${column.label}: expected true or false` };
        setOwn(clean, key, b);
      } else {
        setOwn(clean, key, cell);
      }
    }
    out.push(clean);
  }
  return { value: out };
}

// ---------- maps ----------

/** `[lat, lng]` within range, or a message. */
function latLng(v: unknown): [number, number] | string {
  if (!Array.isArray(v) || v.length !== 2) return 'expected a point [lat, lng]';
  const [lat, lng] = [asNumber(v[0]), asNumber(v[1])];
  if (lat === undefined || lng === undefined) return 'expected a point of two numbers [lat, lng]';
  if (lat < -90 || lat > 90) return `latitude ${lat} is outside -90…90`;
  if (lng < -180 || lng > 180) return `longitude ${lng} is outside -180…180`;
  return [lat, lng];
}

function bbox(raw: unknown): Coerced {
  const v = asJson(raw);
  if (!Array.isArray(v) || v.length !== 4) return { error: 'expected a box [south, west, north, east]' };
  const sw = latLng([v[0], v[1]]);
  const ne = latLng([v[2], v[3]]);
  if (typeof sw === 'string') return { error: sw };
  if (typeof ne === 'string') return { error: ne };
  if (sw[0] > ne[0]) return { error: 'south edge is north of the north edge' };
  return { value: [...sw, ...ne] };
}

function pointList(raw: unknown, minPoints: number, tooFew: string): Coerced {
  const v = asJson(raw);
  if (!Array.isArray(v)) return { error: 'expected a list of points [[lat, lng], …]' };
  if (v.length < minPoints) return { error: tooFew };
  const out: JsonValue[] = [];
  for (const [i, p] of v.entries()) {
    const point = latLng(p);
    if (typeof point === 'string') return { error: `point ${i + 1}: ${point}` };
    out.push(point);
  }
  return { value: out };
}

function kindOf(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'string') return raw.length > 30 ? 'a long string' : `"${raw}"`;
  if (typeof raw === 'object') return 'an object';
  return typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : typeof raw;
}
