// gantt: tasks as bars on a time (or plain number) axis, drawn with DOM and a thin SVG layer for dependency arrows.
// Accepts `{tasks: [...]}` or a bare list; a task is `{name|label|title, start, end | duration, id?, progress?,
// dependencies|depends_on|deps?, colour?}`. Times: ISO dates or date-times, epoch seconds/ms, or plain numbers
// (steps, days); `duration` counts days on a date axis. Positions are set through the CSSOM (the CSP forbids style
// attributes in markup).
import type { JsonValue } from '../../../src/protocol';
import { clear, el, uniqueId } from '../../dom';
import { registerOutput } from '../registry';
import { isJsonRecord, type JsonRecord } from '../values';
import { jsonFallback, moreButton, note, PAGE_ITEMS, pick, pickText } from './fields';
import { formatInstant, parseInstant } from './timeValues';

/** Must match `.gantt-row` height in outputs-more.css: the SVG arrows are placed by row. */
export const GANTT_ROW_HEIGHT = 28;
const DAY_MS = 86_400_000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const NAMED_COLOURS = new Set(['red', 'blue', 'green', 'yellow', 'orange', 'purple']);

export interface GanttTask {
  id: string;
  name: string;
  start: number;
  end: number;
  progress: number | undefined;
  deps: string[];
  colour: string | undefined;
}

export interface GanttData {
  tasks: GanttTask[];
  axis: 'date' | 'number';
  dateOnly: boolean;
  skipped: number;
}

function taskList(raw: JsonValue, depth = 0): JsonValue[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (!isJsonRecord(raw)) return undefined;
  if (Array.isArray(raw.tasks)) return raw.tasks;
  return depth === 0 && Object.hasOwn(raw, 'value') ? taskList(raw.value, 1) : undefined;
}

function asNumber(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function depsOf(value: JsonValue | undefined): string[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  if (typeof value === 'string') return value.split(/[,;\s]+/).filter((v) => v !== '');
  if (typeof value === 'number') return [String(value)];
  return [];
}

function progressOf(value: JsonValue | undefined): number | undefined {
  const n = asNumber(value);
  if (n === undefined) return undefined;
  return Math.min(1, Math.max(0, n > 1 ? n / 100 : n));
}

const START_KEYS = ['start', 'from', 'begin', 'start_date', 'startDate'];
const END_KEYS = ['end', 'finish', 'to', 'end_date', 'endDate', 'due'];

export function ganttData(raw: JsonValue): GanttData | undefined {
  const list = taskList(raw);
  if (!list) return undefined;
  const records = list.filter(isJsonRecord);
  // A date anywhere makes it a date axis; tasks whose times are not dates are then left out (and counted).
  const axis = records.some((r) => parseInstant(pick(r, START_KEYS)) || parseInstant(pick(r, END_KEYS))) ? 'date' : 'number';
  const tasks: GanttTask[] = [];
  let dateOnly = true;
  records.forEach((record: JsonRecord, index) => {
    const duration = asNumber(pick(record, ['duration', 'days']));
    let start: number | undefined;
    let end: number | undefined;
    if (axis === 'date') {
      const s = parseInstant(pick(record, START_KEYS));
      const e = parseInstant(pick(record, END_KEYS));
      if (s && !s.dateOnly) dateOnly = false;
      if (e && !e.dateOnly) dateOnly = false;
      start = s?.ms;
      end = e?.ms ?? (start !== undefined && duration !== undefined ? start + duration * DAY_MS : undefined);
    } else {
      start = asNumber(pick(record, START_KEYS));
      end = asNumber(pick(record, END_KEYS)) ?? (start !== undefined && duration !== undefined ? start + duration : undefined);
    }
    if (start === undefined || end === undefined || end < start) return;
    const name = pickText(record, ['name', 'label', 'title', 'task', 'id']) ?? `Task ${index + 1}`;
    const colour = pickText(record, ['colour', 'color']);
    tasks.push({
      id: pickText(record, ['id', 'key']) ?? name,
      name,
      start,
      end,
      progress: progressOf(pick(record, ['progress', 'percent', 'complete', 'percent_complete'])),
      deps: depsOf(pick(record, ['dependencies', 'depends_on', 'deps', 'after', 'predecessors'])),
      colour,
    });
  });
  return { tasks, axis, dateOnly: axis === 'date' && dateOnly, skipped: list.length - tasks.length };
}

interface Tick {
  at: number;
  label: string;
}

function numberTicks(min: number, max: number, locale: string): Tick[] {
  const raw = (max - min) / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: Tick[] = [];
  for (let at = Math.ceil(min / step) * step; at <= max + step * 1e-9; at += step) ticks.push({ at, label: new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(at) });
  return ticks;
}

const FIXED_STEPS = [1000, 5000, 15_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS];

function dateTicks(min: number, max: number, dateOnly: boolean, locale: string): Tick[] {
  const span = max - min;
  const timeZone = dateOnly ? 'UTC' : undefined;
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, timeZone });
  const fixed = FIXED_STEPS.find((s) => span / s <= 8);
  if (fixed !== undefined) {
    const label =
      fixed < 60_000 ? format({ hour: '2-digit', minute: '2-digit', second: '2-digit' })
      : fixed < DAY_MS ? format({ month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
      : format({ month: 'short', day: 'numeric' });
    const ticks: Tick[] = [];
    for (let at = Math.ceil(min / fixed) * fixed; at <= max; at += fixed) ticks.push({ at, label: label.format(at) });
    return ticks;
  }
  // Calendar steps: months, quarters, half years, years and beyond, counted in UTC months.
  const months = [1, 3, 6, 12, 24, 60, 120, 600].find((m) => span / (m * 30.44 * DAY_MS) <= 8) ?? 1200;
  const label = months < 12 ? format({ month: 'short', year: 'numeric' }) : format({ year: 'numeric' });
  const first = new Date(min);
  let index = first.getUTCFullYear() * 12 + first.getUTCMonth();
  index = Math.ceil(index / months) * months;
  const ticks: Tick[] = [];
  // Bounded: absurd spans (thousands of years) still get a readable number of ticks.
  while (ticks.length < 40) {
    const at = Date.UTC(Math.floor(index / 12), index % 12, 1);
    if (at > max) break;
    if (at >= min) ticks.push({ at, label: label.format(at) });
    index += months;
  }
  return ticks;
}

function timeLabel(data: GanttData, at: number, locale: string): string {
  if (data.axis === 'number') return new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(at);
  return formatInstant({ ms: at, dateOnly: data.dateOnly }, locale);
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

class GanttView {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'gantt-body' });
  private limit = PAGE_ITEMS;
  private readonly min: number;
  private readonly max: number;

  constructor(
    private readonly data: GanttData,
    private readonly label: string,
    private readonly locale: string,
  ) {
    // Loops, not Math.min(...): a spread of many thousands of tasks can overflow the call stack.
    const first = data.tasks.reduce((m, t) => Math.min(m, t.start), Infinity);
    const last = data.tasks.reduce((m, t) => Math.max(m, t.end), -Infinity);
    let min = first;
    let max = last;
    if (max === min) {
      // One instant (milestones only): give the axis some width around it.
      const pad = data.axis === 'date' ? DAY_MS : 1;
      min -= pad;
      max += pad;
    }
    this.min = min;
    this.max = max;
    const summary = `${data.tasks.length.toLocaleString()} task${data.tasks.length === 1 ? '' : 's'} · ${timeLabel(data, first, locale)} – ${timeLabel(data, last, locale)}`;
    this.element = el(
      'div',
      { className: 'gantt-output', attrs: { role: 'group', 'aria-label': label } },
      el('div', { className: 'gantt-summary output-note', text: summary }),
      data.skipped > 0 ? note(`${data.skipped} task${data.skipped === 1 ? '' : 's'} without a usable start and end ${data.skipped === 1 ? 'is' : 'are'} not shown.`) : null,
      this.body,
    );
    this.draw();
  }

  private pct(at: number): number {
    return ((at - this.min) / (this.max - this.min)) * 100;
  }

  private draw(): void {
    clear(this.body);
    const tasks = this.data.tasks.slice(0, this.limit);
    const ticks = this.data.axis === 'date' ? dateTicks(this.min, this.max, this.data.dateOnly, this.locale) : numberTicks(this.min, this.max, this.locale);
    const names = el('div', { className: 'gantt-names', attrs: { 'aria-hidden': 'true' } }, el('div', { className: 'gantt-axis-spacer' }));
    const axis = el('div', { className: 'gantt-axis', attrs: { 'aria-hidden': 'true' } });
    const rows = el('div', { className: 'gantt-rows', attrs: { role: 'list', 'aria-label': this.label } });
    for (const tick of ticks) {
      const label = el('span', { className: 'gantt-tick', text: tick.label });
      label.style.left = `${this.pct(tick.at)}%`;
      axis.appendChild(label);
      const line = el('div', { className: 'gantt-gridline', attrs: { 'aria-hidden': 'true' } });
      line.style.left = `${this.pct(tick.at)}%`;
      rows.appendChild(line);
    }
    const index = new Map<string, number>();
    tasks.forEach((task, i) => {
      if (!index.has(task.id)) index.set(task.id, i);
      names.appendChild(el('div', { className: 'gantt-name', attrs: { title: task.name }, text: task.name }));
      rows.appendChild(this.row(task));
    });
    rows.appendChild(this.arrows(tasks, index));
    this.body.append(names, el('div', { className: 'gantt-chart' }, axis, rows));
    if (this.data.tasks.length > this.limit) {
      this.body.appendChild(
        moreButton(this.data.tasks.length - this.limit, PAGE_ITEMS, () => {
          this.limit += PAGE_ITEMS;
          this.draw();
        }),
      );
    }
  }

  private row(task: GanttTask): HTMLElement {
    const milestone = task.end === task.start;
    const when = milestone ? timeLabel(this.data, task.start, this.locale) : `${timeLabel(this.data, task.start, this.locale)} – ${timeLabel(this.data, task.end, this.locale)}`;
    const parts = [`${task.name}: ${when}`];
    if (task.progress !== undefined) parts.push(`${Math.round(task.progress * 100)}% done`);
    if (task.deps.length > 0) parts.push(`after ${task.deps.join(', ')}`);
    const description = parts.join(', ');
    const bar = el('div', { className: milestone ? 'gantt-milestone' : 'gantt-bar', attrs: { role: 'img', 'aria-label': description, title: description } });
    bar.style.left = `${this.pct(task.start)}%`;
    if (!milestone) bar.style.width = `${this.pct(task.end) - this.pct(task.start)}%`;
    if (task.colour && /^#[0-9a-f]{3,8}$/i.test(task.colour)) bar.style.setProperty('--gantt-bar-colour', task.colour);
    else if (task.colour && NAMED_COLOURS.has(task.colour.toLowerCase())) bar.style.setProperty('--gantt-bar-colour', `var(--vscode-charts-${task.colour.toLowerCase()})`);
    if (task.progress !== undefined && !milestone) {
      const done = el('div', { className: 'gantt-progress' });
      done.style.width = `${task.progress * 100}%`;
      bar.append(done, el('span', { className: 'gantt-bar-text', text: `${Math.round(task.progress * 100)}%` }));
    }
    return el('div', { className: 'gantt-row', attrs: { role: 'listitem' } }, bar);
  }

  /** Elbow arrows from the end of each dependency to the start of the task that waits for it. */
  private arrows(tasks: GanttTask[], index: Map<string, number>): SVGSVGElement {
    const layer = svg('svg', { class: 'gantt-links', 'aria-hidden': 'true', width: '100%', height: tasks.length * GANTT_ROW_HEIGHT });
    const markerId = uniqueId('gantt-arrow');
    const marker = svg('marker', { id: markerId, viewBox: '0 0 6 6', refX: 6, refY: 3, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
    marker.appendChild(svg('path', { d: 'M0,0 L6,3 L0,6 z', class: 'gantt-arrow-head' }));
    const defs = svg('defs', {});
    defs.appendChild(marker);
    layer.appendChild(defs);
    tasks.forEach((task, row) => {
      for (const dep of task.deps) {
        const from = index.get(dep);
        if (from === undefined || from === row) continue;
        const x1 = `${this.pct(tasks[from].end)}%`;
        const x2 = `${this.pct(task.start)}%`;
        const y1 = from * GANTT_ROW_HEIGHT + GANTT_ROW_HEIGHT / 2;
        const y2 = row * GANTT_ROW_HEIGHT + GANTT_ROW_HEIGHT / 2;
        layer.appendChild(svg('line', { class: 'gantt-link', x1, y1, x2: x1, y2 }));
        layer.appendChild(svg('line', { class: 'gantt-link', x1, y1: y2, x2, y2, 'marker-end': `url(#${markerId})` }));
      }
    });
    return layer;
  }
}

registerOutput({
  type: 'gantt',
  render(raw, spec, ctx) {
    const data = ganttData(raw);
    if (!data) return jsonFallback(raw, 'A gantt chart needs {tasks: [{name, start, end}]} or a list of tasks.');
    const list = taskList(raw) ?? [];
    if (list.length === 0) return { element: note('No tasks.') };
    if (data.tasks.length === 0) return jsonFallback(raw, `None of the ${list.length} tasks has a usable start and end.`);
    return new GanttView(data, spec.label, ctx.locale);
  },
});

