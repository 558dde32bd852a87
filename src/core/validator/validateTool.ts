// Runs the twelve checks against one tool folder and builds the report. Checks 1–9 stop the chain on
// failure (the rest are listed as skipped, naming the check that stopped them); the process spawned for
// checks 6–12 is always stopped, whatever happens, and its stderr becomes the report's spawn_log.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseTolerant } from 'jsonc-parser';
import { ToolProcess } from '../runner/launcher';
import type { JsonObject, JsonValue } from '../tools/model';
import { cleanShutdown } from './checks/cleanShutdown';
import { folderStructure } from './checks/folderStructure';
import { outputConforms } from './checks/outputConforms';
import { projectFile } from './checks/projectFile';
import { referenceFixtures } from './checks/referenceFixtures';
import { runtimePresentCheck } from './checks/runtimePresent';
import { sampleRunSucceeds } from './checks/sampleRun';
import { schemaMatchesDisk } from './checks/schemaMatchesDisk';
import { schemasCoherent } from './checks/schemasCoherent';
import { streamingCheck } from './checks/streamingCheck';
import { toolJsonParses } from './checks/toolJsonParses';
import { toolSpawnsCheck, type Spawner } from './checks/toolSpawns';
import { systemClock } from './clock';
import type { CheckDefinition, CheckOutcome, ValidationContext } from './context';
import { overallOf } from './report';
import {
  CHECK_NAMES,
  type CheckName,
  type CheckResult,
  type ValidateToolOptions,
  type ValidationReport,
  type ValidationTarget,
  type ValidatorTimeouts,
} from './types';

export const DEFAULT_TIMEOUTS: Readonly<ValidatorTimeouts> = {
  healthMs: 30_000,
  healthIntervalMs: 25,
  versionMs: 5_000,
  schemaMs: 5_000,
  streamMs: 10_000,
  referenceBudgetMs: 60_000,
  shutdownGraceMs: 5_000,
};

/** The validation was cancelled through its AbortSignal; the spawned process has been stopped. */
export class ValidationCancelledError extends Error {
  override name = 'ValidationCancelledError';
  constructor(readonly toolId: string) {
    super(`Validation of '${toolId}' was cancelled.`);
  }
}

const SKIPPED_BY_REFERENCE_ONLY = new Set<CheckName>(['sample_run_succeeds', 'output_conforms', 'streaming_check']);

function spawnerFor(options: ValidateToolOptions, timeouts: ValidatorTimeouts, artefactsRoot: string): Spawner {
  const env = { ...(options.extraEnv ?? {}), PIXIE_VALIDATE: 'true' };
  const launcher = options.launcher;
  if (launcher) return (spec, signal) => launcher.spawnForValidation(spec, env, { healthTimeoutMs: timeouts.healthMs, signal });
  return (spec, signal) =>
    ToolProcess.start(spec, {
      artefactsRoot,
      extraEnv: env,
      hostEnv: options.hostEnv,
      nodePath: options.nodePath,
      healthTimeoutMs: timeouts.healthMs,
      healthIntervalMs: timeouts.healthIntervalMs,
      healthRequestTimeoutMs: 1000,
      signal,
    });
}

function checkList(options: ValidateToolOptions, spawner: Spawner): CheckDefinition[] {
  const list = [
    folderStructure,
    toolJsonParses,
    schemasCoherent,
    projectFile,
    runtimePresentCheck({ nodePath: options.nodePath }),
    toolSpawnsCheck(spawner),
    schemaMatchesDisk,
    sampleRunSucceeds,
    outputConforms,
    streamingCheck,
    referenceFixtures,
    cleanShutdown,
  ];
  // Keeps the list and CHECK_NAMES in step.
  list.forEach((c, i) => {
    if (c.name !== CHECK_NAMES[i]) throw new Error(`check ${i + 1} is ${c.name}, expected ${CHECK_NAMES[i]}`);
  });
  return list;
}

/**
 * The id a report is filed under when tool.json cannot be parsed: the caller's id (discovery's, so the
 * report lands where the tree looks), else tool.json's "id" if readable, else the folder name.
 */
async function bestEffortId(target: ValidationTarget, dir: string): Promise<string> {
  if (target.toolId) return target.toolId;
  const text = await fs.readFile(path.join(dir, 'tool.json'), 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const raw: unknown = parseTolerant(text, [], { allowTrailingComma: true });
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const id = (raw as Record<string, unknown>).id;
      if (typeof id === 'string' && id.trim() !== '') return id;
    }
  }
  return path.basename(dir);
}

function blankReport(toolId: string, dir: string, timestamp: string, target: ValidationTarget, referenceOnly: boolean): ValidationReport {
  return {
    tool_id: toolId,
    tool_path: dir,
    timestamp,
    overall: 'pass',
    runtime: null,
    checks: [],
    stopped_at: null,
    skip_reason: null,
    sample_inputs: null,
    sample_output: null,
    spawn_log: '',
    warnings: [],
    durations_ms: {},
    duration_ms: 0,
    discovery_hash: target.discoveryHash ?? null,
    reference_only: referenceOnly,
  };
}

function skippedReport(report: ValidationReport, reason: string): ValidationReport {
  return {
    ...report,
    overall: 'skip',
    skip_reason: reason,
    checks: CHECK_NAMES.map((name) => ({ name, status: 'skip', message: `Not run: ${reason}.`, details: {} })),
  };
}

export async function validateTool(target: ValidationTarget, options: ValidateToolOptions = {}): Promise<ValidationReport> {
  const clock = options.clock ?? systemClock;
  const timestamp = clock.now().toISOString();
  const dir = path.resolve(target.dir);
  const referenceOnly = options.referenceOnly === true;
  const started = performance.now();

  if (options.trusted === false || options.archived === true) {
    const id = await bestEffortId(target, dir);
    const reason = options.trusted === false
      ? 'this workspace is not trusted, and validating a tool runs its code (trust the folder to validate it)'
      : 'the tool is archived (unarchive it to validate it)';
    return skippedReport(blankReport(id, dir, timestamp, target, referenceOnly), reason);
  }

  const timeouts: ValidatorTimeouts = { ...DEFAULT_TIMEOUTS, ...(options.timeouts ?? {}) };
  const ownRoot = options.artefactsRoot === undefined;
  const artefactsRoot = options.artefactsRoot ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'pixie-validate-')));
  const ctx: ValidationContext = {
    dir,
    toolJsonPath: path.join(dir, 'tool.json'),
    clock,
    timeouts,
    signal: options.signal,
    artefactsRoot,
    referenceOnly,
    fixtureFilters: options.fixtures ?? [],
    tagFilters: options.tags ?? [],
    entrypoint: 'main.py',
    runtime: 'python',
  };
  const checks: CheckResult[] = [];
  const durations: Partial<Record<CheckName, number>> = {};
  let stoppedAt: CheckName | null = null;
  let cancelled = false;

  try {
    for (const check of checkList(options, spawnerFor(options, timeouts, artefactsRoot))) {
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
      let outcome: CheckOutcome;
      const runsAfterStop = check.name === 'clean_shutdown' && ctx.proc !== undefined;
      if (stoppedAt !== null && !runsAfterStop) {
        outcome = { status: 'skip', message: `Not run: "${stoppedAt}" failed, which stops the checks after it.`, details: { stopped_by: stoppedAt } };
      } else if (referenceOnly && SKIPPED_BY_REFERENCE_ONLY.has(check.name)) {
        outcome = { status: 'skip', message: 'Not run: --reference-only checks the fixtures instead of a sample run.', details: {} };
      } else {
        const t0 = performance.now();
        try {
          outcome = await check.run(ctx);
        } catch (error) {
          if (options.signal?.aborted) {
            cancelled = true;
            break;
          }
          outcome = { status: 'fail', message: `The check itself failed unexpectedly: ${(error as Error).message}`, details: { stack: String((error as Error).stack ?? '') } };
        }
        durations[check.name] = Math.round((performance.now() - t0) * 10) / 10;
        if (outcome.status === 'fail' && check.gating) stoppedAt = check.name;
      }
      const result: CheckResult = { name: check.name, status: outcome.status, message: outcome.message, details: outcome.details ?? {} };
      if (stoppedAt === check.name) result.details = { ...result.details, stops_chain: true };
      checks.push(result);
      options.onCheck?.(result);
    }
  } finally {
    // Whatever happened above, nothing the validator started keeps running.
    if (ctx.proc && ctx.proc.state !== 'exited') await ctx.proc.stop({ graceMs: cancelled ? Math.min(timeouts.shutdownGraceMs, 1000) : timeouts.shutdownGraceMs });
    if (ownRoot) await fs.rm(artefactsRoot, { recursive: true, force: true }).catch(() => undefined);
  }

  const toolId = ctx.spec?.id ?? (await bestEffortId(target, dir));
  if (cancelled || options.signal?.aborted) throw new ValidationCancelledError(toolId);

  const report = blankReport(toolId, dir, timestamp, target, referenceOnly);
  report.runtime = ctx.toolJsonText !== undefined ? ctx.runtime : null;
  report.checks = checks;
  report.overall = overallOf(checks);
  report.stopped_at = stoppedAt;
  const sample = referenceOnly ? ctx.fixtureSample : ctx.sampleInputs ? { inputs: ctx.sampleInputs, outputs: ctx.sampleOutput ?? null } : undefined;
  report.sample_inputs = (sample?.inputs ?? null) as JsonObject | null;
  report.sample_output = (sample?.outputs ?? null) as JsonValue;
  report.spawn_log = ctx.proc?.stderrSnapshot() ?? '';
  report.warnings = checks.filter((c) => c.status === 'warn').map((c) => `${c.name}: ${c.message}`);
  report.durations_ms = durations;
  report.duration_ms = Math.round(performance.now() - started);
  return report;
}
