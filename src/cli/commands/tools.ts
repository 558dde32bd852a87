// `pixie tools`: every tool under the tools folder with its tool.json problems (line:col), the latest validation
// verdict, whether a process is warm (never, from a CLI process: it keeps no pool), and its run history counters.
import fs from 'node:fs';
import type { Command } from 'commander';
import { configFrom, openForRead, withStore } from '../context';
import { CliFailure } from '../errors';
import { printJson, renderTable, truncate } from '../format';
import { discoverTools, type DiscoveredTool } from '../../core/tools/discovery';
import { listToolStates, type ToolStateRecord } from '../../core/store/repositories/toolState';
import { latestValidationReportsForAll } from '../../core/store/repositories/validationReports';
import type { PixieConfig } from '../../core/config';

export type ValidationStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'unchecked';

export interface ToolListing {
  id: string;
  folder: string;
  toolJsonPath: string;
  name: string | null;
  runtime: string;
  /** tool.json problems; empty when the tool can run. */
  errors: { message: string; path: string; line: number; column: number }[];
  validation: ValidationStatus;
  validatedAt: string | null;
  /** The tool's files changed since the stored validation (discovery_hash differs). */
  validationStale: boolean;
  /** A CLI process has no warm pool, so every tool is dormant as far as it can tell. */
  process: 'dormant';
  archived: boolean;
  runCount: number;
  lastRunAt: string | null;
}

/** The tools folder must exist; an empty one is fine. */
export async function discoverOrFail(config: PixieConfig): Promise<DiscoveredTool[]> {
  if (!fs.existsSync(config.toolsDir)) {
    throw new CliFailure(`No tools folder at ${config.toolsDir}. Point at one with --tools-dir DIR or --workspace DIR.`);
  }
  return discoverTools(config.toolsDir);
}

interface StoredState {
  states: Map<string, ToolStateRecord>;
  reports: Map<string, { overall: ValidationStatus; timestamp: string }>;
}

/** tool_state and the latest validation reports, or nothing when there is no database yet (listing never creates one). */
async function storedState(config: PixieConfig): Promise<StoredState> {
  if (!fs.existsSync(config.dbPath) && !fs.existsSync(`${config.dbPath}.redo`)) return { states: new Map(), reports: new Map() };
  return withStore(openForRead(config), (store) =>
    store.read((q) => ({
      states: new Map(listToolStates(q).map((s) => [s.toolId, s])),
      reports: new Map(latestValidationReportsForAll(q).map((r) => [r.toolId, { overall: r.overall, timestamp: r.timestamp }])),
    })),
  );
}

export function listing(tool: DiscoveredTool, stored: StoredState): ToolListing {
  const state = stored.states.get(tool.toolId);
  const report = stored.reports.get(tool.toolId);
  return {
    id: tool.toolId,
    folder: tool.folderName,
    toolJsonPath: tool.toolJsonPath,
    name: tool.spec?.name ?? null,
    runtime: tool.runtime,
    errors: tool.errors.map((e) => ({ message: e.message, path: e.path, line: e.line, column: e.column })),
    validation: report?.overall ?? 'unchecked',
    validatedAt: report?.timestamp ?? null,
    validationStale: Boolean(report && state?.discoveryHash && state.discoveryHash !== tool.discoveryHash),
    process: 'dormant',
    archived: state?.archived ?? false,
    runCount: state?.runCountTotal ?? 0,
    lastRunAt: state?.lastRunAt ?? null,
  };
}

function shortTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}

export function registerTools(program: Command): Command {
  return program
    .command('tools')
    .description('List the tools in the tools folder: problems in tool.json, validation, warm/dormant, runs.')
    .option('--tools-dir <dir>', 'tools folder (default: <workspace>/tools, or PIXIE_TOOLS_DIR)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const tools = await discoverOrFail(config);
      const stored = await storedState(config);
      const rows = tools.map((tool) => listing(tool, stored));
      if (options.json) {
        printJson(rows);
        return;
      }
      if (rows.length === 0) {
        console.log(`No tools in ${config.toolsDir} (each tool is a folder with a tool.json).`);
        return;
      }
      console.log(
        renderTable(
          ['id', 'name', 'tool.json', 'validation', 'process', 'runs', 'last run'],
          rows.map((row) => [
            row.id,
            truncate(row.name ?? '', 32),
            row.errors.length === 0 ? 'ok' : `${row.errors.length} error${row.errors.length === 1 ? '' : 's'}`,
            `${row.validation}${row.validationStale ? ' (stale)' : ''}`,
            row.process,
            row.runCount,
            shortTime(row.lastRunAt),
          ]),
        ),
      );
      for (const row of rows.filter((r) => r.errors.length > 0)) {
        console.log(`\n${row.id} (${row.toolJsonPath}):`);
        for (const error of row.errors) console.log(`  ${error.line}:${error.column}  ${error.message}${error.path ? ` [${error.path}]` : ''}`);
      }
    });
}
