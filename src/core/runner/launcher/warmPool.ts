// The Launcher: at most one warm process per tool, reused across runs, stopped after its warm-keep time,
// LRU-evicted beyond `warmKeepMax` (pinned tools exempt), serialised for `concurrent: false` tools.
// In memory only; a restart starts with every tool dormant.
import { EventEmitter } from 'node:events';
import { LauncherDisposedError } from './errors';
import { ProcessRegistry } from './processRegistry';
import { RunMutex, type Release } from './runMutex';
import { ToolProcess, type HealthWaitOptions, type ToolSpawnOptions } from './toolProcess';
import type { LaunchSpec, RunContext } from './types';

export interface LauncherOptions extends HealthWaitOptions {
  /** Absolute artefacts root, exported to tools as PIXIE_ARTEFACTS_ROOT. */
  artefactsRoot: string;
  /** Most processes kept at once (default 5). */
  warmKeepMax?: number;
  /** How often idle processes are looked at (default 10 000 ms). */
  sweepIntervalMs?: number;
  /** Grace after SIGTERM for stop()/stopAll()/dispose() (default 5000 ms). */
  stopGraceMs?: number;
  /** Grace after SIGTERM for TTL and LRU eviction (default 3000 ms). */
  evictGraceMs?: number;
  /** Added to every spawned tool's environment. */
  extraEnv?: Readonly<Record<string, string>>;
  /** Environment to scrub for children (default process.env). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  nodePath?: string;
  stderrCapBytes?: number;
  /**
   * Where to list this host's tool processes so a later Pixie process can stop them if this host is killed
   * (registryDirFor(dbPath); see processRegistry.ts). Absent: no registry file is written.
   */
  registryDir?: string;
  /** A registry write failed (the spawn goes on regardless). */
  onRegistryError?: (error: Error) => void;
}

export interface EnsureRunningOptions {
  /** Stops waiting (the spawn itself goes on, so the next run finds it warm). */
  signal?: AbortSignal;
  /** When this call spawns, PIXIE_RUN_ID / PIXIE_RUN_ARTEFACTS_DIR are set for the process's whole life. */
  run?: RunContext;
  extraEnv?: Readonly<Record<string, string>>;
}

export type ToolRunState = 'starting' | 'warm' | 'stopping' | 'dormant';
export type StateChangeReason = 'spawn' | 'ready' | 'spawn-failed' | 'stop' | 'ttl' | 'lru' | 'exited' | 'replaced' | 'dispose';

export interface LauncherStateEvent {
  toolId: string;
  state: ToolRunState;
  reason: StateChangeReason;
  pid?: number;
  port?: number;
  error?: Error;
}

export interface RunningToolInfo {
  toolId: string;
  state: 'starting' | 'warm' | 'stopping';
  pid?: number;
  port?: number;
  startedAt?: number;
  /** Date.now() of the last use. */
  lastUsed?: number;
  pinned: boolean;
  activeUses: number;
  warmKeepSeconds?: number;
}

function sameLaunch(a: LaunchSpec, b: LaunchSpec): boolean {
  return a.toolDir === b.toolDir && (a.entrypoint || 'main.py') === (b.entrypoint || 'main.py') &&
    a.runtime === b.runtime && a.maxMemoryMb === b.maxMemoryMb;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

export class Launcher {
  private readonly pool = new Map<string, ToolProcess>();
  private readonly spawning = new Map<string, Promise<ToolProcess>>();
  private readonly stopping = new Map<ToolProcess, Promise<void>>();
  private readonly unpooled = new Set<ToolProcess>();
  private readonly specs = new Map<string, LaunchSpec>();
  private readonly pinned = new Map<string, boolean>();
  private readonly runLocks = new Map<string, RunMutex>();
  private readonly events = new EventEmitter();
  private readonly timer: NodeJS.Timeout;
  private readonly registry: ProcessRegistry | undefined;
  private disposed = false;
  readonly warmKeepMax: number;

  constructor(private readonly options: LauncherOptions) {
    this.warmKeepMax = options.warmKeepMax ?? 5;
    if (!Number.isInteger(this.warmKeepMax) || this.warmKeepMax < 1) throw new RangeError(`warmKeepMax must be an integer ≥ 1, got ${this.warmKeepMax}`);
    this.registry = options.registryDir === undefined ? undefined : new ProcessRegistry(options.registryDir, { onError: options.onRegistryError });
    this.timer = setInterval(() => void this.sweep(), options.sweepIntervalMs ?? 10_000);
    this.timer.unref();
  }

  /** Subscribes to warm/dormant changes (for the UI); returns the unsubscribe function. */
  onStateChange(listener: (event: LauncherStateEvent) => void): () => void {
    const safe = (event: LauncherStateEvent): void => {
      try {
        listener(event);
      } catch {
        // A failing listener must not break the launcher.
      }
    };
    this.events.on('state', safe);
    return () => this.events.off('state', safe);
  }

  private emit(event: LauncherStateEvent): void {
    this.events.emit('state', event);
  }

  private spawnOptions(extra: { run?: RunContext; extraEnv?: Readonly<Record<string, string>> }): ToolSpawnOptions {
    const o = this.options;
    return {
      artefactsRoot: o.artefactsRoot,
      run: extra.run,
      extraEnv: { ...o.extraEnv, ...extra.extraEnv },
      hostEnv: o.hostEnv,
      nodePath: o.nodePath,
      stderrCapBytes: o.stderrCapBytes,
      healthTimeoutMs: o.healthTimeoutMs,
      healthIntervalMs: o.healthIntervalMs,
      healthRequestTimeoutMs: o.healthRequestTimeoutMs,
      onSpawned: this.registry ? (proc) => this.registry?.track(proc) : undefined,
    };
  }

  /** This host's registry file (when constructed with `registryDir`); it exists only while a tool process runs. */
  get registryFile(): string | undefined {
    return this.registry?.filePath;
  }

  /** A healthy process for the tool: the warm one (touched) or a new one. Two callers never spawn twice. */
  ensureRunning(spec: LaunchSpec, options: EnsureRunningOptions = {}): Promise<ToolProcess> {
    if (this.disposed) return Promise.reject(new LauncherDisposedError());
    this.specs.set(spec.toolId, spec);
    this.pinned.set(spec.toolId, spec.pinnedWarm);
    const pending = this.spawning.get(spec.toolId);
    if (pending) return raceAbort(pending, options.signal);
    const current = this.pool.get(spec.toolId);
    if (current?.isAlive && sameLaunch(current.spec, spec)) {
      current.touch();
      return Promise.resolve(current);
    }
    if (current) this.retire(spec.toolId, current, current.isAlive ? 'replaced' : 'exited', this.options.evictGraceMs ?? 3000);
    const spawn = this.spawn(spec, options).finally(() => this.spawning.delete(spec.toolId));
    this.spawning.set(spec.toolId, spawn);
    return raceAbort(spawn, options.signal);
  }

  private async spawn(spec: LaunchSpec, options: EnsureRunningOptions): Promise<ToolProcess> {
    await Promise.resolve(); // let ensureRunning register this spawn before anyone hears of it
    this.emit({ toolId: spec.toolId, state: 'starting', reason: 'spawn' });
    let proc: ToolProcess;
    try {
      proc = await ToolProcess.start(spec, this.spawnOptions(options));
    } catch (error) {
      this.emit({ toolId: spec.toolId, state: 'dormant', reason: 'spawn-failed', error: error as Error });
      throw error;
    }
    if (this.disposed) {
      await proc.stop({ graceMs: this.options.stopGraceMs ?? 5000 });
      this.emit({ toolId: spec.toolId, state: 'dormant', reason: 'dispose' });
      throw new LauncherDisposedError();
    }
    this.pool.set(spec.toolId, proc);
    void proc.exited.then(() => this.onExit(spec.toolId, proc));
    this.emit({ toolId: spec.toolId, state: 'warm', reason: 'ready', pid: proc.pid, port: proc.port });
    this.enforceCap(spec.toolId);
    return proc;
  }

  private onExit(toolId: string, proc: ToolProcess): void {
    if (this.pool.get(toolId) !== proc) return; // stopped on purpose: retire() already reported it
    // Died on its own: forget it (the next use respawns) and clean up whatever it left in its group.
    this.retire(toolId, proc, 'exited', this.options.evictGraceMs ?? 3000);
  }

  /** Removes the process from the pool now and stops it in the background (tracked so stopAll waits). */
  private retire(toolId: string, proc: ToolProcess, reason: StateChangeReason, graceMs: number): Promise<void> {
    if (this.pool.get(toolId) === proc) this.pool.delete(toolId);
    const existing = this.stopping.get(proc);
    if (existing) return existing;
    this.emit({ toolId, state: 'stopping', reason, pid: proc.pid, port: proc.port });
    const done = proc
      .stop({ graceMs })
      .then(() => undefined, () => undefined)
      .then(() => {
        this.stopping.delete(proc);
        if (!this.pool.has(toolId) && !this.spawning.has(toolId)) {
          this.emit({ toolId, state: 'dormant', reason, pid: proc.pid, port: proc.port });
        }
      });
    this.stopping.set(proc, done);
    return done;
  }

  /** Starts a tool ahead of use (e.g. on hover) unless it is warm or the pool is full; never evicts. */
  async prewarm(spec: LaunchSpec): Promise<ToolProcess | undefined> {
    const current = this.pool.get(spec.toolId);
    if (current?.isAlive || this.spawning.has(spec.toolId)) {
      current?.touch();
      return current;
    }
    if (this.disposed || this.pool.size + this.spawning.size >= this.warmKeepMax) return undefined;
    try {
      return await this.ensureRunning(spec);
    } catch {
      return undefined; // reported through onStateChange (spawn-failed)
    }
  }

  /**
   * A process outside the pool (e.g. for the validator, with `{ PIXIE_VALIDATE: 'true' }`). The caller owns it
   * and stops it; dispose() stops it too if the caller has not.
   */
  async spawnForValidation(
    spec: LaunchSpec,
    extraEnv: Readonly<Record<string, string>> = {},
    options: { run?: RunContext; healthTimeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ToolProcess> {
    if (this.disposed) throw new LauncherDisposedError();
    const proc = await ToolProcess.start(spec, {
      ...this.spawnOptions({ extraEnv, run: options.run }),
      healthTimeoutMs: options.healthTimeoutMs ?? this.options.healthTimeoutMs,
      signal: options.signal,
    });
    this.unpooled.add(proc);
    void proc.exited.then(() => this.unpooled.delete(proc));
    if (this.disposed) {
      await proc.stop({ graceMs: this.options.stopGraceMs ?? 5000 });
      throw new LauncherDisposedError();
    }
    return proc;
  }

  /** The live pooled process of a tool, if any. */
  get(toolId: string): ToolProcess | undefined {
    const proc = this.pool.get(toolId);
    return proc?.isAlive ? proc : undefined;
  }

  isRunning(toolId: string): boolean {
    return this.get(toolId) !== undefined;
  }

  list(): RunningToolInfo[] {
    const info = (proc: ToolProcess, state: RunningToolInfo['state']): RunningToolInfo => ({
      toolId: proc.toolId,
      state,
      pid: proc.pid,
      port: proc.port,
      startedAt: proc.startedAt,
      lastUsed: proc.lastUsed,
      pinned: this.isPinned(proc.toolId),
      activeUses: proc.activeUses,
      warmKeepSeconds: this.specs.get(proc.toolId)?.warmKeepSeconds,
    });
    const out: RunningToolInfo[] = [];
    for (const proc of this.pool.values()) if (proc.isAlive) out.push(info(proc, 'warm'));
    for (const toolId of this.spawning.keys()) {
      out.push({ toolId, state: 'starting', pinned: this.isPinned(toolId), activeUses: 0, warmKeepSeconds: this.specs.get(toolId)?.warmKeepSeconds });
    }
    for (const proc of this.stopping.keys()) out.push(info(proc, 'stopping'));
    return out.sort((a, b) => a.toolId.localeCompare(b.toolId));
  }

  touch(toolId: string): void {
    this.pool.get(toolId)?.touch();
  }

  isPinned(toolId: string): boolean {
    return this.pinned.get(toolId) ?? false;
  }

  /** Pinned tools are never stopped for idleness or by the LRU cap. */
  setPinned(toolId: string, pinned: boolean): void {
    this.pinned.set(toolId, pinned);
    const spec = this.specs.get(toolId);
    if (spec) this.specs.set(toolId, { ...spec, pinnedWarm: pinned });
    if (!pinned) this.enforceCap();
  }

  /**
   * Serialises runs of a `concurrent: false` tool (resolves at once for concurrent tools). Call the returned
   * release when the run ends. Aborting the signal gives up the wait.
   */
  acquireRunSlot(spec: Pick<LaunchSpec, 'toolId' | 'concurrent'>, signal?: AbortSignal): Promise<Release> {
    if (spec.concurrent) {
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(() => undefined);
    }
    let mutex = this.runLocks.get(spec.toolId);
    if (!mutex) {
      mutex = new RunMutex();
      this.runLocks.set(spec.toolId, mutex);
    }
    return mutex.acquire(signal);
  }

  /** Stops the tool's pooled process (SIGTERM, grace, SIGKILL of the tree). No-op for a dormant tool. */
  async stop(toolId: string, options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? this.options.stopGraceMs ?? 5000;
    const pending = this.spawning.get(toolId);
    if (pending) await pending.catch(() => undefined);
    const proc = this.pool.get(toolId);
    const work = proc ? [this.retire(toolId, proc, 'stop', graceMs)] : [];
    for (const [other, done] of this.stopping) if (other.toolId === toolId) work.push(done);
    await Promise.all(work);
  }

  /** Stops every process the launcher started, pooled or not, and waits until they are gone. */
  async stopAll(options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? this.options.stopGraceMs ?? 5000;
    await Promise.all([...this.spawning.values()].map((p) => p.catch(() => undefined)));
    const reason: StateChangeReason = this.disposed ? 'dispose' : 'stop';
    const work = [...this.pool.entries()].map(([toolId, proc]) => this.retire(toolId, proc, reason, graceMs));
    for (const proc of this.unpooled) work.push(proc.stop({ graceMs }).then(() => undefined));
    work.push(...this.stopping.values());
    await Promise.all(work);
  }

  /** Stops the sweeper and every process; later ensureRunning calls fail with LauncherDisposedError. */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.timer);
    try {
      await this.stopAll();
    } finally {
      this.registry?.close();
    }
  }

  /**
   * Stops idle processes past their warm-keep time (pinned and busy ones stay), then enforces the cap.
   * Runs on a timer; exposed for tests and for "settings changed". Returns the ids stopped for idleness.
   */
  async sweep(): Promise<string[]> {
    const now = Date.now();
    const expired: Promise<void>[] = [];
    const ids: string[] = [];
    for (const [toolId, proc] of [...this.pool.entries()]) {
      if (!proc.isAlive) {
        expired.push(this.retire(toolId, proc, 'exited', this.options.evictGraceMs ?? 3000));
        continue;
      }
      if (this.isPinned(toolId) || proc.activeUses > 0) continue;
      const keepMs = Math.max(0, (this.specs.get(toolId)?.warmKeepSeconds ?? proc.spec.warmKeepSeconds) * 1000);
      if (now - proc.lastUsed >= keepMs) {
        ids.push(toolId);
        expired.push(this.retire(toolId, proc, 'ttl', this.options.evictGraceMs ?? 3000));
      }
    }
    this.enforceCap();
    await Promise.all(expired);
    return ids;
  }

  /** Evicts least-recently-used, unpinned, idle processes while more than warmKeepMax are alive. */
  private enforceCap(keep?: string): string[] {
    const evicted: string[] = [];
    while (this.pool.size > this.warmKeepMax) {
      const victim = [...this.pool.values()]
        .filter((p) => p.toolId !== keep && !this.isPinned(p.toolId) && p.activeUses === 0)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!victim) break; // everything left is pinned or busy: allow the overshoot
      evicted.push(victim.toolId);
      void this.retire(victim.toolId, victim, 'lru', this.options.evictGraceMs ?? 3000);
    }
    return evicted;
  }
}

