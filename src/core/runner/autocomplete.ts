// Autocomplete inputs ask the tool itself: GET <tool>/autocomplete/<endpoint>?q=<query> (reference §2.4), on the
// tool's warm process (started if dormant, exactly as for a run). The answer is a list of `{value, label}` (or of
// plain strings), capped, so a misbehaving tool cannot flood the form.
import type { PixieConfig } from '../config';
import type { Store } from '../store/types';
import { getToolState } from '../store/repositories/toolState';
import type { DiscoveredTool } from '../tools/discovery';
import { isUsable } from '../tools/discovery';
import type { JsonValue } from '../tools/model';
import { toJsonValue } from '../tools/inputValues';
import { describeErrorBody } from './client/errorBody';
import { ToolRequestError } from './client/errors';
import { fetchText, toolUrl } from './client/request';
import { launchSpecFor } from './launchSpec';
import type { LaunchSpec } from './launcher/types';
import type { Launcher } from './launcher/warmPool';

/** Suggestions come while the user types: a tool slower than this is not helping. */
export const AUTOCOMPLETE_TIMEOUT_MS = 5_000;
export const MAX_SUGGESTIONS = 100;
/** Longer queries are refused rather than put in a URL. */
export const MAX_QUERY_CHARS = 1_000;
const MAX_LABEL_CHARS = 500;

export interface AutocompleteSuggestion {
  value: JsonValue;
  label: string;
}

export type AutocompleteFailure = 'blocked' | 'endpoint' | 'query' | 'start' | 'unreachable' | 'http' | 'format';

export class AutocompleteError extends Error {
  override name = 'AutocompleteError';
  constructor(
    readonly kind: AutocompleteFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * The path for an endpoint as tool.json writes it: `/autocomplete/cities`, `autocomplete/cities` or `cities` all give
 * `/autocomplete/cities`. Anything that could leave the tool's autocomplete routes (`..`, a scheme, a query, odd
 * characters) is refused.
 */
export function autocompletePath(endpoint: string): string {
  const trimmed = endpoint.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) {
    throw new AutocompleteError('endpoint', `"${endpoint}" is not an autocomplete endpoint (expected e.g. /autocomplete/cities).`);
  }
  const rest = trimmed.replace(/^\/+/, '').replace(/^autocomplete\//, '');
  const segments = rest.split('/');
  if (rest === '' || segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new AutocompleteError('endpoint', `"${endpoint}" is not an autocomplete endpoint (expected e.g. /autocomplete/cities).`);
  }
  return `/autocomplete/${segments.join('/')}`;
}

function labelOf(value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS)}…` : text;
}

function suggestionOf(item: unknown): AutocompleteSuggestion | undefined {
  if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return { value: item, label: labelOf(item) };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  const value = toJsonValue(record.value);
  if (value === undefined || value === null) {
    // `{label}` alone: the label is the value too.
    return typeof record.label === 'string' ? { value: record.label, label: labelOf(record.label) } : undefined;
  }
  const label = typeof record.label === 'string' && record.label !== '' ? labelOf(record.label) : labelOf(value);
  return { value, label };
}

/** `[{value,label}]`, `["a","b"]`, or either wrapped as `{"results": […]}` (the original's page accepts that too). */
export function parseSuggestions(text: string): AutocompleteSuggestion[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AutocompleteError('format', `the tool's autocomplete answer is not JSON: ${describeErrorBody(text).slice(0, 200)}`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as Record<string, unknown>).results)
      ? ((parsed as Record<string, unknown>).results as unknown[])
      : undefined;
  if (!list) throw new AutocompleteError('format', 'the tool\'s autocomplete answer is not a list of {value, label} suggestions.');
  const out: AutocompleteSuggestion[] = [];
  for (const item of list) {
    const suggestion = suggestionOf(item);
    if (suggestion) out.push(suggestion);
    if (out.length >= MAX_SUGGESTIONS) break;
  }
  return out;
}

export interface FetchSuggestionsRequest {
  launcher: Pick<Launcher, 'ensureRunning'>;
  launchSpec: LaunchSpec;
  endpoint: string;
  query: string;
  /** Workspace Trust: a reason here means no tool process may be started or asked. */
  blockedReason(): string | undefined;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Asks the tool's autocomplete endpoint; every failure is an AutocompleteError with a message for the form. */
export async function fetchSuggestions(request: FetchSuggestionsRequest): Promise<AutocompleteSuggestion[]> {
  const blocked = request.blockedReason();
  if (blocked) throw new AutocompleteError('blocked', `No suggestions: ${blocked}`);
  const path = autocompletePath(request.endpoint);
  if (request.query.length > MAX_QUERY_CHARS) throw new AutocompleteError('query', `The search text is too long (over ${MAX_QUERY_CHARS} characters).`);
  let baseUrl: string;
  try {
    baseUrl = (await request.launcher.ensureRunning(request.launchSpec, { signal: request.signal })).baseUrl;
  } catch (error) {
    throw new AutocompleteError('start', `The tool could not start to give suggestions: ${(error as Error).message}`, { cause: error });
  }
  const url = toolUrl(baseUrl, `${path}?q=${encodeURIComponent(request.query)}`);
  const timeoutMs = request.timeoutMs ?? AUTOCOMPLETE_TIMEOUT_MS;
  let response;
  try {
    response = await fetchText(url, { method: 'GET', headers: { Accept: 'application/json' } }, { timeoutMs, signal: request.signal });
  } catch (error) {
    const message = error instanceof ToolRequestError && error.kind === 'timeout'
      ? `The tool did not suggest anything within ${timeoutMs / 1000} s.`
      : `The tool did not answer: ${(error as Error).message}`;
    throw new AutocompleteError('unreachable', message, { cause: error });
  }
  if (response.status < 200 || response.status >= 300) {
    const detail = describeErrorBody(response.text);
    const hint = response.status === 404 ? ' (does the tool implement this autocomplete endpoint?)' : '';
    throw new AutocompleteError('http', `GET ${path} answered ${response.status}${hint}${detail ? `: ${detail.slice(0, 300)}` : ''}`);
  }
  return parseSuggestions(response.text);
}

export interface AutocompleteServiceOptions {
  store: Store;
  launcher: Pick<Launcher, 'ensureRunning'>;
  /** The effective configuration, or a getter for it (settings change while the window is open). */
  config: PixieConfig | (() => PixieConfig);
  blockedReason(): string | undefined;
  timeoutMs?: number;
}

/** Suggestions for a tool's autocomplete input: the launch spec built as for a run, the endpoint checked. */
export class AutocompleteService {
  constructor(private readonly options: AutocompleteServiceOptions) {}

  async suggest(tool: DiscoveredTool, endpoint: string, query: string, signal?: AbortSignal): Promise<AutocompleteSuggestion[]> {
    const blocked = this.options.blockedReason();
    if (blocked) throw new AutocompleteError('blocked', `No suggestions: ${blocked}`);
    if (!isUsable(tool)) throw new AutocompleteError('start', `${tool.toolId} cannot run until its tool.json problems are fixed.`);
    // Only endpoints the tool declares: the webview cannot send the tool arbitrary GETs.
    const wanted = autocompletePath(endpoint);
    const declared = tool.spec.inputs.some((input) => input.type === 'autocomplete' && safePath(input.endpoint) === wanted);
    if (!declared) throw new AutocompleteError('endpoint', `${tool.toolId} has no autocomplete input with endpoint "${endpoint}".`);
    const config = typeof this.options.config === 'function' ? this.options.config() : this.options.config;
    const state = this.options.store.read((q) => getToolState(q, tool.toolId));
    return fetchSuggestions({
      launcher: this.options.launcher,
      launchSpec: launchSpecFor(tool, state, config),
      endpoint: wanted,
      query,
      blockedReason: this.options.blockedReason,
      timeoutMs: this.options.timeoutMs,
      signal,
    });
  }
}

function safePath(endpoint: string): string | undefined {
  try {
    return autocompletePath(endpoint);
  } catch {
    return undefined;
  }
}
