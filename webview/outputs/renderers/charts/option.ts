// What every chart module produces: an ECharts option built from a tool's value by a pure function (no DOM, no
// theme: the card adds the theme), or the reason the value cannot be drawn. The settings all charts share live here.
import type {
  BarSeriesOption,
  BoxplotSeriesOption,
  CandlestickSeriesOption,
  GraphSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  PieSeriesOption,
  RadarSeriesOption,
  SankeySeriesOption,
  ScatterSeriesOption,
  TreemapSeriesOption,
} from 'echarts/charts' with { 'resolution-mode': 'import' };
import type {
  AriaComponentOption,
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  RadarComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components' with { 'resolution-mode': 'import' };
import type { ComposeOption } from 'echarts/core' with { 'resolution-mode': 'import' };
import type { XAXisComponentOption, YAXisComponentOption } from 'echarts/types/dist/option' with { 'resolution-mode': 'import' };
import type { OutputSpec } from '../../../../src/protocol';
import { textField, type JsonRecord } from './values';

export type ChartSeriesOption =
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | PieSeriesOption
  | BoxplotSeriesOption
  | HeatmapSeriesOption
  | CandlestickSeriesOption
  | RadarSeriesOption
  | SankeySeriesOption
  | TreemapSeriesOption
  | GraphSeriesOption;

export type ChartOption = ComposeOption<
  | ChartSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | VisualMapComponentOption
  | DataZoomComponentOption
  | RadarComponentOption
  | AriaComponentOption
>;

export type {
  BarSeriesOption,
  BoxplotSeriesOption,
  CandlestickSeriesOption,
  GraphSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  PieSeriesOption,
  RadarSeriesOption,
  SankeySeriesOption,
  ScatterSeriesOption,
  TreemapSeriesOption,
};

/** The spec fields charts read: every output's, plus the axis fields chart_line and chart_area declare. */
export type ChartSpec = Pick<OutputSpec, 'key' | 'label' | 'unit'> & {
  x_label?: string | null;
  y_label?: string | null;
  log_x?: boolean;
  log_y?: boolean;
};

export type ChartBuild =
  | {
      ok: true;
      option: ChartOption;
      /** Data points drawn: decides animation and large-data modes, reported on the card. */
      points: number;
      /** Drawing height in px when the chart needs more (or less) room than the default. */
      height?: number;
    }
  | { ok: false; problem: string };

export type ChartBuilder = (value: unknown, spec: ChartSpec) => ChartBuild;

/** Above this many points charts draw without animation, symbols or per-point hover effects. */
export const LARGE_POINTS = 5_000;
/**
 * Up to this many points a series draws in one pass: a first paint that shows everything beats 400-point chunks
 * over many frames (ECharts' default past 3,000; past 10,000 in large scatter and bar mode, which ignore the
 * chart-wide setting, so those series set it themselves).
 */
export const ONE_PASS_POINTS = 200_000;
export const DEFAULT_HEIGHT = 340;

export function problem(text: string): ChartBuild {
  return { ok: false, problem: text };
}

/**
 * Settings every chart shares. Tooltips render as canvas text (`richText`), never as HTML: tool strings (series
 * names, labels) cannot become markup, and the panel's CSP would block the inline styles an HTML tooltip carries.
 */
export function baseOption(points: number, title?: string): ChartOption {
  const large = points > LARGE_POINTS;
  return {
    animation: !large,
    progressiveThreshold: ONE_PASS_POINTS,
    aria: { enabled: true },
    tooltip: { renderMode: 'richText', confine: true },
    ...(title ? { title: { text: title, left: 'center', textStyle: { fontSize: 13 } } } : {}),
  };
}

/** Legend for more than one named series: scrolls instead of wrapping over the plot. */
export function legendFor(names: string[], hasTitle: boolean): LegendComponentOption | undefined {
  if (names.length < 2) return undefined;
  return { type: 'scroll', top: hasTitle ? 24 : 0, data: names };
}

/** Room around the plot: ECharts 6 keeps axis labels and names inside these bounds itself. */
export function gridFor(hasLegend: boolean, hasTitle: boolean): GridComponentOption {
  return {
    top: (hasTitle ? 30 : 10) + (hasLegend ? 28 : 0),
    left: 10,
    right: 18,
    bottom: 10,
    outerBoundsMode: 'same',
    outerBoundsContain: 'all',
  };
}

/** Axis titles: the spec's `x_label`/`y_label` win, then the value's own; the output's `unit` names a bare y axis. */
export function axisNames(spec: ChartSpec, options: JsonRecord | undefined): { x?: string; y?: string } {
  const x = spec.x_label || (options && textField(options, 'x_label', 'xlabel', 'x_title', 'x_name')) || undefined;
  const y = spec.y_label || (options && textField(options, 'y_label', 'ylabel', 'y_title', 'y_name')) || spec.unit || undefined;
  return { x, y };
}

/** A log axis when the spec or the value asks for one. */
export function wantsLog(spec: ChartSpec, options: JsonRecord | undefined, axis: 'x' | 'y'): boolean {
  const key = axis === 'x' ? 'log_x' : 'log_y';
  return spec[key] === true || options?.[key] === true;
}

/** Ctrl+wheel zooms and dragging pans the x axis; a plain wheel still scrolls the panel. */
export function xZoom(): DataZoomComponentOption[] {
  return [{ type: 'inside', xAxisIndex: 0, zoomOnMouseWheel: 'ctrl', moveOnMouseWheel: false, moveOnMouseMove: true }];
}

/** An x or y axis of a cartesian chart. */
export type CartesianAxis = XAXisComponentOption & YAXisComponentOption;
export type AxisKind = 'value' | 'log' | 'time' | 'category';

export interface AxisSettings {
  name?: string;
  /** Category axes: the categories in order. */
  categories?: string[];
  /** Value axes: fit the data instead of starting at zero. */
  scale?: boolean;
  /** Category axes: false puts points on the ticks (lines) instead of between them (bars). */
  boundaryGap?: boolean;
  /** Value axes: room beyond the data, so points at the extremes are not cut in half (scatter). */
  pad?: boolean;
}

function plainSmallIntegers(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 10_000 ? String(value) : value.toLocaleString(undefined, { maximumFractionDigits: 6 });
}

export function axis(kind: AxisKind, settings: AxisSettings = {}): CartesianAxis {
  const common = { name: settings.name, nameLocation: 'middle' as const };
  switch (kind) {
    case 'category':
      return { ...common, type: 'category', data: settings.categories ?? [], boundaryGap: settings.boundaryGap ?? true };
    case 'time':
      return { ...common, type: 'time' };
    case 'log':
      return { ...common, type: 'log' };
    case 'value':
      return {
        ...common,
        type: 'value',
        scale: settings.scale ?? false,
        // ECharts groups thousands ("2,020"); whole numbers under 10,000 are more often years or counts than amounts.
        axisLabel: { formatter: plainSmallIntegers },
        ...(settings.pad ? { boundaryGap: ['3%', '3%'] as [string, string] } : {}),
      };
  }
}
