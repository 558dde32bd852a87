// Value helpers shared by the form: initial values and the show_if comparison.
import type { InputSpec, JsonValue } from '../../src/protocol';

/** What a field starts with: the prefilled value (last inputs or a past run's), else the tool.json default. */
export function initialValue(spec: InputSpec, prefill: Readonly<Record<string, JsonValue>> | null): JsonValue | undefined {
  if (prefill && Object.hasOwn(prefill, spec.key)) return prefill[spec.key];
  return spec.default === null ? undefined : spec.default;
}

/** JSON equality where scalars also match by their printed form ("4" equals 4), as values shown in a form do. */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') {
    return typeof a !== 'object' && typeof b !== 'object' && String(a) === String(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

/** Number of code points, as the tool's Python `len()` counts them. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
