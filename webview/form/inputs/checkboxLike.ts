// checkbox and toggle: a vscode-checkbox (toggle draws a switch) carrying the input's label. Always true or false.
import type { InputSpecOf, JsonValue } from '../../../src/protocol';
import { custom } from '../../dom';
import type { CheckboxElement } from '../../elements/types';
import type { InputContext, InputControl } from '../registry';

/** The original's reading of form values: true/on/1/yes are true. */
export function asBoolean(value: JsonValue | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (typeof value === 'string') return ['true', 'on', '1', 'yes'].includes(value.trim().toLowerCase());
  return false;
}

export function createCheckbox(spec: InputSpecOf<'checkbox'> | InputSpecOf<'toggle'>, ctx: InputContext, toggle: boolean): InputControl {
  const box = custom<CheckboxElement>('vscode-checkbox', {
    className: 'control',
    attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy },
  });
  box.label = spec.label;
  box.toggle = toggle;
  box.addEventListener('change', () => ctx.changed());
  return {
    element: box,
    canBeEmpty: false,
    read: () => box.checked,
    write(value) {
      box.checked = asBoolean(value);
    },
    setInvalid(invalid) {
      box.invalid = invalid;
    },
    focus() {
      box.focus();
    },
  };
}
