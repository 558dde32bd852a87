// date_range: two date pickers, sent as ["YYYY-MM-DD", "YYYY-MM-DD"] (the reference's sample shape, and what the host
// and tools check). Stored values in the original form's {from, to} shape are read too. Both empty sends nothing.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerInput } from '../registry';
import { createTextfield } from './textfield';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The two ends of a stored range, whichever shape it was kept in. */
export function rangeEnds(value: JsonValue | undefined): [string, string] {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as JsonValue;
    } catch {
      return ['', ''];
    }
  }
  const text = (x: JsonValue | undefined): string => (typeof x === 'string' ? x : '');
  if (Array.isArray(v)) return [text(v[0]), text(v[1])];
  if (v && typeof v === 'object') return [text(v.from ?? v.start), text(v.to ?? v.end)];
  return ['', ''];
}

registerInput({
  type: 'date_range',
  create(spec, ctx) {
    const start = createTextfield(ctx, { type: 'date', attrs: { 'aria-label': `${spec.label}: start` } });
    const end = createTextfield(ctx, { type: 'date', attrs: { id: `${ctx.controlId}-end`, 'aria-label': `${spec.label}: end` } });
    const element = el('div', { className: 'date-range' }, start, el('span', { className: 'date-range-arrow', attrs: { 'aria-hidden': 'true' }, text: '→' }), end);
    const both = (): [string, string] => [start.value.trim(), end.value.trim()];
    return {
      element,
      read() {
        const [a, b] = both();
        return a === '' && b === '' ? undefined : [a, b];
      },
      isEmpty: () => both().every((d) => d === ''),
      write(value) {
        [start.value, end.value] = rangeEnds(value);
      },
      check() {
        const [a, b] = both();
        if (a === '' || b === '') return 'Choose both a start and an end date.';
        if (!DATE.test(a) || !DATE.test(b)) return 'Expected dates YYYY-MM-DD.';
        if (a > b) return `The start (${a}) is after the end (${b}).`;
        return undefined;
      },
      setInvalid(invalid) {
        start.invalid = invalid;
        end.invalid = invalid;
      },
      focus() {
        (start.value === '' || end.value !== '' ? start : end).focus();
      },
    };
  },
});
