// One run from row to finish, straight through (docs/RUNS.md):
// validate inputs → insert the `running` row → run folder + quota watchdog → warm process → POST /run (or /stream)
// → spill and scan artefacts → finish the row (+ tool_state) → events. Timeouts, cancel and quota kill the tool.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { PixieConfig } from '../config';
import type { Store } from '../store/types';
import type { DiscoveredTool } from '../tools/discovery';
import { isUsable } from '../tools/discovery';
import type { ToolSpec } from '../tools/model';
import { validateInputs } from '../tools/inputs';
import { checkOutputs, isStreamingTool } from '../tools/outputs';
import { insertStartedRun, finishRun, getRunMetaJson } from '../store/repositories/runs';
import { listArtefactsByRun } from '../store/repositories/artefacts';
import { ensureToolState, getToolLaunchState, recordToolRun, type ToolLaunchState } from '../store/repositories/toolState';
import { makeRunFolder, runFolderPath, spillOutputs, scanRunFolder, QuotaWatchdog, quotaExceededMessage, type QuotaExceeded } from '../artefacts';
import { processStartTime } from '../store/processAlive';
import { HOSTNAME } from '../store/atomicFile';
import type { Launcher } from './launcher/warmPool';
import type { ToolProcess } from './launcher/toolProcess';
import { LaunchError } from './launcher/errors';
import { postRun, postCancel, streamRun, runBodyJson, ToolHttpError, ToolRequestError, ToolStreamError, isConnectionRefused } from './client';
import { launchSpecFor, effectiveMaxRuntimeSeconds } from './launchSpec';
import { StreamState } from './streamState';
import { InputValidationError, ToolNotRunnableError, type RunEvent, type RunOutcome } from './runTypes';

export interface RunServiceOptions {
  store: Store;
  launcher: Launcher;
  config: PixieConfig;
  now?: () => Date;
  newRunId?: () => string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** How long a cancelled tool gets to stop by itself after POST /cancel before its process is killed. */
  cancelGraceMs?: number;
  /** Workspace Trust: when this returns a reason, no tool process is started (checked on every run). */
  executionBlockedReason?: () => string | undefined;
}

export interface StartRunOptions {
  onEvent?: (event: RunEvent) => void;
}

export interface RunHandle {
  runId: string;
  toolId: string;
  startedAt: string;
  /** Resolves when the run row is final; never rejects (failures are outcomes with status `error`). */
  done: Promise<RunOutcome>;
  cancel(): Promise<void>;
}

type Ending =
  | { kind: 'ok'; outputs: Record<string, unknown> }
  | { kind: 'error'; message: string; meta?: Record<string, unknown> }
  | { kind: 'cancelled'; message: string; meta?: Record<string, unknown>; outputs?: Record<string, unknown> };

interface ActiveRun {
  handle: RunHandle;
  /** JSON of the validated inputs, made once: the row's envelope, the request body and tool_state's last inputs. */
  inputsJson: string;
  controller: AbortController;
  cancelRequested: boolean;
  hardStopped: boolean;
  process: ToolProcess | undefined;
  /** A kill in progress (quota, hard cancel): awaited before the run folder is scanned, so no file still grows. */
  stopping: Promise<void> | undefined;
}

const STDERR_SEPARATOR = '\n--- stderr ---\n';
/** How long the writer lock is kept after a run's started row: a warm run of a quick tool finishes inside it, and
 *  its final commit then skips taking the lock and re-reading the store (~0.4 ms here). Other processes' writes wait
 *  at most this long more. */
const KEEP_LOCK_AFTER_START_MS = 15;
/** How long a process that refused a connection is given to be seen exiting before the run fails instead. */
const DEAD_PROCESS_WAIT_MS = 1_000;

/** True when `proc` exits (or has exited) within `ms`. */
function exitsWithin(proc: ToolProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([proc.exited.then(() => true), late]).finally(() => clearTimeout(timer));
}

function withStderr(message: string, stderr: string): string {
  const trimmed = stderr.trim();
  return trimmed ? `${message}${STDERR_SEPARATOR}${trimmed}` : message;
}

let ownStart: { value: string | null } | undefined;

/** This process's start time (for the row's owner) never changes: read /proc once, not on every run. */
function ownStartTime(): string | null {
  ownStart ??= { value: processStartTime(process.pid) ?? null };
  return ownStart.value;
}

function parseMeta(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export class RunService {
  private readonly active = new Map<string, ActiveRun>();
  private readonly now: () => Date;
  private readonly newRunId: () => string;
  private readonly log: NonNullable<RunServiceOptions['log']>;

  constructor(private readonly options: RunServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.newRunId = options.newRunId ?? randomUUID;
    this.log = options.log ?? (() => undefined);
  }

  /** Runs in flight in this process. */
  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Validate and start a run. Throws InputValidationError / ToolNotRunnableError before anything is written;
   * otherwise the row exists when this resolves, and `done` settles with the outcome.
   */
  async start(tool: DiscoveredTool, rawInputs: Record<string, unknown>, options: StartRunOptions = {}): Promise<RunHandle> {
    if (!isUsable(tool)) {
      const first = tool.errors[0];
      throw new ToolNotRunnableError(
        `${tool.toolId} cannot run: ${first ? `${first.message} (tool.json ${first.line}:${first.column})` : 'its tool.json did not load'}. Fix tool.json and try again.`,
      );
    }
    const blocked = this.options.executionBlockedReason?.();
    if (blocked) throw new ToolNotRunnableError(`${tool.toolId} cannot run: ${blocked}`);
    const validated = validateInputs(tool.spec, rawInputs);
    if (!validated.ok) throw new InputValidationError(tool.toolId, validated.fieldErrors);

    const runId = this.newRunId();
    const startedAt = this.now().toISOString();
    const artefactsRoot = this.options.config.artefactsRoot;
    const artefactsDir = runFolderPath(artefactsRoot, tool.toolId, runId); // checks the ids
    // The run's folder is made on the thread pool while the row is committed here; both are done before the request.
    const folder = makeRunFolder(artefactsRoot, tool.toolId, runId);
    folder.catch(() => undefined); // awaited below
    const inputsJson = JSON.stringify(validated.inputs);
    const bodyJson = runBodyJson(runId, inputsJson, artefactsDir);
    const owner = { pid: process.pid, host: HOSTNAME, start: ownStartTime() };
    // One small commit: the row (its owner in it) and the tool_state row if it is missing. The tool's state, for the
    // launch, is read in the same transaction: it is current there, without a read of its own. The row is in the redo
    // log before the request goes out; its flush to the disk overlaps the request (durability 'background'), and the
    // final commit of the run waits for that flush. The lock is kept a little while after it, so a quick run's final
    // commit follows without taking it again (keepLockMs).
    let state: ToolLaunchState | undefined;
    try {
      state = await this.options.store.write(
        (q) => {
          insertStartedRun(q, { id: runId, toolId: tool.toolId, startedAt, inputsJson: bodyJson, metaJson: JSON.stringify({ owner }) });
          const current = getToolLaunchState(q, tool.toolId);
          if (current) return current;
          ensureToolState(q, tool.toolId);
          return getToolLaunchState(q, tool.toolId);
        },
        { durability: 'background', keepLockMs: KEEP_LOCK_AFTER_START_MS },
      );
    } catch (error) {
      // No row: no folder either (it is empty; no tool has seen it).
      await folder.then((dir) => fs.promises.rmdir(dir)).catch(() => undefined);
      throw error;
    }
    // A folder that could not be made ends the run as an error (the row exists).
    let folderError: Error | undefined;
    try {
      await folder;
    } catch (error) {
      folderError = error as Error;
    }

    const controller = new AbortController();
    let resolveDone!: (outcome: RunOutcome) => void;
    const done = new Promise<RunOutcome>((resolve) => (resolveDone = resolve));
    const entry: ActiveRun = {
      inputsJson,
      controller,
      cancelRequested: false,
      hardStopped: false,
      process: undefined,
      stopping: undefined,
      handle: { runId, toolId: tool.toolId, startedAt, done, cancel: () => this.cancel(runId) },
    };
    this.active.set(runId, entry);
    options.onEvent?.({ type: 'started', runId, toolId: tool.toolId, startedAt });

    const outcome = folderError
      ? this.finalise(tool, entry, { kind: 'error', message: `could not create the run folder ${artefactsDir}: ${folderError.message}` }, undefined)
      : this.execute(tool, state, bodyJson, entry, artefactsDir, options);
    void outcome
      .catch((error: unknown) => this.finalise(tool, entry, { kind: 'error', message: `internal error: ${(error as Error).message}` }, undefined))
      .then((outcome) => {
        this.active.delete(runId);
        options.onEvent?.({ type: 'finished', runId, outcome });
        resolveDone(outcome);
      });
    return entry.handle;
  }

  /** Start and wait. */
  async run(tool: DiscoveredTool, rawInputs: Record<string, unknown>, options: StartRunOptions = {}): Promise<RunOutcome> {
    return (await this.start(tool, rawInputs, options)).done;
  }

  /** Ask the tool to stop (POST /cancel); after the grace period kill its process. Resolves when asked. */
  async cancel(runId: string): Promise<void> {
    const entry = this.active.get(runId);
    if (!entry || entry.cancelRequested) return;
    entry.cancelRequested = true;
    const proc = entry.process;
    if (proc) await postCancel(proc.baseUrl, runId, { timeoutMs: 5_000 });
    const grace = this.options.cancelGraceMs ?? 5_000;
    const timer = setTimeout(() => {
      if (!this.active.has(runId)) return;
      entry.hardStopped = true;
      entry.controller.abort(new Error('cancelled'));
      entry.stopping = this.options.launcher.stop(entry.handle.toolId, { graceMs: 0 });
    }, grace);
    timer.unref();
    void entry.handle.done.finally(() => clearTimeout(timer));
    if (!proc) entry.controller.abort(new Error('cancelled')); // still starting: nothing to ask
  }

  private async execute(
    tool: DiscoveredTool & { spec: ToolSpec },
    state: ToolLaunchState | undefined,
    bodyJson: string,
    entry: ActiveRun,
    artefactsDir: string,
    options: StartRunOptions,
  ): Promise<RunOutcome> {
    const { launcher, config } = this.options;
    const { runId } = entry.handle;
    const spec = tool.spec;
    const launchSpec = launchSpecFor(tool, state, config);
    const maxRuntimeSeconds = effectiveMaxRuntimeSeconds(spec, state);

    let quotaHit: QuotaExceeded | undefined;
    const watchdog = new QuotaWatchdog({
      dir: artefactsDir,
      limitBytes: config.maxArtefactBytesPerRun,
      onExceeded: (info) => {
        quotaHit = info;
        entry.controller.abort(new Error('quota'));
        entry.stopping = launcher.stop(tool.toolId, { graceMs: 0 });
      },
      onError: (error) => this.log('warn', `quota watchdog for run ${runId}: ${(error as Error).message}`),
      measureAtStart: false, // the folder was made empty just now
    });
    watchdog.start();
    const timeout = setTimeout(() => entry.controller.abort(new Error('timeout')), maxRuntimeSeconds * 1000);
    timeout.unref();

    let release: (() => void) | undefined;
    let stopUse: (() => void) | undefined;
    let stderrOffset = 0;
    let ending: Ending;
    try {
      release = await launcher.acquireRunSlot(launchSpec, entry.controller.signal);
      if (!launcher.isRunning(tool.toolId)) options.onEvent?.({ type: 'spawning', runId, toolId: tool.toolId });
      const send = async (): Promise<{ proc: ToolProcess; outputs: Record<string, unknown> }> => {
        const proc = await launcher.ensureRunning(launchSpec, { signal: entry.controller.signal, run: { runId, artefactsDir } });
        entry.process = proc;
        stopUse?.();
        stopUse = proc.beginUse();
        stderrOffset = proc.stderrOffset();
        if (entry.cancelRequested) void postCancel(proc.baseUrl, runId, { timeoutMs: 5_000 });
        const outputs = isStreamingTool(spec)
          ? await this.runStreaming(proc, spec, runId, bodyJson, artefactsDir, entry, options)
          : await postRun(proc.baseUrl, { runId, bodyJson, artefactsDir, signal: entry.controller.signal });
        return { proc, outputs };
      };
      let sent: { proc: ToolProcess; outputs: Record<string, unknown> };
      try {
        sent = await send();
      } catch (error) {
        // Fix: a warm process that died after its last run, before its exit was noticed here, was handed this run,
        // which then failed with "connection refused". The request reached no tool (nothing listened), so once the
        // process is seen to have exited the tool is started again and the request sent once more.
        const dead = entry.process;
        if (!isConnectionRefused(error) || !dead || entry.controller.signal.aborted || !(await exitsWithin(dead, DEAD_PROCESS_WAIT_MS))) throw error;
        this.log('info', `run ${runId}: the warm ${tool.toolId} process had exited (${dead.pid}); starting it again`);
        if (!launcher.isRunning(tool.toolId)) options.onEvent?.({ type: 'spawning', runId, toolId: tool.toolId });
        sent = await send();
      }
      sent.proc.touch();
      ending = { kind: 'ok', outputs: sent.outputs };
    } catch (error) {
      ending = this.describeFailure(error, entry, maxRuntimeSeconds, quotaHit);
      const reason = entry.controller.signal.reason as Error | undefined;
      if (reason?.message === 'timeout' && !entry.cancelRequested) await launcher.stop(tool.toolId, { graceMs: 0 });
    } finally {
      clearTimeout(timeout);
      stopUse?.();
      release?.();
      await watchdog.stop();
    }
    // Fix: the kill started by the quota watchdog (or a hard cancel) used to run unawaited, so the folder was
    // scanned while the tool was still writing and total_artefact_bytes fell short of the bytes left on disk.
    if (entry.stopping) await entry.stopping.catch(() => undefined);
    if (entry.cancelRequested && ending.kind === 'ok') {
      // The tool honoured /cancel and answered with what it had (or a stream was cut short): keep those outputs,
      // but the run was cancelled — with the hard-stop message and flag when its process had to be killed.
      const cancelled = this.describeFailure(undefined, entry, maxRuntimeSeconds, undefined);
      if (cancelled.kind !== 'ok') ending = { kind: 'cancelled', message: cancelled.message, meta: cancelled.meta, outputs: ending.outputs };
    }
    if (quotaHit && ending.kind !== 'error') {
      ending = { kind: 'error', message: quotaExceededMessage(quotaHit), meta: { killed_for_quota: true, quota: quotaHit } };
    }
    const stderr = entry.process ? entry.process.stderrSince(stderrOffset) : '';
    return this.finalise(tool, entry, ending, stderr);
  }

  /** Streaming tools (reference §2.5): POST /run and read GET /stream side by side; the stream carries the outputs. */
  private async runStreaming(
    proc: ToolProcess,
    spec: ToolSpec,
    runId: string,
    bodyJson: string,
    artefactsDir: string,
    entry: ActiveRun,
    options: StartRunOptions,
  ): Promise<Record<string, unknown>> {
    const state = new StreamState(spec.outputs);
    const defaultTextKey = spec.outputs.find((o) => o.type === 'stream_text')?.key;
    const runResponse = postRun(proc.baseUrl, { runId, bodyJson, artefactsDir, signal: entry.controller.signal });
    let postFailure: unknown;
    runResponse.catch((error: unknown) => (postFailure = error)); // observed below
    // Give the tool a moment to register the run before asking for its stream (tools may 404 an unknown id).
    await Promise.race([runResponse.then(() => undefined, () => undefined), new Promise((r) => setTimeout(r, 100))]);
    // Nothing listened: report the POST's refusal itself (execute() may start the tool again and resend).
    if (isConnectionRefused(postFailure)) throw postFailure;
    let settled = false;
    runResponse.then(() => (settled = true), () => (settled = true));
    let lastError: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await streamRun(proc.baseUrl, runId, {
          signal: entry.controller.signal,
          knownOutputKeys: spec.outputs.map((o) => o.key),
          defaultTextKey,
          onEvent: (event) => {
            if (!event.outputKey) return;
            const value = state.apply(event.outputKey, event.value);
            proc.touch();
            options.onEvent?.({ type: 'output', runId, key: event.outputKey, value });
          },
        });
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
        if (error instanceof ToolHttpError && (error.status === 404 || error.status === 405) && !entry.controller.signal.aborted) {
          // No stream (yet). A tool that answered /run without streaming (e.g. a `log` output but no /stream, which
          // the original would fail on) gets its /run answer used as the outputs.
          if (settled) {
            lastError = undefined;
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        break;
      }
    }
    if (lastError instanceof ToolHttpError && (lastError.status === 404 || lastError.status === 405)) lastError = undefined;
    // Fix: a stream cut short by cancel used to lose everything that had streamed (the user saw it live, then the
    // row had no outputs). Keep the accumulated state; execute() records the run as cancelled.
    if (lastError && entry.cancelRequested) return state.merged(undefined);
    if (lastError) throw lastError;
    const response = await runResponse;
    return state.merged(response);
  }

  private describeFailure(error: unknown, entry: ActiveRun, maxRuntimeSeconds: number, quotaHit: QuotaExceeded | undefined): Ending {
    const reason = entry.controller.signal.reason as Error | undefined;
    if (quotaHit) return { kind: 'error', message: quotaExceededMessage(quotaHit), meta: { killed_for_quota: true, quota: quotaHit } };
    if (entry.cancelRequested) {
      return {
        kind: 'cancelled',
        // The grace is configurable (cancelGraceMs): name the one that applied, not the default.
        message: entry.hardStopped
          ? `cancelled (the tool did not stop within ${(this.options.cancelGraceMs ?? 5_000) / 1000} s, so its process was stopped)`
          : 'cancelled',
        meta: { hard_stopped: entry.hardStopped },
      };
    }
    if (reason?.message === 'timeout') {
      return { kind: 'error', message: `timed out after ${maxRuntimeSeconds} s (max_runtime_seconds); the tool's process was stopped`, meta: { timed_out: true } };
    }
    if (error instanceof LaunchError) return { kind: 'error', message: error.message, meta: { launch_error: error.kind } };
    if (error instanceof ToolHttpError) {
      return { kind: 'error', message: `tool '${entry.handle.toolId}' returned ${error.status}: ${error.detail}`, meta: { http_status: error.status } };
    }
    if (error instanceof ToolRequestError || error instanceof ToolStreamError) {
      return { kind: 'error', message: `tool '${entry.handle.toolId}': ${error.message}` };
    }
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }

  /** Spill, scan, and write the final row — in that order, so the row never points at files that are not there. */
  private async finalise(
    tool: DiscoveredTool,
    entry: ActiveRun,
    ending: Ending,
    stderr: string | undefined,
  ): Promise<RunOutcome> {
    const { store, config } = this.options;
    const { runId, startedAt } = entry.handle;
    const spec = tool.spec as ToolSpec;
    // What this run adds to the row's meta_json; merged into the stored meta inside the final transaction.
    const meta: Record<string, unknown> = {};
    let outputs: Record<string, unknown> | undefined;
    let outputsJson: string | null = null;
    let errorText: string | undefined;
    const now = () => this.now().toISOString();

    const returned = ending.kind === 'ok' ? ending.outputs : ending.kind === 'cancelled' ? ending.outputs : undefined;
    if (ending.kind !== 'ok') {
      if (ending.meta) Object.assign(meta, ending.meta);
      errorText = withStderr(ending.message, stderr ?? '');
    }
    if (returned) {
      try {
        const check = checkOutputs(spec, returned);
        if (check.missing.length + check.invalid.length + check.extra.length > 0) {
          meta.output_problems = { missing: check.missing, invalid: check.invalid, extra: check.extra };
        }
        const spill = await spillOutputs({
          store,
          artefactsRoot: config.artefactsRoot,
          toolId: tool.toolId,
          runId,
          outputSpecs: spec.outputs.map((o) => ({ key: o.key, type: o.type, language: 'language' in o ? (o.language as string | null) : null })),
          outputs: returned,
          inlineMaxBytes: config.inlineOutputMaxBytes,
          dedup: config.dedupArtefacts,
          now: now(),
        });
        Object.assign(meta, spill.metaPatch);
        outputs = spill.rewrittenOutputs as Record<string, unknown>;
        outputsJson = spill.outputsJson;
      } catch (error) {
        ending = { kind: 'error', message: `could not store the outputs: ${(error as Error).message}` };
        errorText = ending.message;
        outputs = undefined;
        outputsJson = null;
      }
    }

    try {
      const scan = await scanRunFolder({
        store,
        artefactsRoot: config.artefactsRoot,
        toolId: tool.toolId,
        runId,
        outputKeys: spec.outputs.map((o) => o.key),
        maxFiles: config.maxArtefactsPerRun,
        now: now(),
      });
      if (scan.quarantined.length > 0) meta.quarantined = scan.quarantined;
      if (scan.redacted.length > 0) meta.redacted = scan.redacted;
      const skipped = Object.entries(scan.skipped).filter(([, count]) => count > 0);
      if (skipped.length > 0) meta.scan_skipped = Object.fromEntries(skipped);
    } catch (error) {
      meta.scan_error = (error as Error).message;
      this.log('warn', `scanning the files of run ${runId}: ${(error as Error).message}`);
    }

    const finishedAt = now();
    const status = ending.kind;
    // One small commit: the row's final state and tool_state's counters (and last inputs after a success). The stored
    // meta and the run's artefact rows are read inside it, current, without reads of their own.
    let finalMeta = meta;
    const artefacts = await store.write((q) => {
      const stored = getRunMetaJson(q, runId);
      finalMeta = Object.assign(parseMeta(stored?.metaJson), meta);
      finishRun(q, runId, {
        status,
        finishedAt,
        outputsJson: outputs ? outputsJson : null,
        errorText: errorText ?? null,
        metaJson: JSON.stringify(finalMeta),
      });
      // A run deleted while it ran leaves no last inputs behind.
      recordToolRun(q, tool.toolId, finishedAt, status === 'ok' && stored ? entry.inputsJson : undefined);
      return listArtefactsByRun(q, runId, false);
    });
    return {
      runId,
      toolId: tool.toolId,
      status,
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
      outputs,
      errorText,
      meta: finalMeta,
      artefacts,
    };
  }
}
