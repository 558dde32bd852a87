// Text family (text, markdown, latex, code, diff, stream_text): exact, exact after collapsing whitespace,
// or equal as JSON. The mismatch shows where the texts first differ.
import type { Comparator, CompareOutcome } from './types';
import { deepDiff, isRecord, kindOf, modeSetting, show, unwrapValue } from './values';

const MODES = ['exact', 'exact_after_normalize_whitespace', 'json_normalized', 'skip'];

export function normalizeWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Where two strings first differ, with a little context on both sides. */
export function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 20);
  const cut = (s: string): string => JSON.stringify(`${from > 0 ? '…' : ''}${s.slice(from, i + 20)}${s.length > i + 20 ? '…' : ''}`);
  return `texts differ at character ${i + 1} (expected length ${expected.length}, got ${actual.length}): expected ${cut(expected)}, got ${cut(actual)}`;
}

function textOf(v: unknown): unknown {
  const inner = unwrapValue(v);
  // diff outputs are {before, after}: compare them as one text each.
  if (isRecord(inner) && typeof inner.before === 'string' && typeof inner.after === 'string') return `${inner.before}\u0000${inner.after}`;
  return inner;
}

export const compareText: Comparator = (expected, actual, tol, type): CompareOutcome => {
  const mode = modeSetting(tol, 'exact', MODES, type);
  const comparator = `text_${mode}`;
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  const e = textOf(expected);
  const a = textOf(actual);
  if (mode === 'json_normalized') {
    const parse = (v: unknown): unknown => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    };
    const d = deepDiff(parse(e), parse(a), { rtol: 0, atol: 0 });
    return d ? { ok: false, comparator, ...d, metric: `as JSON, ${d.metric}` } : { ok: true, comparator };
  }
  if (typeof e !== 'string' || typeof a !== 'string') {
    const d = deepDiff(e, a, { rtol: 0, atol: 0 });
    if (!d) return { ok: true, comparator };
    return { ok: false, comparator, path: '', expected: e, actual: a, metric: typeof a !== 'string' ? `expected text, got ${kindOf(a)} ${show(a, 40)}` : d.metric };
  }
  const [x, y] = mode === 'exact_after_normalize_whitespace' ? [normalizeWhitespace(e), normalizeWhitespace(a)] : [e, a];
  if (x === y) return { ok: true, comparator };
  return { ok: false, comparator, path: '', expected: e, actual: a, metric: firstDifference(x, y) };
};
