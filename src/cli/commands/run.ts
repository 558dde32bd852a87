// `pixie run TOOL`: one run through the same RunService the extension uses (row, artefacts, tool_state), with the
// tool started by a launcher that lives only as long as this command. Ctrl-C cancels the run (POST /cancel, then a
// hard stop) and the run is recorded `cancelled`; a second Ctrl-C stops the tool at once.
import fs from 'node:fs';
import type { Command } from 'commander';
import { configFrom, openForWrite } from '../context';
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../errors';
import { formatBytes, printJson, truncate } from '../format';
import { discoverOrFail } from './tools';
import type { PixieConfig } from '../../core/config';
import { Launcher, reapOrphanedTools, registryDirFor, summarizeReap } from '../../core/runner/launcher';
import { RunService, type RunHandle } from '../../core/runner/runService';
import { InputValidationError, ToolNotRunnableError, type RunOutcome } from '../../core/runner/runTypes';
import { recoverInterruptedRuns } from '../../core/runner/interrupted';
import { artefactRefOf, ARTEFACT_REF_KEY, resolveArtefactPath } from '../../core/artefacts';
import type { DiscoveredTool } from '../../core/tools/discovery';
import { didYouMean } from '../../core/tools/shape';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--input key=value` pairs (values stay strings: validation converts them by the input's type). */
export function parseInputPairs(pairs: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input ${JSON.stringify(pair)}: expected KEY=VALUE.`);
    const key = pair.slice(0, eq);
    if (Object.hasOwn(inputs, key)) throw new UsageError(`--input ${key} is given twice.`);
    Object.defineProperty(inputs, key, { value: pair.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return inputs;
}

/** `--inputs FILE.json`: a JSON object of input values. */
export function readInputsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--inputs ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--inputs ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--inputs ${file} must hold a JSON object of input values, e.g. {"text": "hello"}.`);
  }
  return parsed as Record<string, unknown>;
}

export function findTool(tools: readonly DiscoveredTool[], wanted: string, toolsDir: string): DiscoveredTool {
  const found = tools.find((t) => t.toolId === wanted) ?? tools.find((t) => t.folderName === wanted);
  if (found) return found;
  const names = [...new Set(tools.flatMap((t) => [t.toolId, t.folderName]))];
  const known = tools.length > 0 ? ` Known tools: ${tools.map((t) => t.toolId).join(', ')}.` : ' It has no tools.';
  throw new UsageError(`Unknown tool "${wanted}" in ${toolsDir}${didYouMean(wanted, names)}.${known}`);
}

/** Absolute path of a referenced artefact, or why it cannot be shown (a row pointing outside the root). */
export function artefactPath(root: string, relPath: string): string {
  try {
    return resolveArtefactPath(root, relPath);
  } catch (error) {
    return `(unsafe path refused: ${(error as Error).message})`;
  }
}

/** Output values with every artefact reference replaced by the file's absolute path. */
function withPaths(value: unknown, root: string): unknown {
  const ref = artefactRefOf(value);
  if (ref) return artefactPath(root, ref.rel_path);
  if (Array.isArray(value)) return value.map((v) => withPaths(v, root));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== ARTEFACT_REF_KEY).map(([k, v]) => [k, withPaths(v, root)]));
  }
  return value;
}

/** One line per output: text's first line, numbers as they are, structures as short JSON, files as paths. */
export function shortValue(value: unknown, root: string): string {
  const ref = artefactRefOf(value);
  if (ref) return `${artefactPath(root, ref.rel_path)} (${formatBytes(ref.size)}, ${ref.mime})`;
  if (typeof value === 'string') {
    const lines = value.split(/\r?\n/);
    const more = lines.length > 1 ? ` … (${lines.length} lines)` : '';
    return `${truncate(lines[0], 100)}${more}`;
  }
  if (value === null || typeof value !== 'object') return String(value);
  return truncate(JSON.stringify(withPaths(value, root)), 100);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function printOutcome(outcome: RunOutcome, tool: DiscoveredTool, config: PixieConfig): void {
  console.log(`Run ${outcome.runId} of ${outcome.toolId}: ${outcome.status} (${seconds(outcome.durationMs)})`);
  if (outcome.outputs) {
    const declared = tool.spec?.outputs.map((o) => o.key) ?? [];
    const keys = [...declared.filter((k) => Object.hasOwn(outcome.outputs ?? {}, k)), ...Object.keys(outcome.outputs).filter((k) => !declared.includes(k))];
    const width = Math.max(0, ...keys.map((k) => k.length));
    for (const key of keys) console.log(`  ${key.padEnd(width)}  ${shortValue(outcome.outputs[key], config.artefactsRoot)}`);
  }
  if (outcome.meta.outputs_oversize) console.log('  (outputs too large to keep inline: stored as outputs.json in the run folder)');
  const files = outcome.artefacts.filter((a) => !outcome.outputs || !Object.hasOwn(outcome.outputs, a.outputKey));
  if (files.length > 0) {
    console.log('Files:');
    for (const a of files) console.log(`  ${artefactPath(config.artefactsRoot, a.relPath)} (${formatBytes(a.sizeBytes)}, ${a.mime})`);
  }
  if (outcome.errorText) console.log(outcome.errorText);
}

function jsonOutcome(outcome: RunOutcome, config: PixieConfig): Record<string, unknown> {
  return {
    runId: outcome.runId,
    toolId: outcome.toolId,
    status: outcome.status,
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    durationMs: outcome.durationMs,
    outputs: outcome.outputs ?? null,
    errorText: outcome.errorText ?? null,
    meta: outcome.meta,
    artefacts: outcome.artefacts.map((a) => ({
      id: a.id,
      outputKey: a.outputKey,
      filename: a.filename,
      mime: a.mime,
      size: a.sizeBytes,
      path: artefactPath(config.artefactsRoot, a.relPath),
    })),
  };
}

/**
 * Ctrl-C handling for the whole command, so a tool process is never orphaned by the default SIGINT exit (tools lead
 * their own process groups). Once: cancel the run (remembered if it has not started yet); twice: stop the tool now.
 */
class InterruptGuard {
  private presses = 0;
  private handle: RunHandle | undefined;
  private readonly onSigint = (): void => {
    this.presses++;
    if (this.presses === 1) {
      process.stderr.write('\npixie: cancelling the run (Ctrl-C again to stop the tool at once)…\n');
      void this.handle?.cancel();
    } else if (this.handle) {
      process.stderr.write('pixie: stopping the tool…\n');
      void this.launcher.stop(this.handle.toolId, { graceMs: 0 });
    }
  };

  constructor(private readonly launcher: Launcher) {
    process.on('SIGINT', this.onSigint);
  }

  /** The run exists now: a Ctrl-C that came while it was being set up cancels it at once. */
  attach(handle: RunHandle): void {
    this.handle = handle;
    if (this.presses > 0) void handle.cancel();
  }

  dispose(): void {
    process.removeListener('SIGINT', this.onSigint);
  }
}

export function registerRun(program: Command): Command {
  return program
    .command('run <tool>')
    .description('Run a tool once and record the run (inputs, outputs, artefacts) in pixie.db. Exit 1 if the run fails.')
    .option('--input <key=value>', 'an input value (repeatable); converted to the input\'s type', collect, [] as string[])
    .option('--inputs <file>', 'a JSON file with an object of input values (--input wins on the same key)')
    .option('--tools-dir <dir>', 'tools folder (default: <workspace>/tools, or PIXIE_TOOLS_DIR)')
    .option('--json', 'print the result as JSON')
    .action(async (toolName: string, options: { input: string[]; inputs?: string; json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const raw: Record<string, unknown> = { ...(options.inputs ? readInputsFile(options.inputs) : {}), ...parseInputPairs(options.input) };
      const tool = findTool(await discoverOrFail(config), toolName, config.toolsDir);
      const store = await openForWrite(config);
      // Tools this command starts are listed beside pixie.db, so a later Pixie can stop them if this process is killed;
      // and tools left by earlier killed Pixie processes are stopped meanwhile.
      const registryDir = registryDirFor(config.dbPath);
      const launcher = new Launcher({
        artefactsRoot: config.artefactsRoot,
        warmKeepMax: config.warmKeepMax,
        registryDir,
        onRegistryError: (error) => process.stderr.write(`pixie: warning: tool process registry: ${error.message}\n`),
      });
      const reaping = reapOrphanedTools(registryDir);
      const guard = new InterruptGuard(launcher);
      let outcome: RunOutcome;
      try {
        const recovered = await recoverInterruptedRuns(store);
        if (recovered.length > 0) process.stderr.write(`pixie: note: ${recovered.length} run(s) left running by a process that exited were marked interrupted.\n`);
        const service = new RunService({
          store,
          launcher,
          config,
          log: (level, message) => {
            if (level !== 'info') process.stderr.write(`pixie: ${level}: ${message}\n`);
          },
        });
        let handle: RunHandle;
        try {
          handle = await service.start(tool, raw, {
            onEvent: (event) => {
              if (options.json) return;
              if (event.type === 'started') process.stderr.write(`pixie: run ${event.runId} of ${event.toolId} started\n`);
              if (event.type === 'spawning') process.stderr.write(`pixie: starting the ${event.toolId} process…\n`);
            },
          });
        } catch (error) {
          if (error instanceof InputValidationError) throw new CliFailure(error.message, EXIT_USAGE);
          if (error instanceof ToolNotRunnableError) throw new CliFailure(error.message, EXIT_FAILURE);
          throw error;
        }
        guard.attach(handle);
        outcome = await handle.done;
      } finally {
        // No tool process outlives the command, and the log is folded into pixie.db.
        await launcher.dispose();
        await store.close();
        guard.dispose();
        const reaped = await reaping;
        if (reaped.killed.length + reaped.errors.length > 0) process.stderr.write(`pixie: note: ${summarizeReap(reaped)}\n`);
      }
      if (options.json) printJson(jsonOutcome(outcome, config));
      else printOutcome(outcome, tool, config);
      process.exitCode = outcome.status === 'ok' ? EXIT_OK : EXIT_FAILURE;
    });
}
