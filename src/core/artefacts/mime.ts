// MIME types of artefacts: by file name (mime-types plus the original Pixie's extras), and by the first bytes of
// the content for the common formats, so an output that claims one type and holds another is caught.
import path from 'node:path';
import { mimeTable } from '../mimeTable';

export const FALLBACK_MIME = 'application/octet-stream';

/** Extensions the original Pixie adds to the standard table (reference §4.3). */
export const EXTRA_MIME_TYPES: Readonly<Record<string, string>> = {
  '.npy': 'application/x-numpy',
  '.parquet': 'application/x-parquet',
  '.gguf': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.onnx': 'application/x-onnx',
  '.webp': 'image/webp',
  '.jsonl': 'application/x-ndjson',
  '.geojson': 'application/geo+json',
  '.gpx': 'application/gpx+xml',
  '.kml': 'application/vnd.google-earth.kml+xml',
  '.tex': 'application/x-tex',
  '.md': 'text/markdown',
  '.patch': 'text/x-diff',
  '.diff': 'text/x-diff',
};

/** Extensions preferred over the library's first choice (it gives `mpga` for audio/mpeg, `oga` for audio/ogg). */
const PREFERRED_EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'video/quicktime': 'mov',
  'image/jpg': 'jpg',
  'text/plain': 'txt',
  'text/x-diff': 'diff',
  'application/x-numpy': 'npy',
  'application/x-parquet': 'parquet',
  'application/x-onnx': 'onnx',
  'application/x-ndjson': 'jsonl',
};

/** MIME type of a file name by its extension; application/octet-stream when unknown. */
export function mimeForFilename(filename: string): string {
  const ext = path.extname(filename).toLowerCase();
  if (ext === '') return FALLBACK_MIME;
  return EXTRA_MIME_TYPES[ext] ?? (mimeTable().lookup(ext) || FALLBACK_MIME);
}

/** File extension (no dot) for a MIME type; `bin` when unknown. */
export function extensionForMime(mime: string): string {
  const base = baseMime(mime);
  return PREFERRED_EXTENSIONS[base] ?? (mimeTable().extension(base) || 'bin');
}

/** `Image/PNG; charset=x` → `image/png`. */
export function baseMime(mime: string): string {
  return mime.split(';')[0].trim().toLowerCase();
}

/** A container format recognisable by its signature, and every MIME type that legitimately uses it. */
interface SignatureFormat {
  mime: string;
  aliases: readonly string[];
  matches(head: Uint8Array): boolean;
}

const ascii = (head: Uint8Array, offset: number, text: string): boolean =>
  head.length >= offset + text.length && [...text].every((c, i) => head[offset + i] === c.charCodeAt(0));

const bytesAt = (head: Uint8Array, offset: number, bytes: readonly number[]): boolean =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

// MP3 without an ID3 tag starts with an MPEG audio frame: 11 sync bits, a version that is not reserved, a layer
// that is not 00 (00 would be AAC's ADTS header, which we do not claim to recognise).
const isMpegFrame = (head: Uint8Array): boolean =>
  head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x18) !== 0x08 && (head[1] & 0x06) !== 0;

const SIGNATURE_FORMATS: readonly SignatureFormat[] = [
  { mime: 'image/png', aliases: ['image/apng'], matches: (h) => bytesAt(h, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mime: 'image/jpeg', aliases: ['image/jpg', 'image/pjpeg'], matches: (h) => bytesAt(h, 0, [0xff, 0xd8, 0xff]) },
  { mime: 'image/gif', aliases: [], matches: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a') },
  { mime: 'image/webp', aliases: [], matches: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP') },
  {
    mime: 'audio/wav',
    aliases: ['audio/wave', 'audio/x-wav', 'audio/vnd.wave', 'audio/x-pn-wav'],
    matches: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WAVE'),
  },
  { mime: 'audio/mpeg', aliases: ['audio/mp3', 'audio/mpeg3', 'audio/x-mpeg'], matches: (h) => ascii(h, 0, 'ID3') || isMpegFrame(h) },
  {
    mime: 'audio/ogg',
    aliases: ['video/ogg', 'application/ogg', 'audio/opus', 'audio/vorbis', 'audio/x-ogg'],
    matches: (h) => ascii(h, 0, 'OggS'),
  },
  { mime: 'audio/flac', aliases: ['audio/x-flac'], matches: (h) => ascii(h, 0, 'fLaC') },
  {
    mime: 'video/mp4',
    aliases: [
      'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'video/x-m4v', 'video/quicktime', 'video/3gpp', 'video/3gpp2',
      'audio/3gpp', 'image/heic', 'image/heif', 'image/avif',
    ],
    matches: (h) => ascii(h, 4, 'ftyp'),
  },
  { mime: 'video/webm', aliases: ['audio/webm', 'video/x-matroska', 'audio/x-matroska'], matches: (h) => bytesAt(h, 0, [0x1a, 0x45, 0xdf, 0xa3]) },
  { mime: 'application/pdf', aliases: ['application/x-pdf'], matches: (h) => ascii(h, 0, '%PDF-') },
  {
    mime: 'application/zip',
    aliases: [
      'application/x-zip-compressed', 'application/java-archive', 'application/vnd.android.package-archive',
      'application/epub+zip',
    ],
    matches: (h) => bytesAt(h, 0, [0x50, 0x4b]) && (bytesAt(h, 2, [3, 4]) || bytesAt(h, 2, [5, 6]) || bytesAt(h, 2, [7, 8])),
  },
];

/** Zip-based document formats (docx, xlsx, odt, …) are zip files underneath. */
function isZipBased(mime: string): boolean {
  return mime.endsWith('+zip') || mime.startsWith('application/vnd.openxmlformats-') || mime.startsWith('application/vnd.oasis.opendocument.');
}

function signatureFormatOf(mime: string): SignatureFormat | undefined {
  const base = baseMime(mime);
  const zip = SIGNATURE_FORMATS.find((f) => f.mime === 'application/zip');
  if (isZipBased(base)) return zip;
  return SIGNATURE_FORMATS.find((f) => f.mime === base || f.aliases.includes(base));
}

/** UTF-8 without control characters other than tab, newlines, form feed and escape: plain text. */
function decodeText(head: Uint8Array): string | undefined {
  if (head.length === 0) return undefined;
  let text: string;
  try {
    // A fresh decoder each time (a fatal one keeps no usable state after an error); stream: a multi-byte
    // character cut off at the end of the head is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const allowedControl = c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x1b;
    if ((c < 0x20 && !allowedControl) || c === 0x7f) return undefined;
  }
  return text;
}

/**
 * MIME type of content by its first bytes (4 KiB is plenty): PNG, JPEG, GIF, WebP, WAV, MP3, OGG, FLAC, MP4 family,
 * WebM, PDF, ZIP by signature; then SVG, HTML and plain text by a look at the text; undefined when none fits.
 */
export function sniffMime(head: Uint8Array): string | undefined {
  const format = SIGNATURE_FORMATS.find((f) => f.matches(head));
  if (format) return format.mime;
  const text = decodeText(head);
  if (text === undefined) return undefined;
  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && start.includes('<svg'))) return 'image/svg+xml';
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'text/html';
  return 'text/plain';
}

/** Output types whose values must be of one MIME family. */
const FAMILY_OF_OUTPUT_TYPE: Readonly<Record<string, string>> = { image: 'image', audio: 'audio', video: 'video' };

export interface MimeCheck {
  /** What the output promised: `image/*` for a family rule, else the MIME type the name or data URL claimed. */
  declared: string;
  /** What was found. */
  actual: string;
  message: string;
}

/**
 * Checks content against the declared output type (image → image/*, …) and against the MIME type its name or data
 * URL claims, by signature. Returns the first problem, or undefined when they agree (or nothing can be told).
 */
export function checkMime(outputType: string, claimedMime: string, head: Uint8Array): MimeCheck | undefined {
  const claimed = baseMime(claimedMime);
  const sniffed = sniffMime(head);
  const family = FAMILY_OF_OUTPUT_TYPE[outputType];
  if (family !== undefined && !claimed.startsWith(`${family}/`)) {
    return {
      declared: `${family}/*`,
      actual: claimed,
      message: `declared as ${outputType} output but the content is ${claimed}`,
    };
  }
  const claimedFormat = signatureFormatOf(claimed);
  const sniffedFormat = sniffed === undefined ? undefined : signatureFormatOf(sniffed);
  const actual = sniffed ?? (head.length === 0 ? 'empty' : 'unrecognised binary data');
  if (claimedFormat !== undefined && sniffedFormat !== claimedFormat) {
    return { declared: claimed, actual, message: `claims ${claimed} but the bytes are ${actual}` };
  }
  if (claimedFormat === undefined && sniffedFormat !== undefined && claimed !== FALLBACK_MIME) {
    return { declared: claimed, actual, message: `claims ${claimed} but the bytes are ${actual}` };
  }
  // Media without a signature we know (e.g. image/tiff) can still not be text, except SVG, which is XML.
  if (family !== undefined && claimedFormat === undefined && sniffed !== undefined && sniffed.startsWith('text/')) {
    const svgLike = claimed === 'image/svg+xml' && /^\s*</.test(new TextDecoder().decode(head.subarray(0, 256)).replace(/^\uFEFF/, ''));
    if (!svgLike) return { declared: claimed, actual: sniffed, message: `claims ${claimed} but the bytes are ${sniffed}` };
  }
  return undefined;
}
