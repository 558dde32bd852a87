// Checks a tool's /run response against its declared outputs (validator check 9, reference §3.4):
// null always fails, scalar types accept a raw value of the right kind or `{value: …}`, object
// types need their listed keys.
import type { OutputSpec, OutputType, ToolSpec } from './model';

export type OutputCheck = { ok: true } | { ok: false; message: string };

export interface OutputsReport {
  /** Declared output keys absent from the response. */
  missing: string[];
  /** Response keys no output declares (a warning in the validator). */
  extra: string[];
  invalid: { key: string; message: string }[];
}

/** Keys each object-valued output type must carry. */
export const OUTPUT_REQUIRED_KEYS: Readonly<Partial<Record<OutputType, readonly string[]>>> = {
  table: ['columns', 'rows'],
  kv: ['pairs'],
  chart_line: ['x', 'series'],
  chart_bar: ['x', 'series'],
  chart_area: ['x', 'series'],
  chart_scatter: ['series'],
  chart_pie: ['slices'],
  chart_histogram: ['values'],
  chart_boxplot: ['series'],
  chart_heatmap: ['z'],
  chart_candlestick: ['points'],
  chart_radar: ['axes', 'series'],
  chart_sankey: ['nodes', 'links'],
  chart_treemap: ['nodes'],
  chart_network: ['nodes', 'edges'],
  map_points: ['points'],
  map_heatmap: ['points'],
  map_choropleth: ['geojson', 'values'],
  map_polygons: ['polygons'],
  map_route: ['points'],
  image_grid: ['images'],
  image_compare: ['before', 'after'],
  diff: ['before', 'after'],
  tree: ['root'],
  timeline: ['events'],
  gantt: ['tasks'],
  log: ['lines'],
  file: ['filename', 'data'],
};

const STRING_OUTPUTS = new Set<OutputType>(['text', 'markdown', 'latex', 'code', 'stream_text']);
const MEDIA_OUTPUTS = new Set<OutputType>(['image', 'audio', 'video']);
const FILE_OUTPUTS = new Set<OutputType>(['file', 'image', 'audio', 'video', 'image_grid', 'image_compare']);
/** Response keys that belong to the envelope, not to an output. */
const ENVELOPE_KEYS = new Set(['run_id']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

export function checkOutputValue(output: Pick<OutputSpec, 'key' | 'type'>, value: unknown): OutputCheck {
  const name = `output "${output.key}"`;
  const fail = (why: string): OutputCheck => ({ ok: false, message: `${name}: ${why}` });
  if (value === null || value === undefined) return fail('value is null');
  const type = output.type;

  if (STRING_OUTPUTS.has(type) || MEDIA_OUTPUTS.has(type) || type === 'number' || type === 'boolean' || type === 'progress') {
    if (isPlainObject(value) && Object.hasOwn(value, 'value')) return { ok: true };
    if (STRING_OUTPUTS.has(type)) return typeof value === 'string' ? { ok: true } : fail(`expected a string, got ${kindOf(value)}`);
    if (type === 'number' || type === 'progress') {
      return typeof value === 'number' ? { ok: true } : fail(`expected a number, got ${kindOf(value)}`);
    }
    if (type === 'boolean') {
      return typeof value === 'boolean' || value === 0 || value === 1 ? { ok: true } : fail(`expected true or false, got ${kindOf(value)}`);
    }
    // image/audio/video: a URL or data URL; the renderers also read {url} and {data}.
    if (typeof value === 'string') return { ok: true };
    if (isPlainObject(value) && (typeof value.url === 'string' || typeof value.data === 'string')) return { ok: true };
    return fail(`expected a URL or data URL string, got ${kindOf(value)}`);
  }

  const required = OUTPUT_REQUIRED_KEYS[type] ?? [];
  if (!isPlainObject(value)) return fail(`expected an object with ${required.join(', ')}, got ${kindOf(value)}`);
  const missing = required.filter((k) => !Object.hasOwn(value, k));
  return missing.length > 0 ? fail(`missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`) : { ok: true };
}

export function checkOutputs(spec: Pick<ToolSpec, 'outputs'>, body: unknown): OutputsReport {
  const report: OutputsReport = { missing: [], extra: [], invalid: [] };
  if (!isPlainObject(body)) {
    report.missing = spec.outputs.map((o) => o.key);
    report.invalid.push({ key: '', message: `response must be a JSON object keyed by output key, got ${kindOf(body)}` });
    return report;
  }
  const declared = new Set(spec.outputs.map((o) => o.key));
  for (const output of spec.outputs) {
    if (!Object.hasOwn(body, output.key)) {
      report.missing.push(output.key);
      continue;
    }
    const check = checkOutputValue(output, body[output.key]);
    if (!check.ok) report.invalid.push({ key: output.key, message: check.message });
  }
  for (const key of Object.keys(body)) {
    if (!declared.has(key) && !ENVELOPE_KEYS.has(key) && !key.startsWith('_')) report.extra.push(key);
  }
  return report;
}

/** The runtime's rule: any output marked streaming, or of a type that only makes sense streamed. */
export function isStreamingTool(spec: Pick<ToolSpec, 'outputs'>): boolean {
  return spec.outputs.some((o) => o.streaming || o.type === 'stream_text' || o.type === 'log' || o.type === 'progress');
}

/** 'file' for outputs whose values always become artefacts, 'inline' for the rest. */
export function outputCategory(type: OutputType): 'file' | 'inline' {
  return FILE_OUTPUTS.has(type) ? 'file' : 'inline';
}
