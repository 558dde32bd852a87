// select: one option of `options` (searchable, or many options → a filter box). Sent as the option's value with its JSON type
// (the original casts to the type of the options' values). Like a native <select>, the first option is chosen
// when there is no default.
import { custom } from '../../dom';
import { setSelectOptions, type SingleSelectElement } from '../../elements/types';
import { registerInput } from '../registry';
import { MANY_OPTIONS, optionAt, optionIndex, optionItems } from './options';

registerInput({
  type: 'select',
  create(spec, ctx) {
    const select = custom<SingleSelectElement>('vscode-single-select', {
      className: 'control',
      attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy },
    });
    setSelectOptions(select, optionItems(spec.options));
    if (spec.searchable || spec.options.length > MANY_OPTIONS) select.combobox = true;
    select.addEventListener('change', () => ctx.changed());
    return {
      element: select,
      canBeEmpty: spec.options.length === 0,
      read: () => optionAt(spec.options, select.value)?.value,
      write(value) {
        const index = optionIndex(spec.options, value);
        select.value = spec.options.length === 0 ? '' : String(index >= 0 ? index : 0);
      },
      setInvalid(invalid) {
        select.invalid = invalid;
      },
      focus() {
        select.focus();
      },
    };
  },
});
