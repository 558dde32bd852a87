// One running tool: spawned in its own process group on a free loopback port, stderr kept in a ring,
// ready once GET /healthz answers 200, stopped with its whole process tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { healthz } from '../client/toolClient';
import { buildChildEnv } from './childEnv';
import { LaunchError } from './errors';
import { getFreePort } from './freePort';
import { resolveLaunchCommand } from './launchCommand';
import { guardGroup, releaseGroup } from './hostExitGuard';
import { killProcessTree, type KillTreeResult } from './processTree';
import { StderrRing, DEFAULT_STDERR_CAP_BYTES } from './stderrRing';
import type { LaunchSpec, RunContext } from './types';

export type ToolProcessState = 'starting' | 'ready' | 'stopping' | 'exited';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HealthWaitOptions {
  /** Overall deadline for /healthz to answer 200 (default 30 000 ms). */
  healthTimeoutMs?: number;
  /** Pause between polls (default 100 ms). */
  healthIntervalMs?: number;
  /** Per-request timeout (default 1000 ms). */
  healthRequestTimeoutMs?: number;
}

export interface ToolSpawnOptions extends HealthWaitOptions {
  /** Absolute artefacts root, exported as PIXIE_ARTEFACTS_ROOT. */
  artefactsRoot: string;
  /** Exported as PIXIE_RUN_ID / PIXIE_RUN_ARTEFACTS_DIR. */
  run?: RunContext;
  extraEnv?: Readonly<Record<string, string>>;
  /** Environment to scrub (default process.env). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  /** Node binary for Node tools (default: this process's). */
  nodePath?: string;
  stderrCapBytes?: number;
  /** Grace for stopping a process that failed to become ready (default 2000 ms). */
  failGraceMs?: number;
  /** Fresh-port retries when the tool could not bind its port (default 2). */
  portRetries?: number;
  /** Cancels a cold start: the half-started process is stopped and the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Called as soon as a process exists, before /healthz answers (the launcher lists it in its registry). */
  onSpawned?: (proc: ToolProcess) => void;
}

const ADDRESS_IN_USE = /EADDRINUSE|address already in use|error while attempting to bind/i;

/** Unref'd: a sleep that lost a race must not keep the host alive. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function describeExit(info: ExitInfo): string {
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}

export class ToolProcess {
  readonly pid: number;
  readonly baseUrl: string;
  readonly startedAt = Date.now();
  readonly stderr: StderrRing;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  private currentState: ToolProcessState = 'starting';
  private exitInfo: ExitInfo | undefined;
  private stderrClosed: Promise<void>;
  private stopping: Promise<KillTreeResult> | undefined;
  private uses = 0;
  private used: number;

  private constructor(
    readonly spec: LaunchSpec,
    readonly port: number,
    child: ChildProcess,
    stderrCapBytes: number,
  ) {
    this.pid = child.pid as number;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.used = this.startedAt;
    this.stderr = new StderrRing(stderrCapBytes);
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.stderrClosed = new Promise((resolve) => {
      if (!child.stderr) resolve();
      else child.stderr.once('close', () => resolve()).once('error', () => resolve());
    });
    guardGroup(this.pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        releaseGroup(this.pid);
        this.exitInfo = { code, signal };
        this.currentState = 'exited';
        resolve(this.exitInfo);
      });
    });
  }

  /** Spawns the tool and waits until it is healthy. On failure nothing is left running. */
  static async start(spec: LaunchSpec, options: ToolSpawnOptions): Promise<ToolProcess> {
    const command = resolveLaunchCommand(spec, { nodePath: options.nodePath });
    let env: Record<string, string>;
    try {
      env = {
        ...buildChildEnv({
          toolId: spec.toolId,
          toolDir: spec.toolDir,
          artefactsRoot: options.artefactsRoot,
          run: options.run,
          extraEnv: options.extraEnv,
          hostEnv: options.hostEnv,
        }),
        ...command.env,
      };
    } catch (error) {
      throw new LaunchError('spawn', `Tool '${spec.toolId}': ${(error as Error).message}`, { toolId: spec.toolId, cause: error });
    }
    const retries = options.portRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      const port = await getFreePort();
      const proc = await ToolProcess.spawnChild(spec, port, command.command, [...command.args, '--port', String(port)], env, options);
      try {
        await proc.waitHealthy(options);
        return proc;
      } catch (error) {
        await proc.stop({ graceMs: options.failGraceMs ?? 2000 });
        const portTaken = error instanceof LaunchError && error.kind === 'exit' && ADDRESS_IN_USE.test(error.stderr);
        if (!portTaken || attempt >= retries) throw error;
      }
    }
  }

  private static spawnChild(
    spec: LaunchSpec,
    port: number,
    command: string,
    args: string[],
    env: Record<string, string>,
    options: ToolSpawnOptions,
  ): Promise<ToolProcess> {
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(command, args, {
          cwd: spec.toolDir,
          env,
          // Own process group (setsid) so one signal reaches everything the tool starts.
          detached: true,
          stdio: ['ignore', 'ignore', 'pipe'],
          windowsHide: true,
        });
      } catch (error) {
        reject(new LaunchError('spawn', `Tool '${spec.toolId}': could not start ${command}: ${(error as Error).message}`, { toolId: spec.toolId, cause: error }));
        return;
      }
      if (child.pid === undefined) {
        child.once('error', (error) =>
          reject(new LaunchError('spawn', `Tool '${spec.toolId}': could not start ${command}: ${error.message}`, { toolId: spec.toolId, cause: error })),
        );
        return;
      }
      child.on('error', () => undefined); // later errors (e.g. a failed kill) surface through exit tracking
      const proc = new ToolProcess(spec, port, child, options.stderrCapBytes ?? DEFAULT_STDERR_CAP_BYTES);
      try {
        options.onSpawned?.(proc);
      } catch {
        // Bookkeeping must never fail a spawn.
      }
      resolve(proc);
    });
  }

  get toolId(): string {
    return this.spec.toolId;
  }

  get state(): ToolProcessState {
    return this.currentState;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** True while the process is running and not being stopped. */
  get isAlive(): boolean {
    return this.currentState === 'starting' || this.currentState === 'ready';
  }

  get lastUsed(): number {
    return this.used;
  }

  get activeUses(): number {
    return this.uses;
  }

  touch(): void {
    this.used = Date.now();
  }

  /** Marks the process busy (the pool does not evict it) until the returned release is called. */
  beginUse(): () => void {
    this.uses++;
    this.touch();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.uses--;
      this.touch();
    };
  }

  stderrSnapshot(): string {
    return this.stderr.snapshot();
  }

  stderrOffset(): number {
    return this.stderr.offset;
  }

  stderrSince(offset: number): string {
    return this.stderr.since(offset);
  }

  private async waitHealthy(options: HealthWaitOptions & { signal?: AbortSignal }): Promise<void> {
    const timeoutMs = options.healthTimeoutMs ?? 30_000;
    const intervalMs = options.healthIntervalMs ?? 100;
    const requestMs = options.healthRequestTimeoutMs ?? 1000;
    const deadline = Date.now() + timeoutMs;
    const exitedEarly = this.exited.then(() => 'exited' as const);
    for (;;) {
      options.signal?.throwIfAborted();
      if (this.exitInfo) {
        const info = this.exitInfo;
        // Give the pipe a moment to deliver the last lines of stderr (a grandchild may hold it open).
        await Promise.race([this.stderrClosed, sleep(200)]);
        throw new LaunchError('exit', `Tool '${this.toolId}' ${describeExit(info)} before it was ready (GET /healthz).`, {
          toolId: this.toolId,
          stderr: this.stderr.snapshot(),
          exitCode: info.code,
          signal: info.signal,
        });
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new LaunchError(
          'timeout',
          `Tool '${this.toolId}' did not answer GET /healthz with 200 within ${Math.round(timeoutMs / 100) / 10} s ` +
            `(port ${this.port}). It must listen on 127.0.0.1 at the port given by --port.`,
          { toolId: this.toolId, stderr: this.stderr.snapshot() },
        );
      }
      const ok = await Promise.race([
        healthz(this.baseUrl, { timeoutMs: Math.min(requestMs, remaining), signal: options.signal }),
        exitedEarly,
      ]);
      if (ok === true && !this.exitInfo) {
        this.currentState = 'ready';
        this.touch();
        return;
      }
      if (ok !== 'exited') await Promise.race([sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now()))), exitedEarly]);
    }
  }

  /**
   * SIGTERM to the process group, `graceMs` (default 5000) to exit, then SIGKILL to the group and every
   * descendant. Safe to call repeatedly or after the process died; resolves once the tree is gone.
   */
  stop(options: { graceMs?: number } = {}): Promise<KillTreeResult> {
    if (!this.stopping) {
      if (this.currentState !== 'exited') this.currentState = 'stopping';
      this.stopping = (async () => {
        const result = await killProcessTree(this.pid, { graceMs: options.graceMs ?? 5000 });
        // The leader is our child: wait until Node has reaped it so `exited` has settled.
        if (!this.exitInfo) await Promise.race([this.exited, sleep(1000)]);
        return result;
      })();
    }
    return this.stopping;
  }
}
