// number: a number field with min/max/step and a unit shown beside it. Sent as a number; empty sends nothing
// (the original turns "" into null, and the host then applies the default).
import { el } from '../../dom';
import { registerInput } from '../registry';
import { asText, createTextfield, textfieldBasics } from './textfield';

/** The number typed, undefined when empty or not a number. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

export function rangeProblem(n: number, min: number | null, max: number | null): string | undefined {
  if (min !== null && n < min) return `Must be at least ${min}.`;
  if (max !== null && n > max) return `Must be at most ${max}.`;
  return undefined;
}

registerInput({
  type: 'number',
  create(spec, ctx) {
    const field = createTextfield(ctx, { type: 'number', min: spec.min, max: spec.max, step: spec.step });
    const element = spec.unit ? el('div', { className: 'with-unit' }, field, el('span', { className: 'unit', text: spec.unit })) : field;
    return {
      element,
      read: () => parseNumber(field.value),
      write(value) {
        field.value = asText(value);
      },
      isEmpty: () => field.value.trim() === '',
      check() {
        const n = parseNumber(field.value);
        if (n === undefined) return 'Enter a number.';
        return rangeProblem(n, spec.min, spec.max);
      },
      ...textfieldBasics(field),
    };
  },
});
