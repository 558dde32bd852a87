// multiselect: any number of `options`, sent as a list of the options' values (an empty list when none).
import { custom } from '../../dom';
import { setSelectOptions, type MultiSelectElement } from '../../elements/types';
import { registerInput } from '../registry';
import { MANY_OPTIONS, optionAt, optionIndex, optionItems } from './options';

registerInput({
  type: 'multiselect',
  create(spec, ctx) {
    const select = custom<MultiSelectElement>('vscode-multi-select', {
      className: 'control',
      attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy },
    });
    setSelectOptions(select, optionItems(spec.options));
    // A long list gets a filter box, as a searchable select does.
    if (spec.options.length > MANY_OPTIONS) select.combobox = true;
    select.addEventListener('change', () => ctx.changed());
    return {
      element: select,
      // The original sends [] for "none chosen", which passes `required`.
      canBeEmpty: false,
      // In option order, as a native multiple select submits them.
      read: () =>
        [...select.value]
          .sort((a, b) => Number(a) - Number(b))
          .map((index) => optionAt(spec.options, index))
          .filter((o) => o !== undefined)
          .map((o) => o.value),
      write(value) {
        const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
        select.value = list.map((v) => optionIndex(spec.options, v)).filter((i) => i >= 0).map(String);
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
