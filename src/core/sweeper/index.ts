// Retention: the background sweepers, the manual sweep (plan, then apply), no orphan bytes. See docs/RETENTION.md.
export * from './types';
export { cutoffBefore, describeDurationSeconds, DurationError, formatDurationSeconds, parseDurationSeconds } from './durations';
export { keepFor, loadRetainPolicy, protectionOf, selectBeyondRetain, selectForBudget, selectOlderThan } from './policies';
export { readSweepSnapshot, type SnapshotArtefact, type SnapshotRun, type SweepSnapshot } from './snapshot';
export { walkArtefactTree, type ArtefactTree } from './tree';
export { buildSweepPlan, planSweep, plannedFilePath, totalsOf, type PlanInput, type PlanOptions } from './plan';
export { applySweepPlan, type ApplyOptions } from './apply';
export { STALE_AFTER_MS } from './housekeeping';
export { LEASE_KEY, LEASE_TTL_MS, LeaseLostError, readLease, SweeperBusyError, SweeperLease, type LeaseRecord } from './lease';
export { PASS_RECORD_KEYS, readLastPasses, readPassRecord } from './records';
export {
  applyPlan,
  artefactsPurgeCriteria,
  DEFAULT_OLDER_THAN_SECONDS,
  manualSweepCriteria,
  planManualSweep,
  planPass,
  REPORT_RETENTION_SECONDS,
  runsPruneCriteria,
  type ApplyRequest,
  type ManualSweepRequest,
  type PlanRequest,
  type SweeperSettings,
} from './passes';
export {
  SWEEPER_PASSES,
  SweeperScheduler,
  type SchedulerConfig,
  type SweeperEvent,
  type SweeperPass,
  type SweeperSchedulerOptions,
} from './scheduler';
