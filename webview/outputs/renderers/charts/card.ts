// The card every chart output shows: a toolbar (Export PNG / Export SVG, saved through the host's save dialog) over
// an ECharts surface that follows the card's size (ResizeObserver) and the VS Code theme. Streaming runs hand newer
// values to `update`, which applies them to the same ECharts instance.
//
// The chart is created once the surface is in the page and has a width (so a chart in a hidden tab waits until it
// is shown), and disposed when the surface leaves the page (a new run replaced the card).
//
// For timing first paint (e2e): the card element (`.chart-card`) carries `data-rendered="false"` until ECharts
// fires its first `finished` event, then `data-rendered="true"`; `data-render-ms` holds the milliseconds from
// render() to the first frame ECharts drew. `data-rendered="failed"` means drawing threw and the card shows JSON.
import './echartsRuntime.mjs';
import type { ECharts } from 'echarts/core' with { 'resolution-mode': 'import' };
import type { JsonValue } from '../../../../src/protocol';
import { clear, custom, el } from '../../../dom';
import type { ButtonElement } from '../../../elements/types';
import type { OutputContext, OutputView } from '../../registry';
import { jsonView } from '../json';
import { echartsInit } from './echartsSlot';
import { DEFAULT_HEIGHT, LARGE_POINTS, type ChartBuild, type ChartOption, type ChartSpec } from './option';
import { chartTheme, readChartColours, watchTheme } from './theme';

type Drawn = Extract<ChartBuild, { ok: true }>;
type Renderer = 'canvas' | 'svg';

interface Size {
  width: number;
  height: number;
}

interface ChartEnvironment {
  renderer?: Renderer;
  /** Size to draw at when the page has no layout (DOM tests): without it a chart waits for a measured width. */
  fallbackSize?: Size;
  /** false: never animate (DOM tests, which wait for each chart to finish drawing). */
  animation?: boolean;
}

let environment: ChartEnvironment = {};

/** Tests: draw with the SVG renderer at a fixed size, without animation (happy-dom has neither canvas nor layout). */
export function configureCharts(settings: ChartEnvironment): void {
  environment = { ...settings };
}

let canvasWorks: boolean | undefined;

function renderer(): Renderer {
  if (environment.renderer) return environment.renderer;
  canvasWorks ??= document.createElement('canvas').getContext('2d') !== null;
  return canvasWorks ? 'canvas' : 'svg';
}

const live = new Set<ChartCard>();

/** The theme charts draw with, read once per theme change (not once per chart). */
let theme: { key: string; option: Record<string, unknown> } | undefined;
let watching = false;

function readTheme(): { key: string; option: Record<string, unknown> } {
  const option = chartTheme(readChartColours());
  return { key: JSON.stringify(option), option };
}

function currentTheme(): Record<string, unknown> {
  theme ??= readTheme();
  if (!watching) {
    watching = true;
    watchTheme(themeChanged);
  }
  return theme.option;
}

function themeChanged(): void {
  const next = readTheme();
  // Other class changes on the body leave the colours as they were: nothing to redraw.
  if (next.key === theme?.key) return;
  theme = next;
  for (const card of live) card.retheme();
}

/** Disposes every chart (tests, before the DOM closes). */
export function disposeCharts(): void {
  for (const card of [...live]) card.dispose();
}

/**
 * The option as the chart gets it: series, legend and title get ids so a streamed update merges into them instead of
 * adding more.
 */
function prepared(option: ChartOption): ChartOption {
  if (environment.animation === false) option = { ...option, animation: false };
  const series = option.series === undefined ? undefined : (Array.isArray(option.series) ? option.series : [option.series]).map((s, i) => ({ id: `series-${i}`, ...s }));
  const legend = option.legend && !Array.isArray(option.legend) ? { id: 'legend', ...option.legend } : option.legend;
  const title = option.title && !Array.isArray(option.title) ? { id: 'title', ...option.title } : option.title;
  return { ...option, series, legend, title } as ChartOption;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class ChartCard {
  readonly element: HTMLElement;
  private readonly surface: HTMLElement;
  private readonly status: HTMLElement;
  private chart: ECharts | undefined;
  private firstFrame = false;

  constructor(
    private readonly spec: ChartSpec,
    private build: Drawn,
    private value: unknown,
    private readonly ctx: OutputContext,
    /** performance.now() when render() began (before the value was read), for data-render-ms. */
    private readonly started: number,
  ) {
    const png = this.button('Export PNG', 'file-media', 'png', () => this.exportPng());
    const svg = this.button('Export SVG', 'file-code', 'svg', () => this.exportSvg());
    this.status = el('span', { className: 'chart-status' });
    this.surface = el('div', { className: 'chart-surface', attrs: { role: 'img', 'aria-label': `${spec.label} chart` } });
    this.element = el(
      'div',
      { className: 'chart-card', attrs: { 'data-rendered': 'false' } },
      el('div', { className: 'chart-toolbar', attrs: { role: 'toolbar', 'aria-label': `${spec.label} chart actions` } }, this.status, png, svg),
      this.surface,
    );
    this.showBuild();
    if (typeof ResizeObserver === 'function') new ResizeObserver((entries) => this.resized(entries)).observe(this.surface);
    // In case the observer reports nothing (no layout engine), or the card was shown before it started observing.
    setTimeout(() => this.mountIfShown(), 0);
  }

  private button(text: string, iconName: string, format: string, action: () => void): ButtonElement {
    const button = custom<ButtonElement>('vscode-button', { className: 'chart-export', attrs: { 'data-format': format, title: `Save the chart as ${format.toUpperCase()}` } }, text);
    button.secondary = true;
    button.icon = iconName;
    button.addEventListener('click', action);
    return button;
  }

  private showBuild(): void {
    this.surface.style.height = `${this.build.height ?? DEFAULT_HEIGHT}px`;
    this.status.textContent = this.build.points > LARGE_POINTS ? `${this.build.points.toLocaleString(this.ctx.locale)} points` : '';
  }

  private resized(entries: ResizeObserverEntry[]): void {
    const box = entries[entries.length - 1]?.contentRect;
    if (!this.surface.isConnected) {
      this.dispose();
      return;
    }
    // Zero width: hidden (an inactive tab); keep the chart as it is until it shows again.
    if (!box || box.width === 0 || box.height === 0) return;
    if (this.chart) this.chart.resize({ width: box.width, height: box.height });
    else this.mount({ width: box.width, height: box.height });
  }

  private mountIfShown(): void {
    if (this.chart || !this.surface.isConnected) return;
    const measured = { width: this.surface.clientWidth, height: this.surface.clientHeight };
    const size = measured.width > 0 && measured.height > 0 ? measured : environment.fallbackSize;
    if (size) this.mount(size);
  }

  private mount(size: Size): void {
    try {
      const chart = echartsInit()(this.surface, currentTheme(), { renderer: renderer(), width: size.width, height: size.height });
      this.chart = chart;
      live.add(this);
      chart.on('rendered', () => {
        if (this.firstFrame) return;
        this.firstFrame = true;
        this.element.dataset.renderMs = String(Math.round(performance.now() - this.started));
      });
      chart.on('finished', () => {
        if (this.element.dataset.rendered === 'false') this.element.dataset.rendered = 'true';
      });
      chart.setOption(prepared(this.build.option));
    } catch (error) {
      this.fail(error);
    }
  }

  /** A newer value of the same output: the same chart, new data. */
  update(build: Drawn, value: unknown): boolean {
    if (this.element.dataset.rendered === 'failed') return false;
    this.build = build;
    this.value = value;
    this.showBuild();
    if (!this.chart) return true;
    try {
      this.chart.setOption(prepared(build.option), { replaceMerge: ['series', 'legend', 'title'] });
    } catch (error) {
      this.fail(error);
    }
    return true;
  }

  retheme(): void {
    try {
      this.chart?.setTheme(currentTheme());
    } catch (error) {
      this.fail(error);
    }
  }

  dispose(): void {
    live.delete(this);
    const chart = this.chart;
    this.chart = undefined;
    if (chart && !chart.isDisposed()) chart.dispose();
  }

  /** ECharts threw while drawing: the value as JSON instead of a blank surface. */
  private fail(error: unknown): void {
    this.dispose();
    this.element.dataset.rendered = 'failed';
    clear(this.element);
    this.element.append(
      el('div', { className: 'output-note chart-note', attrs: { role: 'note' }, text: `Could not draw this chart (${message(error)}); showing the value as JSON.` }),
      jsonView(this.value as JsonValue).element,
    );
  }

  private save(name: string, content: string, encoding: 'utf8' | 'base64'): void {
    this.ctx
      .request('saveFile', { suggestedName: name, content, encoding })
      .catch((error: unknown) => this.ctx.notify(`Could not save the chart: ${message(error)}`));
  }

  private exportPng(): void {
    if (!this.chart) {
      this.ctx.notify('The chart is not drawn yet: it draws once it is visible.');
      return;
    }
    try {
      const url = this.chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: readChartColours().background });
      const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(url);
      if (!match) {
        this.ctx.notify('PNG export needs the canvas renderer; use Export SVG.');
        return;
      }
      this.save(`${this.spec.key}.png`, match[1], 'base64');
    } catch (error) {
      this.ctx.notify(`Could not export the chart: ${message(error)}`);
    }
  }

  /** SVG of what the chart shows (zoom, hidden series), drawn by a separate server-side-style SVG instance. */
  private exportSvg(): void {
    let svg: string;
    try {
      svg = this.svgText();
    } catch (error) {
      this.ctx.notify(`Could not export the chart: ${message(error)}`);
      return;
    }
    this.save(`${this.spec.key}.svg`, svg, 'utf8');
  }

  private svgText(): string {
    const colours = readChartColours();
    const width = this.chart?.getWidth() ?? 800;
    const height = this.chart?.getHeight() ?? this.build.height ?? DEFAULT_HEIGHT;
    const current = (this.chart?.getOption() as ChartOption | undefined) ?? prepared(this.build.option);
    const ssr = echartsInit()(null, currentTheme(), { renderer: 'svg', ssr: true, width, height });
    try {
      ssr.setOption({ ...current, animation: false, backgroundColor: colours.background });
      return ssr.renderToSVGString();
    } finally {
      ssr.dispose();
    }
  }
}

function safely(build: (value: unknown, spec: ChartSpec) => ChartBuild, value: unknown, spec: ChartSpec): ChartBuild {
  try {
    return build(value, spec);
  } catch (error) {
    return { ok: false, problem: message(error) };
  }
}

/** The JSON view, with why the value could not be drawn. */
export function unusableChart(value: unknown, problem: string): OutputView {
  const view = jsonView(value as JsonValue);
  view.element.prepend(el('div', { className: 'output-note chart-note', attrs: { role: 'note' }, text: `This value cannot be drawn as a chart (${problem}); showing it as JSON.` }));
  return view;
}

/** A chart output's view: the card when the builder can draw the value, else the JSON view with the reason. */
export function chartView(value: JsonValue, spec: ChartSpec, ctx: OutputContext, build: (value: unknown, spec: ChartSpec) => ChartBuild): OutputView {
  const started = performance.now();
  const first = safely(build, value, spec);
  if (!first.ok) return unusableChart(value, first.problem);
  const card = new ChartCard(spec, first, value, ctx, started);
  return {
    element: card.element,
    update(next) {
      const built = safely(build, next, spec);
      return built.ok ? card.update(built, next) : false;
    },
  };
}
