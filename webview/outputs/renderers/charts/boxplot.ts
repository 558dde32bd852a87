// chart_boxplot: `{series:[{name, values:[num]}]}` (the spec's shape), also a bare list of such series, a
// `{name: [values]}` dict, one `{values}` box, `{labels|x:[names], values|data:[[…], …]}`, or boxes the tool
// summarised itself (`{name, min, q1, median, q3, max, outliers?}`). Quartiles are interpolated linearly (numpy's
// default); whiskers reach the furthest values within 1.5 × IQR, values beyond are drawn as outliers.
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, gridFor, problem, type BoxplotSeriesOption, type ChartBuild, type ChartSpec, type ScatterSeriesOption } from './option';
import { arrayField, chartValue, field, record, seriesName, titleOf, toNumber, toText, uniqueNames, type JsonRecord } from './values';

export interface BoxStats {
  name: string;
  /** [low whisker, Q1, median, Q3, high whisker] */
  box: [number, number, number, number, number];
  outliers: number[];
}

/** The q-quantile of sorted values, interpolated linearly between neighbours. */
export function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function boxStats(name: string, values: number[]): BoxStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const median = quantile(sorted, 0.5);
  const q3 = quantile(sorted, 0.75);
  const reach = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - reach && v <= q3 + reach);
  const low = inside[0] ?? q1;
  const high = inside[inside.length - 1] ?? q3;
  return { name, box: [low, q1, median, q3, high], outliers: sorted.filter((v) => v < low || v > high) };
}

function numbers(list: JsonValue[]): number[] {
  const out: number[] = [];
  for (const item of list) {
    const n = toNumber(item);
    if (n !== null) out.push(n);
  }
  return out;
}

/** A box the tool summarised: min, q1, median, q3, max (each under a few names). */
function summarised(rec: JsonRecord, name: string): BoxStats | undefined {
  const parts = [
    field(rec, 'min', 'low', 'lower', 'whisker_low'),
    field(rec, 'q1', 'lower_quartile', 'p25'),
    field(rec, 'median', 'q2', 'p50'),
    field(rec, 'q3', 'upper_quartile', 'p75'),
    field(rec, 'max', 'high', 'upper', 'whisker_high'),
  ].map((v) => toNumber(v ?? null));
  if (parts.some((p) => p === null)) return undefined;
  const outliers = arrayField(rec, 'outliers', 'fliers');
  return { name, box: parts as BoxStats['box'], outliers: outliers ? numbers(outliers) : [] };
}

function boxOf(item: JsonValue, index: number): BoxStats | undefined {
  const rec = record(item);
  if (rec) {
    const name = seriesName(rec, index);
    const values = arrayField(rec, 'values', 'data', 'y', 'samples');
    return values ? boxStats(name, numbers(values)) : summarised(rec, name);
  }
  return Array.isArray(item) ? boxStats(`Series ${index + 1}`, numbers(item)) : undefined;
}

function boxesOf(value: JsonValue): BoxStats[] | string {
  if (Array.isArray(value)) {
    // A bare list of numbers is one box.
    if (value.every((v) => toNumber(v) !== null)) return [boxStats('Values', numbers(value))].filter((b): b is BoxStats => b !== undefined);
    return value.map(boxOf).filter((b): b is BoxStats => b !== undefined);
  }
  const rec = record(value);
  if (!rec) return 'expected `{series:[{name, values}]}`';
  const series = rec.series;
  if (Array.isArray(series)) return series.map(boxOf).filter((b): b is BoxStats => b !== undefined);
  const dict = record(series);
  if (dict) return Object.entries(dict).flatMap(([name, v]) => (Array.isArray(v) ? [boxStats(name, numbers(v))] : [])).filter((b): b is BoxStats => b !== undefined);
  const values = arrayField(rec, 'values', 'data');
  if (values && values.length > 0 && values.every(Array.isArray)) {
    const labels = arrayField(rec, 'labels', 'x', 'names', 'categories') ?? [];
    return values.map((v, i) => boxStats(toText(labels[i]) ?? `Series ${i + 1}`, numbers(v as JsonValue[]))).filter((b): b is BoxStats => b !== undefined);
  }
  const single = boxOf(rec, 0);
  return single ? [single] : 'no `series` (or `values`) in the value';
}

export function boxplotChartOption(raw: unknown, spec: ChartSpec): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const boxes = boxesOf(value);
  if (typeof boxes === 'string') return problem(boxes);
  if (boxes.length === 0) return problem('no series with numeric values');
  const names = uniqueNames(boxes.map((b) => b.name));
  const options: JsonRecord = record(value) ?? {};
  const title = titleOf(options);
  const axisTitles = axisNames(spec, options);
  const box: BoxplotSeriesOption = { type: 'boxplot', name: 'Distribution', data: boxes.map((b) => b.box), boxWidth: [8, 48] };
  const outliers: ScatterSeriesOption = {
    type: 'scatter',
    name: 'Outliers',
    symbolSize: 6,
    data: boxes.flatMap((b, i) => b.outliers.map((v) => [names[i], v])),
  };
  const points = boxes.reduce((sum, b) => sum + 5 + b.outliers.length, 0);
  return {
    ok: true,
    points,
    option: {
      ...baseOption(points, title),
      grid: gridFor(false, title !== undefined),
      xAxis: axis('category', { name: axisTitles.x, categories: names }),
      yAxis: axis('value', { name: axisTitles.y, scale: true }),
      series: outliers.data && outliers.data.length > 0 ? [box, outliers] : [box],
    },
  };
}

registerOutput({
  type: 'chart_boxplot',
  render: (value, spec, ctx) => chartView(value, spec, ctx, boxplotChartOption),
});
