// chart_area: the line chart's shapes and spec fields, filled under each line (`stacked: true` in the value stacks
// the series).
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { lineChartOption } from './line';

registerOutput({
  type: 'chart_area',
  render: (value, spec, ctx) => chartView(value, spec, ctx, (v, s) => lineChartOption(v, s, true)),
});
