// textarea: multi-line text (placeholder, max_length, monospace). Sent as typed, "" included.
import { custom } from '../../dom';
import type { TextareaElement } from '../../elements/types';
import { registerInput, type InputContext } from '../registry';
import { codePointLength } from '../values';
import { asText } from './textfield';

/** A vscode-textarea bound to one input; textarea, code and json share it. */
export function createTextarea(ctx: InputContext, options: { monospace: boolean; placeholder?: string | null; rows?: number }): TextareaElement {
  const area = custom<TextareaElement>('vscode-textarea', {
    className: 'control',
    attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy },
  });
  area.monospace = options.monospace;
  area.rows = options.rows ?? 4;
  area.resize = 'vertical';
  if (options.placeholder) area.placeholder = options.placeholder;
  area.addEventListener('input', () => ctx.changed());
  return area;
}

registerInput({
  type: 'textarea',
  create(spec, ctx) {
    const area = createTextarea(ctx, { monospace: spec.monospace, placeholder: spec.placeholder });
    return {
      element: area,
      read: () => area.value,
      write(value) {
        area.value = asText(value);
      },
      check() {
        if (spec.max_length !== null && codePointLength(area.value) > spec.max_length) return `At most ${spec.max_length} characters.`;
        return undefined;
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
