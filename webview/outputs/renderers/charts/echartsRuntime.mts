// ECharts, tree-shaken: the core plus only the chart kinds, components and renderers the thirteen chart outputs use.
// An ES module (.mts) because ECharts ships ES modules only and the rest of this project's TypeScript is CommonJS,
// which may not import them; the chart card imports this file for its effect and takes `init` from echartsSlot.
import { init, use } from 'echarts/core';
import {
  BarChart,
  BoxplotChart,
  CandlestickChart,
  GraphChart,
  HeatmapChart,
  LineChart,
  PieChart,
  RadarChart,
  SankeyChart,
  ScatterChart,
  TreemapChart,
} from 'echarts/charts';
import {
  AriaComponent,
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  RadarComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { provideECharts } from './echartsSlot.js';

use([
  LineChart,
  BarChart,
  ScatterChart,
  PieChart,
  BoxplotChart,
  HeatmapChart,
  CandlestickChart,
  RadarChart,
  SankeyChart,
  TreemapChart,
  GraphChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  VisualMapContinuousComponent,
  DataZoomInsideComponent,
  RadarComponent,
  AriaComponent,
  CanvasRenderer,
  SVGRenderer,
]);

provideECharts(init);
