// chart_bar: `{x:[…], series:[{name, y:[num]}]}` where x may be strings, and the other x/y shapes xy.ts reads
// (`{labels, values}` is one series over labels; a list of `{label, value}` rows too). Every x is a category.
// The value may ask for `horizontal: true` (or `orientation: "horizontal"`) and `stacked: true`.
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { axis, axisNames, baseOption, gridFor, LARGE_POINTS, legendFor, ONE_PASS_POINTS, problem, type BarSeriesOption, type ChartBuild, type ChartSpec } from './option';
import { textField, titleOf } from './values';
import { readXY } from './xy';

export function barChartOption(raw: unknown, spec: ChartSpec): ChartBuild {
  const data = readXY(raw, true);
  if (typeof data === 'string') return problem(data);
  const { options } = data;
  const title = titleOf(options);
  const names = axisNames(spec, options);
  const horizontal = options.horizontal === true || textField(options, 'orientation', 'direction') === 'horizontal';
  const stacked = options.stacked === true || options.stack === true;
  const large = data.points > LARGE_POINTS;
  const legend = legendFor(data.series.map((s) => s.name), title !== undefined);
  const series: BarSeriesOption[] = data.series.map((s) => ({
    type: 'bar',
    name: s.name,
    // Horizontal bars read their category from y: the pairs turn round.
    data: horizontal ? s.points.map(([x, y]) => [y, x]) : s.points,
    stack: stacked ? 'total' : undefined,
    large,
    progressiveThreshold: ONE_PASS_POINTS,
    emphasis: large ? { disabled: true } : { focus: 'series' },
  }));
  const categories = axis('category', { name: horizontal ? names.y : names.x, categories: data.categories });
  const values = axis('value', { name: horizontal ? names.x : names.y });
  return {
    ok: true,
    points: data.points,
    option: {
      ...baseOption(data.points, title),
      tooltip: { renderMode: 'richText', confine: true, trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend,
      grid: gridFor(legend !== undefined, title !== undefined),
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? { ...categories, inverse: true } : values,
      series,
    },
    height: horizontal ? Math.min(900, Math.max(240, data.categories.length * 22 + 80)) : undefined,
  };
}

registerOutput({
  type: 'chart_bar',
  render: (value, spec, ctx) => chartView(value, spec, ctx, barChartOption),
});
