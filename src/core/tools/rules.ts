// Field rules for tool.json: one row per field, mirroring the original's Pydantic models
// (reference §2.2, §3.1–3.3). Where the original accepts nonsense (negative timeouts, a map centre
// that is not [lat, lng]) these rules add a small bound; everything else matches it.
import {
  INPUT_TRANSPORTS, LAYOUTS, NUMBER_FORMATS, OUTPUT_LAYOUTS,
  type InputType, type OutputType, INPUT_TYPES, OUTPUT_TYPES,
} from './model';
import type { Field, Fields, Kind } from './shape';

const str: Kind = { t: 'string' };
const num: Kind = { t: 'number' };
const bool: Kind = { t: 'bool' };
const anyJson: Kind = { t: 'any' };
const strList: Kind = { t: 'list', of: str };

const required = (kind: Kind): Field => ({ kind, required: true });
const nullable = (kind: Kind): Field => ({ kind, nullable: true });
const withDefault = (kind: Kind, value: boolean | number | string | string[]): Field => ({ kind, default: value });

const selectOption: Kind = {
  t: 'object',
  fields: {
    value: required({ t: 'either', kinds: [str, num, bool], expected: 'a string, number or boolean' }),
    label: required(str),
  },
};
const options = required({ t: 'list', of: selectOption });

const columnSpec: Kind = { t: 'object', fields: { key: required(str), label: required(str), type: required(str) } };

const latLng: Kind = { t: 'list', of: num, length: 2 };
const mapFields: Fields = { default_center: nullable(latLng), default_zoom: nullable({ t: 'int', min: 0, max: 30 }) };

const inputBase: Fields = {
  key: required({ t: 'string', nonEmpty: true }),
  label: required(str),
  description: nullable(str),
  default: nullable(anyJson),
  required: withDefault(bool, true),
  group: nullable(str),
  show_if: nullable({ t: 'object', fields: { key: required(str), equals: required(anyJson) } }),
};

const maxSize = nullable({ t: 'int', min: 0 });

const INPUT_FIELDS: Record<InputType, Fields> = {
  text: { placeholder: nullable(str), max_length: nullable({ t: 'int', min: 0 }) },
  textarea: { placeholder: nullable(str), max_length: nullable({ t: 'int', min: 0 }), monospace: withDefault(bool, false) },
  number: { min: nullable(num), max: nullable(num), step: nullable(num), unit: nullable(str) },
  slider: { min: required(num), max: required(num), step: nullable(num), range: withDefault(bool, false) },
  select: { options, searchable: withDefault(bool, false) },
  multiselect: { options },
  checkbox: {},
  toggle: {},
  radio: { options },
  date: { min: nullable(str), max: nullable(str) },
  time: {},
  datetime: {},
  date_range: {},
  file: {
    accept: nullable({ t: 'either', kinds: [str, strList], expected: 'a string or a list of strings' }),
    max_size_mb: maxSize,
    multiple: withDefault(bool, false),
  },
  image: { max_size_mb: maxSize, multiple: withDefault(bool, false) },
  audio: { max_size_mb: maxSize },
  colour: {},
  json: { schema: nullable({ t: 'map', of: anyJson }) },
  code: { language: nullable(str) },
  markdown: {},
  tags: { suggestions: withDefault(strList, []) },
  autocomplete: { endpoint: required({ t: 'string', nonEmpty: true }) },
  table: {
    columns: required({ t: 'list', of: columnSpec }),
    min_rows: nullable({ t: 'int', min: 0 }),
    max_rows: nullable({ t: 'int', min: 0 }),
  },
  map_point: mapFields,
  map_bbox: mapFields,
  map_polygon: mapFields,
  map_multipoint: mapFields,
  hidden: {},
};

const outputBase: Fields = {
  key: required({ t: 'string', nonEmpty: true }),
  label: required(str),
  description: nullable(str),
  caption: nullable(str),
  unit: nullable(str),
  streaming: withDefault(bool, false),
  layout: withDefault({ t: 'enum', values: OUTPUT_LAYOUTS }, 'panel'),
  default_export_format: nullable(str),
  supported_export_formats: nullable(strList),
};

const chartAxes: Fields = {
  x_label: nullable(str),
  y_label: nullable(str),
  log_x: withDefault(bool, false),
  log_y: withDefault(bool, false),
};

const OUTPUT_EXTRA_FIELDS: Partial<Record<OutputType, Fields>> = {
  number: {
    format: withDefault({ t: 'enum', values: NUMBER_FORMATS }, 'decimal'),
    precision: nullable({ t: 'int', min: 0, max: 20 }),
  },
  boolean: { true_label: nullable(str), false_label: nullable(str) },
  table: { columns: nullable({ t: 'list', of: columnSpec }), downloadable: withDefault(bool, false) },
  chart_line: chartAxes,
  chart_area: chartAxes,
  map_points: mapFields,
  code: { language: nullable(str) },
};

function variants<T extends string>(types: readonly T[], base: Fields, extra: (t: T) => Fields | undefined): Record<string, Fields> {
  const out: Record<string, Fields> = {};
  for (const t of types) {
    out[t] = { ...base, type: required({ t: 'enum', values: [t] }), ...(extra(t) ?? {}) };
  }
  return out;
}

export const INPUT_VARIANTS = variants(INPUT_TYPES, inputBase, (t) => INPUT_FIELDS[t]);
export const OUTPUT_VARIANTS = variants(OUTPUT_TYPES, outputBase, (t) => OUTPUT_EXTRA_FIELDS[t]);

const secretSpec: Kind = {
  t: 'object',
  fields: { key: required({ t: 'string', nonEmpty: true }), description: nullable(str), required: withDefault(bool, false) },
};

export const TOOL_FIELDS: Fields = {
  id: required({ t: 'string', nonEmpty: true }),
  name: required(str),
  description: nullable(str),
  version: nullable(str),
  category: nullable(str),
  icon: nullable(str),
  layout: withDefault({ t: 'enum', values: LAYOUTS }, 'form'),
  warm_keep_seconds: withDefault({ t: 'int', min: 0 }, 300),
  max_memory_mb: withDefault({ t: 'int', min: 1 }, 512),
  max_runtime_seconds: withDefault({ t: 'int', min: 1 }, 60),
  secrets: withDefault({ t: 'list', of: secretSpec }, []),
  inputs: required({ t: 'list', of: { t: 'union', tag: 'type', variants: INPUT_VARIANTS, what: 'input' } }),
  outputs: required({ t: 'list', of: { t: 'union', tag: 'type', variants: OUTPUT_VARIANTS, what: 'output' } }),
  schema_version: withDefault(str, '1.0'),
  concurrent: withDefault(bool, true),
  validator_timeout_override: nullable({ t: 'int', min: 1 }),
  requires_data_persistence: withDefault(bool, false),
  input_transport: withDefault({ t: 'enum', values: INPUT_TRANSPORTS }, 'json'),
  provides_file_endpoint: withDefault(bool, false),
  provides_autocomplete: withDefault(bool, false),
  retain_runs: withDefault({ t: 'int', min: 0 }, 100),
  tags: withDefault(strList, []),
  archived: withDefault(bool, false),
  pinned_warm: withDefault(bool, false),
  entrypoint: withDefault({ t: 'string', nonEmpty: true }, 'main.py'),
  package: nullable(str),
  workspace_default: nullable(str),
};

export const TOOL_KIND: Kind = { t: 'object', fields: TOOL_FIELDS };
