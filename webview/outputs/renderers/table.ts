// table: `{columns, rows}` (spec columns win; without any, the rows' keys), sortable by clicking a column header,
// a filter box over 20 rows, a CSV download when the output is `downloadable`. Rows render in pages so a large
// table shows at once.
import type { ColumnSpec, JsonValue } from '../../../src/protocol';
import { clear, custom, el } from '../../dom';
import type { ButtonElement, TextfieldElement } from '../../elements/types';
import { registerOutput, type OutputContext } from '../registry';
import { isJsonRecord, textOf, type JsonRecord } from '../values';
import { jsonView } from './json';

export const FILTER_THRESHOLD = 20;
export const PAGE_ROWS = 500;
const NUMERIC = new Set(['number', 'integer', 'int', 'float', 'currency', 'percent']);

type Direction = 'ascending' | 'descending';

function isColumn(value: JsonValue): value is JsonRecord & { key: string } {
  return isJsonRecord(value) && typeof value.key === 'string';
}

export function tableColumns(specColumns: ColumnSpec[] | null, value: JsonRecord, rows: JsonValue[]): ColumnSpec[] {
  if (specColumns && specColumns.length > 0) return specColumns;
  if (Array.isArray(value.columns)) {
    const cols = value.columns.filter(isColumn).map((c) => ({
      key: c.key,
      label: typeof c.label === 'string' ? c.label : c.key,
      type: typeof c.type === 'string' ? c.type : 'text',
    }));
    if (cols.length > 0) return cols;
    // Columns given as plain names.
    const names = value.columns.filter((c): c is string => typeof c === 'string');
    if (names.length > 0) return names.map((key) => ({ key, label: key, type: 'text' }));
  }
  const keys: string[] = [];
  for (const row of rows) if (isJsonRecord(row)) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  if (keys.length === 0) {
    // Rows as arrays and no column names anywhere: numbered columns, as wide as the widest row.
    const width = rows.reduce<number>((max, row) => (Array.isArray(row) ? Math.max(max, row.length) : max), 0);
    return Array.from({ length: width }, (_, i) => ({ key: String(i + 1), label: String(i + 1), type: 'text' }));
  }
  return keys.map((key) => ({ key, label: key, type: 'text' }));
}

/** A row's cell for a column: by key for object rows, by position for array rows. */
export function cellOf(row: JsonValue, column: ColumnSpec, index: number): JsonValue {
  if (isJsonRecord(row)) return Object.hasOwn(row, column.key) ? row[column.key] : null;
  if (Array.isArray(row)) return row[index] ?? null;
  return index === 0 ? row : null;
}

export function cellText(cell: JsonValue): string {
  return cell === null ? '' : textOf(cell);
}

function compareCells(a: JsonValue, b: JsonValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true, sensitivity: 'base' });
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: ColumnSpec[], rows: JsonValue[]): string {
  const lines = [columns.map((c) => csvField(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c, i) => csvField(cellText(cellOf(row, c, i)))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

class TableView {
  readonly element: HTMLElement;
  private sortColumn = -1;
  private direction: Direction = 'ascending';
  private filter = '';
  private shown = PAGE_ROWS;
  private readonly body = el('tbody');
  private readonly headers: HTMLTableCellElement[] = [];
  private readonly status = el('div', { className: 'table-status', attrs: { 'aria-live': 'polite' } });
  private readonly more: ButtonElement;

  constructor(
    private readonly key: string,
    private readonly columns: ColumnSpec[],
    private readonly rows: JsonValue[],
    private readonly totalRows: number | undefined,
    downloadable: boolean,
    private readonly ctx: OutputContext,
  ) {
    const headRow = el('tr');
    columns.forEach((column, index) => {
      const button = el('button', { className: 'sort-button', attrs: { type: 'button' }, text: column.label });
      button.addEventListener('click', () => this.sortBy(index));
      const th = el('th', { attrs: { scope: 'col', 'aria-sort': 'none', 'data-type': column.type } }, button);
      this.headers.push(th);
      headRow.appendChild(th);
    });
    this.more = custom<ButtonElement>('vscode-button', { className: 'table-more' }, `Show ${PAGE_ROWS} more rows`);
    this.more.secondary = true;
    this.more.addEventListener('click', () => {
      this.shown += PAGE_ROWS;
      this.renderRows();
    });
    const tools = el('div', { className: 'table-tools' });
    if (rows.length > FILTER_THRESHOLD) {
      const box = custom<TextfieldElement>('vscode-textfield', { className: 'table-filter', attrs: { 'aria-label': 'Filter rows', placeholder: 'Filter rows' } });
      box.placeholder = 'Filter rows';
      box.addEventListener('input', () => {
        this.filter = box.value.trim().toLowerCase();
        this.shown = PAGE_ROWS;
        this.renderRows();
      });
      tools.appendChild(box);
    }
    if (downloadable) {
      const csv = custom<ButtonElement>('vscode-button', { className: 'table-csv' }, 'Download CSV');
      csv.secondary = true;
      csv.icon = 'desktop-download';
      csv.addEventListener('click', () => this.download());
      tools.appendChild(csv);
    }
    const table = el('table', { className: 'table-output' }, el('thead', {}, headRow), this.body);
    this.element = el(
      'div',
      { className: 'table-wrap' },
      tools.childElementCount > 0 ? tools : null,
      el('div', { className: 'table-scroll', attrs: { tabindex: 0, role: 'region', 'aria-label': `${key} table` } }, table),
      this.status,
      this.more,
    );
    this.renderRows();
  }

  private visibleRows(): JsonValue[] {
    let rows = this.rows;
    if (this.filter !== '') {
      rows = rows.filter((row) => this.columns.some((c, i) => cellText(cellOf(row, c, i)).toLowerCase().includes(this.filter)));
    }
    if (this.sortColumn >= 0) {
      const column = this.columns[this.sortColumn];
      const sign = this.direction === 'ascending' ? 1 : -1;
      rows = [...rows].sort((a, b) => sign * compareCells(cellOf(a, column, this.sortColumn), cellOf(b, column, this.sortColumn)));
    }
    return rows;
  }

  private renderRows(): void {
    const rows = this.visibleRows();
    clear(this.body);
    const fragment = document.createDocumentFragment();
    for (const row of rows.slice(0, this.shown)) {
      const tr = el('tr');
      this.columns.forEach((column, i) => {
        const cell = cellOf(row, column, i);
        tr.appendChild(el('td', { className: NUMERIC.has(column.type.toLowerCase()) || typeof cell === 'number' ? 'numeric' : '', text: cellText(cell) }));
      });
      fragment.appendChild(tr);
    }
    this.body.appendChild(fragment);
    const parts: string[] = [];
    const showing = Math.min(rows.length, this.shown);
    if (this.filter !== '') parts.push(`${rows.length} of ${this.rows.length} rows match`);
    else parts.push(`${this.rows.length} row${this.rows.length === 1 ? '' : 's'}`);
    if (showing < rows.length) parts.push(`showing the first ${showing}`);
    if (this.totalRows !== undefined && this.totalRows > this.rows.length) parts.push(`${this.totalRows} in total (the tool sent ${this.rows.length})`);
    this.status.textContent = parts.join(' · ');
    this.more.hidden = showing >= rows.length;
  }

  private sortBy(index: number): void {
    if (this.sortColumn === index) this.direction = this.direction === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortColumn = index;
      this.direction = 'ascending';
    }
    this.headers.forEach((th, i) => th.setAttribute('aria-sort', i === index ? this.direction : 'none'));
    this.renderRows();
  }

  private download(): void {
    this.ctx
      .request('saveFile', { suggestedName: `${this.key}.csv`, content: toCsv(this.columns, this.rows) })
      .catch((error: Error) => this.ctx.notify(`Could not save the CSV: ${error.message}`));
  }
}

registerOutput({
  type: 'table',
  render(raw, spec, ctx) {
    const value: JsonRecord | undefined = isJsonRecord(raw) ? raw : Array.isArray(raw) ? { rows: raw } : undefined;
    const rows = value && Array.isArray(value.rows) ? value.rows : undefined;
    if (!value || !rows) return jsonView(raw);
    const columns = tableColumns(spec.columns, value, rows);
    const total = typeof value.total_rows === 'number' ? value.total_rows : undefined;
    const downloadable = spec.downloadable || value.downloadable === true;
    return new TableView(spec.key, columns, rows, total, downloadable, ctx);
  },
});
