// image: a produced image file (resolved to a webview URI by the host), a data URL, or `{url|data|value, alt?}`.
// http(s) images are not loaded (nothing loads from the network): the address is shown with a button that opens it
// in the browser.
import type { FileRef, JsonValue } from '../../../src/protocol';
import { fileRefOf } from '../../../src/protocol';
import { custom, el } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { registerOutput, type OutputContext } from '../registry';
import { isJsonRecord, stringField } from '../values';
import { artefactButtons, artefactMeta } from './artefactActions';
import { jsonView } from './json';

interface ImageSource {
  ref?: FileRef;
  url?: string;
  alt: string;
}

export function imageSource(value: JsonValue, fallbackAlt: string): ImageSource | undefined {
  const ref = fileRefOf(value);
  const record = isJsonRecord(value) ? value : undefined;
  const alt = (record && stringField(record, 'alt')) ?? fallbackAlt;
  if (ref) return { ref, alt };
  if (typeof value === 'string') return { url: value, alt };
  if (!record) return undefined;
  for (const field of ['url', 'data', 'value']) {
    const inner = record[field];
    const innerRef = fileRefOf(inner);
    if (innerRef) return { ref: innerRef, alt };
    if (typeof inner === 'string') return { url: inner, alt };
  }
  return undefined;
}

export function remoteLink(url: string, ctx: OutputContext): HTMLElement {
  const open = custom<ButtonElement>('vscode-button', { attrs: { 'aria-label': `Open ${url} in the browser` } }, 'Open in browser');
  open.secondary = true;
  open.icon = 'link-external';
  open.addEventListener('click', () => {
    ctx.request('openExternal', { url }).catch((error: Error) => ctx.notify(`Could not open the link: ${error.message}`));
  });
  return el(
    'div',
    { className: 'remote-media' },
    el('div', { className: 'output-note', text: 'Remote content is not loaded here (Pixie loads nothing from the network):' }),
    el('code', { className: 'remote-url', text: url }),
    open,
  );
}

export function imageElement(src: string, alt: string): HTMLImageElement {
  return el('img', { className: 'image-output', attrs: { src, alt, loading: 'lazy' } });
}

registerOutput({
  type: 'image',
  render(value, spec, ctx) {
    const source = imageSource(value, spec.label);
    if (!source) return jsonView(value);
    if (source.ref) {
      const { ref } = source;
      return {
        element: el(
          'figure',
          { className: 'image-figure' },
          ref.uri !== null ? imageElement(ref.uri, source.alt) : null,
          el('figcaption', {}, artefactMeta(ref), artefactButtons(ref, ctx)),
        ),
      };
    }
    const url = source.url ?? '';
    if (/^data:image\//i.test(url)) return { element: el('figure', { className: 'image-figure' }, imageElement(url, source.alt)) };
    if (/^https?:\/\//i.test(url)) return { element: remoteLink(url, ctx) };
    return jsonView(value);
  },
});
