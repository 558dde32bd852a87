// Where each pass is recorded in `settings`, so a restart does not sweep again too early and the UI can show
// "last swept …, reclaimed …".
import { HOSTNAME } from '../store/atomicFile';
import { getJsonSetting } from '../store/repositories/settings';
import { isPlainObject } from '../store/repositories/values';
import type { ReadQueries } from '../store/types';
import type { SweepKind, SweepPassRecord, SweepResult } from './types';

export const PASS_RECORD_KEYS: Readonly<Record<SweepKind, string>> = {
  'runs-prune': 'sweeper.last_runs_prune',
  'artefacts-purge': 'sweeper.last_artefacts_purge',
  manual: 'sweeper.last_manual_sweep',
};

export function passRecordOf(result: Omit<SweepResult, 'finishedAt'>, finishedAt: Date): SweepPassRecord {
  return {
    kind: result.kind,
    at: result.startedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - Date.parse(result.startedAt)),
    runs: result.totals.runs,
    artefacts: result.totals.artefacts,
    files: result.totals.files,
    validationReports: result.totals.validationReports,
    bytes: result.totals.bytes,
    cancelled: result.cancelled,
    pid: process.pid,
    host: HOSTNAME,
  };
}

const NUMBER_FIELDS = ['durationMs', 'runs', 'artefacts', 'files', 'validationReports', 'bytes', 'pid'] as const;

export function readPassRecord(q: ReadQueries, kind: SweepKind): SweepPassRecord | undefined {
  const value = getJsonSetting(q, PASS_RECORD_KEYS[kind]);
  if (!isPlainObject(value) || typeof value.at !== 'string' || !Number.isFinite(Date.parse(value.at))) return undefined;
  const numbers = {} as Record<(typeof NUMBER_FIELDS)[number], number>;
  for (const field of NUMBER_FIELDS) numbers[field] = typeof value[field] === 'number' ? (value[field] as number) : 0;
  return {
    kind,
    at: value.at,
    finishedAt: typeof value.finishedAt === 'string' ? value.finishedAt : value.at,
    cancelled: value.cancelled === true,
    host: typeof value.host === 'string' ? value.host : '',
    ...numbers,
  };
}

export function readLastPasses(q: ReadQueries): Partial<Record<SweepKind, SweepPassRecord>> {
  const out: Partial<Record<SweepKind, SweepPassRecord>> = {};
  for (const kind of Object.keys(PASS_RECORD_KEYS) as SweepKind[]) {
    const record = readPassRecord(q, kind);
    if (record) out[kind] = record;
  }
  return out;
}
