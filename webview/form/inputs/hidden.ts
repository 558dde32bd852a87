// hidden: no field; always sends its tool.json default as a string, as the original's hidden form field does.
import { el } from '../../dom';
import { registerInput } from '../registry';
import { asText } from './textfield';

registerInput({
  type: 'hidden',
  create(spec) {
    const value = spec.default === null ? undefined : asText(spec.default);
    return {
      element: el('div', { className: 'hidden-input' }),
      visible: false,
      read: () => value,
      // Past runs' and last inputs' values are ignored on purpose: the tool's current default is what is sent.
      write: () => undefined,
      setInvalid: () => undefined,
      focus: () => undefined,
    };
  },
});
