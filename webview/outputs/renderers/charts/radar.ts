// chart_radar: `{axes:[str], series:[{name, values:[num]}]}` (the spec's shape); axes may also be ECharts-style
// indicators `[{name, max?, min?}]` (also under `indicators`/`labels`), series a list of value lists or a
// `{name: values}` dict, or one `{axes, values}` polygon. Each axis runs from 0 (or its negative minimum) to a
// rounded-up maximum over the series unless the axis gives its own.
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { baseOption, legendFor, problem, type ChartBuild, type RadarSeriesOption } from './option';
import { arrayField, chartValue, field, record, seriesName, textField, titleOf, toNumber, toText, uniqueNames, type JsonRecord } from './values';

interface Axis {
  name: string;
  min?: number;
  max?: number;
}

interface Polygon {
  name: string;
  values: (number | null)[];
}

/** The next "round" number at or above v: 1, 2, 2.5, 5 × a power of ten. */
export function niceCeil(v: number): number {
  if (v <= 0) return v === 0 ? 1 : -niceFloorPositive(-v);
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}

function niceFloorPositive(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [10, 5, 2.5, 2, 1]) if (step * power <= v) return step * power;
  return power;
}

function axesOf(list: JsonValue[]): Axis[] {
  return list.flatMap((item, i): Axis[] => {
    const rec = record(item);
    if (!rec) return [{ name: toText(item) ?? `Axis ${i + 1}` }];
    const axis: Axis = { name: textField(rec, 'name', 'label', 'text', 'key') ?? `Axis ${i + 1}` };
    const max = toNumber(field(rec, 'max') ?? null);
    const min = toNumber(field(rec, 'min') ?? null);
    if (max !== null) axis.max = max;
    if (min !== null) axis.min = min;
    return [axis];
  });
}

function valuesOf(list: JsonValue[]): (number | null)[] {
  return list.map((v) => toNumber(v));
}

function polygonsOf(rec: JsonRecord): Polygon[] {
  const series = rec.series;
  if (Array.isArray(series)) {
    return series.flatMap((item, i): Polygon[] => {
      const s = record(item);
      const values = s ? arrayField(s, 'values', 'data', 'value', 'y') : Array.isArray(item) ? item : undefined;
      return values ? [{ name: seriesName(s, i), values: valuesOf(values) }] : [];
    });
  }
  const dict = record(series);
  if (dict) return Object.entries(dict).flatMap(([name, v]) => (Array.isArray(v) ? [{ name, values: valuesOf(v) }] : []));
  const values = arrayField(rec, 'values', 'data');
  return values ? [{ name: textField(rec, 'name') ?? 'Series 1', values: valuesOf(values) }] : [];
}

export function radarChartOption(raw: unknown): ChartBuild {
  const value = chartValue(raw);
  const rec = record(value ?? null);
  if (!rec) return problem('expected `{axes:[names], series:[{name, values}]}`');
  const axisList = arrayField(rec, 'axes', 'indicators', 'indicator', 'labels', 'categories', 'dimensions');
  if (!axisList || axisList.length === 0) return problem('no `axes` in the value');
  const axes = axesOf(axisList);
  const polygons = polygonsOf(rec).filter((p) => p.values.some((v) => v !== null));
  if (polygons.length === 0) return problem('no series with numeric values');
  const names = uniqueNames(polygons.map((p) => p.name));
  const axisNames = uniqueNames(axes.map((a) => a.name));
  const shared = toNumber(rec.max ?? null);
  const indicator = axes.map((a, i) => {
    const column = polygons.map((p) => p.values[i]).filter((v): v is number => v !== null && v !== undefined);
    const top = column.length > 0 ? Math.max(...column) : 1;
    const bottom = column.length > 0 ? Math.min(...column) : 0;
    const max = a.max ?? shared ?? niceCeil(top);
    const min = a.min ?? (bottom < 0 ? -niceCeil(-bottom) : 0);
    return { name: axisNames[i], max: max > min ? max : min + 1, min };
  });
  const title = titleOf(rec);
  const legend = legendFor(names, title !== undefined);
  const series: RadarSeriesOption = {
    type: 'radar',
    data: polygons.map((p, i) => ({ name: names[i], value: axes.map((_, j) => p.values[j] ?? '-') })),
    areaStyle: { opacity: 0.15 },
    emphasis: { focus: 'self' },
  };
  const points = polygons.length * axes.length;
  return {
    ok: true,
    points,
    height: 380,
    option: {
      ...baseOption(points, title),
      legend,
      radar: { indicator, radius: '62%', center: ['50%', legend ? '56%' : '52%'] },
      series: [series],
    },
  };
}

registerOutput({
  type: 'chart_radar',
  render: (value, spec, ctx) => chartView(value, spec, ctx, radarChartOption),
});
