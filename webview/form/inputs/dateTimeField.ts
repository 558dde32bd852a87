// date, time and datetime share a native date/time picker inside a vscode-textfield; values are the strings the
// picker produces (YYYY-MM-DD, HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS]), sent as they are, "" included.
import type { InputContext, InputControl } from '../registry';
import { asText, createTextfield, textfieldBasics } from './textfield';

export interface DateTimeSetup {
  type: 'date' | 'time' | 'datetime-local';
  pattern: RegExp;
  hint: string;
  min?: string | null;
  max?: string | null;
  /** Turns a stored value into one the picker accepts (a datetime's zone suffix is dropped). */
  normalise?: (text: string) => string;
}

export function createDateTime(ctx: InputContext, setup: DateTimeSetup): InputControl {
  const attrs: Record<string, string> = {};
  if (setup.min) attrs.min = setup.min;
  if (setup.max) attrs.max = setup.max;
  const field = createTextfield(ctx, { type: setup.type, attrs });
  return {
    element: field,
    read: () => field.value,
    write(value) {
      const text = asText(value);
      // Seconds can be shown only when the picker's step allows them.
      if (/:\d\d:\d\d/.test(text)) field.step = 1;
      field.value = setup.normalise ? setup.normalise(text) : text;
    },
    check() {
      const text = field.value;
      if (!setup.pattern.test(text)) return `Expected ${setup.hint}.`;
      // ISO dates and times compare correctly as strings.
      if (setup.min && text < setup.min) return `Must be on or after ${setup.min}.`;
      if (setup.max && text > setup.max) return `Must be on or before ${setup.max}.`;
      return undefined;
    },
    ...textfieldBasics(field),
  };
}
