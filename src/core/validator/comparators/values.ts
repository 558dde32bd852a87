// Helpers shared by the comparators: numeric closeness (Python's math.isclose rule), tolerance settings,
// unwrapping `{value: …}` scalars, and a deep comparison with numeric tolerance that reports the first
// differing path.
import { ToleranceSettingError, type Mismatch, type Tolerance } from './types';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}

/** |a − b| ≤ max(rtol·max(|a|, |b|), atol); NaN equals NaN, infinities equal themselves. */
export function isClose(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(rtol * Math.max(Math.abs(a), Math.abs(b)), atol);
}

/** Relative difference as isClose measures it (0 when equal). */
export function relativeDiff(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : Number(n.toPrecision(6)).toString();
}

/** Why two numbers are not close, with the achieved and allowed differences. */
export function numberMetric(expected: number, actual: number, rtol: number, atol: number): string {
  const abs = Math.abs(actual - expected);
  return `${fmt(actual)} vs expected ${fmt(expected)}: difference ${fmt(abs)} exceeds atol ${fmt(atol)} and relative ${fmt(relativeDiff(expected, actual))} exceeds rtol ${fmt(rtol)}`;
}

/** A non-negative number setting; the first of `names` present wins. Malformed settings throw. */
export function numberSetting(tol: Tolerance, names: readonly string[], fallback: number): number {
  for (const name of names) {
    if (!Object.hasOwn(tol, name)) continue;
    const v = tol[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ToleranceSettingError(`tolerance "${name}" must be a non-negative number, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  return fallback;
}

export function modeSetting(tol: Tolerance, fallback: string, allowed: readonly string[], type: string): string {
  const v = tol.compare ?? fallback;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new ToleranceSettingError(`tolerance "compare": ${JSON.stringify(v)} is not a comparison for ${type} outputs (use one of ${allowed.join(', ')})`);
  }
  return v;
}

export function boolSetting(tol: Tolerance, name: string, fallback: boolean): boolean {
  if (!Object.hasOwn(tol, name)) return fallback;
  const v = tol[name];
  if (typeof v !== 'boolean') throw new ToleranceSettingError(`tolerance "${name}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Container tolerances (`float_rtol`/`float_atol`; plain `rtol`/`atol` accepted too). */
export function floatTolerance(tol: Tolerance): { rtol: number; atol: number } {
  return { rtol: numberSetting(tol, ['float_rtol', 'rtol'], 1e-6), atol: numberSetting(tol, ['float_atol', 'atol'], 1e-9) };
}

/** Scalar outputs may be sent as `{value: …}` (with format hints); compare what is inside. */
export function unwrapValue(v: unknown): unknown {
  return isRecord(v) && Object.hasOwn(v, 'value') ? v.value : v;
}

export function show(v: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

export interface DeepOptions {
  rtol: number;
  atol: number;
  /** Keys left out of object comparisons (e.g. a log line's timestamp `t`). */
  ignoreKeys?: ReadonlySet<string>;
  /** Expected strings are regular expressions the actual string must match in full. */
  regex?: boolean;
}

function joinKey(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** First difference between two JSON values (numbers within tolerance count as equal); undefined when equal. */
export function deepDiff(expected: unknown, actual: unknown, options: DeepOptions, path = ''): Omit<Mismatch, 'comparator'> | undefined {
  if (isNumber(expected) && isNumber(actual)) {
    return isClose(expected, actual, options.rtol, options.atol)
      ? undefined
      : { path, expected, actual, metric: `${path || 'value'}: ${numberMetric(expected, actual, options.rtol, options.atol)}` };
  }
  if (options.regex && typeof expected === 'string' && typeof actual === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${expected})$`, 's');
    } catch (error) {
      throw new ToleranceSettingError(`allow_regex: ${JSON.stringify(expected)} is not a valid regular expression (${(error as Error).message})`);
    }
    return re.test(actual) ? undefined : { path, expected, actual, metric: `${path || 'value'}: ${show(actual)} does not match /${expected}/` };
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      return { path, expected: expected.length, actual: actual.length, metric: `${path || 'value'}: ${actual.length} items, expected ${expected.length}` };
    }
    for (let i = 0; i < expected.length; i++) {
      const d = deepDiff(expected[i], actual[i], options, `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const skip = options.ignoreKeys;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)].filter((k) => !skip?.has(k)));
    for (const key of [...keys].sort()) {
      const p = joinKey(path, key);
      if (!Object.hasOwn(actual, key)) return { path: p, expected: expected[key], actual: undefined, metric: `${p}: missing (expected ${show(expected[key])})` };
      if (!Object.hasOwn(expected, key)) return { path: p, expected: undefined, actual: actual[key], metric: `${p}: not expected (got ${show(actual[key])})` };
      const d = deepDiff(expected[key], actual[key], options, p);
      if (d) return d;
    }
    return undefined;
  }
  if (expected === actual) return undefined;
  return { path, expected, actual, metric: `${path || 'value'}: ${show(actual)} vs expected ${show(expected)}` };
}

/** A total order over JSON values, for sorting rows and points before an unordered comparison. */
export function compareJson(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : Array.isArray(v) ? 4 : 5);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareJson(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const c = compareJson(a[k], b[k]);
      if (c !== 0) return c;
    }
  }
  return 0;
}
