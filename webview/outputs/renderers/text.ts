// text: plain text (raw string or {value}), whitespace kept, never parsed as markup.
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { textOf, unwrap } from '../values';

registerOutput({
  type: 'text',
  render(raw) {
    const { value } = unwrap(raw);
    return { element: el('div', { className: 'text-output', text: value === null ? '' : textOf(value) }) };
  },
});
