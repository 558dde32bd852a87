// Data URLs carry file, image and audio inputs (`data:<mime>[;name=<file>];base64,<data>`).
import { mimeTable } from '../mimeTable';

export interface DataUrl {
  mime: string;
  /** The optional `name=` parameter (URI-decoded), when the sender included the file name. */
  name: string | undefined;
  /** Decoded size in bytes, computed without decoding. */
  size: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses a base64 data URL, or returns a reason it is not one. */
export function parseDataUrl(text: string): DataUrl | { error: string } {
  if (!text.startsWith('data:')) return { error: 'expected a data URL (data:<mime>;base64,…)' };
  const comma = text.indexOf(',');
  if (comma < 0) return { error: 'data URL has no "," before its data' };
  const params = text.slice(5, comma).split(';');
  if (params[params.length - 1].toLowerCase() !== 'base64') return { error: 'data URL must be base64-encoded (…;base64,…)' };
  const body = text.slice(comma + 1);
  if (!BASE64.test(body) || body.length % 4 === 1) return { error: 'data URL contains invalid base64' };
  let name: string | undefined;
  for (const p of params.slice(1, -1)) {
    if (p.toLowerCase().startsWith('name=')) {
      try {
        name = decodeURIComponent(p.slice(5));
      } catch {
        name = p.slice(5);
      }
    }
  }
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return { mime: params[0].toLowerCase(), name, size: Math.floor(((body.length - padding) * 3) / 4) };
}

/** Splits an HTML `accept` value (string with commas, or a list) into lower-case entries. */
export function acceptEntries(accept: string | string[] | null): string[] {
  if (accept === null) return [];
  const parts = Array.isArray(accept) ? accept : [accept];
  return parts.flatMap((p) => p.split(',')).map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
}

/**
 * Whether a file of type `type` (and optional `name`) fits `entries` (`.csv`, `image/*`, `text/csv`).
 * An unknown type (empty or application/octet-stream) is let through: the browser could not tell.
 */
export function acceptMatches(entries: string[], type: string, name: string | undefined): boolean {
  if (entries.length === 0 || type === '' || type === 'application/octet-stream') return true;
  return entries.some((entry) => {
    if (entry.startsWith('.')) {
      return (name !== undefined && name.toLowerCase().endsWith(entry)) || mimeTable().lookup(entry) === type;
    }
    if (entry.endsWith('/*')) return type.startsWith(entry.slice(0, -1));
    return entry === type;
  });
}
