// One comparator per output family, the built-in tolerance defaults, and the merge order of tolerance
// settings (reference §2.6): fixture `tolerance[key]` > tolerance.yaml `overrides[key]` >
// tolerance.yaml `defaults[type]` > built-in, each a shallow merge of the one below.
import type { JsonObject, OutputType } from '../../tools/model';
import type { ToleranceConfig } from '../../tools/fixtures';
import { compareChart } from './chart';
import { compareFile } from './file';
import { compareMap } from './map';
import { compareMedia } from './media';
import { compareNumber } from './numeric';
import { compareBoolean, compareKv, compareTree } from './structural';
import { compareTable } from './table';
import { compareText } from './text';
import { compareTimeline } from './timeline';
import { ToleranceSettingError, type Comparator, type CompareOutcome, type Tolerance } from './types';

export type { CompareOutcome, Mismatch, Tolerance } from './types';
export { ToleranceSettingError } from './types';

const FLOATS = { float_rtol: 1e-6, float_atol: 1e-9 };
const chart = (compare: string): JsonObject => ({ compare, series_match: 'by_name', ...FLOATS });
const map = (compare: string): JsonObject => ({ compare, round_digits: 4, ...FLOATS });

export const BUILTIN_DEFAULTS: Readonly<Record<OutputType, JsonObject>> = {
  number: { compare: 'numeric_isclose', rtol: 1e-6, atol: 1e-9 },
  boolean: { compare: 'exact' },
  text: { compare: 'exact' },
  code: { compare: 'exact' },
  stream_text: { compare: 'exact' },
  diff: { compare: 'exact' },
  markdown: { compare: 'exact_after_normalize_whitespace' },
  latex: { compare: 'exact_after_normalize_whitespace' },
  kv: { compare: 'dict_per_value', allow_extra: false, ...FLOATS },
  table: { compare: 'rows_unordered', ...FLOATS },
  tree: { compare: 'structural', children_order: 'unordered' },
  chart_line: chart('data_only'),
  chart_bar: chart('data_only'),
  chart_area: chart('data_only'),
  chart_scatter: chart('data_only'),
  chart_radar: chart('data_only'),
  chart_pie: chart('slices_unordered'),
  chart_histogram: chart('values_unordered'),
  chart_boxplot: chart('series_summary'),
  chart_heatmap: chart('matrix_elementwise'),
  chart_candlestick: chart('rows_ordered'),
  chart_sankey: chart('graph_set'),
  chart_network: chart('graph_set'),
  chart_treemap: chart('tree_set'),
  map_points: map('set_equal_after_round_coords_4dp'),
  map_heatmap: map('set_equal_after_round_coords_4dp'),
  map_polygons: map('set_equal_after_round_coords_4dp'),
  map_route: map('ordered_after_round_coords_4dp'),
  map_choropleth: map('keyed_values'),
  image: { compare: 'ssim', min_ssim: 0.95 },
  image_grid: { compare: 'ssim_per_image', min_ssim: 0.95 },
  image_compare: { compare: 'ssim_pair', min_ssim: 0.95 },
  audio: { compare: 'spectrogram_l2', max_l2: 0.05, sample_rate: 22050, n_mels: 128 },
  video: { compare: 'skip' },
  timeline: { compare: 'rows_ordered', ...FLOATS },
  gantt: { compare: 'rows_ordered', ...FLOATS },
  log: { compare: 'rows_ordered', allow_regex: false, ...FLOATS },
  progress: { compare: 'skip' },
  file: { compare: 'mime_dispatch', ...FLOATS },
};

function comparatorFor(type: OutputType): Comparator | undefined {
  switch (type) {
    case 'number': return compareNumber;
    case 'boolean': return compareBoolean;
    case 'kv': return compareKv;
    case 'tree': return compareTree;
    case 'table': return compareTable;
    case 'file': return compareFile;
    case 'image': case 'image_grid': case 'image_compare': case 'audio': case 'video': return compareMedia;
    case 'timeline': case 'gantt': case 'log': return compareTimeline;
    case 'text': case 'markdown': case 'latex': case 'code': case 'diff': case 'stream_text': return compareText;
    case 'progress': return undefined;
    default:
      if (type.startsWith('chart_')) return compareChart;
      if (type.startsWith('map_')) return compareMap;
      return undefined;
  }
}

export function mergedTolerance(
  key: string,
  type: OutputType,
  config: Pick<ToleranceConfig, 'defaults' | 'overrides'> | undefined,
  fixtureTolerance: Readonly<Record<string, JsonObject>> | undefined,
): Tolerance {
  return {
    ...BUILTIN_DEFAULTS[type],
    ...(config?.defaults[type] ?? {}),
    ...(config?.overrides[key] ?? {}),
    ...(fixtureTolerance?.[key] ?? {}),
  };
}

/** Compares one output; a malformed tolerance setting becomes a failed outcome naming the setting. */
export function compareOutput(expected: unknown, actual: unknown, type: OutputType, tolerance: Tolerance): CompareOutcome {
  if (tolerance.compare === 'skip') return { ok: true, comparator: 'skip', note: 'skipped (compare: skip)' };
  const comparator = comparatorFor(type);
  if (!comparator) return { ok: true, comparator: 'skip', note: `${type} outputs are not compared` };
  try {
    return comparator(expected, actual, tolerance, type);
  } catch (error) {
    if (error instanceof ToleranceSettingError) return { ok: false, comparator: 'tolerance', path: '', metric: error.message };
    throw error;
  }
}
