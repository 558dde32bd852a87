// chart_heatmap: `{z:[[num]], x_labels?, y_labels?}` (the spec's shape: z[row][column], a row per y label) and the
// same with `x`/`y` for the labels (black-scholes sends those; the original ignored them, we use them). Also
// `values`/`matrix` for z, and cells as triplets: `{data:[[x, y, value]]}` or `[{x, y, value}]`. As in Plotly, whose
// field names these are, the first row is drawn at the bottom. Missing or non-numeric cells stay empty.
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, problem, type ChartBuild, type ChartSpec, type HeatmapSeriesOption } from './option';
import { arrayField, chartValue, field, record, titleOf, toNumber, toText, type JsonRecord } from './values';

type Cell = [number, number, number | '-'];

export interface Grid {
  xLabels: string[];
  yLabels: string[];
  cells: Cell[];
  min: number;
  max: number;
}

function labels(list: JsonValue[] | undefined, count: number): string[] {
  return Array.from({ length: count }, (_, i) => toText(list?.[i]) ?? String(i));
}

function finish(xLabels: string[], yLabels: string[], cells: Cell[]): Grid | string {
  let min = Infinity;
  let max = -Infinity;
  for (const [, , v] of cells) {
    if (v === '-') continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return 'no numeric cells';
  return { xLabels, yLabels, cells, min, max };
}

function fromMatrix(rows: JsonValue[], rec: JsonRecord): Grid | string {
  const width = rows.reduce<number>((w, row) => Math.max(w, Array.isArray(row) ? row.length : 0), 0);
  const cells: Cell[] = [];
  rows.forEach((row, y) => {
    if (!Array.isArray(row)) return;
    for (let x = 0; x < width; x += 1) cells.push([x, y, toNumber(row[x] ?? null) ?? '-']);
  });
  const xs = arrayField(rec, 'x_labels', 'x', 'columns', 'xLabels');
  const ys = arrayField(rec, 'y_labels', 'y', 'rows', 'yLabels');
  return finish(labels(xs, width), labels(ys, rows.length), cells);
}

/** Cells as [x, y, value] or {x, y, value}; x and y are labels, or positions in x_labels/y_labels. */
function fromTriplets(items: JsonValue[], rec: JsonRecord): Grid | string {
  const givenX = arrayField(rec, 'x_labels', 'x');
  const givenY = arrayField(rec, 'y_labels', 'y');
  const xLabels: string[] = givenX ? labels(givenX, givenX.length) : [];
  const yLabels: string[] = givenY ? labels(givenY, givenY.length) : [];
  const xIndex = new Map(xLabels.map((l, i) => [l, i]));
  const yIndex = new Map(yLabels.map((l, i) => [l, i]));
  const place = (v: JsonValue | undefined, given: boolean, list: string[], index: Map<string, number>): number | undefined => {
    if (given && typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < list.length) return v;
    const text = toText(v);
    if (text === undefined) return undefined;
    let at = index.get(text);
    if (at === undefined) {
      at = list.length;
      list.push(text);
      index.set(text, at);
    }
    return at;
  };
  const cells: Cell[] = [];
  for (const item of items) {
    const rec2 = record(item);
    const parts: (JsonValue | undefined)[] = Array.isArray(item) ? item : rec2 ? [field(rec2, 'x', 'col', 'column'), field(rec2, 'y', 'row'), field(rec2, 'value', 'z', 'v')] : [];
    const x = place(parts[0], givenX !== undefined, xLabels, xIndex);
    const y = place(parts[1], givenY !== undefined, yLabels, yIndex);
    if (x !== undefined && y !== undefined) cells.push([x, y, toNumber(parts[2] ?? null) ?? '-']);
  }
  return finish(xLabels, yLabels, cells);
}

export function readGrid(value: JsonValue): Grid | string {
  if (Array.isArray(value)) value = { data: value };
  const rec = record(value);
  if (!rec) return 'expected `{z:[[numbers]], x_labels?, y_labels?}`';
  const matrix = arrayField(rec, 'z', 'values', 'matrix');
  if (matrix) return matrix.some(Array.isArray) ? fromMatrix(matrix, rec) : 'z is not a list of rows';
  const data = arrayField(rec, 'data', 'cells');
  if (data) {
    // `data` holds either the matrix itself or [x, y, value] cells; rows of three numbers are cells (ECharts' own
    // form) unless the labels say the matrix is three columns wide.
    if (data.length > 0 && data.every((row) => Array.isArray(row) && row.every((v) => v === null || toNumber(v) !== null))) {
      const width = data.reduce<number>((w, row) => Math.max(w, Array.isArray(row) ? row.length : 0), 0);
      const xs = arrayField(rec, 'x_labels', 'x');
      const ys = arrayField(rec, 'y_labels', 'y');
      if (width !== 3 || (xs?.length === 3 && (ys === undefined || ys.length === data.length))) return fromMatrix(data, rec);
    }
    return fromTriplets(data, rec);
  }
  return 'no `z` (or `values`, `data`) in the value';
}

/** Cell labels print three significant digits. */
function cellText(v: number): string {
  return Math.abs(v) >= 1000 || v === Math.round(v) ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
}

export function heatmapChartOption(raw: unknown, spec: ChartSpec): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const grid = readGrid(value);
  if (typeof grid === 'string') return problem(grid);
  const options: JsonRecord = record(value) ?? {};
  const title = titleOf(options);
  const names = axisNames({ ...spec, unit: null }, options);
  const cells = grid.cells.length;
  const series: HeatmapSeriesOption = {
    type: 'heatmap',
    name: spec.label,
    data: grid.cells,
    label: { show: cells <= 150, formatter: (p) => (Array.isArray(p.value) && typeof p.value[2] === 'number' ? cellText(p.value[2]) : '') },
    emphasis: cells > 5_000 ? { disabled: true } : { itemStyle: { borderWidth: 1 } },
  };
  const min = grid.min === grid.max ? grid.min - 1 : grid.min;
  const max = grid.min === grid.max ? grid.max + 1 : grid.max;
  return {
    ok: true,
    points: cells,
    height: Math.min(900, Math.max(300, grid.yLabels.length * 18 + 110)),
    option: {
      ...baseOption(cells, title),
      grid: { top: title ? 34 : 12, left: 10, right: 90, bottom: 10, outerBoundsMode: 'same', outerBoundsContain: 'all' },
      xAxis: axis('category', { name: names.x, categories: grid.xLabels }),
      yAxis: axis('category', { name: names.y, categories: grid.yLabels }),
      visualMap: {
        type: 'continuous',
        min,
        max,
        dimension: 2,
        calculable: true,
        orient: 'vertical',
        right: 4,
        top: 'middle',
        text: spec.unit ? [spec.unit, ''] : undefined,
      },
      series: [series],
    },
  };
}

registerOutput({
  type: 'chart_heatmap',
  render: (value, spec, ctx) => chartView(value, spec, ctx, heatmapChartOption),
});
