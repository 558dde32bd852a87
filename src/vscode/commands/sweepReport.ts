// Texts of the palette sweep: the plan as a Markdown document, the confirm label, progress and result lines. Pure (no
// vscode) so it is unit tested; the plan and result shapes are the core's (src/core/sweeper/types.ts).
import { describeDurationSeconds } from '../../core/sweeper/durations';
import type { SweepPhase, SweepPlan, SweepProgress, SweepResult, SweepTotals } from '../../core/sweeper/types';
import { formatBytes } from '../trees/format';

/** What the document shows of one run besides the plan's own fields. */
export interface RunDetails {
  /** One-line inputs summary (`summariseInputs`). */
  inputs: string;
}

export interface PlanMarkdownOptions {
  /** Inputs summaries by run id (runs missing here show no summary). */
  details?: ReadonlyMap<string, RunDetails>;
  /** Most runs listed; the rest are counted (a huge plan would make an unreadable document). */
  maxRuns?: number;
}

export const DEFAULT_MAX_LISTED_RUNS = 500;

/** Markdown special characters escaped, newlines flattened: tool ids and inputs are user text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_{}[\]()#|<>~])/g, '\\$1');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `3 runs, 5 artefacts, 7 files, 2 validation reports — 1.5 MB`. */
export function totalsLine(totals: SweepTotals): string {
  const parts = [plural(totals.runs, 'run'), plural(totals.artefacts, 'artefact'), plural(totals.files, 'file')];
  if (totals.validationReports > 0) parts.push(plural(totals.validationReports, 'validation report'));
  return `${parts.join(', ')} — ${formatBytes(totals.bytes)}`;
}

export function isEmptyPlan(plan: Pick<SweepPlan, 'totals'>): boolean {
  const t = plan.totals;
  return t.runs + t.artefacts + t.files + t.validationReports === 0;
}

/** The step-3 button: `Delete 3 runs (1.5 MB)`, or what else goes when no run does. */
export function confirmLabel(plan: Pick<SweepPlan, 'totals'>): string {
  const t = plan.totals;
  if (t.runs > 0) return `Delete ${plural(t.runs, 'run')} (${formatBytes(t.bytes)})`;
  if (t.artefacts > 0) return `Delete ${plural(t.artefacts, 'artefact')} (${formatBytes(t.bytes)})`;
  if (t.files > 0) return `Delete ${plural(t.files, 'stale file')} (${formatBytes(t.bytes)})`;
  return `Delete ${plural(t.validationReports, 'old validation report')}`;
}

/** `Runs older than 30 days, tool echo` — what the user chose, from the plan's own criteria. */
export function criteriaLine(plan: Pick<SweepPlan, 'criteria'>): string {
  const { olderThan, toolId } = plan.criteria;
  const age = olderThan ? `Runs older than ${describeDurationSeconds(olderThan.seconds)}` : 'Background pass';
  return `${age}, ${toolId ? `tool ${toolId}` : 'all tools'}`;
}

export function planMarkdown(plan: SweepPlan, options: PlanMarkdownOptions = {}): string {
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_LISTED_RUNS;
  const t = plan.totals;
  const lines: string[] = [
    '# Pixie sweep — dry run',
    '',
    `${escapeMarkdown(criteriaLine(plan))}. Planned ${plan.createdAt}. Nothing has been deleted.`,
    '',
    '## Totals',
    '',
    '| | |',
    '|---|---:|',
    `| Runs | ${t.runs} |`,
    `| Artefacts | ${t.artefacts} |`,
    `| Files | ${t.files} |`,
    `| Validation reports | ${t.validationReports} |`,
    `| **Reclaimed** | **${formatBytes(t.bytes)}** |`,
    '',
  ];
  if (isEmptyPlan(plan)) lines.push('Nothing to sweep: no unprotected run is that old, and there is nothing stale to remove.', '');

  if (plan.runs.length > 0) {
    lines.push('## Runs', '', '| Tool | Started | Status | Artefacts | Inputs |', '|---|---|---|---:|---|');
    for (const run of plan.runs.slice(0, maxRuns)) {
      const inputs = options.details?.get(run.id)?.inputs ?? '';
      lines.push(
        `| ${escapeMarkdown(run.toolId)} | ${escapeMarkdown(run.startedAt)} | ${escapeMarkdown(run.status)} | ${run.artefactCount} | ${escapeMarkdown(inputs)} |`,
      );
    }
    if (plan.runs.length > maxRuns) lines.push('', `…and ${plan.runs.length - maxRuns} more runs.`);
    lines.push('', 'Starred or labelled runs, runs holding a starred or labelled artefact, and running runs are never swept.', '');
  }

  const otherArtefacts = plan.artefacts.filter((a) => a.reason !== 'run');
  if (otherArtefacts.length > 0) {
    lines.push('## Other artefacts', '');
    const expired = otherArtefacts.filter((a) => a.reason === 'soft-delete-expired').length;
    const missing = otherArtefacts.filter((a) => a.reason === 'missing-file').length;
    if (expired > 0) lines.push(`- ${plural(expired, 'deleted artefact')} past the restore period`);
    if (missing > 0) lines.push(`- ${plural(missing, 'row')} whose file is gone`);
    lines.push('');
  }

  const housekeeping = plan.files.filter((f) => f.reason === 'orphan' || f.reason === 'partial' || f.reason === 'temp');
  if (housekeeping.length > 0) {
    const bytes = housekeeping.reduce((sum, f) => sum + f.bytes, 0);
    lines.push('## Stale files', '', `${plural(housekeeping.length, 'file')} no run uses (${formatBytes(bytes)}):`, '');
    for (const file of housekeeping.slice(0, maxRuns)) lines.push(`- \`${file.relPath.replace(/`/g, "'")}\` (${file.reason})`);
    if (housekeeping.length > maxRuns) lines.push(`- …and ${housekeeping.length - maxRuns} more`);
    lines.push('');
  }

  if (plan.refused.length > 0) {
    lines.push('## Refused paths', '', 'Never deleted: they would leave the artefacts folder.', '');
    for (const refused of plan.refused) lines.push(`- \`${refused.relPath.replace(/`/g, "'")}\`: ${escapeMarkdown(refused.reason)}`);
    lines.push('');
  }
  if (plan.notes.length > 0) {
    lines.push('## Notes', '');
    for (const note of plan.notes) lines.push(`- ${escapeMarkdown(note)}`);
    lines.push('');
  }
  return lines.join('\n');
}

const PHASE_LABELS: Record<SweepPhase, string> = {
  recover: 'Finishing an interrupted sweep',
  runs: 'Deleting runs',
  artefacts: 'Deleting artefacts',
  reports: 'Deleting old reports',
  files: 'Removing files',
};

/** `Deleting runs 40/120 · 12 MB freed`. */
export function progressMessage(progress: SweepProgress): string {
  return `${PHASE_LABELS[progress.phase]} ${progress.done}/${progress.total} · ${formatBytes(progress.bytesFreed)} freed`;
}

/** The message after an apply: what went, bytes reclaimed, and what was skipped or failed. */
export function resultMessage(result: SweepResult): string {
  const head = result.cancelled ? 'Sweep cancelled; before it stopped it removed' : 'Sweep done: removed';
  const parts = [`${head} ${totalsLine(result.totals).replace(' — ', ', reclaiming ')}.`];
  if (result.skipped.length > 0) parts.push(`${plural(result.skipped.length, 'entry', 'entries')} changed since the plan and were kept.`);
  if (result.failed.length > 0) parts.push(`${plural(result.failed.length, 'file')} could not be deleted (see the log).`);
  return parts.join(' ');
}
