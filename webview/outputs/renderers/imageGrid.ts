// image_grid: several images with captions. Accepts `{images: [...]}` or a bare list; an item is a produced file, a
// data URL, or `{value|url|data|src, label|caption|title?}`. A produced file opens in an editor tab on click; remote
// and unusable items show why in their cell. Large grids show a page at a time.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput, type OutputContext } from '../registry';
import { isJsonRecord } from '../values';
import { jsonFallback, moreButton, note } from './fields';
import { captionOf, mediaSourceOf, sourceProblemView } from './mediaSource';

export const GRID_PAGE = 200;

function imageList(raw: JsonValue, depth = 0): JsonValue[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (!isJsonRecord(raw)) return undefined;
  if (Array.isArray(raw.images)) return raw.images;
  return depth === 0 && Object.hasOwn(raw, 'value') ? imageList(raw.value, 1) : undefined;
}

function cell(item: JsonValue, index: number, ctx: OutputContext): HTMLElement {
  const caption = captionOf(item);
  const alt = caption ?? `Image ${index + 1}`;
  const source = mediaSourceOf(item, 'image');
  let body: HTMLElement;
  if (!source) body = note('No image in this item.');
  else if (source.kind === 'data') body = el('img', { className: 'grid-image', attrs: { src: source.src, alt, loading: 'lazy' } });
  else if (source.kind === 'file') {
    const { ref } = source;
    body = el('button', { className: 'grid-open', attrs: { type: 'button', title: `Open ${ref.filename}`, 'aria-label': `Open ${caption ?? ref.filename} in an editor tab` } }, el('img', { className: 'grid-image', attrs: { src: source.src, alt, loading: 'lazy' } }));
    body.addEventListener('click', () => {
      ctx.request('openArtefact', { id: ref.id }).catch((error: Error) => ctx.notify(`Could not open ${ref.filename}: ${error.message}`));
    });
  } else body = sourceProblemView(source, ctx);
  return el('figure', { className: 'grid-cell' }, body, caption ? el('figcaption', { className: 'grid-caption', text: caption }) : null);
}

registerOutput({
  type: 'image_grid',
  render(raw, _spec, ctx) {
    const items = imageList(raw);
    if (!items) return jsonFallback(raw, 'An image grid needs {images: [...]} or a list of images.');
    if (items.length === 0) return { element: note('No images.') };
    const grid = el('div', { className: 'image-grid', attrs: { role: 'list' } });
    const element = el('div', { className: 'image-grid-view' }, grid);
    let shown = 0;
    let more: HTMLElement | undefined;
    const showMore = (): void => {
      more?.remove();
      for (const item of items.slice(shown, shown + GRID_PAGE)) {
        const figure = cell(item, shown, ctx);
        figure.setAttribute('role', 'listitem');
        grid.appendChild(figure);
        shown += 1;
      }
      more = shown < items.length ? moreButton(items.length - shown, GRID_PAGE, showMore) : undefined;
      if (more) element.appendChild(more);
    };
    showMore();
    return { element };
  },
});
