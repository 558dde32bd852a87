// radio: one of `options` as a radio group. Sent as a string, as the original's form sends radio values (the host
// matches "4" to an option 4).
import { custom, uniqueId } from '../../dom';
import type { RadioElement } from '../../elements/types';
import { registerInput } from '../registry';
import { optionIndex } from './options';

registerInput({
  type: 'radio',
  create(spec, ctx) {
    const name = uniqueId('radio');
    const group = custom<HTMLElement>('vscode-radio-group', {
      className: 'control',
      attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy, variant: spec.options.length > 3 ? 'vertical' : 'horizontal' },
    });
    const radios = spec.options.map((option, index) => {
      const radio = custom<RadioElement>('vscode-radio');
      radio.name = name;
      radio.value = String(index);
      radio.label = option.label;
      group.appendChild(radio);
      return radio;
    });
    group.addEventListener('change', () => ctx.changed());
    const checkedIndex = (): number => radios.findIndex((r) => r.checked);
    return {
      element: group,
      read() {
        const option = spec.options[checkedIndex()];
        return option === undefined ? undefined : String(option.value);
      },
      write(value) {
        const index = optionIndex(spec.options, value);
        radios.forEach((radio, i) => (radio.checked = i === index));
      },
      setInvalid(invalid) {
        for (const radio of radios) radio.invalid = invalid;
      },
      focus() {
        (radios[Math.max(0, checkedIndex())] ?? group).focus();
      },
    };
  },
});
