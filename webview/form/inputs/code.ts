// code: source text in a monospace box labelled with its language, sent as typed.
// (Syntax highlighting while editing comes with the full renderer set.)
import { el } from '../../dom';
import { registerInput } from '../registry';
import { createTextarea } from './textarea';
import { asText } from './textfield';

registerInput({
  type: 'code',
  create(spec, ctx) {
    const area = createTextarea(ctx, { monospace: true, rows: 8 });
    area.spellcheck = false;
    const element = el('div', { className: 'code-input' }, spec.language ? el('span', { className: 'code-language', text: spec.language }) : null, area);
    return {
      element,
      read: () => area.value,
      write(value) {
        area.value = asText(value);
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
