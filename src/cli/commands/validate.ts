// `pixie validate TOOL` (the twelve checks against one tool, report saved to pixie.db) and
// `pixie validate-all` (every tool as one batch, progress in validate_jobs).
import fs from 'node:fs';
import type { Command } from 'commander';
import { configFrom, openForWrite, withStore } from '../context';
import { CliFailure, UsageError } from '../errors';
import { printJson, renderTable, truncate } from '../format';
import { findTool } from './run';
import { parsePositiveInt } from './runs';
import { discoverTools, type DiscoveredTool } from '../../core/tools/discovery';
import { getToolState, setToolDiscoveryHash } from '../../core/store/repositories/toolState';
import type { Store } from '../../core/store/types';
import { openStore } from '../../core/store/open';
import {
  saveReport,
  summariseReport,
  validateAll,
  validateTool,
  ValidationCancelledError,
  type CheckResult,
  type ValidationReport,
} from '../../core/validator';

const MARKS: Record<string, string> = { pass: '✔', warn: '!', fail: '✖', skip: '–' };

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function discover(toolsDir: string): Promise<DiscoveredTool[]> {
  if (!fs.existsSync(toolsDir)) throw new UsageError(`No tools folder at ${toolsDir}. Point at one with --tools-dir PATH or --workspace DIR.`);
  return discoverTools(toolsDir);
}

/** tool_state.archived when a database exists (the CLI never creates one just to look). */
async function archivedIds(dbPath: string): Promise<Set<string>> {
  if (!fs.existsSync(dbPath) && !fs.existsSync(`${dbPath}.redo`)) return new Set();
  let store: Store | undefined;
  try {
    store = await openStore({ dbPath, idleCheckpointMs: 60_000 });
    const rows = store.read((q) => q.all<{ tool_id: string }>('SELECT tool_id FROM tool_state WHERE archived = 1'));
    return new Set(rows.map((r) => r.tool_id));
  } catch {
    return new Set(); // an old or foreign database without tool_state: nothing is archived
  } finally {
    await store?.close();
  }
}

/** Aborts on Ctrl-C while `fn` runs, so tool processes are stopped before the CLI exits. */
async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\npixie: stopping (Ctrl-C)…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function checkLine(check: CheckResult, width: number): string {
  return `  ${MARKS[check.status]} ${check.status.padEnd(4)}  ${check.name.padEnd(width)}  ${check.message}`;
}

export function formatReport(report: ValidationReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const counts = (['fail', 'warn'] as const).map((s) => `${report.checks.filter((c) => c.status === s).length} ${s}`).join(', ');
  const lines = [`Validation of ${report.tool_id} (${report.tool_path})`, ...report.checks.map((c) => checkLine(c, width))];
  lines.push(report.overall === 'skip'
    ? `Overall: SKIP — ${report.skip_reason ?? ''}`
    : `Overall: ${report.overall.toUpperCase()} (${counts}) in ${(report.duration_ms / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

export function registerValidate(program: Command): Command {
  return program
    .command('validate')
    .description('Run the twelve checks against one tool and save the report (exit 1 on fail, 2 for an unknown tool).')
    .argument('<tool>', 'tool id (or folder name under tools/)')
    .option('--tools-dir <path>', 'tools folder (default: <workspace>/tools, or PIXIE_TOOLS_DIR)')
    .option('--json', 'print the full report as JSON only')
    .option('--no-save', 'do not store the report in pixie.db')
    .option('--summary', 'print the summary (counts and the checks that need attention) as JSON')
    .option('--reference-only', 'skip the sample run; check the reference fixtures')
    .option('--fixture <name>', 'only this fixture (fixture_<name>.json, its stem, or a glob); repeatable', collect, [])
    .option('--tag <tag>', 'only fixtures with this tag; repeatable', collect, [])
    .action(
      async (
        toolArg: string,
        options: { json?: boolean; save: boolean; summary?: boolean; referenceOnly?: boolean; fixture: string[]; tag: string[] },
        command: Command,
      ) => {
        const config = configFrom(command);
        const tool = findTool(await discover(config.toolsDir), toolArg, config.toolsDir);
        const archived = (await archivedIds(config.dbPath)).has(tool.toolId);
        const quiet = options.json === true || options.summary === true;
        const report = await withInterrupt(async (signal) => {
          try {
            return await validateTool(tool, {
              archived,
              referenceOnly: options.referenceOnly,
              fixtures: options.fixture,
              tags: options.tag,
              signal,
              onCheck: quiet || !process.stderr.isTTY ? undefined : (c) => process.stderr.write(`${MARKS[c.status]} ${c.name}\n`),
            });
          } catch (error) {
            if (error instanceof ValidationCancelledError) throw new CliFailure(error.message, 130);
            throw error;
          }
        });
        if (options.save) {
          const full = !options.referenceOnly && options.fixture.length === 0 && options.tag.length === 0 && report.overall !== 'skip';
          await withStore(openForWrite(config), async (store) => {
            await saveReport(store, report);
            // A full validation of these exact files: the change watcher need not validate them again.
            if (full) await store.write((q) => setToolDiscoveryHash(q, tool.toolId, tool.discoveryHash));
          });
        }
        if (options.summary) printJson(summariseReport(report));
        else if (options.json) printJson(report);
        else console.log(`${formatReport(report)}${options.save ? `\nReport saved to ${config.dbPath}.` : ''}`);
        if (report.overall === 'fail') {
          const first = report.checks.find((c) => c.status === 'fail');
          throw new CliFailure(`${report.tool_id} failed validation${first ? ` at ${first.name}: ${truncate(first.message, 300)}` : ''}`);
        }
      },
    );
}

export function registerValidateAll(program: Command): Command {
  return program
    .command('validate-all')
    .description('Validate every tool as one batch (progress in validate_jobs; joins a batch already running). Exit 1 if any tool fails.')
    .option('--tools-dir <path>', 'tools folder (default: <workspace>/tools, or PIXIE_TOOLS_DIR)')
    .option('--concurrency <n>', 'tools validated at the same time', '2')
    .option('--json', 'print the batch result as JSON only')
    .action(async (options: { json?: boolean; concurrency: string }, command: Command) => {
      const concurrency = parsePositiveInt(options.concurrency, '--concurrency');
      const config = configFrom(command);
      const tools = await discover(config.toolsDir);
      const result = await withStore(openForWrite(config), (store) => {
        const archived = new Set(tools.filter((t) => store.read((q) => getToolState(q, t.toolId))?.archived).map((t) => t.toolId));
        return withInterrupt((signal) =>
          validateAll({
            store,
            tools: tools.map((t) => ({ dir: t.dir, toolId: t.toolId, discoveryHash: t.discoveryHash, archived: archived.has(t.toolId) })),
            concurrency,
            signal,
            onProgress: (p) => {
              if (p.last) process.stderr.write(`[${p.completed}/${p.total}] ${MARKS[p.last.overall] ?? '✖'} ${p.last.tool_id}: ${p.last.overall}\n`);
            },
          }),
        );
      });
      if (options.json) printJson(result);
      else {
        if (result.join !== 'started') console.log(`Joined the batch already running (job ${result.jobId}).`);
        console.log(
          result.tools.length === 0
            ? 'No tools to validate.'
            : renderTable(
                ['tool', 'result', 'took', 'first problem'],
                result.tools.map((t) => [t.tool_id, t.overall, `${(t.duration_ms / 1000).toFixed(1)} s`, truncate(t.overall === 'pass' ? '' : t.message, 100)]),
              ),
        );
        console.log(`\n${result.status === 'cancelled' ? 'Cancelled' : 'Done'}: ${result.completed}/${result.total} validated — ${result.passed} passed, ${result.warned} warned, ${result.failed} failed (job ${result.jobId}).`);
      }
      if (result.status === 'cancelled') throw new CliFailure('validate-all was cancelled', 130);
      if (result.failed > 0) throw new CliFailure(`${result.failed} tool${result.failed === 1 ? '' : 's'} failed validation`);
    });
}
