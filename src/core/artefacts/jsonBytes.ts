// Serialized (JSON, UTF-8) sizes without serializing big strings: JSON.stringify of a 50 MB string takes hundreds
// of milliseconds and as much memory again, while its size follows from its UTF-8 bytes and what JSON escapes.
import { escapeCounter, escapeExtraOf, type EscapeCounter } from './jsonEscapes';
import { isWellFormedText, Utf8Chunks } from './utf8Chunks';

/** Below this many code units JSON.stringify is the cheaper way to the size. */
const SHORT_STRING = 64 * 1024;

/**
 * Buffer.byteLength(JSON.stringify(text)), without building the JSON text of a long string. `counter` is for
 * tests (the byte-by-byte one).
 */
export function jsonStringByteLength(text: string, counter: EscapeCounter = escapeCounter()): number {
  // A lone surrogate is escaped as \uXXXX in JSON but is U+FFFD in UTF-8: leave those to JSON.stringify.
  if (text.length < SHORT_STRING || !isWellFormedText(text)) return Buffer.byteLength(JSON.stringify(text), 'utf8');
  const chunks = new Utf8Chunks(text);
  let total = 2; // the quotes
  for (let n = chunks.next(counter.bytes); n > 0; n = chunks.next(counter.bytes)) total += n + counter.count(n);
  return total;
}

/** A well-formed string's JSON size, summed from its UTF-8 chunks by a pass that has them anyway (hash, write). */
export class JsonStringSizer {
  private total = 2; // the quotes

  add(chunk: Uint8Array): void {
    this.total += chunk.length + escapeExtraOf(chunk);
  }

  get bytes(): number {
    return this.total;
  }
}

/** A value's JSON: its text when it had to be built (structured values), and its UTF-8 size. */
export interface MeasuredJson {
  /** undefined for values JSON leaves out of objects (undefined, functions, symbols). */
  bytes: number | undefined;
  /** The JSON text, kept for structured values so it is built once; strings are measured without it. */
  text: string | undefined;
}

/** Measures one value: strings by their bytes, anything else by one JSON.stringify whose text is kept. */
export function measureJson(value: unknown): MeasuredJson {
  if (typeof value === 'string') return { bytes: jsonStringByteLength(value), text: undefined };
  const text = JSON.stringify(value) as string | undefined;
  return { bytes: text === undefined ? undefined : Buffer.byteLength(text, 'utf8'), text };
}
