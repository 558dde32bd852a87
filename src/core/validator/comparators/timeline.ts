// timeline / gantt / log: rows in order (events, tasks, log lines), numbers within float tolerance.
// A log line's timestamp `t` is left out (it changes on every run); allow_regex treats the fixture's
// strings as regular expressions.
import type { Comparator } from './types';
import { boolSetting, deepDiff, floatTolerance, isRecord, kindOf, modeSetting } from './values';

const ROWS_KEY: Record<string, string> = { timeline: 'events', gantt: 'tasks', log: 'lines' };

export const compareTimeline: Comparator = (expected, actual, tol, type) => {
  const mode = modeSetting(tol, 'rows_ordered', ['rows_ordered', 'skip'], type);
  const comparator = `${type}_${mode}`;
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  const key = ROWS_KEY[type] ?? 'rows';
  const rows = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : isRecord(v) && Array.isArray(v[key]) ? (v[key] as unknown[]) : undefined);
  const e = rows(expected);
  const a = rows(actual);
  if (!e) return { ok: false, comparator, path: '', expected, actual, metric: `the fixture's expected value has no ${key} list` };
  if (!a) return { ok: false, comparator, path: key, expected: e.length, actual, metric: `expected {${key}: […]}, got ${kindOf(actual)}` };
  const d = deepDiff(e, a, {
    ...floatTolerance(tol),
    regex: boolSetting(tol, 'allow_regex', false),
    ignoreKeys: type === 'log' ? new Set(['t']) : undefined,
  }, key);
  return d ? { ok: false, comparator, ...d } : { ok: true, comparator };
};
