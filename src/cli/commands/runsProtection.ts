// `pixie runs star|unstar|label|unlabel RUN_ID`: protect a run from every sweep (starred or labelled runs are never
// deleted) or give the protection back. RUN_ID may be the full id or an unambiguous prefix of at least 6 characters.
import type { Command } from 'commander';
import { configFrom, openForWrite, withStore } from '../context';
import { UsageError } from '../errors';
import { printJson } from '../format';
import { getRun, setRunLabel, setRunStarred } from '../../core/store/repositories/runs';
import { escapeLike } from '../../core/store/repositories/values';
import type { ReadQueries, WriteQueries } from '../../core/store/types';

const MIN_PREFIX = 6;
const MAX_LABEL_CHARS = 200;

/** The one run `given` names (exact id, or a unique prefix); UsageError otherwise. */
export function resolveRunId(q: ReadQueries, given: string): string {
  const id = given.trim();
  if (id === '') throw new UsageError('a run id is required.');
  if (getRun(q, id)) return id;
  if (id.length >= MIN_PREFIX) {
    const matches = q.all<{ id: string }>("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 3", [`${escapeLike(id)}%`]);
    if (matches.length === 1) return matches[0].id;
    if (matches.length > 1) throw new UsageError(`run id "${id}" is ambiguous: ${matches.map((m) => m.id).join(', ')}${matches.length === 3 ? ', …' : ''}.`);
  }
  throw new UsageError(`no run "${id}" (see \`pixie runs\`; a prefix needs at least ${MIN_PREFIX} characters).`);
}

interface RunState {
  id: string;
  toolId: string;
  starred: boolean;
  label: string | null;
  changed: boolean;
}

async function updateRun(command: Command, given: string, change: (q: WriteQueries, id: string) => boolean): Promise<RunState> {
  const config = configFrom(command);
  return withStore(openForWrite(config), (store) =>
    store.write((q) => {
      const id = resolveRunId(q, given);
      const changed = change(q, id);
      const run = getRun(q, id);
      if (!run) throw new UsageError(`no run "${id}".`);
      return { id, toolId: run.toolId, starred: run.starred, label: run.label, changed };
    }),
  );
}

function report(state: RunState, json: boolean, text: string): void {
  if (json) {
    printJson({ id: state.id, toolId: state.toolId, starred: state.starred, label: state.label, protected: state.starred || state.label !== null });
    return;
  }
  const protection = state.starred || state.label !== null ? 'protected from sweeps' : 'no longer protected: sweeps may delete it';
  console.log(`${text} (${protection}).`);
}

const jsonWanted = (command: Command): boolean => command.optsWithGlobals<{ json?: boolean }>().json === true;

export function registerRunsProtection(runs: Command): void {
  runs
    .command('star <run-id>')
    .description('Star a run: sweeps never delete starred runs.')
    .option('--json', 'print the run state as JSON')
    .action(async (given: string, _options: unknown, command: Command) => {
      const state = await updateRun(command, given, (q, id) => {
        const before = getRun(q, id)?.starred;
        setRunStarred(q, id, true);
        return before !== true;
      });
      report(state, jsonWanted(command), state.changed ? `starred run ${state.id}` : `run ${state.id} was already starred`);
    });

  runs
    .command('unstar <run-id>')
    .description('Remove the star of a run.')
    .option('--json', 'print the run state as JSON')
    .action(async (given: string, _options: unknown, command: Command) => {
      const state = await updateRun(command, given, (q, id) => {
        const before = getRun(q, id)?.starred;
        setRunStarred(q, id, false);
        return before === true;
      });
      report(state, jsonWanted(command), state.changed ? `unstarred run ${state.id}` : `run ${state.id} was not starred`);
    });

  runs
    .command('label <run-id> <text>')
    .description('Label a run (e.g. "baseline"): sweeps never delete labelled runs.')
    .option('--json', 'print the run state as JSON')
    .action(async (given: string, text: string, _options: unknown, command: Command) => {
      const label = text.trim();
      if (label === '') throw new UsageError('the label is empty; to remove a label use `pixie runs unlabel RUN_ID`.');
      if (label.length > MAX_LABEL_CHARS) throw new UsageError(`the label is longer than ${MAX_LABEL_CHARS} characters.`);
      const state = await updateRun(command, given, (q, id) => {
        const before = getRun(q, id)?.label;
        setRunLabel(q, id, label);
        return before !== label;
      });
      report(state, jsonWanted(command), `labelled run ${state.id} "${label}"`);
    });

  runs
    .command('unlabel <run-id>')
    .description('Remove the label of a run.')
    .option('--json', 'print the run state as JSON')
    .action(async (given: string, _options: unknown, command: Command) => {
      const state = await updateRun(command, given, (q, id) => {
        const before = getRun(q, id)?.label;
        setRunLabel(q, id, null);
        return before !== null && before !== undefined;
      });
      report(state, jsonWanted(command), state.changed ? `removed the label of run ${state.id}` : `run ${state.id} had no label`);
    });
}
