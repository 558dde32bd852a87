// Small runtime checks that narrow `unknown` to protocol types. Messages cross a process boundary (the webview is
// another origin), so every message is checked on arrival instead of trusted by its type.
import type { JsonValue } from './model';

export type Guard<T> = (value: unknown) => value is T;
/** The type a guard narrows to. */
export type Guarded<G> = G extends Guard<infer T> ? T : never;

/** A plain object (not an array, a Date, a Map, …): what JSON and structured clone of JSON produce. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const isString: Guard<string> = (v): v is string => typeof v === 'string';
export const isBoolean: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
export const isFiniteNumber: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
export const isSafeInteger: Guard<number> = (v): v is number => Number.isSafeInteger(v);
export const isNull: Guard<null> = (v): v is null => v === null;
export const isUndefined: Guard<undefined> = (v): v is undefined => v === undefined;

export function literal<const T extends readonly (string | number | boolean)[]>(...values: T): Guard<T[number]> {
  return (v): v is T[number] => values.some((x) => x === v);
}

export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v): v is T | undefined => v === undefined || guard(v);
}

export function nullable<T>(guard: Guard<T>): Guard<T | null> {
  return (v): v is T | null => v === null || guard(v);
}

export function arrayOf<T>(guard: Guard<T>): Guard<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.every((item) => guard(item));
}

export function recordOf<T>(guard: Guard<T>): Guard<Record<string, T>> {
  return (v): v is Record<string, T> => isRecord(v) && Object.values(v).every((item) => guard(item));
}

type Shape = Record<string, Guard<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: Guarded<S[K]> };

/** An object whose listed fields pass their guards; other fields are allowed (and ignored by the types). */
export function objectOf<S extends Shape>(shape: S): Guard<FromShape<S>> {
  const entries = Object.entries(shape);
  return (v): v is FromShape<S> => isRecord(v) && entries.every(([key, guard]) => guard(v[key]));
}

export function oneOf<A, B>(a: Guard<A>, b: Guard<B>): Guard<A | B> {
  return (v): v is A | B => a(v) || b(v);
}

const MAX_JSON_DEPTH = 256;

/** A value JSON can carry (finite numbers, plain objects and arrays, nesting bounded). */
export function isJsonValue(value: unknown): value is JsonValue {
  return jsonDepthOk(value, 0);
}

function jsonDepthOk(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => jsonDepthOk(item, depth + 1));
  if (isRecord(value)) return Object.values(value).every((item) => jsonDepthOk(item, depth + 1));
  return false;
}

export const isJsonObject: Guard<Record<string, JsonValue>> = (v): v is Record<string, JsonValue> => isRecord(v) && isJsonValue(v);
