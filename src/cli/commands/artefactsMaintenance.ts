// `pixie artefacts delete|restore ID`: soft-delete an artefact (hidden, its file kept for
// `soft_delete_retention_days`, then purged by the sweeper) or bring it back before that.
import type { Command } from 'commander';
import { configFrom, openForWrite, withStore } from '../context';
import { UsageError } from '../errors';
import { formatBytes, printJson } from '../format';
import { getArtefact, restoreArtefact, softDeleteArtefact, type ArtefactRecord } from '../../core/store/repositories/artefacts';
import type { WriteQueries } from '../../core/store/types';

function parseArtefactId(text: string): number {
  const id = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(id) || id < 1) {
    throw new UsageError(`artefact id must be a whole number of at least 1 (got "${text}").`);
  }
  return id;
}

interface Outcome {
  artefact: ArtefactRecord;
  changed: boolean;
}

async function update(command: Command, given: string, change: (q: WriteQueries, id: number) => boolean): Promise<Outcome> {
  const id = parseArtefactId(given);
  const config = configFrom(command);
  return withStore(openForWrite(config), (store) =>
    store.write((q) => {
      if (!getArtefact(q, id)) throw new UsageError(`no artefact ${id} (see \`pixie artefacts\`; purged artefacts are gone for good).`);
      const changed = change(q, id);
      return { artefact: getArtefact(q, id) as ArtefactRecord, changed };
    }),
  );
}

function printState(outcome: Outcome, json: boolean, text: string): void {
  const a = outcome.artefact;
  if (json) {
    printJson({ id: a.id, runId: a.runId, toolId: a.toolId, relPath: a.relPath, sizeBytes: a.sizeBytes, deletedAt: a.deletedAt, changed: outcome.changed });
    return;
  }
  console.log(text);
}

const jsonWanted = (command: Command): boolean => command.optsWithGlobals<{ json?: boolean }>().json === true;

export function registerArtefactsMaintenance(artefacts: Command): void {
  artefacts
    .command('delete <id>')
    .description('Soft-delete an artefact: hidden now, purged with its file after soft_delete_retention_days (default 7).')
    .option('--json', 'print the artefact state as JSON')
    .action(async (given: string, _options: unknown, command: Command) => {
      const days = configFrom(command).softDeleteRetentionDays;
      const outcome = await update(command, given, (q, id) => softDeleteArtefact(q, id, new Date().toISOString()));
      const a = outcome.artefact;
      printState(
        outcome,
        jsonWanted(command),
        outcome.changed
          ? `deleted artefact ${a.id} (${a.relPath}, ${formatBytes(a.sizeBytes)}); restorable for ${days} day${days === 1 ? '' : 's'} with \`pixie artefacts restore ${a.id}\`.`
          : `artefact ${a.id} was already deleted (at ${a.deletedAt}).`,
      );
    });

  artefacts
    .command('restore <id>')
    .description('Restore a soft-deleted artefact (before the sweeper purges it).')
    .option('--json', 'print the artefact state as JSON')
    .action(async (given: string, _options: unknown, command: Command) => {
      const outcome = await update(command, given, (q, id) => restoreArtefact(q, id));
      const a = outcome.artefact;
      printState(outcome, jsonWanted(command), outcome.changed ? `restored artefact ${a.id} (${a.relPath}).` : `artefact ${a.id} was not deleted.`);
    });
}
