// chart_line: `{x:[num], series:[{name, y:[num]}], x_label?, y_label?}` and the other x/y shapes xy.ts reads.
// Numbers on x give a value axis, ISO dates a time axis, anything else categories. Past LARGE_POINTS points the
// lines are down-sampled to the pixels (LTTB), drawn without symbols or animation: 100,000 points paint at once.
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, gridFor, LARGE_POINTS, legendFor, problem, wantsLog, xZoom, type ChartBuild, type ChartSpec, type LineSeriesOption } from './option';
import { titleOf } from './values';
import { flatPoints, readXY, type XYPoint } from './xy';

/** On a log axis values ≤ 0 have no place: they become gaps. */
function forLogY(points: XYPoint[]): XYPoint[] {
  return points.map(([x, y]) => [x, y !== null && y > 0 ? y : null]);
}

export function lineChartOption(raw: unknown, spec: ChartSpec, area = false): ChartBuild {
  const data = readXY(raw);
  if (typeof data === 'string') return problem(data);
  const { options } = data;
  const title = titleOf(options);
  const names = axisNames(spec, options);
  const logX = data.xKind === 'value' && wantsLog(spec, options, 'x');
  const logY = wantsLog(spec, options, 'y');
  const large = data.points > LARGE_POINTS;
  const stacked = area && (options.stacked === true || options.stack === true);
  const legend = legendFor(data.series.map((s) => s.name), title !== undefined);
  const typed = large && data.xKind === 'value';
  const series: LineSeriesOption[] = data.series.map((s) => {
    const points = logY ? forLogY(s.points) : s.points;
    return {
      type: 'line',
      name: s.name,
      ...(typed ? { data: flatPoints(points) as unknown as LineSeriesOption['data'], dimensions: ['x', 'y'] } : { data: points }),
      showSymbol: !large && s.points.length <= 100,
      symbolSize: 5,
      sampling: large ? 'lttb' : undefined,
      lineStyle: { width: large ? 1 : 2 },
      areaStyle: area ? { opacity: stacked ? 0.5 : 0.25 } : undefined,
      stack: stacked ? 'total' : undefined,
      emphasis: large ? { disabled: true } : { focus: 'series' },
    };
  });
  return {
    ok: true,
    points: data.points,
    option: {
      ...baseOption(data.points, title),
      tooltip: { renderMode: 'richText', confine: true, trigger: 'axis' },
      legend,
      grid: gridFor(legend !== undefined, title !== undefined),
      xAxis: axis(logX ? 'log' : data.xKind, { name: names.x, categories: data.categories, boundaryGap: false, scale: true }),
      yAxis: axis(logY ? 'log' : 'value', { name: names.y, scale: !area }),
      dataZoom: xZoom(),
      series,
    },
  };
}

registerOutput({
  type: 'chart_line',
  render: (value, spec, ctx) => chartView(value, spec, ctx, (v, s) => lineChartOption(v, s)),
});
