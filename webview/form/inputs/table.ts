// table: rows of typed cells under the spec's `columns`, with Add row / Remove (kept within min_rows..max_rows). Sent as
// the original sends it, a list of row objects with every column key: number columns as numbers, boolean columns as
// true/false, text and date columns as strings ("" when blank). A blank number cell is null (the original's form
// turns it into 0, which a tool cannot tell from a real 0). No rows sends [] — which passes `required`, as in the
// original; `min_rows` is what asks for rows.
import type { ColumnSpec, JsonValue } from '../../../src/protocol';
import { clear, custom, el, icon } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { registerInput } from '../registry';
import { asBoolean } from './checkboxLike';
import { asText } from './textfield';

type CellKind = 'number' | 'integer' | 'boolean' | 'date' | 'text';

/** The same column types the host converts (inputValues.ts): anything else is text. */
export function cellKind(column: ColumnSpec): CellKind {
  const type = column.type.trim().toLowerCase();
  if (type === 'integer' || type === 'int') return 'integer';
  if (type === 'number' || type === 'float') return 'number';
  if (type === 'boolean' || type === 'bool' || type === 'checkbox') return 'boolean';
  if (type === 'date') return 'date';
  return 'text';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Cell {
  column: ColumnSpec;
  kind: CellKind;
  input: HTMLInputElement;
}

function cellValue(cell: Cell): JsonValue {
  const { input, kind } = cell;
  if (kind === 'boolean') return input.checked;
  if (kind === 'number' || kind === 'integer') {
    const text = input.value.trim();
    if (text === '') return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return input.value;
}

function cellProblem(cell: Cell): string | undefined {
  const { input, kind } = cell;
  if (kind === 'number' || kind === 'integer') {
    // A number input that holds unparseable text reports it as badInput and an empty value.
    if (input.validity?.badInput) return 'enter a number';
    const value = cellValue(cell);
    if (typeof value === 'string') return 'enter a number';
    if (kind === 'integer' && typeof value === 'number' && !Number.isInteger(value)) return 'enter a whole number';
  }
  if (kind === 'date' && input.value !== '' && !DATE.test(input.value)) return 'enter a date YYYY-MM-DD';
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

registerInput({
  type: 'table',
  create(spec, ctx) {
    const min = spec.min_rows ?? 0;
    const max = spec.max_rows;
    let rows: Cell[][] = [];

    const head = el(
      'tr',
      {},
      ...spec.columns.map((column) =>
        el('th', { attrs: { scope: 'col' } }, el('span', { className: 'table-input-label', text: column.label }), el('span', { className: 'table-input-type', text: column.type })),
      ),
      el('th', { className: 'table-input-actions-head', attrs: { 'aria-label': 'Remove row' } }),
    );
    const body = el('tbody');
    const table = el('table', { className: 'table-input-grid', attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy, 'aria-label': spec.label } }, el('thead', {}, head), body);
    const addButton = custom<ButtonElement>('vscode-button', { className: 'table-input-add' }, 'Add row');
    addButton.secondary = true;
    addButton.icon = 'add';
    const count = el('span', { className: 'table-input-count', attrs: { 'aria-live': 'polite' } });
    const element = el('div', { className: 'table-input' }, el('div', { className: 'table-input-scroll' }, table), el('div', { className: 'table-input-bar' }, addButton, count));

    const newCell = (column: ColumnSpec, rowNumber: number, value: JsonValue | undefined): Cell => {
      const kind = cellKind(column);
      const type = kind === 'boolean' ? 'checkbox' : kind === 'integer' ? 'number' : kind;
      const input = el('input', {
        className: `table-input-cell table-input-${kind}`,
        attrs: { type, 'aria-label': `${column.label}, row ${rowNumber}`, step: kind === 'number' ? 'any' : kind === 'integer' ? 1 : undefined },
      });
      if (kind === 'boolean') input.checked = asBoolean(value);
      else input.value = asText(value);
      input.addEventListener(kind === 'boolean' ? 'change' : 'input', () => ctx.changed());
      return { column, kind, input };
    };

    const render = (): void => {
      clear(body);
      rows.forEach((cells, index) => {
        for (const cell of cells) cell.input.setAttribute('aria-label', `${cell.column.label}, row ${index + 1}`);
        const remove = el('button', { className: 'table-input-remove', attrs: { type: 'button', 'aria-label': `Remove row ${index + 1}`, title: 'Remove row' } }, icon('trash'));
        remove.disabled = rows.length <= min;
        remove.addEventListener('click', () => {
          if (rows.length <= min) return;
          rows = rows.filter((_, i) => i !== index);
          render();
          ctx.changed();
        });
        body.appendChild(el('tr', {}, ...cells.map((cell) => el('td', {}, cell.input)), el('td', { className: 'table-input-actions' }, remove)));
      });
      addButton.disabled = max !== null && rows.length >= max;
      const limits = [spec.min_rows !== null ? `at least ${spec.min_rows}` : '', max !== null ? `at most ${max}` : ''].filter((s) => s !== '').join(', ');
      count.textContent = `${plural(rows.length, 'row')}${limits ? ` (${limits})` : ''}`;
    };
    const blankRow = (rowNumber: number): Cell[] => spec.columns.map((column) => newCell(column, rowNumber, undefined));

    addButton.addEventListener('click', () => {
      if (max !== null && rows.length >= max) return;
      const row = blankRow(rows.length + 1);
      rows = [...rows, row];
      render();
      ctx.changed();
      row[0]?.input.focus();
    });

    return {
      element,
      canBeEmpty: false,
      read: () =>
        rows.map((cells) => {
          const row: Record<string, JsonValue> = {};
          for (const cell of cells) Object.defineProperty(row, cell.column.key, { value: cellValue(cell), enumerable: true, writable: true, configurable: true });
          return row;
        }),
      write(value) {
        let v = value;
        if (typeof v === 'string') {
          try {
            v = JSON.parse(v) as JsonValue;
          } catch {
            v = null;
          }
        }
        const stored = Array.isArray(v) ? v.filter((r): r is Record<string, JsonValue> => r !== null && typeof r === 'object' && !Array.isArray(r)) : [];
        rows = stored.map((row, i) => spec.columns.map((column) => newCell(column, i + 1, Object.hasOwn(row, column.key) ? row[column.key] : undefined)));
        while (rows.length < min) rows.push(blankRow(rows.length + 1));
        render();
      },
      check() {
        if (rows.length < min) return `Add at least ${plural(min, 'row')}.`;
        if (max !== null && rows.length > max) return `At most ${plural(max, 'row')}.`;
        for (const [index, cells] of rows.entries()) {
          for (const cell of cells) {
            const problem = cellProblem(cell);
            if (problem) return `Row ${index + 1}, ${cell.column.label}: ${problem}.`;
          }
        }
        return undefined;
      },
      setInvalid(invalid) {
        element.classList.toggle('invalid', invalid);
      },
      focus() {
        (rows[0]?.[0]?.input ?? addButton).focus();
      },
    };
  },
});
