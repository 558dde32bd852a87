// Revalidation when a tool changes: given each discovery pass, tools whose discovery_hash differs from the
// one stored after their last validation are validated again — debounced per tool (an editor saving
// repeatedly triggers one validation), at most two at a time, and only in a trusted workspace. A change
// during a validation queues one more after it.
import type { Store } from '../store/types';
import { getToolState, setToolDiscoveryHash } from '../store/repositories/toolState';
import { saveReport } from './report';
import type { ValidateToolOptions, ValidationReport } from './types';
import { ValidationCancelledError, validateTool } from './validateTool';

export interface RevalidationTool {
  toolId: string;
  dir: string;
  discoveryHash: string;
}

export interface RevalidationSchedulerOptions {
  /** Validates one tool and records the result (report + discovery hash), e.g. `storeRevalidation(…).validate`. */
  validate(tool: RevalidationTool, signal: AbortSignal): Promise<unknown>;
  /** The hash stored after the tool's last validation; null/undefined = never validated. */
  storedHash(toolId: string): string | null | undefined;
  isTrusted(): boolean;
  isArchived?(toolId: string): boolean;
  /** Quiet time after a tool's last change before it is validated (default 1500 ms). */
  debounceMs?: number;
  /** Validations at the same time (default 2). */
  maxConcurrent?: number;
  onDidValidate?(toolId: string): void;
  onError?(toolId: string, error: unknown): void;
}

interface Pending {
  tool: RevalidationTool;
  timer: NodeJS.Timeout | undefined;
}

export class RevalidationScheduler {
  private readonly waiting = new Map<string, Pending>();
  private readonly ready: RevalidationTool[] = [];
  private readonly active = new Map<string, { hash: string; controller: AbortController }>();
  /** Hashes validated in this session, so a slow store write never causes a second run. */
  private readonly validated = new Map<string, string>();
  private idleWaiters: (() => void)[] = [];
  private disposed = false;

  constructor(private readonly options: RevalidationSchedulerOptions) {}

  /**
   * Feed the latest discovery results; returns the ids newly scheduled. Tools that are unchanged, archived,
   * or already waiting with the same hash are left alone; nothing is scheduled in an untrusted workspace.
   */
  update(tools: readonly RevalidationTool[]): string[] {
    if (this.disposed || !this.options.isTrusted()) return [];
    const scheduled: string[] = [];
    for (const tool of tools) {
      if (this.options.isArchived?.(tool.toolId)) {
        this.forget(tool.toolId);
        continue;
      }
      const known = this.validated.get(tool.toolId) ?? this.options.storedHash(tool.toolId);
      const waiting = this.waiting.get(tool.toolId);
      const queued = this.ready.find((t) => t.toolId === tool.toolId);
      const running = this.active.get(tool.toolId);
      const latestPlanned = waiting?.tool.discoveryHash ?? queued?.discoveryHash ?? running?.hash ?? known;
      if (latestPlanned === tool.discoveryHash) continue;
      this.debounce(tool);
      scheduled.push(tool.toolId);
    }
    return scheduled;
  }

  /** Schedules one tool regardless of its hash (e.g. its .env or venv changed). */
  request(tool: RevalidationTool): void {
    if (this.disposed || !this.options.isTrusted()) return;
    this.debounce(tool);
  }

  get pending(): string[] {
    return [...this.waiting.keys(), ...this.ready.map((t) => t.toolId)];
  }

  get running(): string[] {
    return [...this.active.keys()];
  }

  /** Resolves once nothing is waiting, queued or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels everything: timers cleared, running validations aborted (their processes are stopped). */
  dispose(): void {
    this.disposed = true;
    for (const p of this.waiting.values()) clearTimeout(p.timer);
    this.waiting.clear();
    this.ready.length = 0;
    for (const a of this.active.values()) a.controller.abort();
    this.checkIdle();
  }

  private forget(toolId: string): void {
    const p = this.waiting.get(toolId);
    if (p) clearTimeout(p.timer);
    this.waiting.delete(toolId);
    const i = this.ready.findIndex((t) => t.toolId === toolId);
    if (i >= 0) this.ready.splice(i, 1);
    this.checkIdle();
  }

  private debounce(tool: RevalidationTool): void {
    const existing = this.waiting.get(tool.toolId);
    if (existing) clearTimeout(existing.timer);
    const i = this.ready.findIndex((t) => t.toolId === tool.toolId);
    if (i >= 0) this.ready.splice(i, 1);
    const entry: Pending = { tool, timer: undefined };
    entry.timer = setTimeout(() => {
      this.waiting.delete(tool.toolId);
      this.ready.push(tool);
      this.pump();
    }, this.options.debounceMs ?? 1500);
    this.waiting.set(tool.toolId, entry);
  }

  private pump(): void {
    const max = Math.max(1, this.options.maxConcurrent ?? 2);
    while (!this.disposed && this.active.size < max) {
      // A tool already being validated waits for that run to end.
      const index = this.ready.findIndex((t) => !this.active.has(t.toolId));
      if (index < 0) break;
      const [tool] = this.ready.splice(index, 1);
      void this.start(tool);
    }
    this.checkIdle();
  }

  private async start(tool: RevalidationTool): Promise<void> {
    const controller = new AbortController();
    this.active.set(tool.toolId, { hash: tool.discoveryHash, controller });
    try {
      await this.options.validate(tool, controller.signal);
      this.validated.set(tool.toolId, tool.discoveryHash);
      this.options.onDidValidate?.(tool.toolId);
    } catch (error) {
      if (!(error instanceof ValidationCancelledError) && !controller.signal.aborted) this.options.onError?.(tool.toolId, error);
    } finally {
      this.active.delete(tool.toolId);
      this.pump();
    }
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.ready.length === 0 && this.active.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/**
 * The scheduler's hooks backed by the store: validate (saving the report and the discovery hash it was
 * made for), the stored hash, and the archived flag from tool_state.
 */
export function storeRevalidation(
  store: Store,
  validateOptions: Omit<ValidateToolOptions, 'signal'> = {},
  onReport?: (report: ValidationReport) => void,
): Pick<RevalidationSchedulerOptions, 'validate' | 'storedHash' | 'isArchived'> {
  return {
    async validate(tool, signal) {
      const report = await validateTool({ dir: tool.dir, toolId: tool.toolId, discoveryHash: tool.discoveryHash }, { ...validateOptions, signal });
      await saveReport(store, report);
      await store.write((q) => setToolDiscoveryHash(q, tool.toolId, tool.discoveryHash));
      onReport?.(report);
      return report;
    },
    storedHash: (toolId) => store.read((q) => getToolState(q, toolId))?.discoveryHash ?? null,
    isArchived: (toolId) => store.read((q) => getToolState(q, toolId))?.archived ?? false,
  };
}
