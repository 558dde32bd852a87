// log: `{lines: [{level, message, t}]}` (strings are info lines), filtered to all / warnings and errors / errors.
// While a run streams, new lines are appended instead of redrawing the list.
import type { JsonValue } from '../../../src/protocol';
import { clear, custom, el } from '../../dom';
import { setSelectOptions, type SingleSelectElement } from '../../elements/types';
import { registerOutput } from '../registry';
import { isJsonRecord, textOf, unwrap } from '../values';
import { jsonView } from './json';

export interface LogLine {
  level: string;
  message: string;
  time: string;
}

const RANK: Record<string, number> = { debug: 0, trace: 0, info: 1, warn: 2, warning: 2, error: 3, critical: 3, fatal: 3 };
const FILTERS = [
  { value: '0', label: 'All lines' },
  { value: '2', label: 'Warnings and errors' },
  { value: '3', label: 'Errors only' },
];

function timeText(t: JsonValue | undefined): string {
  if (typeof t === 'number' && Number.isFinite(t)) {
    // Seconds since the epoch (Python's time.time()); milliseconds when it is clearly too large for seconds.
    const date = new Date(t > 1e12 ? t : t * 1000);
    if (Number.isNaN(date.getTime())) return String(t);
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }
  return typeof t === 'string' ? t : '';
}

export function logLines(value: JsonValue): LogLine[] | undefined {
  const inner = unwrap(value).value;
  const lines = isJsonRecord(inner) && Array.isArray(inner.lines) ? inner.lines : Array.isArray(inner) ? inner : undefined;
  if (!lines) return undefined;
  return lines.map((line) => {
    if (isJsonRecord(line)) {
      const level = typeof line.level === 'string' ? line.level.toLowerCase() : 'info';
      const message = line.message === undefined ? textOf(line) : line.message === null ? '' : textOf(line.message);
      return { level, message, time: timeText(line.t ?? line.time) };
    }
    return { level: 'info', message: line === null ? '' : textOf(line), time: '' };
  });
}

class LogView {
  readonly element: HTMLElement;
  private readonly list = el('ol', { className: 'log-output', attrs: { 'aria-label': 'Log lines', tabindex: 0 } });
  private readonly filter: SingleSelectElement;
  private minRank = 0;
  private count = 0;

  constructor(private lines: LogLine[]) {
    this.filter = custom<SingleSelectElement>('vscode-single-select', { className: 'log-filter', attrs: { 'aria-label': 'Show log levels' } });
    setSelectOptions(this.filter, FILTERS);
    this.filter.value = '0';
    this.filter.addEventListener('change', () => {
      this.minRank = Number(this.filter.value) || 0;
      this.redraw();
    });
    this.element = el('div', { className: 'log-view' }, el('div', { className: 'log-tools' }, this.filter), this.list);
    this.redraw();
  }

  update(value: JsonValue): boolean {
    const lines = logLines(value);
    if (!lines) return false;
    const appended = lines.length >= this.lines.length && this.lines.every((line, i) => line.message === lines[i].message);
    this.lines = lines;
    if (appended) this.append(lines.slice(this.count));
    else this.redraw();
    return true;
  }

  private redraw(): void {
    clear(this.list);
    this.count = 0;
    this.append(this.lines);
  }

  private append(lines: LogLine[]): void {
    const stick = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 4;
    for (const line of lines) {
      this.count += 1;
      if ((RANK[line.level] ?? 1) < this.minRank) continue;
      this.list.appendChild(
        el(
          'li',
          { className: `log-line level-${line.level.replace(/[^a-z]/g, '')}` },
          line.time ? el('span', { className: 'log-time', text: line.time }) : null,
          el('span', { className: 'log-level', text: line.level.toUpperCase() }),
          el('span', { className: 'log-message', text: line.message }),
        ),
      );
    }
    if (stick) this.list.scrollTop = this.list.scrollHeight;
  }
}

registerOutput({
  type: 'log',
  render(value) {
    const lines = logLines(value);
    return lines ? new LogView(lines) : jsonView(value);
  },
});
