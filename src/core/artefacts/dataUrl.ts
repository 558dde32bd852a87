// Decoding of data URLs in tool outputs (RFC 2397): base64 (`data:image/png;base64,…`) and percent-encoded text
// (`data:image/svg+xml;utf8,<svg…>`, common for SVG).
export interface DecodedDataUrl {
  /** Lower-case MIME type; '' when the URL names none. */
  mime: string;
  /** The optional `name=` parameter. */
  name: string | undefined;
  bytes: Buffer;
}

const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;
// Also accept the URL-safe alphabet some encoders use.
const BASE64URL_BODY = /^[A-Za-z0-9_-]*={0,2}$/;

export function isDataUrl(value: unknown): value is string {
  return typeof value === 'string' && value.slice(0, 5).toLowerCase() === 'data:';
}

export function decodeDataUrl(text: string): DecodedDataUrl | { error: string } {
  if (!isDataUrl(text)) return { error: 'not a data URL' };
  const comma = text.indexOf(',');
  if (comma < 0) return { error: 'data URL has no "," before its data' };
  const params = text.slice(5, comma).split(';').map((p) => p.trim());
  const mime = params[0].toLowerCase();
  const isBase64 = params.length > 1 && params[params.length - 1].toLowerCase() === 'base64';
  let name: string | undefined;
  for (const p of params.slice(1)) {
    if (p.toLowerCase().startsWith('name=')) {
      try {
        name = decodeURIComponent(p.slice(5));
      } catch {
        name = p.slice(5);
      }
    }
  }
  const body = text.slice(comma + 1);
  if (isBase64) {
    const compact = body.replace(/\s+/g, '');
    const urlSafe = !BASE64_BODY.test(compact) && BASE64URL_BODY.test(compact);
    if ((!BASE64_BODY.test(compact) && !urlSafe) || compact.length % 4 === 1) {
      return { error: 'data URL contains invalid base64' };
    }
    return { mime, name, bytes: Buffer.from(compact, urlSafe ? 'base64url' : 'base64') };
  }
  const bytes = percentDecode(body);
  return bytes === undefined ? { error: 'data URL contains an invalid percent-escape' } : { mime, name, bytes };
}

/** `%XX` escapes to bytes, at the byte level (decodeURIComponent would refuse escapes that are not UTF-8). */
function percentDecode(body: string): Buffer | undefined {
  const raw = Buffer.from(body, 'utf8');
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x25) {
      out[n++] = raw[i];
      continue;
    }
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
    out[n++] = parseInt(hex, 16);
    i += 2;
  }
  return out.subarray(0, n);
}
