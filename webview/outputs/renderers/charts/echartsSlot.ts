// Where echartsRuntime.mts leaves ECharts' `init` once it has registered the chart kinds it bundles. The chart card
// reads it from here: this project's TypeScript is CommonJS and cannot import ECharts' ES modules directly.
import type * as Core from 'echarts/core' with { 'resolution-mode': 'import' };

export type EChartsInit = typeof Core.init;

let provided: EChartsInit | undefined;

export function provideECharts(init: EChartsInit): void {
  provided = init;
}

export function echartsInit(): EChartsInit {
  if (!provided) throw new Error('ECharts is not loaded.');
  return provided;
}
