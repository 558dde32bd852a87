// Reading output values in the shapes tools send them (reference §3.4).
import type { JsonValue } from '../../src/protocol';

export type JsonRecord = { [key: string]: JsonValue };

export function isJsonRecord(value: JsonValue | undefined): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalar outputs arrive raw or as `{value, …options}`: the value and the options beside it. */
export function unwrap(value: JsonValue): { value: JsonValue; extra: JsonRecord } {
  if (isJsonRecord(value) && Object.hasOwn(value, 'value')) {
    const { value: inner, ...extra } = value;
    return { value: inner, extra };
  }
  return { value, extra: {} };
}

export function stringField(record: JsonRecord, key: string): string | undefined {
  const v = record[key];
  return typeof v === 'string' ? v : undefined;
}

/** A value as readable text: strings as they are, anything else as JSON. */
export function textOf(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const JSON_VIEW_MAX_CHARS = 200_000;

const INLINE_WIDTH = 100;

/** JSON with two-space indentation, but short arrays and objects kept on one line (a list of numbers stays a row). */
function formatJson(value: JsonValue, indent: string): string {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || flat.length + indent.length <= INLINE_WIDTH) return flat;
  if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => inner + formatJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** Pretty JSON, cut at `max` characters (the cut is reported, never silent). */
export function prettyJson(value: JsonValue, max = JSON_VIEW_MAX_CHARS): { text: string; truncated: boolean } {
  // Very large values are not worth laying out: plain indentation is cheaper and is cut anyway.
  const text = JSON.stringify(value).length > max ? JSON.stringify(value, null, 2) : formatJson(value, '');
  return text.length > max ? { text: text.slice(0, max), truncated: true } : { text, truncated: false };
}
