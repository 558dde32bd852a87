// Where an image, audio or video value can be loaded from. Only two kinds ever load: a file the run produced (the
// host turned it into a webview URI) and a data: URL of the right media type. An http(s) address is offered to open
// in the browser (nothing loads from the network); anything else (javascript:, paths, other data) is refused.
import type { FileRef, JsonValue } from '../../../src/protocol';
import { fileRefOf } from '../../../src/protocol';
import { el } from '../../dom';
import type { OutputContext } from '../registry';
import { isJsonRecord } from '../values';
import { artefactButtons, artefactMeta } from './artefactActions';
import { remoteLink } from './image';

export type MediaKind = 'image' | 'audio' | 'video';

export type MediaSource =
  | { kind: 'file'; ref: FileRef; src: string }
  | { kind: 'data'; src: string }
  | { kind: 'remote'; url: string }
  | { kind: 'unavailable'; reason: string; ref?: FileRef };

/** Fields a tool may put the source in, in the order they are tried. */
const SOURCE_FIELDS = ['value', 'url', 'data', 'src', 'file', 'image', 'audio', 'video'];

const DATA_URL: Record<MediaKind, RegExp> = {
  image: /^data:image\/[a-z0-9.+-]+[;,]/i,
  // WebM and Ogg containers carry audio-only streams too.
  audio: /^data:(audio\/[a-z0-9.+-]+|video\/(webm|ogg)|application\/ogg)[;,]/i,
  video: /^data:(video\/[a-z0-9.+-]+|application\/ogg)[;,]/i,
};

/** URIs the host gives file references: webview resource URIs (https in current VS Code). */
const WEBVIEW_URI = /^(https:|vscode-webview-resource:|vscode-resource:)/i;

function fromRef(ref: FileRef): MediaSource {
  if (ref.uri === null) return { kind: 'unavailable', reason: ref.problem ?? 'The file cannot be shown.', ref };
  if (!WEBVIEW_URI.test(ref.uri.trim())) return { kind: 'unavailable', reason: 'The file reference does not point to a local file.', ref };
  return { kind: 'file', ref, src: ref.uri };
}

function fromString(text: string, kind: MediaKind): MediaSource {
  const value = text.trim();
  if (DATA_URL[kind].test(value)) return { kind: 'data', src: value };
  if (/^data:/i.test(value)) return { kind: 'unavailable', reason: `This data URL is not ${kind === 'image' ? 'an image' : kind}.` };
  if (/^https?:\/\//i.test(value)) return { kind: 'remote', url: value };
  return { kind: 'unavailable', reason: `Only files the run produced and data URLs can be shown (got “${value.slice(0, 80)}”).` };
}

/** The source in a value (a file reference, a string, or a record holding one); undefined: no source at all. */
export function mediaSourceOf(value: JsonValue | undefined, kind: MediaKind, depth = 0): MediaSource | undefined {
  if (value === undefined || value === null) return undefined;
  const ref = fileRefOf(value);
  if (ref) return fromRef(ref);
  if (typeof value === 'string') return fromString(value, kind);
  if (!isJsonRecord(value) || depth > 2) return undefined;
  for (const field of SOURCE_FIELDS) {
    if (!Object.hasOwn(value, field)) continue;
    const inner = mediaSourceOf(value[field], kind, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** A caption a tool put beside a source. */
export function captionOf(value: JsonValue | undefined): string | undefined {
  if (!isJsonRecord(value)) return undefined;
  for (const key of ['caption', 'label', 'title', 'name', 'alt']) {
    const text = value[key];
    if (typeof text === 'string' && text.trim() !== '') return text;
  }
  return undefined;
}

/** What to show instead of a source that does not load: the address to open in the browser, or why not. */
export function sourceProblemView(source: Exclude<MediaSource, { kind: 'file' | 'data' }>, ctx: OutputContext): HTMLElement {
  if (source.kind === 'remote') return remoteLink(source.url, ctx);
  return el(
    'div',
    { className: 'media-unavailable' },
    source.ref ? artefactMeta(source.ref) : null,
    source.ref?.problem === source.reason ? null : el('div', { className: 'output-note', attrs: { role: 'note' }, text: source.reason }),
    source.ref ? artefactButtons(source.ref, ctx) : null,
  );
}
