// Type guards for every message, request, result and notification of the tool panel protocol.
import {
  arrayOf,
  isBoolean,
  isFiniteNumber,
  isJsonObject,
  isJsonValue,
  isRecord,
  isSafeInteger,
  isString,
  literal,
  nullable,
  objectOf,
  optional,
  recordOf,
  type Guard,
} from './guards';
import {
  FILE_REF_KEY,
  type ActiveRun,
  type ArtefactView,
  type ErrorMessage,
  type FileRef,
  type HistoryCursor,
  type HistoryEntry,
  type HistoryPage,
  type HostToWebview,
  type InitMessage,
  type NotificationMessage,
  type NotificationMethod,
  type NotificationTypes,
  type PanelSettings,
  type PanelState,
  type RequestMessage,
  type RequestMethod,
  type RequestTypes,
  type ResponseMessage,
  type RunView,
  type ShowRun,
  type ToolInfo,
  type ToolProblem,
  type TrustState,
  type ValidationStatus,
  type WebviewToHost,
} from './messages';
import { INPUT_TYPES, LAYOUTS, type ToolSpec } from './model';

export const isRunStatus = literal('running', 'ok', 'error', 'cancelled');
const isNullableString = nullable(isString);
const isInputsObject = isJsonObject;

export const isFileRef: Guard<FileRef> = objectOf({
  id: isSafeInteger,
  uri: isNullableString,
  filename: isString,
  mime: isString,
  size: isSafeInteger,
  kind: literal('file', 'text', 'json'),
  problem: isNullableString,
});

/** The resolved file reference inside an output value, if it carries one. */
export function fileRefOf(value: unknown): FileRef | undefined {
  if (!isRecord(value)) return undefined;
  const ref = value[FILE_REF_KEY];
  return isFileRef(ref) ? ref : undefined;
}

export const isArtefactView: Guard<ArtefactView> = objectOf({
  id: isSafeInteger,
  outputKey: isString,
  filename: isString,
  mime: isString,
  size: isSafeInteger,
  uri: isNullableString,
});

export const isRunView: Guard<RunView> = objectOf({
  id: isString,
  toolId: isString,
  status: isRunStatus,
  startedAt: isString,
  finishedAt: isNullableString,
  durationMs: nullable(isFiniteNumber),
  inputs: isInputsObject,
  outputs: nullable(isJsonObject),
  error: isNullableString,
  starred: isBoolean,
  label: isNullableString,
  artefacts: arrayOf(isArtefactView),
  notices: arrayOf(isString),
});

export const isHistoryCursor: Guard<HistoryCursor> = objectOf({ startedAt: isString, id: isString });

export const isHistoryEntry: Guard<HistoryEntry> = objectOf({
  id: isString,
  status: isRunStatus,
  startedAt: isString,
  finishedAt: isNullableString,
  summary: isString,
  starred: isBoolean,
  label: isNullableString,
});

export const isHistoryPage: Guard<HistoryPage> = objectOf({ runs: arrayOf(isHistoryEntry), next: nullable(isHistoryCursor) });

export const isValidationStatus: Guard<ValidationStatus> = objectOf({
  state: literal('pass', 'warn', 'fail', 'skip', 'unchecked'),
  checkedAt: isNullableString,
  check: isNullableString,
  message: isNullableString,
  outdated: isBoolean,
});

const isNamedEntry = objectOf({ key: isString, label: isString, type: isString });

/**
 * The fields of a tool spec the webview relies on. The host builds specs with every default applied (the core's
 * parser), so this checks the shape, not every option of every input type.
 */
export const isToolSpec: Guard<ToolSpec> = (v): v is ToolSpec => {
  if (!isRecord(v) || !isString(v.id) || !isString(v.name) || !literal(...LAYOUTS)(v.layout)) return false;
  if (!Array.isArray(v.inputs) || !Array.isArray(v.outputs)) return false;
  const inputTypes: readonly string[] = INPUT_TYPES;
  const inputsOk = v.inputs.every((i: unknown) => isNamedEntry(i) && inputTypes.includes(i.type) && typeof (i as Record<string, unknown>).required === 'boolean');
  return inputsOk && v.outputs.every(isNamedEntry) && isJsonValue(v);
};

export const isToolProblem: Guard<ToolProblem> = objectOf({
  message: isString,
  line: nullable(isFiniteNumber),
  column: nullable(isFiniteNumber),
});

export const isToolInfo: Guard<ToolInfo> = objectOf({ toolId: isString, spec: nullable(isToolSpec), problems: arrayOf(isToolProblem) });

export const isTrustState: Guard<TrustState> = objectOf({ trusted: isBoolean, message: isNullableString });

export const isActiveRun: Guard<ActiveRun> = objectOf({
  runId: isString,
  startedAt: isString,
  inputs: isInputsObject,
  outputs: isJsonObject,
  spawning: isBoolean,
});

export const isShowRun: Guard<ShowRun> = objectOf({ run: isRunView, intent: literal('replay', 'edit') });

export const isPanelSettings: Guard<PanelSettings> = objectOf({ locale: isString, historyPageSize: isSafeInteger, mapTileUrl: nullable(isString) });

export const isInitMessage: Guard<InitMessage> = objectOf({
  kind: literal('init'),
  tool: isToolInfo,
  validation: isValidationStatus,
  prefill: nullable(isInputsObject),
  history: isHistoryPage,
  settings: isPanelSettings,
  trust: isTrustState,
  activeRun: nullable(isActiveRun),
  show: nullable(isShowRun),
});

const isEmptyObject: Guard<Record<string, never>> = (v): v is Record<string, never> => isRecord(v) && Object.keys(v).length === 0;

type ParamGuards = { [M in RequestMethod]: Guard<RequestTypes[M]['params']> };
type ResultGuards = { [M in RequestMethod]: Guard<RequestTypes[M]['result']> };

export const PARAM_GUARDS: ParamGuards = {
  runTool: objectOf({ inputs: isInputsObject }),
  cancelRun: objectOf({ runId: isString }),
  loadRun: objectOf({ runId: isString }),
  listRuns: objectOf({ before: optional(isHistoryCursor) }),
  openArtefact: objectOf({ id: isSafeInteger }),
  revealArtefact: objectOf({ id: isSafeInteger }),
  saveFile: objectOf({ suggestedName: isString, content: isString, encoding: optional(literal('utf8', 'base64')) }),
  openExternal: objectOf({ url: isString }),
  manageTrust: isEmptyObject,
  autocomplete: objectOf({ endpoint: isString, query: isString }),
  openDiff: objectOf({ title: isString, left: isString, right: isString, language: optional(isString) }),
};

export const RESULT_GUARDS: ResultGuards = {
  runTool: objectOf({ runId: isString, startedAt: isString }),
  cancelRun: objectOf({ cancelling: isBoolean }),
  loadRun: isRunView,
  listRuns: isHistoryPage,
  openArtefact: objectOf({ opened: isBoolean }),
  revealArtefact: objectOf({ revealed: isBoolean }),
  saveFile: objectOf({ saved: isBoolean }),
  openExternal: objectOf({ opened: isBoolean }),
  manageTrust: objectOf({ shown: isBoolean }),
  autocomplete: objectOf({ suggestions: arrayOf(objectOf({ value: isJsonValue, label: isString })) }),
  openDiff: objectOf({ opened: isBoolean }),
};

export const REQUEST_METHODS = Object.keys(PARAM_GUARDS) as RequestMethod[];

type NotificationGuards = { [M in NotificationMethod]: Guard<NotificationTypes[M]> };

export const NOTIFICATION_GUARDS: NotificationGuards = {
  runStarted: objectOf({ runId: isString, startedAt: isString, inputs: isInputsObject }),
  runSpawning: objectOf({ runId: isString }),
  runOutput: objectOf({ runId: isString, key: isString, value: isJsonValue }),
  runFinished: objectOf({ run: isRunView }),
  historyChanged: objectOf({ history: isHistoryPage }),
  validationChanged: objectOf({ validation: isValidationStatus }),
  toolChanged: objectOf({ tool: isToolInfo }),
  trustChanged: objectOf({ trust: isTrustState }),
  showRun: isShowRun,
};

export const NOTIFICATION_METHODS = Object.keys(NOTIFICATION_GUARDS) as NotificationMethod[];

export function isRequestMethod(v: unknown): v is RequestMethod {
  return typeof v === 'string' && Object.hasOwn(PARAM_GUARDS, v);
}

export function isNotificationMethod(v: unknown): v is NotificationMethod {
  return typeof v === 'string' && Object.hasOwn(NOTIFICATION_GUARDS, v);
}

export const isMessageId: Guard<number> = (v): v is number => isSafeInteger(v) && v > 0;

/** A well-formed request envelope (method known); its params are checked by isRequestMessage. */
export function isRequestEnvelope(v: unknown): v is { kind: 'request'; id: number; method: RequestMethod; params: unknown } {
  return isRecord(v) && v.kind === 'request' && isMessageId(v.id) && isRequestMethod(v.method);
}

export function isRequestMessage(v: unknown): v is RequestMessage {
  return isRequestEnvelope(v) && PARAM_GUARDS[v.method](v.params);
}

export function isReadyMessage(v: unknown): v is { kind: 'ready' } {
  return isRecord(v) && v.kind === 'ready';
}

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  return isReadyMessage(v) || isRequestMessage(v);
}

export const isResponseMessage: Guard<ResponseMessage> = (v): v is ResponseMessage =>
  isRecord(v) && v.kind === 'response' && isMessageId(v.id) && Object.hasOwn(v, 'result');

export const isErrorMessage: Guard<ErrorMessage> = objectOf({
  kind: literal('error'),
  id: isMessageId,
  message: isString,
  fieldErrors: optional(recordOf(isString)),
});

export function isNotificationMessage(v: unknown): v is NotificationMessage {
  if (!isRecord(v) || v.kind !== 'notification' || !isNotificationMethod(v.method)) return false;
  return NOTIFICATION_GUARDS[v.method](v.params);
}

export function isHostToWebview(v: unknown): v is HostToWebview {
  return isInitMessage(v) || isResponseMessage(v) || isErrorMessage(v) || isNotificationMessage(v);
}

/** The serializer's state: a tool id, optionally the run on show. Extra fields are ignored. */
export const isPanelState: Guard<PanelState> = objectOf({ toolId: isString, runId: optional(isString) });
