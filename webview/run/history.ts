// The run-history dropdown: this tool's runs, newest first, one page at a time ("Load more…" fetches the next).
// Choosing a run asks the app to replay it (rebuild the form and the outputs from the stored row).
import type { HistoryCursor, HistoryEntry, HistoryPage, RunStatus } from '../../src/protocol';
import { custom, el } from '../dom';
import { setSelectOptions, type SingleSelectElement } from '../elements/types';

const MORE = '__more__';
const NONE = '';
const STATUS_MARK: Record<RunStatus, string> = { ok: '✓', error: '✗', cancelled: '⊘', running: '●' };

export interface HistoryActions {
  pick(runId: string): void;
  more(before: HistoryCursor): void;
}

export function historyLabel(entry: HistoryEntry, locale: string): string {
  const date = new Date(entry.startedAt);
  const when = Number.isNaN(date.getTime()) ? entry.startedAt : date.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const star = entry.starred ? '★ ' : '';
  const label = entry.label ? ` [${entry.label}]` : '';
  return `${STATUS_MARK[entry.status]} ${star}${when}${label}${entry.summary ? ` — ${entry.summary}` : ''}`;
}

export class HistoryPicker {
  readonly element: HTMLElement;
  private readonly select: SingleSelectElement;
  private runs: HistoryEntry[] = [];
  private next: HistoryCursor | null = null;
  private selected = NONE;

  constructor(
    private readonly actions: HistoryActions,
    private readonly locale: string,
  ) {
    this.select = custom<SingleSelectElement>('vscode-single-select', { className: 'history-select', attrs: { id: 'run-history', 'aria-label': 'Run history' } });
    this.select.addEventListener('change', () => this.onChange());
    this.element = el('div', { className: 'history' }, custom<HTMLElement>('vscode-label', { attrs: { for: 'run-history' } }, 'History'), this.select);
    this.render();
  }

  /** The newest page (replaces what is listed). */
  setPage(page: HistoryPage): void {
    this.runs = page.runs;
    this.next = page.next;
    this.render();
  }

  /** An older page after "Load more…". */
  appendPage(page: HistoryPage): void {
    const known = new Set(this.runs.map((r) => r.id));
    this.runs = [...this.runs, ...page.runs.filter((r) => !known.has(r.id))];
    this.next = page.next;
    this.render();
  }

  /** Mark the run on show (undefined: none). */
  show(runId: string | undefined): void {
    this.selected = runId ?? NONE;
    this.select.value = this.runs.some((r) => r.id === this.selected) ? this.selected : NONE;
  }

  /** What is listed, as a page (to carry over when the page is rebuilt). */
  page(): HistoryPage {
    return { runs: [...this.runs], next: this.next };
  }

  private render(): void {
    const items = [{ value: NONE, label: this.runs.length > 0 ? 'Choose a past run…' : 'No runs yet' }];
    for (const run of this.runs) items.push({ value: run.id, label: historyLabel(run, this.locale) });
    if (this.next) items.push({ value: MORE, label: 'Load more…' });
    setSelectOptions(this.select, items);
    this.show(this.selected === NONE ? undefined : this.selected);
  }

  private onChange(): void {
    const value = this.select.value;
    if (value === MORE) {
      this.show(this.selected === NONE ? undefined : this.selected);
      if (this.next) this.actions.more(this.next);
      return;
    }
    if (value === NONE || value === this.selected) return;
    this.selected = value;
    this.actions.pick(value);
  }
}
