// kv: key/value pairs, as `{pairs: [{key, value}]}`, `{pairs: {…}}`, or (as cookbook tools send) a plain object.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { isJsonRecord, textOf, unwrap } from '../values';
import { jsonView } from './json';

export function kvPairs(value: JsonValue): [string, JsonValue][] | undefined {
  const source = isJsonRecord(value) && Object.hasOwn(value, 'pairs') ? value.pairs : value;
  if (Array.isArray(source)) {
    const pairs: [string, JsonValue][] = [];
    for (const item of source) {
      if (isJsonRecord(item) && Object.hasOwn(item, 'key')) pairs.push([textOf(item.key), item.value ?? null]);
      else if (Array.isArray(item) && item.length === 2) pairs.push([textOf(item[0]), item[1]]);
      else return undefined;
    }
    return pairs;
  }
  return isJsonRecord(source) ? Object.entries(source) : undefined;
}

registerOutput({
  type: 'kv',
  render(raw) {
    const pairs = kvPairs(raw) ?? kvPairs(unwrap(raw).value);
    if (!pairs) return jsonView(raw);
    const list = el('dl', { className: 'kv-output' });
    for (const [key, value] of pairs) {
      list.append(el('dt', { text: key }), el('dd', { className: typeof value === 'string' ? '' : 'kv-json', text: value === null ? 'null' : textOf(value) }));
    }
    return { element: pairs.length > 0 ? list : el('div', { className: 'output-note', text: 'No pairs.' }) };
  },
});
