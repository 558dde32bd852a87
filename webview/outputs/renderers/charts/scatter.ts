// chart_scatter: `{series:[{name, points:[{x, y, label?, size?}]}]}` (the spec's shape), and also points as
// `[x, y]` / `[x, y, size]`, a series as `{name, x:[…], y:[…]}`, top-level `points`, `{x, y}` or a bare list of points.
// Past LARGE_POINTS points ECharts' large mode draws them in one pass (labels and sizes are then dropped).
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, gridFor, LARGE_POINTS, legendFor, ONE_PASS_POINTS, problem, wantsLog, xZoom, type ChartBuild, type ChartSpec, type ScatterSeriesOption } from './option';
import { flatPoints } from './xy';
import { arrayField, chartValue, field, looksLikeDate, record, seriesName, textField, titleOf, toNumber, uniqueNames, type JsonRecord } from './values';

export interface ScatterPoint {
  x: number | string;
  y: number;
  label?: string;
  size?: number;
}

interface ScatterSeries {
  name: string;
  points: ScatterPoint[];
}

function pointOf(item: JsonValue, index: number): ScatterPoint | undefined {
  if (Array.isArray(item)) {
    const x = typeof item[0] === 'string' ? item[0] : toNumber(item[0]);
    const y = toNumber(item[1]);
    if (x === null || y === null) return undefined;
    const size = toNumber(item[2]);
    return size === null ? { x, y } : { x, y, size };
  }
  const rec = record(item);
  if (rec) {
    const rawX = field(rec, 'x', 't', 'time', 'date');
    const x = typeof rawX === 'string' ? rawX : toNumber(rawX);
    const y = toNumber(field(rec, 'y', 'value'));
    if (x === null || y === null) return undefined;
    const point: ScatterPoint = { x, y };
    const label = textField(rec, 'label', 'name', 'text', 'id');
    if (label !== undefined) point.label = label;
    const size = toNumber(field(rec, 'size', 'r', 'radius', 'weight'));
    if (size !== null) point.size = size;
    return point;
  }
  const y = toNumber(item);
  return y === null ? undefined : { x: index, y };
}

function pointsOf(list: JsonValue[]): ScatterPoint[] {
  const out: ScatterPoint[] = [];
  list.forEach((item, index) => {
    const point = pointOf(item, index);
    if (point) out.push(point);
  });
  return out;
}

/** `{x:[…], y:[…], labels?, sizes?}` columns. */
function columns(rec: JsonRecord): ScatterPoint[] | undefined {
  const xs = arrayField(rec, 'x');
  const ys = arrayField(rec, 'y');
  if (!xs || !ys) return undefined;
  const labels = arrayField(rec, 'labels', 'text');
  const sizes = arrayField(rec, 'sizes', 'size');
  const out: ScatterPoint[] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i += 1) {
    const point = pointOf({ x: xs[i], y: ys[i], label: labels?.[i] ?? null, size: sizes?.[i] ?? null }, i);
    if (point) out.push(point);
  }
  return out;
}

function seriesOf(value: JsonValue): ScatterSeries[] | string {
  if (Array.isArray(value)) return [{ name: 'Series 1', points: pointsOf(value) }];
  const rec = record(value);
  if (!rec) return 'expected `{series:[{name, points}]}` or a list of points';
  const list = rec.series;
  if (Array.isArray(list)) {
    return list.flatMap((item, index): ScatterSeries[] => {
      const s = record(item);
      if (s) {
        const pts = arrayField(s, 'points', 'data', 'values');
        return [{ name: seriesName(s, index), points: pts ? pointsOf(pts) : (columns(s) ?? []) }];
      }
      return Array.isArray(item) ? [{ name: `Series ${index + 1}`, points: pointsOf(item) }] : [];
    });
  }
  const name = textField(rec, 'name') ?? 'Series 1';
  const pts = arrayField(rec, 'points', 'data', 'rows');
  if (pts) return [{ name, points: pointsOf(pts) }];
  const cols = columns(rec);
  if (cols) return [{ name, points: cols }];
  return 'no `series` (or `points`, `x`/`y`) in the value';
}

type XKind = 'value' | 'time' | 'category';

function xKindOf(series: ScatterSeries[]): XKind {
  let numbers = true;
  let dates = true;
  for (const s of series) {
    for (const { x } of s.points) {
      if (typeof x === 'number') dates = false;
      else if (!looksLikeDate(x)) return 'category';
      else numbers = false;
    }
  }
  return numbers ? 'value' : dates ? 'time' : 'category';
}

const clampSize = (size: number): number => Math.max(2, Math.min(60, size));

export function scatterChartOption(raw: unknown, spec: ChartSpec): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const read = seriesOf(value);
  if (typeof read === 'string') return problem(read);
  const names = uniqueNames(read.map((s) => s.name));
  const series = read.map((s, i) => ({ name: names[i], points: s.points })).filter((s) => s.points.length > 0);
  const total = series.reduce((sum, s) => sum + s.points.length, 0);
  if (total === 0) return problem('no points with numeric x and y');
  const options = record(value) ?? {};
  const title = titleOf(options);
  const axisTitles = axisNames(spec, options);
  const kind = xKindOf(series);
  const categories = kind === 'category' ? [...new Set(series.flatMap((s) => s.points.map((p) => String(p.x))))] : [];
  const logX = kind === 'value' && wantsLog(spec, options, 'x');
  const logY = wantsLog(spec, options, 'y');
  const large = total > LARGE_POINTS;
  const legend = legendFor(series.map((s) => s.name), title !== undefined);
  const drawn: ScatterSeriesOption[] = series.map((s) => {
    const x = (p: ScatterPoint): number | string => (kind === 'category' ? String(p.x) : p.x);
    const visible = logY ? s.points.filter((p) => p.y > 0) : s.points;
    return {
      type: 'scatter',
      name: s.name,
      large,
      largeThreshold: LARGE_POINTS,
      progressiveThreshold: ONE_PASS_POINTS,
      symbolSize: large ? 3 : 8,
      emphasis: large ? { disabled: true } : { focus: 'series' },
      // Large numeric series go as one flat Float64Array (xy.ts flatPoints): no array per point.
      ...(large && kind === 'value' ? { dimensions: ['x', 'y'] } : {}),
      data: large
        ? kind === 'value'
          ? (flatPoints(visible.map((p) => [p.x, p.y])) as unknown as ScatterSeriesOption['data'])
          : visible.map((p) => [x(p), p.y])
        : visible.map((p) => ({ value: [x(p), p.y], ...(p.label !== undefined ? { name: p.label } : {}), ...(p.size !== undefined ? { symbolSize: clampSize(p.size) } : {}) })),
    };
  });
  return {
    ok: true,
    points: total,
    option: {
      ...baseOption(total, title),
      legend,
      grid: gridFor(legend !== undefined, title !== undefined),
      xAxis: axis(logX ? 'log' : kind, { name: axisTitles.x, categories, scale: true, pad: true }),
      yAxis: axis(logY ? 'log' : 'value', { name: axisTitles.y, scale: true, pad: true }),
      dataZoom: xZoom(),
      series: drawn,
    },
  };
}

registerOutput({
  type: 'chart_scatter',
  render: (value, spec, ctx) => chartView(value, spec, ctx, scatterChartOption),
});
