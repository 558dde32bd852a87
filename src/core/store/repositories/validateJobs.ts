// validate_jobs: progress rows for batch validation (validate-all). Counters are absolute values set by the caller.
import type { ReadQueries, SqlValue, Store, WriteQueries } from '../types';
import { InvalidValueError } from './errors';
import { requireInteger, requireNonEmpty } from './values';

/** The original's docs say running|ok|error, its tests write `done`: accept all of them. */
export type ValidateJobStatus = 'running' | 'done' | 'ok' | 'error' | 'cancelled';
const STATUSES: readonly string[] = ['running', 'done', 'ok', 'error', 'cancelled'];

export interface ValidateJobRecord {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: ValidateJobStatus;
  total: number;
  completed: number;
  passed: number;
  warned: number;
  failed: number;
  detailsJson: string | null;
}

export interface ValidateJobUpdate {
  status?: ValidateJobStatus;
  total?: number;
  completed?: number;
  passed?: number;
  warned?: number;
  failed?: number;
  finishedAt?: string | null;
  detailsJson?: string | null;
}

interface JobRow {
  id: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  total: number;
  completed: number;
  passed: number;
  warned: number;
  failed: number;
  details_json: string | null;
}

const COLUMNS = 'id, started_at, finished_at, status, total, completed, passed, warned, failed, details_json';

function toRecord(row: JobRow): ValidateJobRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status as ValidateJobStatus,
    total: Number(row.total),
    completed: Number(row.completed),
    passed: Number(row.passed),
    warned: Number(row.warned),
    failed: Number(row.failed),
    detailsJson: row.details_json,
  };
}

function requireStatus(status: string): void {
  if (!STATUSES.includes(status)) {
    throw new InvalidValueError(`validate job status must be one of ${STATUSES.join(', ')}, got ${status}`);
  }
}

export function startValidateJob(q: WriteQueries, id: string, total: number, startedAt: string): void {
  requireNonEmpty(id, 'validate job id');
  requireInteger(total, 'validate job total', 0);
  q.run(
    `INSERT INTO validate_jobs(id, started_at, status, total, completed, passed, warned, failed)
     VALUES(?, ?, 'running', ?, 0, 0, 0, 0)`,
    [id, startedAt, total],
  );
}

const COUNTERS = ['total', 'completed', 'passed', 'warned', 'failed'] as const;

/** Sets the given fields; false if the job does not exist. */
export function updateValidateJob(q: WriteQueries, id: string, update: ValidateJobUpdate): boolean {
  const sets: string[] = [];
  const params: SqlValue[] = [];
  if (update.status !== undefined) {
    requireStatus(update.status);
    sets.push('status = ?');
    params.push(update.status);
  }
  for (const counter of COUNTERS) {
    const value = update[counter];
    if (value === undefined) continue;
    sets.push(`${counter} = ?`);
    params.push(requireInteger(value, `validate job ${counter}`, 0));
  }
  if (update.finishedAt !== undefined) {
    sets.push('finished_at = ?');
    params.push(update.finishedAt);
  }
  if (update.detailsJson !== undefined) {
    sets.push('details_json = ?');
    params.push(update.detailsJson);
  }
  if (sets.length === 0) return getValidateJob(q, id) !== undefined;
  return q.run(`UPDATE validate_jobs SET ${sets.join(', ')} WHERE id = ?`, [...params, id]).changes > 0;
}

export function getValidateJob(q: ReadQueries, id: string): ValidateJobRecord | undefined {
  const row = q.get<JobRow>(`SELECT ${COLUMNS} FROM validate_jobs WHERE id = ?`, [id]);
  return row ? toRecord(row) : undefined;
}

/** Jobs still running, oldest first. */
export function runningValidateJobs(q: ReadQueries): ValidateJobRecord[] {
  return q.all<JobRow>(`SELECT ${COLUMNS} FROM validate_jobs WHERE status = 'running' ORDER BY started_at, id`).map(toRecord);
}

/** The most recently started job. */
export function latestValidateJob(q: ReadQueries): ValidateJobRecord | undefined {
  const row = q.get<JobRow>(`SELECT ${COLUMNS} FROM validate_jobs ORDER BY started_at DESC, id DESC LIMIT 1`);
  return row ? toRecord(row) : undefined;
}

export class ValidateJobsRepository {
  constructor(private readonly store: Store) {}

  get(id: string): ValidateJobRecord | undefined {
    return this.store.read((q) => getValidateJob(q, id));
  }

  running(): ValidateJobRecord[] {
    return this.store.read(runningValidateJobs);
  }

  latest(): ValidateJobRecord | undefined {
    return this.store.read(latestValidateJob);
  }

  start(id: string, total: number, startedAt: string): Promise<void> {
    return this.store.write((q) => startValidateJob(q, id, total, startedAt));
  }

  update(id: string, update: ValidateJobUpdate): Promise<boolean> {
    return this.store.write((q) => updateValidateJob(q, id, update));
  }
}
