// The Runs view without vscode: item texts, inputs and filter descriptions. Paging is in ./pager.
import type { RunFilter, RunRecord, RunStatus } from '../../core/store/repositories/runs';
import { summariseInputs } from '../../core/store/repositories/runs';
import { escapeMarkdown } from './toolItemText';
import { durationBetween, formatDuration, formatLocalDateTime, formatRunTime } from './format';

/** The columns the Runs view needs (RunRecord fits). */
export type RunRow = Pick<
  RunRecord,
  'id' | 'toolId' | 'startedAt' | 'finishedAt' | 'inputsJson' | 'errorText' | 'status' | 'starred' | 'label'
>;

export function toRunRow(run: RunRow): RunRow {
  return {
    id: run.id,
    toolId: run.toolId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    inputsJson: run.inputsJson,
    errorText: run.errorText,
    status: run.status,
    starred: run.starred,
    label: run.label,
  };
}

export interface RunItemText {
  label: string;
  description: string;
  tooltip: string;
}

export const STATUS_ICONS: Record<RunStatus, string> = {
  ok: 'pass',
  error: 'error',
  cancelled: 'circle-slash',
  running: 'loading~spin',
};

const STATUS_WORDS: Record<RunStatus, string> = { ok: 'ok', error: 'failed', cancelled: 'cancelled', running: 'running' };

/** The inputs object of a stored inputs_json: the `{run_id, inputs, _pixie}` envelope or a bare object. */
export function inputsOf(inputsJson: string | null): Record<string, unknown> {
  if (!inputsJson) return {};
  try {
    const parsed = JSON.parse(inputsJson) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const record = parsed as Record<string, unknown>;
    const inner = record.inputs;
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as Record<string, unknown>;
    return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'run_id' && key !== '_pixie'));
  } catch {
    return {};
  }
}

/** First line of a run's error text (the stderr after `--- stderr ---` stays for "Show Error"). */
export function firstErrorLine(errorText: string | null): string | undefined {
  if (!errorText) return undefined;
  const line = errorText.split('\n').find((l) => l.trim() !== '');
  if (!line) return undefined;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export interface RunTextOptions {
  toolName: string;
  /** Under a tool group the tool name is not repeated. */
  grouped: boolean;
  now?: Date;
}

export function runItemText(run: RunRow, options: RunTextOptions): RunItemText {
  const now = options.now ?? new Date();
  const time = formatRunTime(run.startedAt, now);
  const duration = durationBetween(run.startedAt, run.finishedAt);
  const summary = summariseInputs(run.inputsJson);
  const star = run.starred ? '★ ' : '';
  const head = options.grouped ? time : options.toolName;
  const label = `${star}${head}${run.label ? ` — ${run.label}` : ''}`;
  const description = [
    options.grouped ? undefined : time,
    run.status === 'running' ? 'running…' : duration !== undefined ? formatDuration(duration) : undefined,
    summary || undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join(' · ');
  const lines = [
    `**${escapeMarkdown(options.toolName)}** — ${STATUS_WORDS[run.status]}${run.starred ? ' ★' : ''}`,
    '',
    `Started: ${escapeMarkdown(formatLocalDateTime(run.startedAt))}  `,
  ];
  if (duration !== undefined) lines.push(`Duration: ${formatDuration(duration)}  `);
  if (run.label) lines.push(`Label: ${escapeMarkdown(run.label)}  `);
  if (summary) lines.push(`Inputs: ${escapeMarkdown(summary)}  `);
  const error = firstErrorLine(run.errorText);
  if (error) lines.push(`Error: ${escapeMarkdown(error)}  `);
  lines.push(`Run id: \`${run.id}\``);
  return { label, description, tooltip: lines.join('\n') };
}

export interface RunsFilter extends RunFilter {
  /** Display name for the tool filter. */
  toolName?: string;
}

export function isFilterActive(filter: RunFilter): boolean {
  return filter.toolId !== undefined || filter.status !== undefined || filter.starredOnly === true || !!filter.search;
}

/** The Runs view's description while a filter is on: `tool: Echo · failed · ★ · "text"`. */
export function filterDescription(filter: RunsFilter): string {
  const parts: string[] = [];
  if (filter.toolId !== undefined) parts.push(`tool: ${filter.toolName ?? filter.toolId}`);
  if (filter.status !== undefined) parts.push(STATUS_WORDS[filter.status]);
  if (filter.starredOnly) parts.push('★ starred');
  if (filter.search) parts.push(`“${filter.search}”`);
  return parts.join(' · ');
}

