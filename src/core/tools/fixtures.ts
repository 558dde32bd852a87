// Reference fixtures (reference §2.6): `reference/fixture_*.json` (model ReferenceFixture, extra keys
// forbidden) and `reference/tolerance.yaml` (ToleranceConfig). Parsing only; comparing outputs is the
// validator's job.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { JsonObject, OutputSpec, OutputType, ToolJsonError } from './model';
import { checkShape, joinPath, makeError, type Field, type Fields, type Kind } from './shape';
import { jsonTree, LineIndex, yamlTree, type SourceNode } from './sourceTree';

export interface ReferenceFixture {
  name: string;
  source: string | null;
  inputs: JsonObject;
  expected_outputs: JsonObject;
  /** Per output key, tolerance settings that win over tolerance.yaml. */
  tolerance: Record<string, JsonObject>;
  /** Set → the fixture is skipped. */
  skip_reason: string | null;
  tags: string[];
  /** Seconds. */
  validator_timeout_override: number | null;
}

export type FixtureParseResult = { ok: true; fixture: ReferenceFixture } | { ok: false; errors: ToolJsonError[] };

export interface FixtureFile {
  path: string;
  fileName: string;
  fixture: ReferenceFixture | undefined;
  errors: ToolJsonError[];
}

export const TOLERANCE_POLICIES = ['warn', 'fail', 'ignore'] as const;
export type TolerancePolicy = (typeof TOLERANCE_POLICIES)[number];

export interface ToleranceOptions {
  on_extra_output_key: TolerancePolicy;
  on_missing_expected_key: TolerancePolicy;
  truncate_diff_chars: number;
}

export interface ToleranceConfig {
  /** Per output type, only the settings the file gives (comparators merge them over built-ins). */
  defaults: Partial<Record<OutputType, JsonObject>>;
  /** Per output key. */
  overrides: Record<string, JsonObject>;
  options: ToleranceOptions;
}

export type ToleranceParseResult = { ok: true; config: ToleranceConfig } | { ok: false; errors: ToolJsonError[] };

const str: Kind = { t: 'string' };
const anyJson: Kind = { t: 'any' };
const num: Kind = { t: 'number', min: 0 };
const free: Kind = { t: 'map', of: anyJson };
const opt = (kind: Kind): Field => ({ kind });
const enumOf = (...values: string[]): Field => ({ kind: { t: 'enum', values } });

const FIXTURE_KIND: Kind = {
  t: 'object',
  fields: {
    name: { kind: { t: 'string', nonEmpty: true }, required: true },
    source: { kind: str, nullable: true },
    inputs: { kind: free, required: true },
    expected_outputs: { kind: free, required: true },
    tolerance: { kind: { t: 'map', of: free }, default: {} },
    skip_reason: { kind: str, nullable: true },
    tags: { kind: { t: 'list', of: str }, default: [] },
    validator_timeout_override: { kind: { t: 'number', min: 0 }, nullable: true },
  },
};

// Tolerance settings per output type, as the original's comparator models allow them.
const floats: Fields = { float_rtol: opt(num), float_atol: opt(num) };
const textTol: Fields = { compare: enumOf('exact', 'exact_after_normalize_whitespace', 'json_normalized') };
const chartTol: Fields = {
  compare: enumOf('data_only', 'slices_unordered', 'values_unordered', 'series_summary', 'matrix_elementwise',
    'rows_ordered', 'graph_set', 'tree_set', 'skip'),
  series_match: enumOf('by_name', 'by_index'),
  ...floats,
};
const mapTol: Fields = {
  compare: enumOf('set_equal_after_round_coords_4dp', 'ordered_after_round_coords_4dp', 'keyed_values', 'skip'),
  round_digits: opt({ t: 'int', min: 0, max: 10 }),
  ...floats,
};
const imageTol: Fields = {
  compare: enumOf('ssim', 'ssim_per_image', 'ssim_pair', 'size_sha256', 'skip'),
  min_ssim: opt({ t: 'number', min: 0, max: 1 }),
};
const timelineTol: Fields = { compare: enumOf('rows_ordered'), allow_regex: opt({ t: 'bool' }) };

const TOLERANCE_BY_TYPE: Record<OutputType, Fields> = {
  number: { rtol: opt(num), atol: opt(num) },
  boolean: { compare: enumOf('exact') },
  text: textTol,
  markdown: textTol,
  code: textTol,
  stream_text: textTol,
  latex: { compare: enumOf('exact', 'exact_after_normalize_whitespace') },
  diff: { compare: enumOf('exact') },
  kv: { compare: enumOf('dict_per_value'), allow_extra: opt({ t: 'bool' }), ...floats },
  table: { compare: enumOf('rows_unordered', 'rows_ordered'), ...floats },
  tree: { compare: enumOf('structural'), children_order: enumOf('unordered', 'ordered') },
  chart_line: chartTol,
  chart_bar: chartTol,
  chart_area: chartTol,
  chart_scatter: chartTol,
  chart_pie: chartTol,
  chart_histogram: chartTol,
  chart_boxplot: chartTol,
  chart_heatmap: chartTol,
  chart_candlestick: chartTol,
  chart_radar: chartTol,
  chart_sankey: chartTol,
  chart_treemap: chartTol,
  chart_network: chartTol,
  map_points: mapTol,
  map_heatmap: mapTol,
  map_choropleth: mapTol,
  map_polygons: mapTol,
  map_route: mapTol,
  image: imageTol,
  image_grid: imageTol,
  image_compare: imageTol,
  audio: {
    compare: enumOf('spectrogram_l2', 'size_sha256', 'skip'),
    max_l2: opt(num),
    sample_rate: opt({ t: 'int', min: 1 }),
    n_mels: opt({ t: 'int', min: 1 }),
  },
  video: { compare: enumOf('skip', 'per_frame_ssim_mean'), min_ssim: opt({ t: 'number', min: 0, max: 1 }) },
  timeline: timelineTol,
  gantt: timelineTol,
  log: timelineTol,
  progress: { compare: enumOf('skip') },
  file: { compare: enumOf('sha256', 'mime_dispatch', 'skip'), float_rtol: opt(num) },
};

const TOLERANCE_KIND: Kind = {
  t: 'object',
  fields: {
    defaults: {
      kind: {
        t: 'object',
        fields: Object.fromEntries(Object.entries(TOLERANCE_BY_TYPE).map(([type, fields]) => [type, opt({ t: 'object', fields })])),
      },
      default: {},
    },
    overrides: { kind: { t: 'map', of: free }, default: {} },
    options: {
      kind: {
        t: 'object',
        fields: {
          on_extra_output_key: { kind: { t: 'enum', values: TOLERANCE_POLICIES }, default: 'warn' },
          on_missing_expected_key: { kind: { t: 'enum', values: TOLERANCE_POLICIES }, default: 'fail' },
          truncate_diff_chars: { kind: { t: 'int', min: 0 }, default: 400 },
        },
      },
      default: { on_extra_output_key: 'warn', on_missing_expected_key: 'fail', truncate_diff_chars: 400 },
    },
  },
};

/** Parses one fixture file; with `declaredOutputKeys`, every expected output must be one of them. */
export function parseFixture(text: string, file?: string, declaredOutputKeys?: Iterable<string>): FixtureParseResult {
  const lines = new LineIndex(text);
  const { root, problems } = jsonTree(text);
  if (!root) {
    return { ok: false, errors: problems.map((p) => makeError(lines, p.start, p.end, '', `invalid JSON: ${p.message}`, file)) };
  }
  if (root.kind !== 'object') {
    return { ok: false, errors: [makeError(lines, root.start, root.start + 1, '', 'a fixture must be a JSON object', file)] };
  }
  const { value, errors } = checkShape(root, FIXTURE_KIND, lines, file);
  if (declaredOutputKeys !== undefined) {
    const declared = new Set(declaredOutputKeys);
    const expected = root.props.find((p) => p.key === 'expected_outputs')?.value;
    if (expected?.kind === 'object') {
      for (const prop of expected.props) {
        if (declared.has(prop.key)) continue;
        const p = joinPath('expected_outputs', prop.key);
        errors.push(makeError(lines, prop.keyStart, prop.keyEnd, p,
          `expected_outputs: "${prop.key}" is not an output of this tool`, file));
      }
    }
  }
  if (errors.length > 0 || value === undefined) return { ok: false, errors };
  // Checked against FIXTURE_KIND, whose fields mirror ReferenceFixture.
  return { ok: true, fixture: value as unknown as ReferenceFixture };
}

/** Parses tolerance.yaml; an empty file means all defaults. */
export function parseToleranceYaml(text: string, file?: string): ToleranceParseResult {
  const lines = new LineIndex(text);
  const { root, problems } = yamlTree(text);
  let errors: ToolJsonError[];
  let value: unknown;
  if (problems.length > 0) {
    errors = problems.map((p) => makeError(lines, p.start, p.end, '', `invalid YAML: ${p.message}`, file));
  } else if (root === undefined || root.kind === 'null') {
    ({ value, errors } = checkShape(emptyMapping(), TOLERANCE_KIND, lines, file));
  } else if (root.kind !== 'object') {
    errors = [makeError(lines, root.start, root.start + 1, '', 'tolerance.yaml must be a mapping (defaults, overrides, options)', file)];
  } else {
    ({ value, errors } = checkShape(root, TOLERANCE_KIND, lines, file));
  }
  if (errors.length > 0 || value === undefined) return { ok: false, errors: [...errors, ...missingSpaceHints(text, lines, file)] };
  // Checked against TOLERANCE_KIND, whose fields mirror ToleranceConfig.
  return { ok: true, config: value as ToleranceConfig };
}

function emptyMapping(): SourceNode {
  return { kind: 'object', start: 0, end: 0, props: [] };
}

/**
 * The classic footgun: `price:{rtol: 0.1}` (no space after the colon) is a string to YAML, not a
 * mapping. Points at every such line once some other error shows the file did not read as meant.
 */
function missingSpaceHints(text: string, lines: LineIndex, file?: string): ToolJsonError[] {
  const out: ToolJsonError[] = [];
  const re = /^([ \t-]*)([^\s#:'"][^\s:]*):([{[])/gm;
  for (const m of text.matchAll(re)) {
    const start = (m.index ?? 0) + m[1].length;
    const colon = start + m[2].length;
    out.push(makeError(lines, start, colon + 2, '',
      `hint: "${m[2]}:${m[3]}…" has no space after the colon, so YAML reads it as text, not a mapping; write "${m[2]}: ${m[3]}…"`, file));
  }
  return out;
}

/** The `reference/fixture_*.json` files of a tool, sorted, each parsed (against `spec`'s outputs when given). */
export async function listFixtures(toolDir: string, spec?: { outputs: readonly Pick<OutputSpec, 'key'>[] }): Promise<FixtureFile[]> {
  const dir = path.join(toolDir, 'reference');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const fixtureNames = names.filter((n) => n.startsWith('fixture_') && n.endsWith('.json')).sort();
  const declared = spec?.outputs.map((o) => o.key);
  return Promise.all(fixtureNames.map(async (fileName): Promise<FixtureFile> => {
    const file = path.join(dir, fileName);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      return { path: file, fileName, fixture: undefined, errors: [{ message: `could not read ${fileName}: ${(err as Error).message}`, path: '', line: 1, column: 1, file }] };
    }
    const parsed = parseFixture(text, file, declared);
    return parsed.ok
      ? { path: file, fileName, fixture: parsed.fixture, errors: [] }
      : { path: file, fileName, fixture: undefined, errors: parsed.errors };
  }));
}

/** `reference/tolerance.yaml` of a tool; a missing file gives the defaults. */
export async function loadTolerance(toolDir: string): Promise<ToleranceParseResult> {
  const file = path.join(toolDir, 'reference', 'tolerance.yaml');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return parseToleranceYaml('');
    return { ok: false, errors: [{ message: `could not read tolerance.yaml: ${(err as Error).message}`, path: '', line: 1, column: 1, file }] };
  }
  return parseToleranceYaml(text, file);
}
