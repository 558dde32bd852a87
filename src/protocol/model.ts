// The tool.json model as both sides of the protocol see it. Re-exported from the core's model, which has no imports,
// so the webview bundle gets the types (and the two type lists) without pulling in any Node code.
export type {
  ColumnSpec,
  InputSpec,
  InputSpecOf,
  InputType,
  JsonObject,
  JsonValue,
  Layout,
  NumberFormat,
  OutputSpec,
  OutputSpecOf,
  OutputType,
  SelectOption,
  ShowIf,
  ToolSpec,
} from '../core/tools/model';
export { INPUT_TYPES, LAYOUTS, OUTPUT_TYPES } from '../core/tools/model';
