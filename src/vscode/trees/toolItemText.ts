// What a tool item says: label, description (state · last run · tool.json description) and a Markdown tooltip.
// Pure: the tree wraps the strings in vscode types.
import { formatRelative } from './format';

export type ToolRunState = 'starting' | 'warm' | 'stopping' | 'dormant';
export type ValidationStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'unchecked';

export interface ToolProblem {
  message: string;
  line: number;
  column: number;
}

export interface ToolItemFacts {
  toolId: string;
  name: string;
  description: string | null;
  folder: string;
  runState: ToolRunState;
  lastRunAt: string | null;
  runCount: number;
  validation: ValidationStatus;
  /** The report is older than the tool's files (discovery hash changed since). */
  validationStale: boolean;
  /** First failing (else warning) check of the latest report. */
  validationNote: string | null;
  errors: readonly ToolProblem[];
  favourited: boolean;
  pinnedWarm: boolean;
  archived: boolean;
  colour: string | null;
  tags: readonly string[];
  workspaces: readonly string[];
}

export interface ToolItemText {
  label: string;
  description: string;
  tooltip: string;
}

const STATE_TEXT: Record<ToolRunState, string> = {
  starting: 'starting…',
  warm: 'warm',
  stopping: 'stopping…',
  dormant: 'dormant',
};

const VALIDATION_TEXT: Record<ValidationStatus, string> = {
  pass: '✓ passed',
  warn: '⚠ passed with warnings',
  fail: '✗ failed',
  skip: 'skipped',
  unchecked: 'not validated yet',
};

/** Escapes Markdown so names and messages from tool.json show literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export function problemText(problem: ToolProblem): string {
  return `${problem.line}:${problem.column} ${problem.message}`;
}

export function toolItemText(facts: ToolItemFacts, now: Date = new Date()): ToolItemText {
  const broken = facts.errors.length > 0;
  const parts: string[] = [];
  if (broken) {
    const first = facts.errors[0]!;
    parts.push(`tool.json ${first.line}:${first.column}: ${first.message}`);
  } else {
    if (facts.runState !== 'dormant') parts.push(STATE_TEXT[facts.runState]);
    if (facts.archived) parts.push('archived');
    parts.push(facts.lastRunAt ? formatRelative(facts.lastRunAt, now) : 'never run');
    if (facts.description) parts.push(facts.description);
  }

  const lines: string[] = [`**${escapeMarkdown(facts.name)}** \`${facts.toolId}\``];
  if (facts.description) lines.push('', escapeMarkdown(facts.description));
  if (broken) {
    lines.push('', `**tool.json has ${facts.errors.length === 1 ? 'an error' : `${facts.errors.length} errors`}:**`);
    for (const problem of facts.errors.slice(0, 10)) lines.push(`- \`${problem.line}:${problem.column}\` ${escapeMarkdown(problem.message)}`);
    if (facts.errors.length > 10) lines.push(`- … and ${facts.errors.length - 10} more`);
  }
  lines.push('');
  lines.push(`Process: ${STATE_TEXT[facts.runState]}${facts.pinnedWarm ? ' (pinned warm)' : ''}  `);
  lines.push(
    `Last run: ${facts.lastRunAt ? escapeMarkdown(formatRelative(facts.lastRunAt, now)) : 'never'}` +
      `${facts.runCount > 0 ? ` (${facts.runCount} run${facts.runCount === 1 ? '' : 's'})` : ''}  `,
  );
  lines.push(
    `Validation: ${VALIDATION_TEXT[facts.validation]}${facts.validationStale ? ' — the tool changed since' : ''}` +
      `${facts.validationNote ? ` — ${escapeMarkdown(facts.validationNote)}` : ''}  `,
  );
  if (facts.tags.length > 0) lines.push(`Tags: ${facts.tags.map((t) => `#${escapeMarkdown(t)}`).join(' ')}  `);
  if (facts.workspaces.length > 0) lines.push(`Workspaces: ${facts.workspaces.map(escapeMarkdown).join(', ')}  `);
  if (facts.favourited) lines.push('★ Favourite  ');
  if (facts.colour) lines.push(`Colour: ${escapeMarkdown(facts.colour)}  `);
  lines.push(`Folder: \`${facts.folder}\``);
  return { label: facts.name, description: parts.join(' · '), tooltip: lines.join('\n') };
}
