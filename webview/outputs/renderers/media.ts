// audio and video: the browser's own players (controls, never autoplay). A value is a produced file (shown with its
// name and Open/Reveal — VS Code's media viewer plays it in a tab too), a data URL of the right type, or a record
// holding one (`{value|url|data|src, caption|label?, poster?}` for video), or a list of those. http(s) sources are
// not loaded (nothing loads from the network): the address is offered to open in the browser.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput, type OutputContext } from '../registry';
import { isJsonRecord } from '../values';
import { artefactButtons, artefactMeta } from './artefactActions';
import { jsonFallback, note } from './fields';
import { captionOf, mediaSourceOf, sourceProblemView, type MediaKind } from './mediaSource';

/** More than this many players in one output are not created (each holds a decoder). */
export const MEDIA_MAX_ITEMS = 50;

function player(kind: Exclude<MediaKind, 'image'>, src: string, label: string, poster: string | undefined): HTMLMediaElement {
  const media = el(kind, {
    className: `${kind}-output`,
    attrs: { controls: true, preload: 'metadata', src, 'aria-label': label, poster: kind === 'video' ? poster : undefined },
  });
  media.appendChild(document.createTextNode(`This ${kind} cannot be played here.`));
  return media;
}

function posterOf(value: JsonValue): string | undefined {
  if (!isJsonRecord(value) || !Object.hasOwn(value, 'poster')) return undefined;
  const source = mediaSourceOf(value.poster, 'image');
  return source && (source.kind === 'file' || source.kind === 'data') ? source.src : undefined;
}

/** One player with its caption; undefined when the value holds no source at all. */
function mediaItem(kind: Exclude<MediaKind, 'image'>, value: JsonValue, label: string, ctx: OutputContext): HTMLElement | undefined {
  const source = mediaSourceOf(value, kind);
  if (!source) return undefined;
  const caption = captionOf(value);
  const name = caption ?? label;
  const body: HTMLElement[] = [];
  if (source.kind === 'file') body.push(player(kind, source.src, name, posterOf(value)), el('div', { className: 'media-meta' }, artefactMeta(source.ref), artefactButtons(source.ref, ctx)));
  else if (source.kind === 'data') body.push(player(kind, source.src, name, posterOf(value)));
  else body.push(sourceProblemView(source, ctx));
  return el('figure', { className: 'media-figure' }, ...body, caption ? el('figcaption', { className: 'media-caption', text: caption }) : null);
}

function renderMedia(kind: Exclude<MediaKind, 'image'>, raw: JsonValue, label: string, ctx: OutputContext): { element: HTMLElement } {
  const list = Array.isArray(raw) ? raw : isJsonRecord(raw) && Array.isArray(raw.items) ? raw.items : undefined;
  if (list) {
    if (list.length === 0) return { element: note(`No ${kind}.`) };
    const items = list.slice(0, MEDIA_MAX_ITEMS).map((item, i) => mediaItem(kind, item, `${label} ${i + 1}`, ctx) ?? jsonFallback(item, `No ${kind} source in this item.`).element);
    return {
      element: el(
        'div',
        { className: 'media-list' },
        ...items,
        list.length > MEDIA_MAX_ITEMS ? note(`Showing the first ${MEDIA_MAX_ITEMS} of ${list.length}.`) : null,
      ),
    };
  }
  if (raw === null || raw === '' || (isJsonRecord(raw) && (raw.value === '' || raw.value === null))) return { element: note(`No ${kind}.`) };
  return { element: mediaItem(kind, raw, label, ctx) ?? jsonFallback(raw, `${kind === 'audio' ? 'An audio' : 'A video'} output needs a data URL, a produced file, or {value: …}.`).element };
}

registerOutput({
  type: 'audio',
  render: (raw, spec, ctx) => renderMedia('audio', raw, spec.label, ctx),
});

registerOutput({
  type: 'video',
  render: (raw, spec, ctx) => renderMedia('video', raw, spec.label, ctx),
});
