// The JSON of a tool's outputs object, built from its top-level values, each measured once (see jsonBytes.ts), so a
// spill never serializes a big value again just to learn a size.
import { measureJson, type MeasuredJson } from './jsonBytes';

/** Size of JSON.stringify(value) as stored: undefined counts as `null`. */
export function jsonBytesOrNull(json: MeasuredJson): number {
  return json.bytes ?? 4;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * The JSON of the outputs, built from their top-level values, each measured once: a 50 MB value is never
 * serialized again to learn a size, and its text (when one had to be built) is reused for its file. A value is
 * measured again only when the spill replaced it (by identity).
 */
export class OutputsJson {
  private readonly measured = new Map<string, { value: unknown; json: MeasuredJson }>();

  /** Takes a measurement made elsewhere (while the value was written). */
  remember(key: string, value: unknown, json: MeasuredJson): void {
    this.measured.set(key, { value, json });
  }

  measure(key: string, value: unknown): MeasuredJson {
    const known = this.measured.get(key);
    if (known !== undefined && Object.is(known.value, value)) return known.json;
    const json = measureJson(value);
    this.measured.set(key, { value, json });
    return json;
  }

  /** JSON text of one value (strings are measured without building it, so it is built here). */
  text(key: string, value: unknown): string | undefined {
    return this.measure(key, value).text ?? (typeof value === 'string' ? JSON.stringify(value) : undefined);
  }

  /** Buffer.byteLength(JSON.stringify(obj)) from the values' sizes. */
  bytesOf(obj: Record<string, unknown>): number {
    if (hasToJson(obj)) return jsonBytesOrNull(measureJson(obj));
    let bytes = 2;
    let members = 0;
    for (const [key, value] of Object.entries(obj)) {
      const size = this.measure(key, value).bytes;
      if (size === undefined) continue; // JSON leaves the member out
      bytes += Buffer.byteLength(JSON.stringify(key), 'utf8') + 1 + size;
      members++;
    }
    return bytes + Math.max(0, members - 1);
  }

  /** JSON.stringify(obj) from the values' texts. */
  textOf(obj: Record<string, unknown>): string {
    if (hasToJson(obj)) return JSON.stringify(obj);
    const members: string[] = [];
    for (const [key, value] of Object.entries(obj)) {
      const text = this.text(key, value);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(',')}}`;
  }
}
