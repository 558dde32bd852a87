// UTF-8 bytes of a (possibly huge) string a chunk at a time, into buffers the caller reuses: encoding a 50 MB
// string whole costs a fresh 50 MB allocation (page faults, GC) where chunks stay in cache.
import { TextEncoder } from 'node:util';

const encoder = new TextEncoder();
/** A lone surrogate: in unicode mode a pair is one code point (not Cs), a lone half is one of its own. */
const LONE_SURROGATE = /\p{Cs}/u;

type WithIsWellFormed = { isWellFormed?: (this: string) => boolean };
const nativeIsWellFormed = (String.prototype as WithIsWellFormed).isWellFormed;

/** True when `text` has no lone surrogate, i.e. its UTF-8 encoding decodes back to the same string. */
export function isWellFormedText(text: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(text) : !LONE_SURROGATE.test(text);
}

/** Smallest chunk buffer that always makes progress: one code point is at most 4 bytes. */
export const MIN_CHUNK_BYTES = 4;

/** Successive UTF-8 chunks of a string; a lone surrogate is written as U+FFFD, as Buffer.from does. */
export class Utf8Chunks {
  private position = 0;

  constructor(private readonly text: string) {}

  /** Fills `into` from its start; returns the bytes written, 0 once the whole text has been given. */
  next(into: Uint8Array): number {
    if (into.length < MIN_CHUNK_BYTES) throw new RangeError(`chunk buffers need at least ${MIN_CHUNK_BYTES} bytes`);
    const { text } = this;
    if (this.position >= text.length) return 0;
    // At most into.length code units fit (each is ≥ 1 byte); never cut a surrogate pair at the slice's end.
    let end = Math.min(text.length, this.position + into.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    const { read, written } = encoder.encodeInto(text.slice(this.position, end), into);
    this.position += read;
    return written;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
