// Chart outputs (webview/outputs/renderers/charts): the shape → ECharts option functions per type, with the spec's
// shape, the alternatives tools send and bad values; the card (toolbar, export, streaming updates in place, theme
// changes, data-rendered for e2e timing); garbage never throws; and tool strings never become DOM elements.
// happy-dom has no canvas and no layout, so charts draw with ECharts' SVG renderer at a fixed size here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { PARAM_GUARDS, type JsonValue, type OutputSpec, type RequestMethod } from '../../src/protocol';
import type { OutputContext, OutputView } from '../../webview/outputs/registry';
import { renderValue } from '../../webview/outputs/area';
import { chartView, configureCharts, disposeCharts } from '../../webview/outputs/renderers/charts/card';
import { LARGE_POINTS, type ChartBuild, type ChartOption, type ChartSpec } from '../../webview/outputs/renderers/charts/option';
import { lineChartOption } from '../../webview/outputs/renderers/charts/line';
import { barChartOption } from '../../webview/outputs/renderers/charts/bar';
import { scatterChartOption } from '../../webview/outputs/renderers/charts/scatter';
import { pieChartOption } from '../../webview/outputs/renderers/charts/pie';
import { binValues, defaultBinCount, histogramChartOption } from '../../webview/outputs/renderers/charts/histogram';
import { boxplotChartOption, boxStats, quantile } from '../../webview/outputs/renderers/charts/boxplot';
import { heatmapChartOption } from '../../webview/outputs/renderers/charts/heatmap';
import { candlestickChartOption } from '../../webview/outputs/renderers/charts/candlestick';
import { niceCeil, radarChartOption } from '../../webview/outputs/renderers/charts/radar';
import { sankeyChartOption } from '../../webview/outputs/renderers/charts/sankey';
import { treemapChartOption } from '../../webview/outputs/renderers/charts/treemap';
import { networkChartOption } from '../../webview/outputs/renderers/charts/network';
import { hasCycle } from '../../webview/outputs/renderers/charts/graph';
import { chartTheme, readChartColours, themeKind } from '../../webview/outputs/renderers/charts/theme';

before(async () => {
  await setupDom();
  configureCharts({ renderer: 'svg', fallbackSize: { width: 640, height: 320 }, animation: false });
});
after(async () => {
  disposeCharts();
  await closeDom();
});

const XSS = '<img src=x onerror=alert(1)>';
const SPEC: ChartSpec = { key: 'c', label: 'C', unit: null };

type Loose = Record<string, unknown>;

/** The option of a build that must have succeeded. */
function drawn(build: ChartBuild): ChartOption {
  assert.ok(build.ok, build.ok ? '' : `expected a chart, got: ${build.problem}`);
  return build.option;
}

function failed(build: ChartBuild): string {
  assert.equal(build.ok, false, 'expected the value to be refused');
  return build.ok ? '' : build.problem;
}

function seriesOf(option: ChartOption): Loose[] {
  const s = option.series;
  return (Array.isArray(s) ? s : s ? [s] : []) as Loose[];
}

function first(option: ChartOption): Loose {
  return seriesOf(option)[0];
}

function axisOf(option: ChartOption, which: 'xAxis' | 'yAxis'): Loose {
  const a = option[which];
  return (Array.isArray(a) ? a[0] : a) as Loose;
}

interface Sent {
  method: RequestMethod;
  params: Loose;
}

function context(): { ctx: OutputContext; sent: Sent[]; said: string[] } {
  const sent: Sent[] = [];
  const said: string[] = [];
  const ctx: OutputContext = {
    locale: 'en-US',
    request: ((method: RequestMethod, params: Loose) => {
      sent.push({ method, params });
      return Promise.resolve({ saved: true });
    }) as OutputContext['request'],
    notify: (text) => said.push(text),
  };
  return { ctx, sent, said };
}

function spec(type: string, extra: Loose = {}): OutputSpec {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs: [{ key: 'out', label: 'Out', type, ...extra }] }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.outputs[0];
}

function show(type: string, value: JsonValue, ctx = context().ctx, extra: Loose = {}): OutputView {
  const view = renderValue(spec(type, extra), value, ctx);
  document.body.appendChild(view.element);
  return view;
}

/** Waits until the card's chart has drawn (ECharts' `finished`), or fails after `ms`. */
async function rendered(element: HTMLElement, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (element.dataset.rendered !== 'true') {
    assert.notEqual(element.dataset.rendered, 'failed', element.textContent ?? '');
    if (Date.now() > end) assert.fail(`the chart did not finish drawing (data-rendered=${element.dataset.rendered})`);
    await settle(10);
  }
}

/** No element or handler made from tool text: no img, script, foreign HTML inside the SVG, no on* attribute. */
function assertInert(element: HTMLElement): void {
  assert.equal(element.querySelectorAll('img, script, iframe, foreignObject').length, 0, 'no element from tool text');
  for (const node of element.querySelectorAll('*')) {
    for (const attr of node.getAttributeNames()) assert.ok(!attr.toLowerCase().startsWith('on'), `no handler attribute (${attr})`);
  }
}

/** One good value per chart type (with the XSS payload in every name and label it has). */
const GOOD: Record<string, JsonValue> = {
  chart_line: { x: [1, 2, 3], series: [{ name: XSS, y: [1, 4, 9] }, { name: 'b', y: [2, 3, 4] }], x_label: XSS },
  chart_area: { x: [1, 2, 3], series: [{ name: XSS, y: [1, 4, 9] }, { name: 'b', y: [1, 1, 1] }] },
  chart_bar: { x: [XSS, 'b'], series: [{ name: XSS, y: [3, 5] }] },
  chart_scatter: { series: [{ name: XSS, points: [{ x: 1, y: 2, label: XSS }, { x: 2, y: 3 }] }, { name: 'b', points: [[1, 1]] }] },
  chart_pie: { slices: [{ label: XSS, value: 2 }, { label: 'b', value: 3 }] },
  chart_histogram: { values: [1, 2, 2, 3, 3, 3, 4], bins: 3, x_label: XSS },
  chart_boxplot: { series: [{ name: XSS, values: [1, 2, 3, 4, 50] }] },
  chart_heatmap: { z: [[1, 2], [3, 4]], x_labels: [XSS, 'b'], y_labels: ['r1', XSS] },
  chart_candlestick: { points: [{ t: XSS, open: 1, high: 3, low: 0.5, close: 2 }, { t: '2024-01-02', open: 2, high: 2.5, low: 1, close: 1.5 }] },
  chart_radar: { axes: [XSS, 'b', 'c'], series: [{ name: XSS, values: [1, 2, 3] }] },
  chart_sankey: { nodes: [{ id: 'a', label: XSS }, { id: 'b', label: 'B' }], links: [{ source: 'a', target: 'b', value: 3 }] },
  chart_treemap: { nodes: [{ id: 'r', label: XSS }, { id: 'x', label: XSS, value: 3, parent: 'r' }, { id: 'y', label: 'y', value: 2, parent: 'r' }] },
  chart_network: { nodes: [{ id: 'a', label: XSS }, { id: 'b' }], edges: [{ source: 'a', target: 'b', label: XSS }] },
};
const TYPES = Object.keys(GOOD);

// ---- line / area ---------------------------------------------------------------------------------------------

test('line: the spec shape {x, series:[{name, y}]} → value axis pairs; the spec x_label wins over the value', () => {
  const option = drawn(lineChartOption({ x: [1, 2, 3], series: [{ name: 'a', y: [1, 4, 9] }, { name: 'b', y: [2, 3, 4] }], x_label: 'from value', y_label: 'Y' }, { ...SPEC, x_label: 'Time' }));
  assert.deepEqual(first(option).data, [[1, 1], [2, 4], [3, 9]]);
  assert.equal(seriesOf(option).length, 2);
  assert.equal(first(option).type, 'line');
  assert.equal(axisOf(option, 'xAxis').type, 'value');
  assert.equal(axisOf(option, 'xAxis').name, 'Time');
  assert.equal(axisOf(option, 'yAxis').name, 'Y');
  assert.deepEqual((option.legend as Loose).data, ['a', 'b']);
  assert.equal((option.tooltip as Loose).renderMode, 'richText');
});

test('line: the other shapes — data, points, pairs, {x,y}, y rows, a series dict, rows of records, long rows, a bare list', () => {
  const pairs = [[1, 1], [2, 4]];
  assert.deepEqual(first(drawn(lineChartOption({ x: [1, 2], series: [{ name: 'a', data: [1, 4] }] }, SPEC))).data, pairs);
  assert.deepEqual(first(drawn(lineChartOption({ series: [{ name: 'a', points: [[1, 1], [2, 4]] }] }, SPEC))).data, pairs);
  assert.deepEqual(first(drawn(lineChartOption({ series: [{ name: 'a', points: [{ x: 1, y: 1 }, { x: 2, y: 4 }] }] }, SPEC))).data, pairs);
  assert.deepEqual(first(drawn(lineChartOption({ x: [1, 2], y: [1, 4] }, SPEC))).data, pairs);
  const rows = drawn(lineChartOption({ x: [1, 2], y: [[1, 4], [5, 6]], names: ['p', 'q'] }, SPEC));
  assert.deepEqual(seriesOf(rows).map((s) => s.name), ['p', 'q']);
  assert.deepEqual(seriesOf(drawn(lineChartOption({ x: [1, 2], series: { up: [1, 2], down: [2, 1] } }, SPEC))).map((s) => s.name), ['up', 'down']);
  const records = drawn(lineChartOption([{ x: 1, a: 1, b: 5 }, { x: 2, a: 4, b: 6 }], SPEC));
  assert.deepEqual(seriesOf(records).map((s) => s.name), ['a', 'b']);
  assert.deepEqual(first(records).data, pairs);
  const long = drawn(lineChartOption({ rows: [{ series: 's1', x: 1, y: 1 }, { series: 's2', x: 1, y: 3 }, { series: 's1', x: 2, y: 4 }] }, SPEC));
  assert.deepEqual(first(long).data, pairs);
  assert.deepEqual(first(drawn(lineChartOption([1, 4], SPEC))).data, [[0, 1], [1, 4]]);
  assert.deepEqual(first(drawn(lineChartOption([[1, 1], [2, 4]], SPEC))).data, pairs);
  assert.deepEqual(first(drawn(lineChartOption({ value: { x: [1, 2], series: [{ name: 'a', y: [1, 4] }] } }, SPEC))).data, pairs, 'the {value} wrapper');
  assert.deepEqual(first(drawn(lineChartOption({ x: ['1', '2'], series: [{ y: ['1', '4'] }] }, SPEC))).data, [['1', 1], ['2', 4]], 'numeric strings');
});

test('line: string x → categories in order, ISO dates → a time axis; short y/x lists pair up to the shorter', () => {
  const cats = drawn(lineChartOption({ x: ['b', 'a', 'c'], series: [{ name: 's', y: [1, 2, 3] }] }, SPEC));
  assert.equal(axisOf(cats, 'xAxis').type, 'category');
  assert.deepEqual(axisOf(cats, 'xAxis').data, ['b', 'a', 'c']);
  const dates = drawn(lineChartOption({ x: ['2024-01-01', '2024-01-02T10:00:00Z'], series: [{ name: 's', y: [1, 2] }] }, SPEC));
  assert.equal(axisOf(dates, 'xAxis').type, 'time');
  assert.equal((first(drawn(lineChartOption({ x: [1, 2, 3], series: [{ y: [1, 2] }] }, SPEC))).data as unknown[]).length, 2);
  assert.equal((first(drawn(lineChartOption({ x: [1], series: [{ y: [1, 2] }] }, SPEC))).data as unknown[]).length, 1);
});

test('line: null and NaN-like y are gaps; log_y (spec or value) turns values ≤ 0 into gaps; log_x on value axes', () => {
  const gaps = drawn(lineChartOption({ x: [1, 2, 3, 4], series: [{ y: [1, null, 'NaN', 2] }] }, SPEC));
  assert.deepEqual(first(gaps).data, [[1, 1], [2, null], [3, null], [4, 2]]);
  const log = drawn(lineChartOption({ x: [1, 2, 3], series: [{ y: [10, 0, -1] }] }, { ...SPEC, log_y: true }));
  assert.equal(axisOf(log, 'yAxis').type, 'log');
  assert.deepEqual(first(log).data, [[1, 10], [2, null], [3, null]]);
  assert.equal(axisOf(drawn(lineChartOption({ x: [1, 2], series: [{ y: [1, 2] }], log_x: true }, SPEC)), 'xAxis').type, 'log');
  assert.equal(axisOf(drawn(lineChartOption({ x: ['a', 'b'], series: [{ y: [1, 2] }] }, { ...SPEC, log_x: true })), 'xAxis').type, 'category', 'no log axis for categories');
  assert.equal(axisOf(drawn(lineChartOption({ x: [1], series: [{ y: [1] }] }, { ...SPEC, unit: 'ms' })), 'yAxis').name, 'ms', 'the unit names a bare y axis');
});

test('line: bad values are refused with a reason, never thrown', () => {
  for (const bad of [null, 42, 'text', true, {}, [], { series: 'x' }, { series: [] }, { x: [1, 2] }, { series: [{ name: 'a', y: ['x', null] }] }, { series: [{ points: [{ x: {}, y: 1 }] }] }, [{}], [[]], { series: [null, 1, 'a'] }] as unknown[]) {
    const reason = failed(lineChartOption(bad, SPEC));
    assert.ok(reason.length > 0, `a reason for ${JSON.stringify(bad)}`);
  }
});

test('line: 100,000 points build quickly and draw in large mode (LTTB sampling, no symbols, no animation)', () => {
  const n = 100_000;
  const x = Array.from({ length: n }, (_, i) => i);
  const y = x.map((i) => Math.sin(i / 500) * 100 + (i % 7));
  const started = performance.now();
  const build = lineChartOption({ x, series: [{ name: 'big', y }] }, SPEC);
  const ms = performance.now() - started;
  const option = drawn(build);
  assert.ok(build.ok && build.points === n);
  assert.equal(option.animation, false);
  const flat = first(option).data as Float64Array;
  assert.ok(flat instanceof Float64Array, 'one flat typed array, no array per point');
  assert.equal(flat.length, 2 * n);
  assert.deepEqual([...flat.slice(2, 4)], [1, y[1]]);
  assert.deepEqual(first(option).dimensions, ['x', 'y']);
  const gaps = first(drawn(lineChartOption({ x, series: [{ y: y.map((v, i) => (i === 5 ? null : v)) }] }, SPEC))).data as Float64Array;
  assert.ok(Number.isNaN(gaps[11]), 'a gap is NaN');
  const dates = drawn(lineChartOption({ x: x.map((i) => new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString()), series: [{ y }] }, SPEC));
  assert.ok(Array.isArray(first(dates).data), 'time axes keep [date, y] pairs');
  assert.equal(first(option).sampling, 'lttb');
  assert.equal(first(option).showSymbol, false);
  assert.ok(ms < 500, `building the option took ${ms.toFixed(0)} ms`);
  const small = drawn(lineChartOption({ x: [1, 2], series: [{ y: [1, 2] }] }, SPEC));
  assert.equal(small.animation, true);
  assert.equal(first(small).sampling, undefined);
});

test('area: the line shapes, filled; stacked on request', () => {
  const option = drawn(lineChartOption({ x: [1, 2], series: [{ name: 'a', y: [1, 2] }, { name: 'b', y: [2, 3] }], stacked: true }, SPEC, true));
  assert.ok(first(option).areaStyle);
  assert.equal(first(option).stack, 'total');
  assert.equal(first(drawn(lineChartOption({ x: [1, 2], series: [{ y: [1, 2] }] }, SPEC, true))).stack, undefined);
});

// ---- bar -----------------------------------------------------------------------------------------------------

test('bar: string x as categories; {labels, values}; rows of {label, value}; horizontal and stacked', () => {
  const option = drawn(barChartOption({ x: ['q1', 'q2'], series: [{ name: 'a', y: [3, 5] }, { name: 'b', y: [1, 2] }] }, SPEC));
  assert.equal(first(option).type, 'bar');
  assert.deepEqual(axisOf(option, 'xAxis').data, ['q1', 'q2']);
  assert.deepEqual(first(option).data, [['q1', 3], ['q2', 5]]);
  const numeric = drawn(barChartOption({ x: [2020, 2021], series: [{ y: [1, 2] }] }, SPEC));
  assert.deepEqual(axisOf(numeric, 'xAxis').data, ['2020', '2021'], 'numbers on x are categories too');
  assert.deepEqual(first(drawn(barChartOption({ labels: ['a', 'b'], values: [1, 2] }, SPEC))).data, [['a', 1], ['b', 2]]);
  assert.deepEqual(first(drawn(barChartOption([{ label: 'a', value: 1 }, { label: 'b', value: 2 }], SPEC))).data, [['a', 1], ['b', 2]]);
  const horizontal = drawn(barChartOption({ x: ['a'], series: [{ y: [4] }], horizontal: true, stacked: true }, SPEC));
  assert.equal(axisOf(horizontal, 'yAxis').type, 'category');
  assert.equal(axisOf(horizontal, 'xAxis').type, 'value');
  assert.deepEqual(first(horizontal).data, [[4, 'a']]);
  assert.equal(first(horizontal).stack, 'total');
  const many = drawn(barChartOption({ x: Array.from({ length: LARGE_POINTS + 1 }, (_, i) => `c${i}`), series: [{ y: Array.from({ length: LARGE_POINTS + 1 }, () => 1) }] }, SPEC));
  assert.equal(first(many).large, true);
  for (const bad of [null, 'x', { x: ['a'] }, { series: [{ y: ['no'] }] }] as unknown[]) failed(barChartOption(bad, SPEC));
});

// ---- scatter -------------------------------------------------------------------------------------------------

test('scatter: series of {x, y, label, size} points; [x, y] pairs; top-level points; {x, y}; large mode', () => {
  const option = drawn(scatterChartOption({ series: [{ name: 's', points: [{ x: 1, y: 2, label: 'p', size: 10 }, { x: 2, y: 3 }] }] }, SPEC));
  assert.equal(first(option).type, 'scatter');
  assert.deepEqual(first(option).data, [{ value: [1, 2], name: 'p', symbolSize: 10 }, { value: [2, 3] }]);
  assert.deepEqual(first(drawn(scatterChartOption({ series: [{ name: 's', points: [[1, 2], [3, 4]] }] }, SPEC))).data, [{ value: [1, 2] }, { value: [3, 4] }]);
  assert.deepEqual(first(drawn(scatterChartOption({ points: [{ x: 1, y: 2 }] }, SPEC))).data, [{ value: [1, 2] }]);
  assert.deepEqual(first(drawn(scatterChartOption({ x: [1, 2], y: [3, 4] }, SPEC))).data, [{ value: [1, 3] }, { value: [2, 4] }]);
  assert.deepEqual(first(drawn(scatterChartOption({ series: [{ name: 's', x: [1], y: [5] }] }, SPEC))).data, [{ value: [1, 5] }]);
  assert.deepEqual(first(drawn(scatterChartOption([[1, 2, 500]], SPEC))).data, [{ value: [1, 2], symbolSize: 60 }], 'sizes are clamped');
  const cats = drawn(scatterChartOption({ series: [{ points: [{ x: 'a', y: 1 }, { x: 'b', y: 2 }] }] }, SPEC));
  assert.equal(axisOf(cats, 'xAxis').type, 'category');
  const n = LARGE_POINTS + 10;
  const large = drawn(scatterChartOption({ series: [{ name: 'big', points: Array.from({ length: n }, (_, i) => ({ x: i, y: i % 13, label: 'l' })) }] }, SPEC));
  assert.equal(first(large).large, true);
  const flat = first(large).data as Float64Array;
  assert.ok(flat instanceof Float64Array, 'one flat typed array in large mode (labels dropped)');
  assert.deepEqual([...flat.slice(0, 4)], [0, 0, 1, 1]);
  assert.deepEqual(first(large).dimensions, ['x', 'y']);
  const largeCats = drawn(scatterChartOption({ points: Array.from({ length: n }, (_, i) => ({ x: `c${i % 9}`, y: i })) }, SPEC));
  assert.deepEqual((first(largeCats).data as unknown[])[1], ['c1', 1], 'categories stay pairs');
  for (const bad of [null, 3, 'x', {}, { series: [{ points: [{ x: 1 }] }] }, { points: [] }, { series: 'nope' }] as unknown[]) failed(scatterChartOption(bad, SPEC));
});

// ---- pie -----------------------------------------------------------------------------------------------------

test('pie: {slices}, a bare list of {label|name, value}, [label, value] pairs, {labels, values}, a dict', () => {
  const expected = [{ name: 'a', value: 2 }, { name: 'b', value: 3 }];
  assert.deepEqual(first(drawn(pieChartOption({ slices: [{ label: 'a', value: 2 }, { label: 'b', value: 3 }] }))).data, expected);
  assert.deepEqual(first(drawn(pieChartOption([{ name: 'a', value: 2 }, { name: 'b', value: 3 }]))).data, expected);
  assert.deepEqual(first(drawn(pieChartOption([['a', 2], ['b', 3]]))).data, expected);
  assert.deepEqual(first(drawn(pieChartOption({ labels: ['a', 'b'], values: [2, 3] }))).data, expected);
  assert.deepEqual(first(drawn(pieChartOption({ a: 2, b: 3, title: 'T' }))).data, expected);
  assert.deepEqual(first(drawn(pieChartOption({ slices: [{ label: 'a', value: 2 }, { label: 'a', value: 3 }, { label: 'n', value: -1 }] }))).data, [{ name: 'a', value: 2 }, { name: 'a (2)', value: 3 }], 'duplicate names kept apart, negatives out');
  assert.equal(first(drawn(pieChartOption({ slices: [{ label: 'a', value: 1 }], donut: true }))).radius instanceof Array, true);
  const label = first(drawn(pieChartOption({ slices: [{ label: '{d}{b}', value: 1 }] }))).label as { formatter: (p: Loose) => string };
  assert.equal(label.formatter({ name: '{d}{b}', percent: 100 }), '{d}{b}: 100.0%', 'a slice name is printed as it is');
  for (const bad of [null, 'x', 5, {}, { slices: [] }, { slices: [{ label: 'a', value: 0 }] }, { slices: [{ label: 'a', value: 'no' }] }, { labels: ['a'], values: [-2] }] as unknown[]) failed(pieChartOption(bad));
});

// ---- histogram -----------------------------------------------------------------------------------------------

test('histogram: values binned between min and max (bins as a count or edges), pre-binned counts, several series', () => {
  assert.deepEqual(binValues([0, 1, 1.5, 2, 3, 4, 9], [0, 2, 4]), [3, 3], 'the last bin includes its upper edge; outside values are not counted');
  assert.deepEqual(binValues([1, 2, 3], [0, 1, 5]), [0, 3]);
  assert.equal(defaultBinCount(4), 5);
  assert.equal(defaultBinCount(10_000), 50);
  const option = drawn(histogramChartOption({ values: [1, 2, 2, 3, 3, 3, 4], bins: 3 }, SPEC));
  assert.deepEqual(first(option).data, [1, 2, 4], 'as numpy.histogram: [1,2) [2,3) [3,4]');
  assert.deepEqual(axisOf(option, 'xAxis').data, ['1 – 2', '2 – 3', '3 – 4']);
  assert.equal(axisOf(option, 'yAxis').name, 'Count');
  assert.deepEqual(first(drawn(histogramChartOption({ values: [1, 2, 3, 10], bins: [0, 5, 10] }, SPEC))).data, [3, 1]);
  assert.deepEqual(first(drawn(histogramChartOption([5, 5, 5], SPEC))).data, [3], 'one distinct value is one bin');
  assert.deepEqual(first(drawn(histogramChartOption({ edges: [0, 1, 2], counts: [4, 6] }, SPEC))).data, [4, 6]);
  assert.deepEqual(first(drawn(histogramChartOption({ bins: [{ start: 0, end: 1, count: 2 }, { start: 1, end: 2, count: 5 }] }, SPEC))).data, [2, 5]);
  const two = drawn(histogramChartOption({ series: [{ name: 'a', values: [1, 2] }, { name: 'b', values: [3, 4] }], bins: 2 }, SPEC));
  assert.deepEqual(seriesOf(two).map((s) => s.data), [[2, 0], [0, 2]], 'shared edges across series');
  assert.equal(seriesOf(drawn(histogramChartOption({ values: [1, 2], bins: 1e9 }, SPEC))).length, 1);
  assert.equal((axisOf(drawn(histogramChartOption({ values: [1, 2], bins: 1e9 }, SPEC)), 'xAxis').data as unknown[]).length, 200, 'bins are capped');
  for (const bad of [null, 'x', {}, { values: [] }, { values: ['a', null] }, { edges: [0], counts: [] }] as unknown[]) failed(histogramChartOption(bad, SPEC));
});

// ---- boxplot -------------------------------------------------------------------------------------------------

test('boxplot: quartiles like numpy, 1.5 × IQR whiskers and outliers; list, dict, matrix and summarised shapes', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.deepEqual(boxStats('a', [1, 2, 3, 4, 50]), { name: 'a', box: [1, 2, 3, 4, 4], outliers: [50] });
  const option = drawn(boxplotChartOption({ series: [{ name: 'a', values: [1, 2, 3, 4, 50] }, { name: 'b', values: [2, 2, 2] }] }, SPEC));
  assert.deepEqual(first(option).data, [[1, 2, 3, 4, 4], [2, 2, 2, 2, 2]]);
  assert.deepEqual(axisOf(option, 'xAxis').data, ['a', 'b']);
  assert.deepEqual(seriesOf(option)[1].data, [['a', 50]]);
  assert.equal(seriesOf(drawn(boxplotChartOption([{ name: 'a', values: [1, 2, 3] }], SPEC))).length, 1, 'no outlier series without outliers');
  assert.deepEqual(axisOf(drawn(boxplotChartOption({ series: { x: [1, 2], y: [3] } }, SPEC)), 'xAxis').data, ['x', 'y']);
  assert.deepEqual(axisOf(drawn(boxplotChartOption({ labels: ['p', 'q'], values: [[1, 2], [3, 4]] }, SPEC)), 'xAxis').data, ['p', 'q']);
  assert.deepEqual(first(drawn(boxplotChartOption([{ name: 's', min: 0, q1: 1, median: 2, q3: 3, max: 4, outliers: [9] }], SPEC))).data, [[0, 1, 2, 3, 4]]);
  assert.deepEqual(first(drawn(boxplotChartOption([3, 1, 2], SPEC))).data, [[1, 1.5, 2, 2.5, 3]]);
  for (const bad of [null, 'x', {}, { series: [] }, { series: [{ name: 'a', values: ['x'] }] }, [{ name: 'a', min: 1 }]] as unknown[]) failed(boxplotChartOption(bad, SPEC));
});

// ---- heatmap -------------------------------------------------------------------------------------------------

test('heatmap: z with x_labels/y_labels, or with x/y (black-scholes); triplets; bad cells stay empty', () => {
  const option = drawn(heatmapChartOption({ z: [[1, 2], [3, 'x']], x_labels: ['a', 'b'], y_labels: ['r1', 'r2'] }, SPEC));
  assert.deepEqual(first(option).data, [[0, 0, 1], [1, 0, 2], [0, 1, 3], [1, 1, '-']]);
  assert.deepEqual(axisOf(option, 'xAxis').data, ['a', 'b']);
  assert.deepEqual(axisOf(option, 'yAxis').data, ['r1', 'r2']);
  assert.deepEqual([(option.visualMap as Loose).min, (option.visualMap as Loose).max], [1, 3]);
  const bs = drawn(heatmapChartOption({ z: [[1, 2]], x: [90, 110], y: [0.2] }, SPEC));
  assert.deepEqual(axisOf(bs, 'xAxis').data, ['90', '110']);
  assert.deepEqual(axisOf(bs, 'yAxis').data, ['0.2']);
  assert.deepEqual(axisOf(drawn(heatmapChartOption({ z: [[1, 2, 3]] }, SPEC)), 'xAxis').data, ['0', '1', '2'], 'positions without labels');
  const triplets = drawn(heatmapChartOption({ data: [['mon', 'am', 5], ['tue', 'pm', 7]] }, SPEC));
  assert.deepEqual(first(triplets).data, [[0, 0, 5], [1, 1, 7]]);
  assert.deepEqual(axisOf(triplets, 'xAxis').data, ['mon', 'tue']);
  assert.deepEqual(first(drawn(heatmapChartOption([{ x: 'a', y: 'b', value: 1 }], SPEC))).data, [[0, 0, 1]]);
  assert.deepEqual(first(drawn(heatmapChartOption({ values: [[4]] }, SPEC))).data, [[0, 0, 4]]);
  assert.deepEqual(first(drawn(heatmapChartOption({ data: [[1, 2, 3, 4]] }, SPEC))).data, [[0, 0, 1], [1, 0, 2], [2, 0, 3], [3, 0, 4]], 'rows wider than three are a matrix');
  const flat = drawn(heatmapChartOption({ z: [[5, 5]] }, SPEC));
  assert.ok(((flat.visualMap as Loose).max as number) > ((flat.visualMap as Loose).min as number), 'a constant matrix still has a colour range');
  for (const bad of [null, 'x', {}, { z: [] }, { z: [1, 2] }, { z: [['a', null]] }, { data: 'x' }] as unknown[]) failed(heatmapChartOption(bad, SPEC));
});

// ---- candlestick ---------------------------------------------------------------------------------------------

test('candlestick: {points:[{t, open, high, low, close}]}, a bare list, OHLC rows, columns, short keys', () => {
  const expected = [[1, 2, 0.5, 3]];
  const option = drawn(candlestickChartOption({ points: [{ t: '2024-01-01', open: 1, high: 3, low: 0.5, close: 2 }] }, SPEC));
  assert.deepEqual(first(option).data, expected, "ECharts' order: open, close, low, high");
  assert.deepEqual(axisOf(option, 'xAxis').data, ['2024-01-01']);
  assert.deepEqual(first(drawn(candlestickChartOption([{ date: 'd', o: 1, h: 3, l: 0.5, c: 2 }], SPEC))).data, expected);
  assert.deepEqual(first(drawn(candlestickChartOption([['d', 1, 3, 0.5, 2]], SPEC))).data, expected);
  const columns = drawn(candlestickChartOption({ dates: ['d1'], open: [1], high: [3], low: [0.5], close: [2] }, SPEC));
  assert.deepEqual(first(columns).data, expected);
  assert.deepEqual(axisOf(columns, 'xAxis').data, ['d1']);
  assert.deepEqual(axisOf(drawn(candlestickChartOption([{ open: 1, high: 3, low: 0.5, close: 2 }], SPEC)), 'xAxis').data, ['1'], 'no t: positions');
  assert.equal((first(drawn(candlestickChartOption([{ t: 1, open: 1, high: 3, low: 0.5, close: 2 }, { t: 2, open: 'x', high: 1, low: 1, close: 1 }], SPEC))).data as unknown[]).length, 1, 'incomplete candles are left out');
  for (const bad of [null, 'x', {}, { points: [] }, { points: [{ t: 1, open: 1 }] }, [['d', 1, 2]]] as unknown[]) failed(candlestickChartOption(bad, SPEC));
});

// ---- radar ---------------------------------------------------------------------------------------------------

test('radar: axes and series; indicators with max; a dict of series; maxima rounded up from the data', () => {
  assert.deepEqual([niceCeil(7), niceCeil(10), niceCeil(0.3), niceCeil(0), niceCeil(2.2)], [10, 10, 0.5, 1, 2.5]);
  const option = drawn(radarChartOption({ axes: ['a', 'b', 'c'], series: [{ name: 's', values: [1, 7, 3] }, { name: 't', values: [2, 'x', 3] }] }));
  const radar = option.radar as { indicator: Loose[] };
  assert.deepEqual(radar.indicator.map((i) => i.max), [2, 10, 5]);
  assert.deepEqual(radar.indicator.map((i) => i.name), ['a', 'b', 'c']);
  assert.deepEqual(first(option).data, [{ name: 's', value: [1, 7, 3] }, { name: 't', value: [2, '-', 3] }]);
  const indicators = drawn(radarChartOption({ indicators: [{ name: 'a', max: 100 }, { name: 'b' }], series: { s: [50, 4] } }));
  assert.deepEqual((indicators.radar as { indicator: Loose[] }).indicator.map((i) => i.max), [100, 5]);
  assert.deepEqual((drawn(radarChartOption({ axes: ['a', 'b'], series: [[-3, 2]] })).radar as { indicator: Loose[] }).indicator[0].min, -5);
  for (const bad of [null, 'x', [], {}, { axes: [] }, { axes: ['a'] }, { axes: ['a'], series: [{ values: ['x'] }] }] as unknown[]) failed(radarChartOption(bad));
});

// ---- sankey --------------------------------------------------------------------------------------------------

test('sankey: nodes by id, links by id, label or position; implied nodes; duplicate labels; no cycles', () => {
  const option = drawn(sankeyChartOption({ nodes: [{ id: 'a', label: 'Alpha' }, { id: 'b', label: 'Beta' }, { id: 'c', label: 'Beta' }], links: [{ source: 'a', target: 'b', value: 3 }, { source: 'Alpha', target: 2, value: 1 }, { source: 'b', target: 'z', value: 2 }] }));
  const series = first(option) as { data: Loose[]; links: Loose[] };
  assert.deepEqual(series.data.map((n) => n.name), ['Alpha', 'Beta', 'Beta (2)', 'z'], 'two nodes called Beta stay two nodes');
  assert.deepEqual(series.data.map((n) => n.id), ['Alpha', 'Beta', 'Beta (2)', 'z'], 'ECharts labels sankey nodes by id');
  assert.deepEqual(series.links, [{ source: 'Alpha', target: 'Beta', value: 3 }, { source: 'Alpha', target: 'Beta (2)', value: 1 }, { source: 'Beta', target: 'z', value: 2 }]);
  const strings = first(drawn(sankeyChartOption({ nodes: ['x', 'y', 'lonely'], edges: [['x', 'y', 5], { from: 'y', to: 'w', weight: 0 }] }))) as { data: Loose[]; links: Loose[] };
  assert.deepEqual(series.links.length, 3);
  assert.deepEqual(strings.data.map((n) => n.name), ['x', 'y'], 'nodes without flow (and zero links) are left out');
  assert.deepEqual(strings.links, [{ source: 'x', target: 'y', value: 5 }]);
  assert.ok(hasCycle(3, [{ source: 0, target: 1, value: 1 }, { source: 1, target: 2, value: 1 }, { source: 2, target: 0, value: 1 }]));
  assert.ok(!hasCycle(3, [{ source: 0, target: 1, value: 1 }, { source: 0, target: 2, value: 1 }, { source: 1, target: 2, value: 1 }]));
  assert.match(failed(sankeyChartOption({ nodes: ['a', 'b'], links: [{ source: 'a', target: 'b', value: 1 }, { source: 'b', target: 'a', value: 1 }] })), /loop/);
  for (const bad of [null, 'x', {}, { nodes: ['a'] }, { links: [{ source: 'a', target: 'a', value: 1 }] }, { links: 'x' }, { nodes: 3, links: [{ source: {}, target: [], value: 1 }] }] as unknown[]) failed(sankeyChartOption(bad));
});

// ---- treemap -------------------------------------------------------------------------------------------------

test('treemap: a flat list with parents, a nested tree (root, children, a list); parent sums; loops cut', () => {
  const flat = first(drawn(treemapChartOption({ nodes: [{ id: 'r', label: 'Root' }, { id: 'a', label: 'A', value: 3, parent: 'r' }, { id: 'b', label: 'B', value: 2, parent: 'r' }, { id: 'z', label: 'Zero', value: 0, parent: 'r' }] })));
  assert.deepEqual(flat.data, [{ name: 'Root', value: 5, children: [{ name: 'A', value: 3, children: [] }, { name: 'B', value: 2, children: [] }] }]);
  const nested = first(drawn(treemapChartOption({ root: { name: 'R', children: [{ name: 'x', value: 1 }, { name: 'y', children: [{ name: 'y1', value: 2 }] }] } })));
  assert.deepEqual(nested.data, [{ name: 'R', value: 3, children: [{ name: 'x', value: 1, children: [] }, { name: 'y', value: 2, children: [{ name: 'y1', value: 2, children: [] }] }] }]);
  assert.equal((first(drawn(treemapChartOption({ name: 'top', children: [{ name: 'c', value: 1 }] }))).data as Loose[])[0].name, 'top');
  assert.deepEqual((first(drawn(treemapChartOption([{ name: 'p', value: 1 }, { name: 'q', value: 2 }]))).data as Loose[]).map((n) => n.name), ['p', 'q']);
  const loop = first(drawn(treemapChartOption({ nodes: [{ id: 'a', value: 1, parent: 'b' }, { id: 'b', value: 1, parent: 'a' }] })));
  assert.ok((loop.data as Loose[]).length >= 1, 'a parent loop still draws');
  const orphan = first(drawn(treemapChartOption({ nodes: [{ id: 'a', value: 1, parent: 'nobody' }] })));
  assert.deepEqual((orphan.data as Loose[]).map((n) => n.name), ['a']);
  for (const bad of [null, 'x', {}, { nodes: [] }, { nodes: [{ id: 'a', value: 0 }] }, { nodes: [{ id: 'a', value: 'x' }] }, { root: 'x' }] as unknown[]) failed(treemapChartOption(bad));
});

// ---- network -------------------------------------------------------------------------------------------------

test('network: nodes and edges (or links), groups as categories, fixed positions, arrows, edge labels', () => {
  const option = drawn(networkChartOption({ nodes: [{ id: 'a', label: 'A', group: 'g1' }, { id: 'b', group: 'g2' }, 'c'], edges: [{ source: 'a', target: 'b', label: 'ab' }, ['b', 'd']], directed: true }));
  const series = first(option) as { data: Loose[]; links: Loose[]; categories: Loose[]; layout: string; edgeSymbol: string[]; edgeLabel: { show: boolean; formatter: (p: Loose) => string } };
  assert.deepEqual(series.data.map((n) => n.name), ['A', 'b', 'c', 'd'], 'an edge to an unlisted node adds it');
  assert.deepEqual(series.links, [{ source: 0, target: 1 }, { source: 1, target: 3 }]);
  assert.deepEqual(series.categories.map((c) => c.name), ['g1', 'g2']);
  assert.equal(series.data[0].category, 0);
  assert.equal(series.layout, 'force');
  assert.deepEqual(series.edgeSymbol, ['none', 'arrow']);
  assert.equal(series.edgeLabel.show, true);
  assert.equal(series.edgeLabel.formatter({ dataIndex: 0 }), 'ab');
  assert.ok(option.legend, 'a legend for two groups');
  const links = first(drawn(networkChartOption({ nodes: [{ id: 1, x: 0, y: 0 }, { id: 2, x: 5, y: 5 }], links: [{ source: 1, target: 2, weight: 3 }] }))) as { layout: string; links: Loose[] };
  assert.equal(links.layout, 'none', 'positions on every node fix the layout');
  assert.deepEqual(links.links, [{ source: 0, target: 1, value: 3 }], 'ids that are numbers are ids, not positions');
  const big = first(drawn(networkChartOption({ nodes: Array.from({ length: 500 }, (_, i) => `n${i}`), edges: [] }))) as { layout: string };
  assert.equal(big.layout, 'circular');
  assert.ok(drawn(networkChartOption({ nodes: ['only'] })), 'nodes without edges are a graph too');
  for (const bad of [null, 'x', {}, { nodes: [] }, { edges: 'x' }, { nodes: 5 }] as unknown[]) failed(networkChartOption(bad));
});

// ---- theme ---------------------------------------------------------------------------------------------------

test('theme: colours from the VS Code variables, with defaults per theme kind; the ECharts theme uses them', () => {
  const body = document.body;
  body.className = 'vscode-light';
  assert.equal(themeKind(body), 'light');
  const light = readChartColours();
  assert.equal(light.background, '#ffffff');
  body.className = 'vscode-high-contrast';
  assert.equal(themeKind(body), 'high-contrast');
  body.className = 'vscode-high-contrast vscode-high-contrast-light';
  assert.equal(themeKind(body), 'high-contrast-light');
  body.className = 'vscode-dark';
  body.style.setProperty('--vscode-charts-blue', '#123456');
  body.style.setProperty('--vscode-font-family', '"Segoe WPC", sans-serif');
  const dark = readChartColours();
  assert.equal(dark.kind, 'dark');
  assert.equal(dark.palette[0], '#123456', 'the first series takes --vscode-charts-blue');
  assert.equal(dark.fontFamily, "'Segoe WPC', sans-serif", 'no double quotes (they would break an exported SVG)');
  const theme = chartTheme(dark);
  assert.deepEqual(theme.color, dark.palette);
  assert.equal((theme.textStyle as Loose).color, dark.foreground);
  body.style.removeProperty('--vscode-charts-blue');
  body.style.removeProperty('--vscode-font-family');
});

// ---- the card --------------------------------------------------------------------------------------------------

test('every chart type: a card with a toolbar (Export PNG, Export SVG) that draws and marks data-rendered', async () => {
  for (const type of TYPES) {
    const { element } = show(type, GOOD[type]);
    assert.ok(element.classList.contains('chart-card'), `${type}: a chart card`);
    assert.equal(element.dataset.rendered, 'false');
    const buttons = [...element.querySelectorAll('.chart-toolbar .chart-export')];
    assert.deepEqual(buttons.map((b) => b.textContent), ['Export PNG', 'Export SVG'], type);
    await rendered(element);
    assert.ok(element.querySelector('.chart-surface svg'), `${type}: ECharts drew`);
    assert.match(element.dataset.renderMs ?? '', /^\d+$/, `${type}: first-frame time`);
    element.remove();
  }
});

test('XSS: names and labels with markup in every chart type stay text, in the chart and in the SVG export', async () => {
  for (const type of TYPES) {
    const { ctx, sent } = context();
    const { element } = show(type, GOOD[type], ctx);
    await rendered(element);
    assertInert(element);
    assert.ok((element.querySelector('.chart-surface svg')?.textContent ?? '').includes('<img src=x'), `${type}: the payload is drawn as text`);
    fire(element.querySelector('.chart-export[data-format="svg"]') as Element, 'click');
    await settle();
    const saved = sent.find((s) => s.method === 'saveFile');
    assert.ok(saved, `${type}: SVG saved`);
    const content = String(saved.params.content);
    assert.ok(!/<img/i.test(content), `${type}: no raw markup in the SVG file`);
    // Text is escaped (&lt;), so every "<" starts one of ECharts' own tags: none may carry a handler.
    assert.ok(!/<[^>]*\son\w+\s*=/i.test(content), `${type}: no handler attribute in the SVG file`);
    element.remove();
  }
});

test('every option renders tooltips as canvas text (richText), never HTML', () => {
  const builds: [string, ChartBuild][] = [
    ['line', lineChartOption(GOOD.chart_line, SPEC)],
    ['bar', barChartOption(GOOD.chart_bar, SPEC)],
    ['scatter', scatterChartOption(GOOD.chart_scatter, SPEC)],
    ['pie', pieChartOption(GOOD.chart_pie)],
    ['histogram', histogramChartOption(GOOD.chart_histogram, SPEC)],
    ['boxplot', boxplotChartOption(GOOD.chart_boxplot, SPEC)],
    ['heatmap', heatmapChartOption(GOOD.chart_heatmap, SPEC)],
    ['candlestick', candlestickChartOption(GOOD.chart_candlestick, SPEC)],
    ['radar', radarChartOption(GOOD.chart_radar)],
    ['sankey', sankeyChartOption(GOOD.chart_sankey)],
    ['treemap', treemapChartOption(GOOD.chart_treemap)],
    ['network', networkChartOption(GOOD.chart_network)],
  ];
  for (const [name, build] of builds) {
    const tooltip = drawn(build).tooltip as Loose;
    assert.equal(tooltip.renderMode, 'richText', name);
    assert.equal(tooltip.formatter, undefined, `${name}: no HTML formatter`);
  }
});

test('Export SVG saves UTF-8 SVG named after the output; Export PNG before drawing or without canvas says why', async () => {
  const { ctx, sent, said } = context();
  const { element } = show('chart_line', GOOD.chart_line, ctx);
  await rendered(element);
  fire(element.querySelector('.chart-export[data-format="svg"]') as Element, 'click');
  await settle();
  assert.equal(sent[0].method, 'saveFile');
  assert.equal(sent[0].params.suggestedName, 'out.svg');
  assert.equal(sent[0].params.encoding, 'utf8');
  assert.match(String(sent[0].params.content), /^<svg[\s\S]*<\/svg>$/);
  assert.match(String(sent[0].params.content), /&lt;img src=x onerror=alert\(1\)&gt;/, 'the name is in the file, escaped');
  // The SVG renderer (these tests) cannot make a PNG: the user is told, nothing is saved.
  fire(element.querySelector('.chart-export[data-format="png"]') as Element, 'click');
  await settle();
  assert.equal(sent.length, 1);
  assert.match(said.at(-1) ?? '', /PNG/);
  element.remove();
  const detached = renderValue(spec('chart_bar'), GOOD.chart_bar, ctx);
  fire(detached.element.querySelector('.chart-export[data-format="png"]') as Element, 'click');
  assert.match(said.at(-1) ?? '', /not drawn yet/);
  const failing = context();
  failing.ctx.request = (() => Promise.reject(new Error('disk full'))) as OutputContext['request'];
  const second = show('chart_pie', GOOD.chart_pie, failing.ctx);
  await rendered(second.element);
  fire(second.element.querySelector('.chart-export[data-format="svg"]') as Element, 'click');
  await settle(5);
  assert.match(failing.said.at(-1) ?? '', /Could not save the chart: disk full/);
  second.element.remove();
});

test('saveFile takes an optional encoding: utf8 or base64, nothing else', () => {
  assert.ok(PARAM_GUARDS.saveFile({ suggestedName: 'a.png', content: 'AAAA', encoding: 'base64' }));
  assert.ok(PARAM_GUARDS.saveFile({ suggestedName: 'a.csv', content: 'x' }));
  assert.ok(!PARAM_GUARDS.saveFile({ suggestedName: 'a.png', content: 'AAAA', encoding: 'hex' }));
});

test('streaming: update applies a newer value to the same ECharts instance; an unusable one asks for a re-render', async () => {
  const view = show('chart_line', { x: [1, 2], series: [{ name: 'live', y: [1, 2] }] }, context().ctx, { streaming: true });
  await rendered(view.element);
  const surface = view.element.querySelector('.chart-surface') as HTMLElement;
  const instance = surface.getAttribute('_echarts_instance_');
  assert.ok(instance);
  assert.equal(view.update?.({ x: [1, 2, 3, 4], series: [{ name: 'live', y: [1, 2, 3, 4] }, { name: 'more', y: [4, 3, 2, 1] }] }), true);
  await settle(20);
  assert.equal(view.element.querySelector('.chart-surface'), surface, 'the same surface');
  assert.equal(surface.getAttribute('_echarts_instance_'), instance, 'the same ECharts instance');
  assert.match(surface.textContent ?? '', /more/, 'the new series is drawn');
  assert.equal(view.update?.({ x: [1], series: [{ name: 'live', y: [1] }] }), true, 'fewer series replace the old ones');
  await settle(20);
  assert.doesNotMatch(surface.textContent ?? '', /more/);
  assert.equal(view.update?.('garbage'), false);
  view.element.remove();
});

test('garbage never throws and never leaves a blank card: the JSON view with a note', () => {
  const garbage: JsonValue[] = [null, 0, -1, 'text', true, [], {}, [null], [[[]]], { series: null }, { nodes: 5 }, { x: 'abc', series: [{ y: 'def' }] }, { z: [[]] }, { value: null }, { value: { value: {} } }, 'NaN', [{ a: {} }]];
  for (const type of TYPES) {
    for (const value of garbage) {
      let view: OutputView | undefined;
      assert.doesNotThrow(() => {
        view = renderValue(spec(type), value, context().ctx);
      }, `${type} with ${JSON.stringify(value)}`);
      const element = view?.element as HTMLElement;
      assert.ok((element.textContent ?? '').trim().length > 0, `${type} with ${JSON.stringify(value)}: not blank`);
      if (!element.classList.contains('chart-card')) assert.match(element.textContent ?? '', /cannot be drawn as a chart/, `${type}: says why`);
    }
  }
});

test('theme changes re-theme drawn charts (body class → new colours, same instance)', async () => {
  document.body.className = 'vscode-dark';
  const view = show('chart_bar', { x: ['a', 'b'], series: [{ name: 's', y: [1, 2] }] });
  await rendered(view.element);
  const surface = view.element.querySelector('.chart-surface') as HTMLElement;
  const instance = surface.getAttribute('_echarts_instance_');
  assert.match(surface.innerHTML, /#cccccc/i, 'dark foreground on the axis labels');
  document.body.className = 'vscode-light';
  await settle(120);
  assert.equal(surface.getAttribute('_echarts_instance_'), instance);
  assert.doesNotMatch(surface.innerHTML, /#cccccc/i);
  assert.match(surface.innerHTML, /#3b3b3b/i, 'light foreground after the switch');
  document.body.className = 'vscode-dark';
  view.element.remove();
});

test('a chart that throws while drawing turns into the JSON view (data-rendered="failed"), and takes no more updates', async () => {
  // An option whose series cannot even be read stands in for anything ECharts throws on.
  const exploding = (): ChartBuild => ({
    ok: true,
    points: 1,
    option: {
      get series(): never {
        throw new Error('boom');
      },
    },
  });
  const view = chartView({ x: [1], series: [{ y: [1] }] }, SPEC, context().ctx, exploding);
  document.body.appendChild(view.element);
  const end = Date.now() + 2000;
  while (view.element.dataset.rendered === 'false' && Date.now() < end) await settle(10);
  assert.equal(view.element.dataset.rendered, 'failed');
  assert.match(view.element.textContent ?? '', /Could not draw this chart \(boom\)/);
  assert.ok(view.element.querySelector('.json-view'), 'the value as JSON');
  assert.equal(view.update?.({ x: [1, 2], series: [{ y: [1, 2] }] }), false, 'a failed card is rendered afresh');
  view.element.remove();
});
