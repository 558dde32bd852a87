// A vscode-textfield bound to one input: the shared body of text, number, date, time, datetime and colour.
import { custom } from '../../dom';
import type { TextfieldElement } from '../../elements/types';
import type { InputContext, InputControl } from '../registry';

export interface TextfieldSetup {
  type: string;
  placeholder?: string | null;
  min?: number | null;
  max?: number | null;
  step?: number | null;
  maxLength?: number | null;
  /** Extra attributes for the native input (e.g. date min/max as strings). */
  attrs?: Record<string, string>;
}

export function createTextfield(ctx: InputContext, setup: TextfieldSetup): TextfieldElement {
  const field = custom<TextfieldElement>('vscode-textfield', {
    className: 'control',
    attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy, ...setup.attrs },
  });
  field.type = setup.type;
  if (setup.placeholder) field.placeholder = setup.placeholder;
  if (setup.min !== undefined && setup.min !== null) field.min = setup.min;
  if (setup.max !== undefined && setup.max !== null) field.max = setup.max;
  if (setup.step !== undefined && setup.step !== null) field.step = setup.step;
  if (setup.maxLength !== undefined && setup.maxLength !== null) field.maxLength = setup.maxLength;
  field.addEventListener('input', () => ctx.changed());
  field.addEventListener('change', () => ctx.changed());
  return field;
}

/** The control methods every textfield-based input shares; `read`/`write`/`check` are the type's own. */
export function textfieldBasics(field: TextfieldElement): Pick<InputControl, 'setInvalid' | 'focus'> {
  return {
    setInvalid(invalid) {
      field.invalid = invalid;
    },
    focus() {
      field.focus();
    },
  };
}

/** A JSON value as the text a text-like control shows. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
