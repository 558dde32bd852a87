// The host ↔ webview protocol of the tool panel. Shared by the extension host bundle and the webview bundle:
// pure TypeScript, no DOM and no `vscode`.
//
//   webview → host   {kind:'ready'}                                   once the app has loaded (and after every reload)
//   host → webview   {kind:'init', …}                                 everything the app shows; state lives in the host
//   webview → host   {kind:'request', id, method, params}              one of REQUEST_METHODS
//   host → webview   {kind:'response', id, result} | {kind:'error', id, message, fieldErrors?}
//   host → webview   {kind:'notification', method, params}            one of NOTIFICATION_METHODS
import type { JsonValue, ToolSpec } from './model';

export type RunStatus = 'running' | 'ok' | 'error' | 'cancelled';

/** Key of a file reference the host resolved for the webview (replaces the store's `_pixie_artefact`). */
export const FILE_REF_KEY = '_pixie_file';

/**
 * An artefact as the webview sees it: a `vscode-webview:` URI to show it (never a disk path), what it is, and its id
 * for the open/reveal requests. `kind` says what the value was: `file` (image, file, …), `text` or `json` (a value too
 * large to inline). `uri` is null and `problem` says why when the file cannot be shown.
 */
// A type alias (not an interface) so it is assignable to JsonValue: it travels inside output values as
// `{"_pixie_file": {...}, ...the value's other fields}` (a file output keeps its `filename`, `mime_type`, …).
export type FileRef = {
  id: number;
  uri: string | null;
  filename: string;
  mime: string;
  size: number;
  kind: 'file' | 'text' | 'json';
  problem: string | null;
};

/** A file a run produced, for the run's file list. */
export interface ArtefactView {
  id: number;
  outputKey: string;
  filename: string;
  mime: string;
  size: number;
  uri: string | null;
}

/** One stored run, ready to render: the same shape for a run that just finished and for a replay from history. */
export interface RunView {
  id: string;
  toolId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** The inputs sent to the tool (the `inputs` of the stored envelope). */
  inputs: Record<string, JsonValue>;
  /** Outputs with artefact references resolved (FileRefValue) or inlined; null when the run has none. */
  outputs: Record<string, JsonValue> | null;
  error: string | null;
  starred: boolean;
  label: string | null;
  artefacts: ArtefactView[];
  /** Things the user should know about this run's outputs (missing keys, a missing outputs file, …). */
  notices: string[];
}

export interface HistoryCursor {
  startedAt: string;
  id: string;
}

export interface HistoryEntry {
  id: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  /** First non-empty input as `key: value`. */
  summary: string;
  starred: boolean;
  label: string | null;
}

export interface HistoryPage {
  runs: HistoryEntry[];
  /** Pass as `before` to get the next (older) page; null when there is none. */
  next: HistoryCursor | null;
}

export type ValidationState = 'pass' | 'warn' | 'fail' | 'skip' | 'unchecked';

export interface ValidationStatus {
  state: ValidationState;
  checkedAt: string | null;
  /** The first failing (else warning) check, or the skip reason's source. */
  check: string | null;
  message: string | null;
  /** The tool changed since the report was made. */
  outdated: boolean;
}

export interface ToolProblem {
  message: string;
  line: number | null;
  column: number | null;
}

export interface ToolInfo {
  toolId: string;
  /** null when tool.json does not load (problems say why) or the tool is gone. */
  spec: ToolSpec | null;
  problems: ToolProblem[];
}

export interface TrustState {
  trusted: boolean;
  /** Shown instead of running when not trusted. */
  message: string | null;
}

export interface ActiveRun {
  runId: string;
  startedAt: string;
  inputs: Record<string, JsonValue>;
  /** Streamed outputs so far (accumulated values). */
  outputs: Record<string, JsonValue>;
  spawning: boolean;
}

export interface ShowRun {
  run: RunView;
  /** `edit`: put the run's inputs in the form to change and run again. */
  intent: 'replay' | 'edit';
}

/** Settings that do not depend on the theme (the theme comes in through CSS variables). */
export interface PanelSettings {
  /** BCP 47 tag of VS Code's display language, for dates and numbers. */
  locale: string;
  historyPageSize: number;
  /** `pixie.maps.tileUrl`: an {z}/{x}/{y} tile template the user chose; null = no remote tiles (the default). */
  mapTileUrl: string | null;
}

export interface InitMessage {
  kind: 'init';
  tool: ToolInfo;
  validation: ValidationStatus;
  /** Last inputs that ran (tool_state.last_inputs_json); null → the form uses tool.json defaults. */
  prefill: Record<string, JsonValue> | null;
  history: HistoryPage;
  settings: PanelSettings;
  trust: TrustState;
  activeRun: ActiveRun | null;
  show: ShowRun | null;
}

/** One suggestion from a tool's autocomplete endpoint (`[{value, label}]`; a bare string means value = label). */
export interface AutocompleteSuggestion {
  value: JsonValue;
  label: string;
}

/** Requests the webview makes, with their parameters and results. */
export interface RequestTypes {
  runTool: { params: { inputs: Record<string, JsonValue> }; result: { runId: string; startedAt: string } };
  cancelRun: { params: { runId: string }; result: { cancelling: boolean } };
  loadRun: { params: { runId: string }; result: RunView };
  listRuns: { params: { before?: HistoryCursor }; result: HistoryPage };
  openArtefact: { params: { id: number }; result: { opened: boolean } };
  revealArtefact: { params: { id: number }; result: { revealed: boolean } };
  /**
   * Save a file the webview produced (a table as CSV, a chart as SVG or PNG) through the host's save dialog.
   * `encoding: 'base64'` carries binary content (PNG) as base64; the default is UTF-8 text.
   */
  saveFile: { params: { suggestedName: string; content: string; encoding?: 'utf8' | 'base64' }; result: { saved: boolean } };
  /** http(s) only; the webview itself loads nothing from the network. */
  openExternal: { params: { url: string }; result: { opened: boolean } };
  manageTrust: { params: Record<string, never>; result: { shown: boolean } };
  /** Ask the tool's `GET /autocomplete/<endpoint>?q=` (its process is started or kept warm as for a run). */
  autocomplete: { params: { endpoint: string; query: string }; result: { suggestions: AutocompleteSuggestion[] } };
  /** Show two texts in VS Code's diff editor (a diff output's "Open in Diff Editor"). */
  openDiff: { params: { title: string; left: string; right: string; language?: string }; result: { opened: boolean } };
}
export type RequestMethod = keyof RequestTypes;
export type RequestParams<M extends RequestMethod> = RequestTypes[M]['params'];
export type RequestResult<M extends RequestMethod> = RequestTypes[M]['result'];

/** Notifications the host sends without being asked. */
export interface NotificationTypes {
  runStarted: { runId: string; startedAt: string; inputs: Record<string, JsonValue> };
  /** The tool's process is starting (a cold start). */
  runSpawning: { runId: string };
  /** A streamed output's accumulated value. */
  runOutput: { runId: string; key: string; value: JsonValue };
  runFinished: { run: RunView };
  historyChanged: { history: HistoryPage };
  validationChanged: { validation: ValidationStatus };
  /** tool.json changed on disk (or the tool appeared / broke). */
  toolChanged: { tool: ToolInfo };
  trustChanged: { trust: TrustState };
  /** Show a stored run (opened from the Runs view, or "Edit & Re-run"). */
  showRun: ShowRun;
}
export type NotificationMethod = keyof NotificationTypes;

export interface ReadyMessage {
  kind: 'ready';
}

export type RequestMessage = {
  [M in RequestMethod]: { kind: 'request'; id: number; method: M; params: RequestParams<M> };
}[RequestMethod];

export type WebviewToHost = ReadyMessage | RequestMessage;

export interface ResponseMessage {
  kind: 'response';
  id: number;
  /** Checked against the request's method by the client (RESULT_GUARDS). */
  result: unknown;
}

export interface ErrorMessage {
  kind: 'error';
  id: number;
  message: string;
  /** Per-input messages (input key → what to fix). */
  fieldErrors?: Record<string, string>;
}

export type NotificationMessage = {
  [M in NotificationMethod]: { kind: 'notification'; method: M; params: NotificationTypes[M] };
}[NotificationMethod];

export type HostToWebview = InitMessage | ResponseMessage | ErrorMessage | NotificationMessage;

/** What the webview keeps with vscode.setState: the serializer restores the panel from it after a reload. */
export interface PanelState {
  toolId: string;
  runId?: string;
}
