// The JSON views every output falls back to: a readable, pretty-printed value; and the card body for types this
// version does not render yet, which still shows the value (never a blank card).
import type { JsonValue } from '../../../src/protocol';
import { el, icon } from '../../dom';
import type { OutputView } from '../registry';
import { prettyJson } from '../values';

export function jsonView(value: JsonValue): OutputView {
  const { text, truncated } = prettyJson(value);
  const element = el(
    'div',
    { className: 'json-view' },
    el('pre', { className: 'json', attrs: { tabindex: 0 }, text }),
    truncated ? el('div', { className: 'output-note', text: 'The value is longer than shown here (cut at 200,000 characters).' }) : null,
  );
  return { element };
}

export function unsupportedView(type: string, value: JsonValue): OutputView {
  const note = el(
    'div',
    { className: 'unsupported-note', attrs: { role: 'note' } },
    icon('info'),
    ` “${type}” outputs are not yet supported in this version; the value is shown as JSON.`,
  );
  return { element: el('div', { className: 'unsupported' }, note, jsonView(value).element) };
}
