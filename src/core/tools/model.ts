// The tool.json model (the original Pixie's `ToolSchema`, reference §2.2 and §3).
// Field names stay snake_case exactly as written in tool.json so a spec can be written back unchanged.
// Every optional field carries its default after parsing (nullable fields default to null).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const INPUT_TYPES = [
  'text', 'textarea', 'number', 'slider', 'select', 'multiselect', 'checkbox', 'toggle', 'radio',
  'date', 'time', 'datetime', 'date_range', 'file', 'image', 'audio', 'colour', 'json', 'code',
  'markdown', 'tags', 'autocomplete', 'table', 'map_point', 'map_bbox', 'map_polygon',
  'map_multipoint', 'hidden',
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export const OUTPUT_TYPES = [
  'text', 'markdown', 'number', 'boolean', 'table', 'kv', 'chart_line', 'chart_bar', 'chart_scatter',
  'chart_area', 'chart_pie', 'chart_histogram', 'chart_boxplot', 'chart_heatmap', 'chart_candlestick',
  'chart_radar', 'chart_sankey', 'chart_treemap', 'chart_network', 'map_points', 'map_heatmap',
  'map_choropleth', 'map_polygons', 'map_route', 'image', 'image_grid', 'image_compare', 'audio',
  'video', 'latex', 'code', 'diff', 'tree', 'timeline', 'gantt', 'progress', 'log', 'stream_text', 'file',
] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export const LAYOUTS = ['form', 'chat', 'split'] as const;
export type Layout = (typeof LAYOUTS)[number];

export const OUTPUT_LAYOUTS = ['panel', 'tab', 'inline'] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

export const NUMBER_FORMATS = ['currency', 'percent', 'scientific', 'decimal'] as const;
export type NumberFormat = (typeof NUMBER_FORMATS)[number];

export const INPUT_TRANSPORTS = ['json', 'multipart'] as const;
export type InputTransport = (typeof INPUT_TRANSPORTS)[number];

export interface SelectOption {
  value: string | number | boolean;
  label: string;
}

export interface ColumnSpec {
  key: string;
  label: string;
  type: string;
}

/** Show an input only while another input's value equals `equals`. */
export interface ShowIf {
  key: string;
  equals: JsonValue;
}

export interface SecretSpec {
  key: string;
  description: string | null;
  required: boolean;
}

/** Fields every input has (`_InputBase`). `default: null` means "no default". */
export interface InputBase {
  key: string;
  label: string;
  description: string | null;
  default: JsonValue;
  required: boolean;
  group: string | null;
  show_if: ShowIf | null;
}

/** `[lat, lng]`. */
export type LatLng = [number, number];

type NoFields = Record<never, never>;

interface MapInputFields {
  default_center: LatLng | null;
  default_zoom: number | null;
}

/** Type-specific input fields (reference §3.2). */
export interface InputFieldsByType {
  text: { placeholder: string | null; max_length: number | null };
  textarea: { placeholder: string | null; max_length: number | null; monospace: boolean };
  number: { min: number | null; max: number | null; step: number | null; unit: string | null };
  slider: { min: number; max: number; step: number | null; range: boolean };
  select: { options: SelectOption[]; searchable: boolean };
  multiselect: { options: SelectOption[] };
  checkbox: NoFields;
  toggle: NoFields;
  radio: { options: SelectOption[] };
  date: { min: string | null; max: string | null };
  time: NoFields;
  datetime: NoFields;
  date_range: NoFields;
  file: { accept: string | string[] | null; max_size_mb: number | null; multiple: boolean };
  image: { max_size_mb: number | null; multiple: boolean };
  audio: { max_size_mb: number | null };
  colour: NoFields;
  json: { schema: JsonObject | null };
  code: { language: string | null };
  markdown: NoFields;
  tags: { suggestions: string[] };
  autocomplete: { endpoint: string };
  table: { columns: ColumnSpec[]; min_rows: number | null; max_rows: number | null };
  map_point: MapInputFields;
  map_bbox: MapInputFields;
  map_polygon: MapInputFields;
  map_multipoint: MapInputFields;
  hidden: NoFields;
}

export type InputSpecOf<T extends InputType> = InputBase & { type: T } & InputFieldsByType[T];
/** Discriminated on `type`: narrowing `spec.type === 'slider'` gives the slider's fields. */
export type InputSpec = { [T in InputType]: InputSpecOf<T> }[InputType];

/** Fields every output has (`_OutputBase`). */
export interface OutputBase {
  key: string;
  label: string;
  description: string | null;
  caption: string | null;
  unit: string | null;
  streaming: boolean;
  layout: OutputLayout;
  default_export_format: string | null;
  supported_export_formats: string[] | null;
}

interface ChartAxesFields {
  x_label: string | null;
  y_label: string | null;
  log_x: boolean;
  log_y: boolean;
}

/** The only output types with spec fields of their own (reference §3.3). */
export interface OutputExtraFields {
  number: { format: NumberFormat; precision: number | null };
  boolean: { true_label: string | null; false_label: string | null };
  table: { columns: ColumnSpec[] | null; downloadable: boolean };
  chart_line: ChartAxesFields;
  chart_area: ChartAxesFields;
  map_points: { default_center: LatLng | null; default_zoom: number | null };
  code: { language: string | null };
}

export type OutputFieldsByType = {
  [T in OutputType]: T extends keyof OutputExtraFields ? OutputExtraFields[T] : NoFields;
};
export type OutputSpecOf<T extends OutputType> = OutputBase & { type: T } & OutputFieldsByType[T];
export type OutputSpec = { [T in OutputType]: OutputSpecOf<T> }[OutputType];

/** A parsed tool.json with every default applied (reference §2.2). */
export interface ToolSpec {
  id: string;
  name: string;
  description: string | null;
  version: string | null;
  /** `/`-delimited hierarchy such as `finance/quant`; null → "Uncategorised". */
  category: string | null;
  icon: string | null;
  layout: Layout;
  warm_keep_seconds: number;
  max_memory_mb: number;
  max_runtime_seconds: number;
  secrets: SecretSpec[];
  inputs: InputSpec[];
  outputs: OutputSpec[];
  schema_version: string;
  concurrent: boolean;
  validator_timeout_override: number | null;
  requires_data_persistence: boolean;
  input_transport: InputTransport;
  provides_file_endpoint: boolean;
  provides_autocomplete: boolean;
  retain_runs: number;
  tags: string[];
  archived: boolean;
  pinned_warm: boolean;
  entrypoint: string;
  package: string | null;
  workspace_default: string | null;
}

/** One problem in tool.json (or a fixture / tolerance.yaml), with a 1-based source position. */
export interface ToolJsonError {
  message: string;
  /** JSON path of the offending node, e.g. `inputs[2].options`; "" for the whole document. */
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The file the error is about, when the caller named it. */
  file?: string;
}
