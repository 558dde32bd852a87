import type { Command } from 'commander';
import { configFrom, openForRead, withStore } from '../context';
import { CliFailure } from '../errors';
import { formatBytes, printJson } from '../format';

export function registerCheckpoint(program: Command): void {
  program
    .command('checkpoint')
    .description('Fold the redo log into pixie.db now (do this before copying pixie.db or reading it with other SQLite tools).')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const result = await withStore(openForRead(config), async (store) => {
        if (store.readOnlyReason) throw new CliFailure(`cannot checkpoint: ${store.readOnlyReason}`);
        return store.checkpoint();
      });
      if (options.json) {
        printJson({ dbPath: config.dbPath, ...result });
        return;
      }
      console.log(
        result.foldedRecords === 0
          ? `Nothing to fold: ${config.dbPath} is current (lsn ${result.lsn}).`
          : `Folded ${result.foldedRecords} log record${result.foldedRecords === 1 ? '' : 's'} into ${config.dbPath} ` +
              `(lsn ${result.lsn}, ${formatBytes(result.fileBytes)}).`,
      );
    });
}
