// The sweeps as the product runs them: the two background passes and the manual `pixie sweep`, each a plan made
// from the effective configuration and then applied. The CLI, the scheduler and the VS Code palette flow all call
// these, so there is one policy.
import type { PixieConfig } from '../config';
import type { Store } from '../store/types';
import { applySweepPlan, type ApplyOptions } from './apply';
import { cutoffBefore } from './durations';
import { loadRetainPolicy } from './policies';
import { planSweep } from './plan';
import type { SweepCriteria, SweepKind, SweepPlan, SweepResult } from './types';

/** Validation reports older than this go (never a tool's latest), as the original keeps them "for 30 days". */
export const REPORT_RETENTION_SECONDS = 30 * 86_400;
/** `pixie sweep` without --older-than. */
export const DEFAULT_OLDER_THAN_SECONDS = 30 * 86_400;

export type SweeperSettings = Pick<
  PixieConfig,
  'artefactsRoot' | 'dbPath' | 'toolsDir' | 'retainRuns' | 'softDeleteRetentionDays' | 'retentionMaxArtefactBytes'
>;

export interface ManualSweepRequest {
  olderThanSeconds: number;
  toolId?: string;
}

/** Runs prune: retain_runs per tool, the optional byte budget, and old validation reports. */
export async function runsPruneCriteria(settings: SweeperSettings, now: Date): Promise<SweepCriteria> {
  return {
    retain: await loadRetainPolicy(settings.toolsDir, settings.retainRuns),
    maxArtefactBytes: settings.retentionMaxArtefactBytes > 0 ? settings.retentionMaxArtefactBytes : undefined,
    reportsCutoff: cutoffBefore(now, REPORT_RETENTION_SECONDS),
  };
}

/** Soft-delete purge, plus housekeeping (partials, temp files, orphan files, rows whose file is gone). */
export function artefactsPurgeCriteria(settings: SweeperSettings, now: Date): SweepCriteria {
  return {
    softDeleteCutoff: cutoffBefore(now, Math.round(settings.softDeleteRetentionDays * 86_400)),
    housekeeping: true,
  };
}

/** `pixie sweep --older-than … [--tool …]`: old unprotected runs, and everything the purge would also do. */
export function manualSweepCriteria(settings: SweeperSettings, request: ManualSweepRequest, now: Date): SweepCriteria {
  return {
    olderThan: { cutoff: cutoffBefore(now, request.olderThanSeconds), seconds: request.olderThanSeconds },
    toolId: request.toolId,
    softDeleteCutoff: cutoffBefore(now, Math.round(settings.softDeleteRetentionDays * 86_400)),
    reportsCutoff: cutoffBefore(now, REPORT_RETENTION_SECONDS),
    housekeeping: true,
  };
}

export interface PlanRequest {
  store: Store;
  settings: SweeperSettings;
  now?: Date;
  staleAfterMs?: number;
}

export async function planPass(kind: Exclude<SweepKind, 'manual'>, request: PlanRequest): Promise<SweepPlan> {
  const now = request.now ?? new Date();
  const criteria =
    kind === 'runs-prune' ? await runsPruneCriteria(request.settings, now) : artefactsPurgeCriteria(request.settings, now);
  return planSweep(request.store, {
    kind,
    criteria,
    artefactsRoot: request.settings.artefactsRoot,
    dbPath: request.settings.dbPath,
    now,
    staleAfterMs: request.staleAfterMs,
  });
}

export async function planManualSweep(request: PlanRequest & ManualSweepRequest): Promise<SweepPlan> {
  const now = request.now ?? new Date();
  return planSweep(request.store, {
    kind: 'manual',
    criteria: manualSweepCriteria(request.settings, request, now),
    artefactsRoot: request.settings.artefactsRoot,
    dbPath: request.settings.dbPath,
    now,
    staleAfterMs: request.staleAfterMs,
  });
}

export type ApplyRequest = Omit<ApplyOptions, 'store' | 'artefactsRoot' | 'dbPath' | 'now' | 'staleAfterMs'>;

/** Applies a plan with the settings' paths (the palette flow: plan, show, confirm, apply that plan). */
export function applyPlan(plan: SweepPlan, request: PlanRequest & ApplyRequest): Promise<SweepResult> {
  const { store, settings, now, staleAfterMs, ...rest } = request;
  return applySweepPlan(plan, {
    ...rest,
    store,
    artefactsRoot: settings.artefactsRoot,
    dbPath: settings.dbPath,
    staleAfterMs,
    now: now === undefined ? undefined : () => now,
  });
}
