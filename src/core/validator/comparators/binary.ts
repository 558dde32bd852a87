// Bytes behind media and file outputs: data URLs decoded, size and SHA-256 for the fallback comparison.
import { createHash } from 'node:crypto';
import { isRecord } from './values';

export interface Blob {
  bytes: Buffer;
  mime: string;
}

/** `data:<mime>[;base64],<data>` → bytes; undefined for anything else. */
export function decodeDataUrl(text: string): Blob | undefined {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(text);
  if (!m) return undefined;
  const base64 = /;base64/i.test(m[2]);
  try {
    const bytes = base64 ? Buffer.from(m[3], 'base64') : Buffer.from(decodeURIComponent(m[3]), 'utf8');
    return { bytes, mime: m[1] || 'text/plain' };
  } catch {
    return undefined;
  }
}

/** The data URL or URL of a media value: a string, or `{value}` / `{data}` / `{url}`. */
export function mediaSource(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isRecord(v)) {
    for (const key of ['value', 'data', 'url']) if (typeof v[key] === 'string') return v[key] as string;
  }
  return undefined;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface Fingerprint {
  size: number;
  sha256: string;
}

/** Size + SHA-256 of a data URL's bytes; for a plain URL, of the URL text itself. */
export function fingerprint(source: string): Fingerprint & { isUrl: boolean } {
  const blob = decodeDataUrl(source);
  const bytes = blob ? blob.bytes : Buffer.from(source, 'utf8');
  return { size: bytes.length, sha256: sha256(bytes), isUrl: !blob };
}
