// chart_pie: `{slices:[{label, value}]}` (the spec's shape), and also a bare list of `{label|name, value}` or
// `[label, value]`, `{labels:[…], values:[…]}`, or a plain `{name: number}` dict. Negative and non-numeric values
// cannot be slices and are left out. `donut: true` in the value draws a ring.
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { baseOption, legendFor, problem, type ChartBuild, type PieSeriesOption } from './option';
import { arrayField, chartValue, field, record, textField, titleOf, toNumber, toText, uniqueNames, type JsonRecord } from './values';

export interface Slice {
  name: string;
  value: number;
}

/** Fields of a pie value that are settings, not slices (for the `{name: number}` dict form). */
const SETTINGS = new Set(['title', 'donut', 'unit', 'total', 'caption']);

function slicesOf(list: JsonValue[]): Slice[] {
  const out: Slice[] = [];
  list.forEach((item, index) => {
    const rec = record(item);
    if (rec) {
      const value = toNumber(field(rec, 'value', 'count', 'y', 'size'));
      if (value !== null) out.push({ name: textField(rec, 'label', 'name', 'key', 'id') ?? `Slice ${index + 1}`, value });
    } else if (Array.isArray(item)) {
      const value = toNumber(item[1]);
      if (value !== null) out.push({ name: toText(item[0]) ?? `Slice ${index + 1}`, value });
    } else {
      const value = toNumber(item);
      if (value !== null) out.push({ name: `Slice ${index + 1}`, value });
    }
  });
  return out;
}

export function readSlices(value: JsonValue): Slice[] | string {
  if (Array.isArray(value)) return slicesOf(value);
  const rec = record(value);
  if (!rec) return 'expected `{slices:[{label, value}]}`';
  const list = arrayField(rec, 'slices', 'data', 'items', 'series');
  if (list) return slicesOf(list);
  const values = arrayField(rec, 'values', 'y');
  if (values) {
    const labels = arrayField(rec, 'labels', 'names', 'x') ?? [];
    return slicesOf(values.map((v, i) => ({ label: toText(labels[i]) ?? `Slice ${i + 1}`, value: v })));
  }
  const entries = Object.entries(rec).filter(([key]) => !SETTINGS.has(key));
  if (entries.length > 0 && entries.every(([, v]) => toNumber(v) !== null)) return slicesOf(entries.map(([label, v]) => ({ label, value: v })));
  return 'no `slices` (or `labels`/`values`) in the value';
}

export function pieChartOption(raw: unknown): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const read = readSlices(value);
  if (typeof read === 'string') return problem(read);
  const usable = read.filter((s) => s.value >= 0);
  if (!usable.some((s) => s.value > 0)) return problem('no slice with a positive value');
  const names = uniqueNames(usable.map((s) => s.name));
  const options: JsonRecord = record(value) ?? {};
  const title = titleOf(options);
  const donut = options.donut === true || options.hole === true;
  const legend = usable.length <= 60 ? legendFor(names, title !== undefined) : undefined;
  const series: PieSeriesOption = {
    type: 'pie',
    radius: donut ? ['42%', '70%'] : '70%',
    center: ['50%', legend ? '56%' : '52%'],
    data: usable.map((s, i) => ({ name: names[i], value: s.value })),
    // A function, not a '{b}' template: a slice name holding '{d}' must print as it is.
    label: { show: usable.length <= 24, formatter: (p) => `${p.name}: ${(p.percent ?? 0).toFixed(1)}%` },
    avoidLabelOverlap: true,
    emphasis: { focus: 'self' },
  };
  return {
    ok: true,
    points: usable.length,
    option: { ...baseOption(usable.length, title), legend, series: [series] },
  };
}

registerOutput({
  type: 'chart_pie',
  render: (value, spec, ctx) => chartView(value, spec, ctx, pieChartOption),
});
