// `pixie sweep`: the manual retention sweep. A dry run (the default) lists what would go and the bytes it would
// reclaim; --apply deletes exactly that (rows and files), re-checking each entry as it goes.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { configFrom, openForRead, openForWrite, withStore } from '../context';
import { CliFailure, UsageError } from '../errors';
import { formatBytes, printJson, renderTable } from '../format';
import {
  applyPlan,
  DEFAULT_OLDER_THAN_SECONDS,
  describeDurationSeconds,
  DurationError,
  formatDurationSeconds,
  LeaseLostError,
  parseDurationSeconds,
  planManualSweep,
  SweeperBusyError,
  type SweepPlan,
  type SweepResult,
} from '../../core/sweeper';
import type { SqlJsStore } from '../../core/store/engine';

interface SweepOptions {
  dryRun?: boolean;
  apply?: boolean;
  olderThan: string;
  tool?: string;
  all?: boolean;
  json?: boolean;
}

/** Entries shown per section without --all. */
const SHOWN = 20;

function parseOlderThan(text: string): number {
  try {
    return parseDurationSeconds(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`--older-than: ${error.message}`);
    throw error;
  }
}

/** A tool id the user typed must name a tool folder or something in the db; else it is a typo. */
function checkToolKnown(store: SqlJsStore, toolsDir: string, toolId: string): void {
  if (toolId.includes('/') || toolId.includes('\\') || toolId === '.' || toolId === '..') {
    throw new UsageError(`--tool: "${toolId}" is not a tool id.`);
  }
  if (fs.existsSync(path.join(toolsDir, toolId))) return;
  const known = store.read(
    (q) =>
      q.get('SELECT 1 AS found FROM runs WHERE tool_id = ? UNION ALL SELECT 1 FROM artefacts WHERE tool_id = ? LIMIT 1', [
        toolId,
        toolId,
      ]) !== undefined,
  );
  if (!known) throw new UsageError(`--tool: no tool "${toolId}" in ${toolsDir} and no runs of it in the database.`);
}

function section<T>(title: string, items: readonly T[], all: boolean, headers: string[], row: (item: T) => (string | number)[]): string[] {
  if (items.length === 0) return [];
  const shown = all ? items : items.slice(0, SHOWN);
  const lines = [`${title} (${items.length}):`, ...renderTable(headers, shown.map(row)).split('\n').map((line) => `  ${line}`)];
  if (shown.length < items.length) lines.push(`  … and ${items.length - shown.length} more (--all lists every one, --json gives them all)`);
  return [...lines, ''];
}

const shortTime = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');

function render(report: SweepPlan | SweepResult, dryRun: boolean, all: boolean): string {
  const title = (what: string) => (dryRun ? `${what} that would be deleted` : `${what} deleted`);
  const lines: string[] = [];
  const c = report.criteria;
  if (c.olderThan) {
    lines.push(
      `${dryRun ? 'Dry run' : 'Swept'}: runs started before ${shortTime(c.olderThan.cutoff)} ` +
        `(older than ${describeDurationSeconds(c.olderThan.seconds)})${c.toolId ? ` of ${c.toolId}` : ''}, ` +
        'not starred, not labelled, not running; expired soft-deleted artefacts; housekeeping.',
      '',
    );
  }
  lines.push(
    ...section(title('Runs'), report.runs, all, ['run', 'tool', 'started', 'status', 'artefacts'], (run) => [
      run.id,
      run.toolId,
      shortTime(run.startedAt),
      run.status,
      run.artefactCount,
    ]),
    ...section(title('Artefacts'), report.artefacts, all, ['id', 'run', 'path', 'size', 'why'], (a) => [
      a.id,
      a.runId,
      a.relPath,
      formatBytes(a.sizeBytes),
      a.reason,
    ]),
    ...section(title('Files'), report.files, all, ['path', 'size', 'why'], (f) => [
      f.base === 'db' ? `(db folder)/${f.relPath}` : f.relPath,
      formatBytes(f.bytes),
      f.reason,
    ]),
    ...section(title('Validation reports'), report.validationReports, all, ['tool', 'timestamp'], (r) => [r.toolId, r.timestamp]),
    ...section('Refused (outside the artefacts folder or through a symlink; never touched)', report.refused, all, ['path', 'why'], (r) => [
      r.relPath,
      r.reason,
    ]),
  );
  if ('recovered' in report) {
    lines.push(
      ...section('Finished for an interrupted sweep', report.recovered, all, ['path', 'size'], (f) => [f.relPath, formatBytes(f.bytes)]),
      ...section('Kept (changed since the plan)', report.skipped, all, ['entry', 'why'], (s) => [s.id, s.reason]),
      ...section('Could not delete', report.failed, all, ['entry', 'why'], (s) => [s.id, s.reason]),
    );
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (report.notes.length > 0) lines.push('');
  const t = report.totals;
  const counts = `${t.runs} run${t.runs === 1 ? '' : 's'}, ${t.artefacts} artefact${t.artefacts === 1 ? '' : 's'}, ` +
    `${t.files} file${t.files === 1 ? '' : 's'}, ${t.validationReports} validation report${t.validationReports === 1 ? '' : 's'}`;
  if (dryRun) {
    lines.push(
      t.runs + t.artefacts + t.files + t.validationReports === 0
        ? 'Nothing to sweep.'
        : `Would delete ${counts} — ${formatBytes(t.bytes)} reclaimed. Nothing was deleted; run again with --apply to delete.`,
    );
  } else {
    lines.push(`Deleted ${counts} — ${formatBytes(t.bytes)} reclaimed.${'cancelled' in report && report.cancelled ? ' (cancelled part-way)' : ''}`);
  }
  return lines.join('\n');
}

export function registerSweep(program: Command): Command {
  return program
    .command('sweep')
    .description(
      'Delete old runs (not starred, not labelled, not running) with their artefacts and files, expired soft-deleted ' +
        'artefacts, stale partial/temp files, files with no row and rows whose file is gone. Dry run by default.',
    )
    .option('--dry-run', 'only report what would be deleted (the default)')
    .option('--apply', 'delete what the dry run reports')
    .option('--older-than <duration>', 'runs started longer ago than this: 45s, 90m, 12h, 30d, 2w, or seconds', formatDurationSeconds(DEFAULT_OLDER_THAN_SECONDS))
    .option('--tool <id>', "only this tool's runs, artefacts and artefacts/<id>/ folder")
    .option('--all', 'list every entry (default: the first 20 of each kind)')
    .option('--json', 'print the plan (dry run) or the result (apply) as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  pixie sweep --dry-run\n  pixie sweep --apply --older-than 30d\n  pixie sweep --apply --tool whisper-transcription --older-than 7d\n' +
        '\nExit codes: 0 done (also when there was nothing to sweep), 1 failed (another sweep is running, a file could not be\n' +
        'deleted, the database is read-only), 2 bad usage.',
    )
    .action(async (options: SweepOptions, command: Command) => {
      if (options.dryRun && options.apply) throw new UsageError('--dry-run and --apply cannot be used together.');
      const olderThanSeconds = parseOlderThan(options.olderThan);
      const config = configFrom(command);
      const dryRun = !options.apply;
      const toolId = options.tool;
      const open = dryRun ? openForRead(config) : openForWrite(config);
      const report = await withStore(open, async (store) => {
        if (toolId !== undefined) checkToolKnown(store, config.toolsDir, toolId);
        const plan = await planManualSweep({ store, settings: config, olderThanSeconds, toolId });
        if (dryRun) return plan;
        // A progress line on an interactive terminal only (never mixed into --json or piped output).
        const tty = process.stderr.isTTY === true && !options.json;
        try {
          const result = await applyPlan(plan, {
            store,
            settings: config,
            onProgress: tty
              ? (p) => process.stderr.write(`\rpixie: sweeping ${p.phase} ${p.done}/${p.total}, ${formatBytes(p.bytesFreed)} freed `)
              : undefined,
          });
          if (tty) process.stderr.write('\n');
          return result;
        } catch (error) {
          if (tty) process.stderr.write('\n');
          if (error instanceof SweeperBusyError || error instanceof LeaseLostError) throw new CliFailure(error.message);
          throw error;
        }
      });
      if (options.json) printJson({ dryRun, ...report });
      else console.log(render(report, dryRun, options.all === true));
      if ('failed' in report && report.failed.length > 0) {
        throw new CliFailure(`${report.failed.length} file(s) could not be deleted; their rows are gone and a later sweep retries them.`);
      }
    });
}
