// validation_reports: the gatekeeper's cache, one row per (tool, timestamp). "Latest" = newest timestamp.
import type { ReadQueries, Store, WriteQueries } from '../types';
import { InvalidValueError } from './errors';
import { clampLimit, parseJson, requireNonEmpty } from './values';

export type ValidationOverall = 'pass' | 'warn' | 'fail' | 'skip';
const OVERALLS: readonly string[] = ['pass', 'warn', 'fail', 'skip'];

export interface ValidationReportRecord {
  toolId: string;
  timestamp: string;
  overall: ValidationOverall;
  /** The full report as JSON text (its shape belongs to the validator). */
  reportJson: string;
}

interface ReportRow {
  tool_id: string;
  timestamp: string;
  overall: string;
  report_json: string;
}

function toRecord(row: ReportRow): ValidationReportRecord {
  return {
    toolId: row.tool_id,
    timestamp: row.timestamp,
    overall: row.overall as ValidationOverall,
    reportJson: row.report_json,
  };
}

/** INSERT OR REPLACE: a second report with the same (tool, timestamp) replaces the first. */
export function insertValidationReport(q: WriteQueries, report: ValidationReportRecord): void {
  requireNonEmpty(report.toolId, 'report tool id');
  requireNonEmpty(report.timestamp, 'report timestamp');
  if (!OVERALLS.includes(report.overall)) {
    throw new InvalidValueError(`report overall must be one of ${OVERALLS.join(', ')}, got ${String(report.overall)}`);
  }
  if (parseJson(report.reportJson) === undefined) throw new InvalidValueError(`report for ${report.toolId} is not valid JSON`);
  q.run('INSERT OR REPLACE INTO validation_reports(tool_id, timestamp, overall, report_json) VALUES(?, ?, ?, ?)', [
    report.toolId,
    report.timestamp,
    report.overall,
    report.reportJson,
  ]);
}

export function latestValidationReport(q: ReadQueries, toolId: string): ValidationReportRecord | undefined {
  const row = q.get<ReportRow>(
    `SELECT tool_id, timestamp, overall, report_json FROM validation_reports
     WHERE tool_id = ? ORDER BY timestamp DESC LIMIT 1`,
    [toolId],
  );
  return row ? toRecord(row) : undefined;
}

/** The latest report of every tool that has one, by tool id. */
export function latestValidationReportsForAll(q: ReadQueries): ValidationReportRecord[] {
  return q
    .all<ReportRow>(
      `SELECT v.tool_id, v.timestamp, v.overall, v.report_json FROM validation_reports v
       WHERE v.timestamp = (SELECT MAX(timestamp) FROM validation_reports WHERE tool_id = v.tool_id)
       ORDER BY v.tool_id`,
    )
    .map(toRecord);
}

/** Newest first. */
export function validationReportHistory(q: ReadQueries, toolId: string, limit = 20): ValidationReportRecord[] {
  return q
    .all<ReportRow>(
      `SELECT tool_id, timestamp, overall, report_json FROM validation_reports
       WHERE tool_id = ? ORDER BY timestamp DESC LIMIT ?`,
      [toolId, clampLimit(limit, 20)],
    )
    .map(toRecord);
}

/** Deletes reports older than `cutoff` (ISO-8601) but never a tool's latest one: unlike the original, a tool whose
 *  only report is old keeps its sidebar status instead of falling back to "unchecked". Returns rows deleted. */
export function pruneValidationReportsOlderThan(q: WriteQueries, cutoff: string): number {
  return q.run(
    `DELETE FROM validation_reports WHERE timestamp < ?
     AND timestamp < (SELECT MAX(v.timestamp) FROM validation_reports v WHERE v.tool_id = validation_reports.tool_id)`,
    [cutoff],
  ).changes;
}

export class ValidationReportsRepository {
  constructor(private readonly store: Store) {}

  latest(toolId: string): ValidationReportRecord | undefined {
    return this.store.read((q) => latestValidationReport(q, toolId));
  }

  latestForAll(): ValidationReportRecord[] {
    return this.store.read(latestValidationReportsForAll);
  }

  history(toolId: string, limit = 20): ValidationReportRecord[] {
    return this.store.read((q) => validationReportHistory(q, toolId, limit));
  }

  insert(report: ValidationReportRecord): Promise<void> {
    return this.store.write((q) => insertValidationReport(q, report));
  }

  pruneOlderThan(cutoff: string): Promise<number> {
    return this.store.write((q) => pruneValidationReportsOlderThan(q, cutoff));
  }
}
