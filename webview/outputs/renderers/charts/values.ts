// Reading chart values in the shapes tools send them: numbers that may arrive as numeric strings, names that may be
// numbers, a field under one of several names. Everything here is pure and total: garbage in, `undefined` out.
import type { JsonValue } from '../../../../src/protocol';
import { isJsonRecord, type JsonRecord } from '../../values';

export type { JsonRecord };
export { isJsonRecord };

/** A finite number, or a string holding one ("1.5"); anything else (NaN, Infinity, true, "") is null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Text for a name or label: strings as they are, numbers and booleans printed, anything else undefined. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function record(value: unknown): JsonRecord | undefined {
  return isJsonRecord(value as JsonValue) ? (value as JsonRecord) : undefined;
}

/** The first of `keys` the record has (not null). */
export function field(value: JsonRecord, ...keys: string[]): JsonValue | undefined {
  for (const key of keys) if (Object.hasOwn(value, key) && value[key] !== null) return value[key];
  return undefined;
}

export function arrayField(value: JsonRecord, ...keys: string[]): JsonValue[] | undefined {
  for (const key of keys) if (Array.isArray(value[key])) return value[key];
  return undefined;
}

export function textField(value: JsonRecord, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const text = toText(value[key]);
    if (text !== undefined && text !== '') return text;
  }
  return undefined;
}

/**
 * A chart value with its wrapper taken off: `{value: {...}}` / `{value: [...]}` (the scalar wrapper some tools put
 * around everything) and `{data: ...}` when data is the only field.
 */
export function chartValue(value: unknown): JsonValue | undefined {
  let current = value as JsonValue | undefined;
  for (let depth = 0; depth < 3; depth += 1) {
    const rec = record(current);
    if (!rec) break;
    const inner = rec.value;
    if (Object.hasOwn(rec, 'value') && (Array.isArray(inner) || isJsonRecord(inner))) {
      // Options beside the wrapped value (title, axis labels) stay visible to the builder.
      const { value: _drop, ...rest } = rec;
      current = Array.isArray(inner) ? { ...rest, data: inner } : { ...rest, ...inner };
      continue;
    }
    break;
  }
  return current;
}

/** Strings that look like dates (ISO 8601 dates or date-times), which ECharts' time axis reads. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function looksLikeDate(text: string): boolean {
  return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text));
}

/** A series name: the record's name/label, else "Series n". */
export function seriesName(value: JsonRecord | undefined, index: number): string {
  return (value && textField(value, 'name', 'label', 'key', 'id')) ?? `Series ${index + 1}`;
}

/** A chart title the value carries (the card's heading already shows the spec label). */
export function titleOf(value: JsonRecord | undefined): string | undefined {
  return value ? textField(value, 'title') : undefined;
}

/** Keeps names unique (ECharts merges series, nodes and categories by name): "a", "a (2)", "a (3)". */
export function uniqueNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; used.has(candidate); n += 1) candidate = `${name} (${n})`;
    used.add(candidate);
    return candidate;
  });
}
