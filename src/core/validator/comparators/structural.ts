// boolean (exact, 0/1 accepted), kv (per key, numbers within float tolerance; extra keys fail unless
// allow_extra) and tree (labels and structure; children unordered by default).
import type { Comparator, CompareOutcome } from './types';
import { boolSetting, compareJson, deepDiff, floatTolerance, isRecord, kindOf, modeSetting, show, unwrapValue } from './values';

function asBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  return undefined;
}

export const compareBoolean: Comparator = (expected, actual, tol, type) => {
  modeSetting(tol, 'exact', ['exact'], type);
  const comparator = 'boolean_exact';
  const e = asBool(unwrapValue(expected));
  const a = asBool(unwrapValue(actual));
  if (e === undefined) return { ok: false, comparator, path: '', expected, actual, metric: `the fixture's expected value is ${kindOf(unwrapValue(expected))}, not true/false` };
  if (a === undefined) return { ok: false, comparator, path: '', expected: e, actual, metric: `expected true or false, got ${kindOf(unwrapValue(actual))}` };
  return e === a ? { ok: true, comparator } : { ok: false, comparator, path: '', expected: e, actual: a, metric: `${a} vs expected ${e}` };
};

/** kv values: `{pairs: {k: v}}`, `{pairs: [{key, value}]}`, or (in fixtures) the mapping itself. */
export function kvPairs(v: unknown): Record<string, unknown> | undefined {
  const pairs = isRecord(v) && Object.hasOwn(v, 'pairs') ? v.pairs : v;
  if (Array.isArray(pairs)) {
    const out: Record<string, unknown> = {};
    for (const item of pairs) {
      if (!isRecord(item) || (typeof item.key !== 'string' && typeof item.key !== 'number')) return undefined;
      out[String(item.key)] = item.value;
    }
    return out;
  }
  return isRecord(pairs) ? pairs : undefined;
}

export const compareKv: Comparator = (expected, actual, tol, type): CompareOutcome => {
  modeSetting(tol, 'dict_per_value', ['dict_per_value', 'skip'], type);
  const comparator = 'kv_dict_per_value';
  if (tol.compare === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  const e = kvPairs(expected);
  const a = kvPairs(actual);
  if (!e) return { ok: false, comparator, path: '', expected, actual, metric: 'the fixture\'s expected kv is neither {pairs: …} nor a mapping' };
  if (!a) return { ok: false, comparator, path: '', expected, actual, metric: `expected pairs as a mapping or a list of {key, value}, got ${kindOf(actual)}` };
  const { rtol, atol } = floatTolerance(tol);
  for (const key of Object.keys(e)) {
    if (!Object.hasOwn(a, key)) return { ok: false, comparator, path: `pairs.${key}`, expected: e[key], actual: undefined, metric: `key "${key}" is missing` };
    const d = deepDiff(unwrapValue(e[key]), unwrapValue(a[key]), { rtol, atol }, `pairs.${key}`);
    if (d) return { ok: false, comparator, ...d };
  }
  if (!boolSetting(tol, 'allow_extra', false)) {
    const extra = Object.keys(a).filter((k) => !Object.hasOwn(e, k));
    if (extra.length > 0) {
      return { ok: false, comparator, path: `pairs.${extra[0]}`, expected: undefined, actual: a[extra[0]], metric: `unexpected key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (set allow_extra: true to accept extra keys)` };
    }
  }
  return { ok: true, comparator };
};

interface CanonicalNode {
  label: unknown;
  rest: Record<string, unknown>;
  children: CanonicalNode[];
}

function canonical(node: unknown, ordered: boolean): CanonicalNode {
  if (!isRecord(node)) return { label: node, rest: {}, children: [] };
  const { label, children, ...rest } = node;
  const kids = Array.isArray(children) ? children.map((c) => canonical(c, ordered)) : [];
  if (!ordered) kids.sort(compareJson);
  return { label, rest, children: kids };
}

export const compareTree: Comparator = (expected, actual, tol, type) => {
  const mode = modeSetting(tol, 'structural', ['structural', 'skip'], type);
  const comparator = 'tree_structural';
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  const order = tol.children_order ?? 'unordered';
  const rootOf = (v: unknown): unknown => (isRecord(v) && Object.hasOwn(v, 'root') ? v.root : v);
  const e = canonical(rootOf(expected), order === 'ordered');
  const a = canonical(rootOf(actual), order === 'ordered');
  const { rtol, atol } = floatTolerance(tol);
  const d = deepDiff(e, a, { rtol, atol }, 'root');
  if (!d) return { ok: true, comparator };
  return { ok: false, comparator, ...d, metric: `${d.metric}${order === 'ordered' ? '' : ' (children compared in sorted order)'}`, expected: show(d.expected, 200), actual: show(d.actual, 200) };
};
