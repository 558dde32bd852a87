import fs from 'node:fs';
import type { Command } from 'commander';
import { configFrom, openForWrite, withStore } from '../context';
import { initSchema } from '../../core/store/schema';
import { printJson } from '../format';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Create pixie.db, or bring an existing one up to the current schema (safe to run again).')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const existed = fs.existsSync(config.dbPath);
      const result = await withStore(openForWrite(config, false), (store) => initSchema(store));
      if (options.json) {
        printJson({ dbPath: config.dbPath, existed, created: result.created, addedColumns: result.addedColumns });
        return;
      }
      if (!existed) console.log(`Created ${config.dbPath} (${result.created.length} tables and indexes).`);
      else if (result.created.length + result.addedColumns.length === 0) console.log(`${config.dbPath} is up to date; nothing to do.`);
      else {
        console.log(`Upgraded ${config.dbPath}:`);
        for (const name of result.created) console.log(`  created ${name}`);
        for (const name of result.addedColumns) console.log(`  added column ${name}`);
      }
    });
}
