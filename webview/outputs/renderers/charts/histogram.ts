// chart_histogram: `{values:[num], bins?}` (the spec's shape; `bins` a count or a list of edges), also a bare list
// of numbers, several series as `{series:[{name, values}]}`, or counts already binned: `{bins:[{start, end, count}]}`
// or `{edges:[…], counts:[…]}`. Values are binned here (equal widths between the smallest and the largest).
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, gridFor, legendFor, problem, type BarSeriesOption, type ChartBuild, type ChartSpec } from './option';
import { arrayField, chartValue, field, record, seriesName, textField, titleOf, toNumber, uniqueNames, type JsonRecord } from './values';

const MAX_BINS = 200;

export interface Binned {
  edges: number[];
  /** One row of counts per series, one count per bin. */
  counts: number[][];
}

function numbers(list: JsonValue[]): number[] {
  const out: number[] = [];
  for (const item of list) {
    const n = toNumber(item);
    if (n !== null) out.push(n);
  }
  return out;
}

/** A bin count for n values: √n, between 5 and 50. */
export function defaultBinCount(n: number): number {
  return Math.max(5, Math.min(50, Math.ceil(Math.sqrt(n))));
}

function equalEdges(min: number, max: number, count: number): number[] {
  if (min === max) return [min - 0.5, min + 0.5];
  const width = (max - min) / count;
  return Array.from({ length: count + 1 }, (_, i) => (i === count ? max : min + i * width));
}

/** Counts per bin; the last bin includes its upper edge; values outside the edges are not counted. */
export function binValues(values: number[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const first = edges[0];
  const last = edges[edges.length - 1];
  for (const v of values) {
    if (v < first || v > last) continue;
    // Binary search: edges may be uneven when the tool gave them.
    let lo = 0;
    let hi = edges.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo] += 1;
  }
  return counts;
}

function edgesFrom(bins: JsonValue | undefined, all: number[]): number[] {
  if (Array.isArray(bins)) {
    const given = numbers(bins);
    if (given.length >= 2 && given.every((e, i) => i === 0 || e > given[i - 1])) return given;
  }
  const asked = toNumber(bins ?? null);
  const count = asked !== null && asked >= 1 ? Math.min(MAX_BINS, Math.round(asked)) : defaultBinCount(all.length);
  let min = Infinity;
  let max = -Infinity;
  for (const v of all) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return equalEdges(min, max, count);
}

/** Counts the tool binned itself: `{bins:[{start, end, count}]}` or `{edges, counts}`. */
function prebinned(rec: JsonRecord): Binned | undefined {
  const edges = arrayField(rec, 'edges', 'bin_edges');
  const counts = arrayField(rec, 'counts', 'frequencies');
  if (edges && counts) {
    const e = numbers(edges);
    const c = counts.map((v) => toNumber(v) ?? 0);
    if (e.length === c.length + 1 && c.length > 0) return { edges: e, counts: [c] };
  }
  const bins = arrayField(rec, 'bins');
  if (!bins || bins.length === 0 || !bins.every((b) => record(b) !== undefined)) return undefined;
  const rows = bins.map((b) => record(b) as JsonRecord);
  const starts = rows.map((b) => toNumber(field(b, 'start', 'x0', 'from', 'low', 'min')));
  const ends = rows.map((b) => toNumber(field(b, 'end', 'x1', 'to', 'high', 'max')));
  if (starts.some((s) => s === null) || ends.some((e) => e === null)) return undefined;
  return { edges: [...(starts as number[]), ends[ends.length - 1] as number], counts: [rows.map((b) => toNumber(field(b, 'count', 'value', 'y')) ?? 0)] };
}

/** Short edge labels: 4 significant digits. */
export function edgeText(n: number): string {
  return String(Number(n.toPrecision(4)));
}

interface Read {
  names: string[];
  binned: Binned;
  total: number;
}

function read(value: JsonValue): Read | string {
  if (Array.isArray(value)) value = { values: value };
  const rec = record(value);
  if (!rec) return 'expected `{values:[numbers], bins?}`';
  const given = prebinned(rec);
  if (given) return { names: [seriesName(rec, 0)], binned: given, total: given.counts[0].reduce((a, b) => a + b, 0) };
  let groups: { name: string; values: number[] }[];
  const list = rec.series;
  if (Array.isArray(list)) {
    groups = list.flatMap((item, i) => {
      const s = record(item);
      const vals = s ? arrayField(s, 'values', 'data', 'y') : Array.isArray(item) ? item : undefined;
      return vals ? [{ name: seriesName(s, i), values: numbers(vals) }] : [];
    });
  } else {
    const vals = arrayField(rec, 'values', 'data', 'samples', 'x');
    if (!vals) return 'no `values` in the value';
    groups = [{ name: seriesName(rec, 0), values: numbers(vals) }];
  }
  groups = groups.filter((g) => g.values.length > 0);
  const all = groups.flatMap((g) => g.values);
  if (all.length === 0) return 'no numeric values';
  const edges = edgesFrom(rec.bins, all);
  return { names: uniqueNames(groups.map((g) => g.name)), binned: { edges, counts: groups.map((g) => binValues(g.values, edges)) }, total: all.length };
}

export function histogramChartOption(raw: unknown, spec: ChartSpec): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const result = read(value);
  if (typeof result === 'string') return problem(result);
  const { edges, counts } = result.binned;
  const options: JsonRecord = record(value) ?? {};
  const title = titleOf(options);
  // The values (and so the unit) are on x; y counts them.
  const xName = axisNames({ ...spec, unit: null }, options).x ?? spec.unit ?? undefined;
  const yName = spec.y_label || textField(options, 'y_label', 'ylabel') || 'Count';
  const labels = edges.slice(0, -1).map((start, i) => `${edgeText(start)} – ${edgeText(edges[i + 1])}`);
  const legend = legendFor(result.names, title !== undefined);
  const series: BarSeriesOption[] = counts.map((row, i) => ({
    type: 'bar',
    name: result.names[i],
    data: row,
    barCategoryGap: '2%',
    emphasis: { focus: 'series' },
  }));
  return {
    ok: true,
    points: labels.length * counts.length,
    option: {
      ...baseOption(labels.length * counts.length, title),
      tooltip: { renderMode: 'richText', confine: true, trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend,
      grid: gridFor(legend !== undefined, title !== undefined),
      xAxis: axis('category', { name: xName, categories: labels }),
      yAxis: axis('value', { name: yName }),
      series,
    },
  };
}

registerOutput({
  type: 'chart_histogram',
  render: (value, spec, ctx) => chartView(value, spec, ctx, histogramChartOption),
});
