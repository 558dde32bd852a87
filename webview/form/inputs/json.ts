// json: a JSON object or list typed in a monospace box, sent parsed. Empty sends nothing. With a `schema`, the value is
// checked against it before anything is sent; a schema the checker cannot use is noted under the box (the tool's
// problem, so it does not block the run).
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerInput } from '../registry';
import { SchemaChecker } from './jsonSchema';
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
  create(spec, ctx) {
    const area = createTextarea(ctx, { monospace: true, rows: 6 });
    area.spellcheck = false;
    const checker = spec.schema ? new SchemaChecker(spec.schema) : undefined;
    const note = el('div', { className: 'field-note json-schema-note' });
    note.hidden = true;
    return {
      element: el('div', { className: 'json-input' }, area, note),
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
        if ('error' in parsed) return parsed.error;
        const result = checker?.check(parsed.value);
        if (result && 'unusable' in result) {
          note.textContent = `The schema in tool.json could not be used to check this value: ${result.unusable}`;
          note.hidden = false;
          return undefined;
        }
        return result && !result.ok ? result.message : undefined;
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
