// stream_text: text that grows while the run streams; updates append the new part instead of redrawing.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { textOf, unwrap } from '../values';

function asText(value: JsonValue): string {
  const inner = unwrap(value).value;
  return inner === null ? '' : textOf(inner);
}

registerOutput({
  type: 'stream_text',
  render(value) {
    const element = el('div', { className: 'text-output stream-output', attrs: { 'aria-live': 'off' } });
    let shown = asText(value);
    element.textContent = shown;
    return {
      element,
      update(next) {
        const text = asText(next);
        if (text.startsWith(shown)) element.appendChild(document.createTextNode(text.slice(shown.length)));
        else element.textContent = text;
        shown = text;
        return true;
      },
    };
  },
});
