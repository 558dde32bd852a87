// Check 9: the sample run's response has every declared output, each in the shape its type needs
// (reference §3.4); keys no output declares only warn. In a streaming tool (one the runtime runs through
// /stream) outputs that stream may be absent from /run: their values come from the stream.
import { checkOutputs, isStreamingTool } from '../../tools/outputs';
import type { OutputSpec, OutputType } from '../../tools/model';
import { fail, pass, warn, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

/** The value shape each output type expects (reference §3.4), quoted in failure messages. */
export const SHAPE_HINTS: Readonly<Partial<Record<OutputType, string>>> = {
  text: 'a string', markdown: 'a string', latex: 'a string', code: 'a string or {"value", "language"}', stream_text: 'a string',
  number: 'a number or {"value": n}', boolean: 'true/false or {"value": b}', progress: 'a number 0..1 or {"value": n}',
  image: 'a data URL or URL string', audio: 'a data URL or URL string', video: 'a data URL or URL string',
  table: '{"columns": [{"key", "label", "type"}], "rows": [{…}]}',
  kv: '{"pairs": {"name": value}} (or "pairs": [{"key", "value"}])',
  log: '{"lines": [{"level", "message", "t"}]}',
  diff: '{"before": "…", "after": "…"}',
  tree: '{"root": {"label", "children": […]}}',
  timeline: '{"events": [{"t", "label"}]}',
  gantt: '{"tasks": [{"name", "start", "end"}]}',
  chart_line: '{"x": [numbers], "series": [{"name", "y": [numbers]}]}',
  chart_area: '{"x": [numbers], "series": [{"name", "y": [numbers]}]}',
  chart_bar: '{"x": [labels], "series": [{"name", "y": [numbers]}]}',
  chart_scatter: '{"series": [{"name", "points": [{"x", "y"}]}]}',
  chart_pie: '{"slices": [{"label", "value"}]}',
  chart_histogram: '{"values": [numbers]}',
  chart_boxplot: '{"series": [{"name", "values": [numbers]}]}',
  chart_heatmap: '{"z": [[numbers]], "x_labels", "y_labels"}',
  chart_candlestick: '{"points": [{"t", "open", "high", "low", "close"}]}',
  chart_radar: '{"axes": [names], "series": [{"name", "values"}]}',
  chart_sankey: '{"nodes": [{"id", "label"}], "links": [{"source", "target", "value"}]}',
  chart_treemap: '{"nodes": [{"id", "label", "value", "parent"}]}',
  chart_network: '{"nodes": […], "edges": [{"source", "target"}]}',
  map_points: '{"points": [{"lat", "lng", "label"}]}',
  map_heatmap: '{"points": [{"lat", "lng", "weight"}]}',
  map_choropleth: '{"geojson": {…}, "values": {"feature_id": n}}',
  map_polygons: '{"polygons": [{"coords": [[lat, lng]]}]}',
  map_route: '{"points": [{"lat", "lng"}]}',
  image_grid: '{"images": [{"value", "label"}]}',
  image_compare: '{"before": url, "after": url}',
  file: '{"filename", "data": data URL, "mime_type"}',
};

function streams(output: OutputSpec): boolean {
  return output.streaming || output.type === 'stream_text' || output.type === 'log' || output.type === 'progress';
}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const spec = ctx.spec;
  if (!spec || ctx.sampleOutput === undefined) return fail('There is no sample output to check.');
  const body = ctx.sampleOutput;
  const report = checkOutputs(spec, body);
  const streaming = isStreamingTool(spec);
  let missing = report.missing;
  let invalid = report.invalid;
  let fromStream: string[] = [];
  if (streaming) {
    const streamed = new Set(spec.outputs.filter(streams).map((o) => o.key));
    fromStream = missing.filter((k) => streamed.has(k));
    missing = missing.filter((k) => !streamed.has(k));
    // A streamed output may start as null in /run (e.g. progress "not started yet").
    invalid = invalid.filter((i) => !(streamed.has(i.key) && body !== null && typeof body === 'object' && !Array.isArray(body) && body[i.key] === null));
  }
  const details = {
    missing,
    invalid: invalid.map((i) => ({ key: i.key, message: i.message })),
    extra: report.extra,
    delivered_by_stream: fromStream,
    checked: spec.outputs.map((o) => o.key),
  };
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing output${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')}`);
  for (const i of invalid.slice(0, 5)) problems.push(i.message);
  if (invalid.length > 5) problems.push(`${invalid.length - 5} more`);
  if (problems.length > 0) {
    const firstBad = invalid[0] ? spec.outputs.find((o) => o.key === invalid[0].key) : undefined;
    const hint = firstBad && SHAPE_HINTS[firstBad.type] ? ` A ${firstBad.type} output's value is ${SHAPE_HINTS[firstBad.type]}.` : '';
    const missingHint = missing.length > 0 ? ' Return every declared output key from POST /run (or remove the output from tool.json).' : '';
    return fail(`The sample output does not match the declared outputs: ${problems.join('; ')}.${hint}${missingHint}`, details);
  }
  if (report.extra.length > 0) {
    return warn(`The sample output has key${report.extra.length > 1 ? 's' : ''} no output declares: ${report.extra.map((k) => `"${k}"`).join(', ')} (the UI ignores ${report.extra.length > 1 ? 'them' : 'it'}; declare ${report.extra.length > 1 ? 'them' : 'it'} in tool.json or stop returning ${report.extra.length > 1 ? 'them' : 'it'}).`, details);
  }
  const n = spec.outputs.length - fromStream.length;
  return pass(`All ${n} output${n === 1 ? '' : 's'} in /run have the expected shape${fromStream.length > 0 ? ` (${fromStream.length} more come from /stream)` : ''}.`, details);
}

export const outputConforms: CheckDefinition = { name: 'output_conforms', gating: true, needsProcess: true, run };
