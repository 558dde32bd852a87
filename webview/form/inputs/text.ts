// text: a one-line string (placeholder, max_length). Sent as typed, "" included.
import { registerInput } from '../registry';
import { codePointLength } from '../values';
import { asText, createTextfield, textfieldBasics } from './textfield';

registerInput({
  type: 'text',
  create(spec, ctx) {
    const field = createTextfield(ctx, { type: 'text', placeholder: spec.placeholder, maxLength: spec.max_length });
    return {
      element: field,
      read: () => field.value,
      write(value) {
        field.value = asText(value);
      },
      check() {
        if (spec.max_length !== null && codePointLength(field.value) > spec.max_length) return `At most ${spec.max_length} characters.`;
        return undefined;
      },
      ...textfieldBasics(field),
    };
  },
});
