// json: a JSON object or list typed in a monospace box, sent parsed. Empty sends nothing.
// (Checking against the input's `schema` comes with the full renderer set.)
import type { JsonValue } from '../../../src/protocol';
import { registerInput } from '../registry';
import { createTextarea } from './textarea';

function parse(text: string): { value: JsonValue } | { error: string } {
  try {
    const value = JSON.parse(text) as JsonValue;
    if (value === null || typeof value !== 'object') return { error: 'Expected a JSON object {…} or list […].' };
    return { value };
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
}

registerInput({
  type: 'json',
  create(_spec, ctx) {
    const area = createTextarea(ctx, { monospace: true, rows: 6 });
    area.spellcheck = false;
    return {
      element: area,
      read() {
        if (area.value.trim() === '') return undefined;
        const parsed = parse(area.value);
        return 'value' in parsed ? parsed.value : undefined;
      },
      isEmpty: () => area.value.trim() === '',
      write(value) {
        area.value = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
      },
      check() {
        const parsed = parse(area.value);
        return 'error' in parsed ? parsed.error : undefined;
      },
      setInvalid(invalid) {
        area.invalid = invalid;
      },
      focus() {
        area.focus();
      },
    };
  },
});
