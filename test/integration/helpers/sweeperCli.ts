// Runs `pixie` in-process with the sweeper's verbs wired in (program.ts is wired by someone else): the same error →
// exit code mapping as runCli, stdout and stderr captured.
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { buildProgram } from '../../../src/cli/program';
import { registerSweep } from '../../../src/cli/commands/sweep';
import { registerRunsProtection } from '../../../src/cli/commands/runsProtection';
import { registerArtefactsMaintenance } from '../../../src/cli/commands/artefactsMaintenance';
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../../../src/cli/errors';
import { ConfigError } from '../../../src/core/config';
import { StoreError } from '../../../src/core/store/errors';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function withSweeperVerbs(out: string[], err: string[]): Command {
  const program = buildProgram();
  const find = (parent: Command, name: string) => parent.commands.find((c) => c.name() === name);
  if (!find(program, 'sweep')) registerSweep(program);
  const runs = find(program, 'runs');
  if (!runs) throw new Error('buildProgram() has no `runs` command');
  if (!find(runs, 'star')) registerRunsProtection(runs);
  const artefacts = find(program, 'artefacts') ?? program.command('artefacts').description('Artefacts.');
  if (!find(artefacts, 'delete')) registerArtefactsMaintenance(artefacts);
  const applyOverride = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => {
        out.push(text);
      },
      writeErr: (text) => {
        err.push(text);
      },
    });
    command.commands.forEach(applyOverride);
  };
  applyOverride(program);
  return program;
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT_USAGE;
  if (error instanceof CliFailure) return error.exitCode;
  if (error instanceof StoreError) return EXIT_FAILURE;
  return EXIT_FAILURE;
}

/** Whether a write comes from the CLI's code (console.log / printJson in src/cli) rather than from the test runner,
 *  which reports on this same stdout while a test awaits: its lines must pass through, or a result would be lost. */
function fromCli(): boolean {
  return /[\\/]src[\\/]cli[\\/]/.test(new Error().stack ?? '');
}

export async function runPixie(argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const capture = (into: string[], real: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (!fromCli()) return (real as (...args: unknown[]) => boolean)(chunk, ...rest);
      into.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out, realOut);
  process.stderr.write = capture(err, realErr);
  let code = EXIT_OK;
  try {
    await withSweeperVerbs(out, err).parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    code = exitCodeOf(error);
    if (!(error instanceof CommanderError)) err.push(`pixie: ${(error as Error).message}\n`);
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
