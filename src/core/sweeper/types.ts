// Shapes shared by the sweeper: what a plan says would go, what an apply did, and what a pass records.
// A plan and a result list the same kinds of entries, so the CLI and the UI render both with one code path.

/** Which sweep: the manual `pixie sweep`, or one of the two background passes. */
export type SweepKind = 'manual' | 'runs-prune' | 'artefacts-purge';

/** Why a run goes: older than the manual cutoff, beyond its tool's retain_runs, or over the byte budget. */
export type RunSweepReason = 'older-than' | 'retain' | 'budget';
/** Why an artefact row goes: with its run, soft-deleted long enough ago, or its file is gone. */
export type ArtefactSweepReason = 'run' | 'soft-delete-expired' | 'missing-file';
/** Why a file goes: its last row went, an unused thumbnail, no row at all, a stale `.partial`, a store temp file. */
export type FileSweepReason = 'last-row' | 'thumb' | 'orphan' | 'partial' | 'temp';
/** Why a run that matched is kept. */
export type RunProtection = 'running' | 'starred' | 'labelled' | 'starred-artefact' | 'labelled-artefact' | 'gone';

export interface SweepCriteria {
  /** Manual sweep: runs started before `cutoff` (ISO); `seconds` is what the user asked for. */
  olderThan?: { cutoff: string; seconds: number };
  /** Only this tool's runs, artefacts, and `artefacts/<tool>/` for housekeeping. */
  toolId?: string;
  /** Runs prune: keep the newest `keep` unprotected runs of each tool. */
  retain?: RetainPolicy;
  /** Runs prune: when > 0, also remove the oldest unprotected runs until the artefact files fit in this many bytes. */
  maxArtefactBytes?: number;
  /** Soft-deleted artefacts whose deleted_at is before this ISO time are purged. */
  softDeleteCutoff?: string;
  /** Validation reports older than this ISO time go (never a tool's latest). */
  reportsCutoff?: string;
  /** Stale `.partial` and temp files, files with no row, rows whose file is gone. */
  housekeeping?: boolean;
}

export interface RetainPolicy {
  /** retain_runs per tool id (from tool.json). */
  byTool: Readonly<Record<string, number>>;
  /** For tools not in byTool (no tool.json any more): `pixie.retainRuns`. */
  defaultKeep: number;
  /** Tools whose tool.json could not be read: their runs are left alone rather than pruned with a guessed policy. */
  skipTools: readonly string[];
}

export interface PlannedRun {
  id: string;
  toolId: string;
  startedAt: string;
  status: string;
  reason: RunSweepReason;
  /** Artefact rows that go with the run. */
  artefactCount: number;
}

export interface PlannedArtefact {
  id: number;
  runId: string;
  toolId: string;
  relPath: string;
  sizeBytes: number;
  reason: ArtefactSweepReason;
}

export interface PlannedFile {
  /** Relative to `base` with forward slashes. */
  relPath: string;
  /** `artefacts`: under the artefacts root; `db`: the folder of pixie.db (store temp files). */
  base: 'artefacts' | 'db';
  bytes: number;
  reason: FileSweepReason;
}

export interface PlannedReport {
  toolId: string;
  timestamp: string;
}

/** A path from the db or the tree that Pixie refuses to delete: it would leave the artefacts root. Never touched. */
export interface RefusedPath {
  relPath: string;
  artefactId?: number;
  reason: string;
}

export interface SweepTotals {
  runs: number;
  artefacts: number;
  files: number;
  validationReports: number;
  /** Bytes of the files listed (a plan: what would be reclaimed; a result: what was, measured before each unlink). */
  bytes: number;
}

export interface SweepPlan {
  kind: SweepKind;
  /** ISO time the plan was made (its cutoffs are relative to it). */
  createdAt: string;
  criteria: SweepCriteria;
  runs: PlannedRun[];
  artefacts: PlannedArtefact[];
  files: PlannedFile[];
  validationReports: PlannedReport[];
  refused: RefusedPath[];
  /** Things worth telling the user that are not deletions (a tool skipped, a check not made). */
  notes: string[];
  totals: SweepTotals;
}

export interface SkippedEntry {
  /** Run id, artefact id, or relative path. */
  id: string;
  reason: string;
}

export interface SweepResult {
  kind: SweepKind;
  /** The plan's criteria (cutoffs are relative to the plan's time). */
  criteria: SweepCriteria;
  startedAt: string;
  finishedAt: string;
  dryRun: false;
  /** Stopped early by the AbortSignal: everything listed was done, the rest was not started. */
  cancelled: boolean;
  runs: PlannedRun[];
  artefacts: PlannedArtefact[];
  files: PlannedFile[];
  validationReports: PlannedReport[];
  refused: RefusedPath[];
  /** Planned entries left alone because things changed since the plan (a run was starred, a file reappeared…). */
  skipped: SkippedEntry[];
  /** Files an earlier, interrupted apply had committed to deleting, finished by this one. */
  recovered: PlannedFile[];
  /** Files that could not be deleted (permissions…): their rows are gone, housekeeping retries them later. */
  failed: SkippedEntry[];
  notes: string[];
  totals: SweepTotals;
}

export type SweepPhase = 'recover' | 'runs' | 'artefacts' | 'reports' | 'files';

export interface SweepProgress {
  phase: SweepPhase;
  /** Entries of this phase done / planned. */
  done: number;
  total: number;
  bytesFreed: number;
}

/** What a pass leaves in `settings` (`sweeper.last_runs_prune`, …) so a restart does not sweep too early. */
export interface SweepPassRecord {
  kind: SweepKind;
  at: string;
  finishedAt: string;
  durationMs: number;
  runs: number;
  artefacts: number;
  files: number;
  validationReports: number;
  bytes: number;
  cancelled: boolean;
  pid: number;
  host: string;
}
