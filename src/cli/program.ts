// The `pixie` command: global options, the verbs, and how errors become exit codes.
import { Command, CommanderError } from 'commander';
import { registerInit } from './commands/init';
import { registerCheckpoint } from './commands/checkpoint';
import { registerDb } from './commands/db';
import { registerRuns } from './commands/runs';
import { registerSettings } from './commands/settings';
import { registerTools } from './commands/tools';
import { registerRun } from './commands/run';
import { registerArtefacts } from './commands/artefacts';
import { registerValidate, registerValidateAll } from './commands/validate';
import { registerSweep } from './commands/sweep';
import { registerRunsProtection } from './commands/runsProtection';
import { registerArtefactsMaintenance } from './commands/artefactsMaintenance';
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { StoreBusyError, StoreCorruptError, StoreError, StoreReadOnlyError } from '../core/store/errors';
import { ConfigError } from '../core/config';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('pixie')
    .description('Pixie: run local tools and manage their history (pixie.db) from the command line.')
    .version(VERSION, '-V, --version')
    .option('--workspace <dir>', 'workspace folder (default: the current folder, or PIXIE_WORKSPACE)')
    .option('--db <path>', 'database file (default: <workspace>/pixie.db, or PIXIE_DB_PATH)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerInit(program);
  registerCheckpoint(program);
  registerDb(program);
  registerRunsProtection(registerRuns(program));
  registerSettings(program);
  registerTools(program);
  registerRun(program);
  registerArtefactsMaintenance(registerArtefacts(program));
  registerSweep(program);
  registerValidate(program);
  registerValidateAll(program);
  // Every subcommand reports usage errors through exitOverride too.
  const applyOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(applyOverride);
  };
  applyOverride(program);
  return program;
}

/** Parse and run; resolves to the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT_OK;
      return EXIT_USAGE; // commander already printed the message
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`pixie: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CliFailure) {
      process.stderr.write(`pixie: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof StoreBusyError || error instanceof StoreReadOnlyError || error instanceof StoreCorruptError || error instanceof StoreError) {
      process.stderr.write(`pixie: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`pixie: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
