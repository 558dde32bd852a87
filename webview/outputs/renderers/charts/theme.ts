// Charts follow the VS Code theme: colours and font come from the CSS variables VS Code sets on the page
// (--vscode-foreground, --vscode-editor-background, the --vscode-charts-* palette, --vscode-font-family), made into
// an ECharts theme. When the theme changes (the body's vscode-light / vscode-dark / vscode-high-contrast class, or
// the variables on <html> when switching between two themes of one kind) every chart is re-themed.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ChartColours {
  kind: ThemeKind;
  foreground: string;
  muted: string;
  background: string;
  lines: string;
  /** Series colours, in the order series take them. */
  palette: string[];
  /** Rising / falling (candlesticks). */
  up: string;
  down: string;
  /** Heat ramp from high to low (heatmaps). */
  heat: string[];
  tooltipBackground: string;
  tooltipForeground: string;
  tooltipBorder: string;
  fontFamily: string;
  fontSize: number;
}

interface Defaults {
  foreground: string;
  muted: string;
  background: string;
  lines: string;
  red: string;
  blue: string;
  yellow: string;
  orange: string;
  green: string;
  purple: string;
  cyan: string;
  magenta: string;
}

// VS Code's own defaults for these colours (Dark Modern / Light Modern / the high-contrast themes), used when a
// variable is missing.
const DARK: Defaults = {
  foreground: '#cccccc',
  muted: '#9d9d9d',
  background: '#1f1f1f',
  lines: 'rgba(204, 204, 204, 0.5)',
  red: '#f14c4c',
  blue: '#3794ff',
  yellow: '#cca700',
  orange: '#d18616',
  green: '#89d185',
  purple: '#b180d7',
  cyan: '#11a8cd',
  magenta: '#bc3fbc',
};
const LIGHT: Defaults = {
  foreground: '#3b3b3b',
  muted: '#717171',
  background: '#ffffff',
  lines: 'rgba(97, 97, 97, 0.5)',
  red: '#e51400',
  blue: '#1a85ff',
  yellow: '#bf8803',
  orange: '#d18616',
  green: '#388a34',
  purple: '#652d90',
  cyan: '#0598bc',
  magenta: '#bc05bc',
};
const HIGH_CONTRAST: Defaults = { ...DARK, foreground: '#ffffff', muted: '#ffffff', background: '#000000', lines: '#ffffff' };
const HIGH_CONTRAST_LIGHT: Defaults = { ...LIGHT, foreground: '#292929', muted: '#292929', background: '#ffffff', lines: '#292929' };

export function themeKind(body: Element): ThemeKind {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

function defaultsFor(kind: ThemeKind): Defaults {
  return { light: LIGHT, dark: DARK, 'high-contrast': HIGH_CONTRAST, 'high-contrast-light': HIGH_CONTRAST_LIGHT }[kind];
}

/** The chart colours of the page's current theme. */
export function readChartColours(body: Element = document.body): ChartColours {
  const kind = themeKind(body);
  const d = defaultsFor(kind);
  const style = getComputedStyle(body);
  const css = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const foreground = css('--vscode-charts-foreground', css('--vscode-foreground', d.foreground));
  const red = css('--vscode-charts-red', d.red);
  const blue = css('--vscode-charts-blue', d.blue);
  const yellow = css('--vscode-charts-yellow', d.yellow);
  const orange = css('--vscode-charts-orange', d.orange);
  const green = css('--vscode-charts-green', d.green);
  const purple = css('--vscode-charts-purple', d.purple);
  // VS Code has six chart colours; the terminal's cyan and magenta extend them before ECharts repeats colours.
  const cyan = css('--vscode-terminal-ansiCyan', d.cyan);
  const magenta = css('--vscode-terminal-ansiMagenta', d.magenta);
  const fontSize = Number.parseFloat(css('--vscode-font-size', '12'));
  return {
    kind,
    foreground,
    muted: css('--vscode-descriptionForeground', d.muted),
    background: css('--vscode-editor-background', d.background),
    lines: highContrast ? css('--vscode-contrastBorder', d.lines) : css('--vscode-charts-lines', d.lines),
    palette: [blue, orange, green, purple, red, yellow, cyan, magenta],
    up: green,
    down: red,
    heat: [red, orange, yellow, blue],
    tooltipBackground: css('--vscode-editorHoverWidget-background', d.background),
    tooltipForeground: css('--vscode-editorHoverWidget-foreground', foreground),
    tooltipBorder: css('--vscode-editorHoverWidget-border', d.lines),
    // Double quotes in the family list would end the attribute early in an exported SVG.
    fontFamily: css('--vscode-font-family', 'system-ui, sans-serif').replace(/"/g, "'"),
    fontSize: Number.isFinite(fontSize) && fontSize > 0 ? Math.min(fontSize, 16) : 12,
  };
}

type ThemeObject = Record<string, unknown>;

/** An ECharts theme from the colours: text, axes, grid lines, legend, tooltip and the series kinds that need it. */
export function chartTheme(c: ChartColours): ThemeObject {
  const highContrast = c.kind === 'high-contrast' || c.kind === 'high-contrast-light';
  const text = { color: c.foreground };
  const axis = {
    axisLine: { lineStyle: { color: c.lines } },
    axisTick: { lineStyle: { color: c.lines } },
    axisLabel: { color: c.foreground },
    splitLine: { lineStyle: { color: c.lines, opacity: highContrast ? 0.6 : 0.35 } },
    splitArea: { show: false },
    nameTextStyle: text,
  };
  return {
    color: c.palette,
    backgroundColor: 'transparent',
    textStyle: { color: c.foreground, fontFamily: c.fontFamily, fontSize: c.fontSize },
    title: { textStyle: text, subtextStyle: { color: c.muted } },
    legend: {
      textStyle: text,
      inactiveColor: c.muted,
      pageTextStyle: text,
      pageIconColor: c.foreground,
      pageIconInactiveColor: c.muted,
    },
    tooltip: {
      backgroundColor: c.tooltipBackground,
      borderColor: c.tooltipBorder,
      textStyle: { color: c.tooltipForeground },
      axisPointer: { lineStyle: { color: c.lines }, crossStyle: { color: c.lines } },
    },
    categoryAxis: axis,
    valueAxis: axis,
    logAxis: axis,
    timeAxis: axis,
    radar: {
      axisName: text,
      axisLine: { lineStyle: { color: c.lines } },
      splitLine: { lineStyle: { color: c.lines, opacity: highContrast ? 0.8 : 0.5 } },
      splitArea: { show: false },
    },
    visualMap: { color: c.heat, textStyle: text },
    candlestick: { itemStyle: { color: c.up, color0: c.down, borderColor: c.up, borderColor0: c.down } },
    boxplot: { itemStyle: { color: 'transparent', borderWidth: highContrast ? 2 : 1.5 } },
    // Outside labels in the text colour, without the outline ECharts draws round them (blurred on dark themes).
    pie: { itemStyle: { borderColor: c.background, borderWidth: 1 }, label: { color: c.foreground, textBorderWidth: 0 } },
    treemap: { itemStyle: { borderColor: c.background }, breadcrumb: { itemStyle: { color: c.tooltipBackground, borderColor: c.lines, textStyle: text } } },
    graph: { lineStyle: { color: c.lines }, label: text, edgeLabel: text },
    sankey: { label: text, itemStyle: { borderColor: c.background } },
  };
}

const listeners = new Set<() => void>();
let observing = false;
let pending: ReturnType<typeof setTimeout> | undefined;

function changed(): void {
  // Theme switches change the class and many variables in a burst: re-theme once, after it.
  if (pending !== undefined) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    for (const listener of [...listeners]) listener();
  }, 30);
}

/** Calls `listener` after each theme change; returns the function that stops it. */
export function watchTheme(listener: () => void): () => void {
  listeners.add(listener);
  if (!observing && typeof MutationObserver === 'function') {
    observing = true;
    const observer = new MutationObserver(changed);
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  }
  return () => listeners.delete(listener);
}
