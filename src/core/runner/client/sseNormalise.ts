// One SSE message from a tool → zero or more output updates. Tools send two shapes (reference §2.5):
// named events (`event: <output_key>`, data JSON or text, possibly a {value, done} envelope) and data-only
// JSON — either `{output_key, value, done}` or ad-hoc objects such as `{"chunk": "…", "done": false}`
// whose keys name outputs (`chunk` meaning the main stream_text output).

export interface RawSseMessage {
  event?: string;
  data: string;
  id?: string;
}

export interface StreamEvent {
  /** Declared output the value belongs to; undefined when the message names none. */
  outputKey?: string;
  value: unknown;
  done: boolean;
  raw: RawSseMessage;
}

export interface NormaliseContext {
  knownOutputKeys?: readonly string[];
  /** The first stream_text output: receives `chunk` values and plain-text data. */
  defaultTextKey?: string;
}

export type NormalisedMessage =
  | { kind: 'events'; events: StreamEvent[] }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

const ENVELOPE_KEYS = new Set(['output_key', 'value', 'done']);
const BOOKKEEPING_KEYS = new Set(['done', 'run_id']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseData(data: string): { json: true; value: unknown } | { json: false } {
  try {
    return { json: true, value: JSON.parse(data) };
  } catch {
    return { json: false };
  }
}

function errorMessage(data: string): string {
  const parsed = parseData(data);
  if (parsed.json) {
    const v = parsed.value;
    if (typeof v === 'string') return v;
    if (isRecord(v)) {
      for (const key of ['message', 'detail', 'error']) if (typeof v[key] === 'string') return v[key] as string;
    }
  }
  return data.trim() || 'the tool reported a streaming error';
}

function namedEvent(name: string, raw: RawSseMessage): StreamEvent {
  const parsed = parseData(raw.data);
  if (!parsed.json) return { outputKey: name, value: raw.data, done: false, raw };
  const v = parsed.value;
  if (isRecord(v) && 'value' in v && Object.keys(v).every((k) => ENVELOPE_KEYS.has(k))) {
    return { outputKey: name, value: v.value, done: v.done === true, raw };
  }
  return { outputKey: name, value: v, done: false, raw };
}

function dataOnlyEvents(raw: RawSseMessage, ctx: NormaliseContext): StreamEvent[] {
  const parsed = parseData(raw.data);
  if (!parsed.json || typeof parsed.value === 'string') {
    const text = parsed.json ? (parsed.value as string) : raw.data;
    return [{ outputKey: ctx.defaultTextKey, value: text, done: false, raw }];
  }
  const v = parsed.value;
  if (!isRecord(v)) return [{ outputKey: undefined, value: v, done: false, raw }];
  const done = v.done === true;
  if (typeof v.output_key === 'string') return [{ outputKey: v.output_key, value: v.value, done, raw }];
  const known = new Set(ctx.knownOutputKeys ?? []);
  const events: StreamEvent[] = [];
  for (const [key, value] of Object.entries(v)) {
    if (BOOKKEEPING_KEYS.has(key)) continue;
    if (known.has(key)) events.push({ outputKey: key, value, done, raw });
    else if (key === 'chunk' && ctx.defaultTextKey) events.push({ outputKey: ctx.defaultTextKey, value, done, raw });
  }
  return events.length > 0 ? events : [{ outputKey: undefined, value: v, done, raw }];
}

export function normaliseSseMessage(raw: RawSseMessage, ctx: NormaliseContext = {}): NormalisedMessage {
  let name = raw.event;
  if (name?.startsWith('output:')) name = name.slice('output:'.length);
  if (name === 'done') return { kind: 'done' };
  if (name === 'error') return { kind: 'error', message: errorMessage(raw.data) };
  if (name && name !== 'message') return { kind: 'events', events: [namedEvent(name, raw)] };
  return { kind: 'events', events: dataOnlyEvents(raw, ctx) };
}
