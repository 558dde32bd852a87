// Accumulates streamed output values with each output type's semantics (reference §2.5): stream_text appends text,
// log appends lines, line/bar/area charts append x and per-series y, progress and everything else replace.
// The accumulated state is what the UI shows live and what is stored as the run's final outputs.
import type { OutputSpec } from '../tools/model';

type Json = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{value: x}` envelopes carry scalar updates; unwrap them for appending types. */
function unwrap(value: Json): Json {
  return isRecord(value) && 'value' in value && Object.keys(value).every((key) => ['value', 'done', 'output_key'].includes(key))
    ? value.value
    : value;
}

function asText(value: Json): string {
  const inner = unwrap(value);
  if (typeof inner === 'string') return inner;
  if (inner === null || inner === undefined) return '';
  return typeof inner === 'number' || typeof inner === 'boolean' ? String(inner) : JSON.stringify(inner);
}

function asLines(value: Json): unknown[] {
  const inner = unwrap(value);
  if (isRecord(inner) && Array.isArray(inner.lines)) return inner.lines;
  if (Array.isArray(inner)) return inner;
  if (isRecord(inner) && ('message' in inner || 'level' in inner)) return [inner];
  if (typeof inner === 'string') return inner.split(/\r?\n/).filter((line) => line !== '').map((message) => ({ level: 'info', message }));
  return inner === undefined || inner === null ? [] : [inner];
}

function appendSeries(current: Json, delta: Json): Json {
  if (!isRecord(delta)) return delta;
  if (!isRecord(current)) return delta;
  const next: Record<string, unknown> = { ...current };
  if (Array.isArray(delta.x)) next.x = [...(Array.isArray(current.x) ? current.x : []), ...delta.x];
  if (Array.isArray(delta.series)) {
    const series = Array.isArray(current.series) ? current.series.map((s) => (isRecord(s) ? { ...s } : s)) : [];
    for (const update of delta.series) {
      if (!isRecord(update)) continue;
      const existing = series.find((s) => isRecord(s) && s.name === update.name) as Record<string, unknown> | undefined;
      if (existing) {
        existing.y = [...(Array.isArray(existing.y) ? existing.y : []), ...(Array.isArray(update.y) ? update.y : [])];
      } else {
        series.push({ ...update });
      }
    }
    next.series = series;
  }
  for (const [key, value] of Object.entries(delta)) if (key !== 'x' && key !== 'series') next[key] = value;
  return next;
}

export class StreamState {
  private readonly values = new Map<string, Json>();
  private readonly types = new Map<string, string>();

  constructor(outputs: readonly Pick<OutputSpec, 'key' | 'type'>[]) {
    for (const output of outputs) this.types.set(output.key, output.type);
  }

  /** Apply one update; returns the accumulated value of that output. */
  apply(key: string, value: Json): Json {
    const type = this.types.get(key);
    const current = this.values.get(key);
    let next: Json;
    switch (type) {
      case 'stream_text':
        next = (typeof current === 'string' ? current : '') + asText(value);
        break;
      case 'log':
        next = { lines: [...(isRecord(current) && Array.isArray(current.lines) ? current.lines : []), ...asLines(value)] };
        break;
      case 'chart_line':
      case 'chart_bar':
      case 'chart_area':
        next = appendSeries(current, unwrap(value));
        break;
      default:
        next = value; // progress and every other type: the newest value wins
    }
    this.values.set(key, next);
    return next;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Final outputs: what `/run` answered, overlaid with everything that streamed. */
  merged(runResponse: Record<string, unknown> | undefined): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    if (runResponse) {
      for (const [key, value] of Object.entries(runResponse)) {
        if (key !== 'run_id' && !this.values.has(key)) result[key] = value;
      }
    }
    for (const [key, value] of this.values) result[key] = value;
    return result;
  }
}
