// Conversions between SQLite column values and the typed records the repositories return.
import type { SqlValue } from '../types';
import { InvalidValueError } from './errors';

export function toBool(value: SqlValue | undefined): boolean {
  return value !== null && value !== undefined && Number(value) !== 0;
}

export function fromBool(value: boolean): number {
  return value ? 1 : 0;
}

export function toText(value: SqlValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function toNumber(value: SqlValue | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Parses JSON text; null/invalid → undefined (rows written by other versions must never break a read). */
export function parseJson(text: string | null): unknown {
  if (text === null || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes `%`, `_` and the escape char itself for `LIKE … ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function requireInteger(value: number, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidValueError(`${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

export function requireNonEmpty(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidValueError(`${what} must be a non-empty string`);
  return value;
}

/** A label is either meaningful text or absent: blank clears it (a blank label would still protect a run from pruning). */
export function normaliseLabel(label: string | null): string | null {
  if (label === null) return null;
  const trimmed = label.trim();
  return trimmed === '' ? null : trimmed;
}

/** LIMIT for list queries: a positive integer, capped so a caller bug cannot pull the whole table into memory twice. */
export function clampLimit(limit: number | undefined, fallback: number, max = 10_000): number {
  if (limit === undefined) return fallback;
  return requireInteger(limit, 'limit', 1, max);
}
