// chart_candlestick: `{points:[{t, open, high, low, close}]}` (the spec's shape), also a bare list of such points,
// OHLC rows `[[t, open, high, low, close]]`, or columns `{t|x|dates:[…], open:[…], high:[…], low:[…], close:[…]}`.
// Short names (o/h/l/c) and time/date/x for t are read too. Rising candles take the theme's green, falling its red.
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, gridFor, LARGE_POINTS, problem, xZoom, type CandlestickSeriesOption, type ChartBuild, type ChartSpec } from './option';
import { arrayField, chartValue, field, record, titleOf, toNumber, toText, type JsonRecord } from './values';

export interface Candle {
  t: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

const T_KEYS = ['t', 'time', 'date', 'datetime', 'timestamp', 'x', 'label'];

function candle(t: JsonValue | undefined, o: JsonValue | undefined, h: JsonValue | undefined, l: JsonValue | undefined, c: JsonValue | undefined, index: number): Candle | undefined {
  const [open, high, low, close] = [o, h, l, c].map((v) => toNumber(v ?? null));
  if (open === null || high === null || low === null || close === null) return undefined;
  return { t: toText(t) ?? String(index + 1), open, high, low, close };
}

function fromItem(item: JsonValue, index: number): Candle | undefined {
  if (Array.isArray(item)) return item.length >= 5 ? candle(item[0], item[1], item[2], item[3], item[4], index) : undefined;
  const rec = record(item);
  if (!rec) return undefined;
  return candle(field(rec, ...T_KEYS), field(rec, 'open', 'o'), field(rec, 'high', 'h'), field(rec, 'low', 'l'), field(rec, 'close', 'c'), index);
}

function fromColumns(rec: JsonRecord): Candle[] | undefined {
  const open = arrayField(rec, 'open', 'o');
  const high = arrayField(rec, 'high', 'h');
  const low = arrayField(rec, 'low', 'l');
  const close = arrayField(rec, 'close', 'c');
  if (!open || !high || !low || !close) return undefined;
  const t = arrayField(rec, ...T_KEYS, 'dates', 'times');
  const n = Math.min(open.length, high.length, low.length, close.length);
  const out: Candle[] = [];
  for (let i = 0; i < n; i += 1) {
    const c = candle(t?.[i], open[i], high[i], low[i], close[i], i);
    if (c) out.push(c);
  }
  return out;
}

export function readCandles(value: JsonValue): Candle[] | string {
  const list = Array.isArray(value) ? value : undefined;
  const rec = record(value);
  const items = list ?? (rec ? arrayField(rec, 'points', 'candles', 'data', 'rows', 'ohlc') : undefined);
  if (items) return items.map(fromItem).filter((c): c is Candle => c !== undefined);
  const columns = rec ? fromColumns(rec) : undefined;
  return columns ?? 'expected `{points:[{t, open, high, low, close}]}`';
}

export function candlestickChartOption(raw: unknown, spec: ChartSpec): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const candles = readCandles(value);
  if (typeof candles === 'string') return problem(candles);
  if (candles.length === 0) return problem('no point with numeric open, high, low and close');
  const options: JsonRecord = record(value) ?? {};
  const title = titleOf(options);
  const names = axisNames(spec, options);
  const large = candles.length > LARGE_POINTS;
  const series: CandlestickSeriesOption = {
    type: 'candlestick',
    name: spec.label,
    // ECharts' order: open, close, lowest, highest.
    data: candles.map((c) => [c.open, c.close, c.low, c.high]),
    large,
    largeThreshold: LARGE_POINTS,
  };
  return {
    ok: true,
    points: candles.length,
    option: {
      ...baseOption(candles.length, title),
      tooltip: { renderMode: 'richText', confine: true, trigger: 'axis', axisPointer: { type: 'cross' } },
      grid: gridFor(false, title !== undefined),
      xAxis: axis('category', { name: names.x, categories: candles.map((c) => c.t) }),
      yAxis: axis('value', { name: names.y, scale: true }),
      dataZoom: xZoom(),
      series: [series],
    },
  };
}

registerOutput({
  type: 'chart_candlestick',
  render: (value, spec, ctx) => chartView(value, spec, ctx, candlestickChartOption),
});
