// Chart family: data only, never pixels. Line/bar/area/scatter/radar compare x (or axes) and each series,
// matched by name (default) or by position; pie slices by label; histogram values as a multiset; boxplot
// by each series' five-number summary; heatmap cell by cell; candlestick in order; sankey/network as node
// and edge sets; treemap as a node set.
import type { Comparator, CompareOutcome } from './types';
import { compareRows } from './table';
import { compareJson, deepDiff, floatTolerance, isNumber, isRecord, kindOf, modeSetting, show } from './values';

const MODES = ['data_only', 'slices_unordered', 'values_unordered', 'series_summary', 'matrix_elementwise', 'rows_ordered', 'graph_set', 'tree_set', 'skip'];

type Tol = { rtol: number; atol: number };

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function seriesName(s: unknown, i: number): string {
  return isRecord(s) && (typeof s.name === 'string' || typeof s.name === 'number') ? String(s.name) : `#${i}`;
}

function compareSeries(comparator: string, e: unknown, a: unknown, tol: Tol, path: string): CompareOutcome {
  if (!isRecord(e) || !isRecord(a)) {
    const d = deepDiff(e, a, tol, path);
    return d ? { ok: false, comparator, ...d } : { ok: true, comparator };
  }
  for (const key of ['y', 'x', 'values', 'data']) {
    if (!Object.hasOwn(e, key) && !Object.hasOwn(a, key)) continue;
    const d = deepDiff(e[key] ?? null, a[key] ?? null, tol, `${path}.${key}`);
    if (d) return { ok: false, comparator, ...d };
  }
  if (Object.hasOwn(e, 'points') || Object.hasOwn(a, 'points')) {
    const ep = [...list(e.points)].sort(compareJson);
    const ap = [...list(a.points)].sort(compareJson);
    const d = deepDiff(ep, ap, tol, `${path}.points`);
    if (d) return { ok: false, comparator, ...d, metric: `${d.metric} (points compared after sorting)` };
  }
  return { ok: true, comparator };
}

function dataOnly(e: Record<string, unknown>, a: Record<string, unknown>, tol: Tol, byName: boolean): CompareOutcome {
  const comparator = 'chart_data_only';
  for (const key of ['x', 'axes', 'labels']) {
    if (!Object.hasOwn(e, key)) continue;
    const d = deepDiff(e[key], a[key] ?? null, tol, key);
    if (d) return { ok: false, comparator, ...d };
  }
  const es = list(e.series);
  const as = list(a.series);
  if (es.length !== as.length) {
    return { ok: false, comparator, path: 'series', expected: es.map(seriesName), actual: as.map(seriesName), metric: `${as.length} series, expected ${es.length}` };
  }
  if (byName) {
    const actualByName = new Map(as.map((s, i) => [seriesName(s, i), s]));
    for (let i = 0; i < es.length; i++) {
      const name = seriesName(es[i], i);
      const match = actualByName.get(name);
      if (match === undefined) {
        return { ok: false, comparator, path: 'series', expected: name, actual: [...actualByName.keys()], metric: `series "${name}" is missing (got ${[...actualByName.keys()].map((n) => `"${n}"`).join(', ')})` };
      }
      const r = compareSeries(comparator, es[i], match, tol, `series[${JSON.stringify(name)}]`);
      if (!r.ok) return r;
    }
    return { ok: true, comparator };
  }
  for (let i = 0; i < es.length; i++) {
    const r = compareSeries(comparator, es[i], as[i], tol, `series[${i}]`);
    if (!r.ok) return r;
  }
  return { ok: true, comparator };
}

/** A pie's slices: `{slices: […]}` or the list itself. */
function slicesOf(v: Record<string, unknown> | unknown[]): unknown[] {
  return Array.isArray(v) ? v : list(v.slices);
}

function slices(e: unknown[], a: unknown[], tol: Tol): CompareOutcome {
  const comparator = 'chart_slices_unordered';
  const label = (s: unknown): string => (isRecord(s) ? String(s.label) : show(s));
  if (e.length !== a.length) return { ok: false, comparator, path: 'slices', expected: e.length, actual: a.length, metric: `${a.length} slices, expected ${e.length}` };
  const byLabel = new Map(a.map((s) => [label(s), s]));
  for (const s of e) {
    const match = byLabel.get(label(s));
    if (match === undefined) return { ok: false, comparator, path: 'slices', expected: label(s), actual: [...byLabel.keys()], metric: `slice "${label(s)}" is missing` };
    const d = deepDiff(s, match, tol, `slices[${JSON.stringify(label(s))}]`);
    if (d) return { ok: false, comparator, ...d };
  }
  return { ok: true, comparator };
}

function numbers(v: unknown): number[] {
  return list(v).filter(isNumber);
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** min, q1, median, q3, max of a boxplot series (from its raw values, or the summary it already carries). */
export function fiveNumbers(s: unknown): Record<string, number | null> {
  if (!isRecord(s)) return {};
  const values = numbers(s.values).sort((x, y) => x - y);
  if (values.length > 0) {
    return { min: values[0], q1: quantile(values, 0.25), median: quantile(values, 0.5), q3: quantile(values, 0.75), max: values[values.length - 1] };
  }
  const pick = (...keys: string[]): number | null => {
    for (const k of keys) if (isNumber(s[k])) return s[k] as number;
    return null;
  };
  return { min: pick('min'), q1: pick('q1'), median: pick('median', 'q2'), q3: pick('q3'), max: pick('max') };
}

function seriesSummary(e: Record<string, unknown>, a: Record<string, unknown>, tol: Tol): CompareOutcome {
  const comparator = 'chart_series_summary';
  const es = list(e.series);
  const as = list(a.series);
  if (es.length !== as.length) return { ok: false, comparator, path: 'series', expected: es.length, actual: as.length, metric: `${as.length} series, expected ${es.length}` };
  const byName = new Map(as.map((s, i) => [seriesName(s, i), s]));
  for (let i = 0; i < es.length; i++) {
    const name = seriesName(es[i], i);
    const match = byName.get(name) ?? as[i];
    const d = deepDiff(fiveNumbers(es[i]), fiveNumbers(match), tol, `series[${JSON.stringify(name)}]`);
    if (d) return { ok: false, comparator, ...d, metric: `${d.metric} (five-number summary)` };
  }
  return { ok: true, comparator };
}

function nodeId(n: unknown): string {
  if (isRecord(n)) return String(n.id ?? n.label ?? n.name ?? show(n));
  return String(n);
}

function graphSet(e: Record<string, unknown>, a: Record<string, unknown>, tol: Tol): CompareOutcome {
  const comparator = 'chart_graph_set';
  const en = new Set(list(e.nodes).map(nodeId));
  const an = new Set(list(a.nodes).map(nodeId));
  const missing = [...en].filter((n) => !an.has(n));
  const extra = [...an].filter((n) => !en.has(n));
  if (missing.length > 0 || extra.length > 0) {
    return { ok: false, comparator, path: 'nodes', expected: [...en], actual: [...an], metric: `node sets differ: missing ${show(missing)}, unexpected ${show(extra)}` };
  }
  const edgesKey = Object.hasOwn(e, 'links') || Object.hasOwn(a, 'links') ? 'links' : 'edges';
  const edge = (x: unknown): Record<string, unknown> => (isRecord(x) ? { ...x, source: nodeId(x.source), target: nodeId(x.target) } : { value: x });
  const ee = list(e[edgesKey]).map(edge).sort(compareJson);
  const ae = list(a[edgesKey]).map(edge).sort(compareJson);
  const d = deepDiff(ee, ae, tol, edgesKey);
  return d ? { ok: false, comparator, ...d, metric: `${d.metric} (${edgesKey} compared as a set)` } : { ok: true, comparator };
}

function treeSet(e: Record<string, unknown>, a: Record<string, unknown>, tol: Tol): CompareOutcome {
  const comparator = 'chart_tree_set';
  const byId = (v: unknown): Record<string, unknown> => Object.fromEntries(list(v).map((n) => [nodeId(n), n]));
  const d = deepDiff(byId(e.nodes), byId(a.nodes), tol, 'nodes');
  return d ? { ok: false, comparator, ...d } : { ok: true, comparator };
}

export const compareChart: Comparator = (expected, actual, tol, type) => {
  const fallback = type === 'chart_pie' ? 'slices_unordered' : type === 'chart_histogram' ? 'values_unordered' : type === 'chart_boxplot' ? 'series_summary'
    : type === 'chart_heatmap' ? 'matrix_elementwise' : type === 'chart_candlestick' ? 'rows_ordered' : type === 'chart_sankey' || type === 'chart_network' ? 'graph_set'
      : type === 'chart_treemap' ? 'tree_set' : 'data_only';
  const mode = modeSetting(tol, fallback, MODES, type);
  const comparator = `chart_${mode}`;
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  const t = floatTolerance(tol);
  if (mode === 'slices_unordered' && (Array.isArray(expected) || isRecord(expected)) && (Array.isArray(actual) || isRecord(actual))) {
    return slices(slicesOf(expected), slicesOf(actual), t);
  }
  if (!isRecord(expected)) return { ok: false, comparator, path: '', expected, actual, metric: 'the fixture\'s expected chart is not an object' };
  if (!isRecord(actual)) return { ok: false, comparator, path: '', expected, actual, metric: `expected a chart object, got ${kindOf(actual)}` };
  switch (mode) {
    case 'data_only': {
      const match = tol.series_match ?? 'by_name';
      return dataOnly(expected, actual, t, match !== 'by_index');
    }
    case 'values_unordered': {
      const e = numbers(expected.values).sort((x, y) => x - y);
      const a = numbers(actual.values).sort((x, y) => x - y);
      const d = deepDiff(e, a, t, 'values');
      return d ? { ok: false, comparator, ...d, metric: `${d.metric} (values compared after sorting)` } : { ok: true, comparator };
    }
    case 'series_summary':
      return seriesSummary(expected, actual, t);
    case 'matrix_elementwise': {
      const d = deepDiff(expected.z, actual.z ?? null, t, 'z');
      return d ? { ok: false, comparator, ...d } : { ok: true, comparator };
    }
    case 'rows_ordered':
      return compareRows(comparator, list(expected.points), list(actual.points), [], true, t, 'points');
    case 'graph_set':
      return graphSet(expected, actual, t);
    case 'tree_set':
      return treeSet(expected, actual, t);
    default:
      return slices(slicesOf(expected), slicesOf(actual), t);
  }
};
