import type { Command } from 'commander';
import { configFrom, openForRead, openForWrite, withStore } from '../context';
import { getAllSettings, getSetting, setSetting, deleteSetting } from '../../core/store/repositories/settings';
import { CliFailure } from '../errors';
import { printJson, renderTable } from '../format';

export function registerSettings(program: Command): void {
  const settings = program.command('settings').description('Read and write the settings table (a flat key-value store).');

  settings
    .command('get <key>')
    .description('Print the value of KEY (exit 1 if it is not set).')
    .option('--json', 'print the result as JSON')
    .action(async (key: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const value = await withStore(openForRead(config), (store) => store.read((q) => getSetting(q, key)));
      if (options.json) {
        printJson({ key, value: value ?? null });
        if (value === undefined) process.exitCode = 1;
        return;
      }
      if (value === undefined) throw new CliFailure(`setting "${key}" is not set.`);
      console.log(value);
    });

  settings
    .command('set <key> <value>')
    .description('Set KEY to VALUE.')
    .option('--json', 'print the result as JSON')
    .action(async (key: string, value: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      await withStore(openForWrite(config), (store) => store.write((q) => setSetting(q, key, value)));
      if (options.json) printJson({ key, value });
      else console.log(`${key} = ${value}`);
    });

  settings
    .command('unset <key>')
    .description('Remove KEY.')
    .option('--json', 'print the result as JSON')
    .action(async (key: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const removed = await withStore(openForWrite(config), (store) => store.write((q) => deleteSetting(q, key)));
      if (options.json) printJson({ key, removed });
      else console.log(removed ? `removed ${key}` : `${key} was not set`);
    });

  settings
    .command('list')
    .description('Print every setting.')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const all = await withStore(openForRead(config), (store) => store.read((q) => getAllSettings(q)));
      if (options.json) printJson(all);
      else console.log(renderTable(['key', 'value'], Object.entries(all)));
    });
}
