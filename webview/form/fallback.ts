// The control for an input type this version has no module for: a JSON text box, so the tool can still run.
import type { InputSpec, JsonValue } from '../../src/protocol';
import { custom, el } from '../dom';
import type { TextareaElement } from '../elements/types';
import type { InputContext, InputControl } from './registry';

export function fallbackControl(spec: InputSpec, ctx: InputContext): InputControl {
  const area = custom<TextareaElement>('vscode-textarea', { attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy } });
  area.monospace = true;
  area.rows = 3;
  area.addEventListener('input', () => ctx.changed());
  const note = el('div', {
    className: 'field-note',
    text: `The “${spec.type}” input is not supported in this version yet: enter its value as JSON.`,
  });
  const text = (): string => area.value.trim();
  return {
    element: el('div', { className: 'fallback-input' }, area, note),
    read() {
      if (text() === '') return undefined;
      try {
        return JSON.parse(text()) as JsonValue;
      } catch {
        return area.value;
      }
    },
    write(value) {
      area.value = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    },
    setInvalid(invalid) {
      area.invalid = invalid;
    },
    focus() {
      area.focus();
    },
  };
}
