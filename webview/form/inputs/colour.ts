// colour: a colour picker; sent as "#rrggbb" (the picker's own format; black when nothing was chosen).
import { el } from '../../dom';
import { registerInput } from '../registry';
import { createTextfield, textfieldBasics } from './textfield';

const HEX = /^#[0-9a-fA-F]{6}$/;

registerInput({
  type: 'colour',
  create(_spec, ctx) {
    const field = createTextfield(ctx, { type: 'color' });
    const hex = el('code', { className: 'colour-hex' });
    const show = (): void => {
      hex.textContent = field.value;
    };
    field.addEventListener('input', show);
    field.addEventListener('change', show);
    return {
      element: el('div', { className: 'colour-row' }, field, hex),
      canBeEmpty: false,
      read: () => (HEX.test(field.value) ? field.value.toLowerCase() : '#000000'),
      write(value) {
        field.value = typeof value === 'string' && HEX.test(value) ? value.toLowerCase() : '#000000';
        show();
      },
      ...textfieldBasics(field),
    };
  },
});
