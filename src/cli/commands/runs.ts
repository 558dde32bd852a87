import type { Command } from 'commander';
import { configFrom, openForRead, withStore } from '../context';
import { listRuns, summariseInputs, type RunStatus } from '../../core/store/repositories/runs';
import { UsageError } from '../errors';
import { printJson, renderTable, truncate } from '../format';

const STATUSES: readonly RunStatus[] = ['running', 'ok', 'error', 'cancelled'];

export function parsePositiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1 (got "${text}").`);
  return value;
}

function duration(startedAt: string, finishedAt: string | null): string {
  if (!finishedAt) return '';
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function registerRuns(program: Command): Command {
  const runs = program
    .command('runs')
    .description('List recorded runs, newest first.')
    .option('--tool <id>', 'only runs of this tool')
    .option('--status <status>', `only runs with this status (${STATUSES.join(', ')})`)
    .option('--starred', 'only starred runs')
    .option('--search <text>', 'only runs whose inputs contain TEXT')
    .option('--limit <n>', 'at most N runs', '20')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        options: { tool?: string; status?: string; starred?: boolean; search?: string; limit: string; json?: boolean },
        command: Command,
      ) => {
        const limit = parsePositiveInt(options.limit, '--limit');
        if (options.status !== undefined && !STATUSES.includes(options.status as RunStatus)) {
          throw new UsageError(`--status must be one of ${STATUSES.join(', ')} (got "${options.status}").`);
        }
        const config = configFrom(command);
        const rows = await withStore(openForRead(config), (store) =>
          store.read((q) =>
            listRuns(q, {
              toolId: options.tool,
              status: options.status as RunStatus | undefined,
              starredOnly: options.starred,
              search: options.search,
              limit,
            }),
          ),
        );
        if (options.json) {
          printJson(
            rows.map((run) => ({
              id: run.id,
              toolId: run.toolId,
              status: run.status,
              startedAt: run.startedAt,
              finishedAt: run.finishedAt,
              starred: run.starred,
              label: run.label,
              totalArtefactBytes: run.totalArtefactBytes,
              summary: summariseInputs(run.inputsJson),
              errorText: run.errorText,
            })),
          );
          return;
        }
        if (rows.length === 0) {
          console.log('No runs recorded yet.');
          return;
        }
        console.log(
          renderTable(
            ['run', 'tool', 'status', 'started', 'took', '★', 'label', 'inputs'],
            rows.map((run) => [
              run.id,
              run.toolId,
              run.status,
              run.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
              duration(run.startedAt, run.finishedAt),
              run.starred ? '★' : '',
              run.label ?? '',
              truncate(summariseInputs(run.inputsJson), 40),
            ]),
          ),
        );
      },
    );
  return runs;
}
