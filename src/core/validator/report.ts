// The overall verdict, and reports in the store: saved to validation_reports (old ones pruned, never a
// tool's latest) and read back.
import type { Store } from '../store/types';
import {
  insertValidationReport,
  latestValidationReport,
  latestValidationReportsForAll,
  pruneValidationReportsOlderThan,
  validationReportHistory,
} from '../store/repositories/validationReports';
import { CHECK_NAMES, type CheckResult, type Overall, type ValidationReport } from './types';

export const REPORT_RETENTION_DAYS = 30;

/** Any fail → fail; else any warn → warn; else pass (skipped checks count as passed). */
export function overallOf(checks: readonly Pick<CheckResult, 'status'>[]): Exclude<Overall, 'skip'> {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'pass';
}

/** Inserts the report and prunes this tool's reports older than the retention (never the latest). */
export async function saveReport(store: Store, report: ValidationReport, retentionDays = REPORT_RETENTION_DAYS): Promise<void> {
  const cutoff = new Date(Date.parse(report.timestamp) - retentionDays * 86_400_000).toISOString();
  await store.write((q) => {
    insertValidationReport(q, { toolId: report.tool_id, timestamp: report.timestamp, overall: report.overall, reportJson: JSON.stringify(report) });
    pruneValidationReportsOlderThan(q, cutoff);
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A stored report_json back as a report; undefined when it is not one of ours (e.g. written by the original). */
export function parseReport(json: string): ValidationReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.tool_id !== 'string' || typeof value.timestamp !== 'string' || !Array.isArray(value.checks)) return undefined;
  const names: readonly string[] = CHECK_NAMES;
  if (!value.checks.every((c) => isRecord(c) && typeof c.name === 'string' && names.includes(c.name) && typeof c.status === 'string')) return undefined;
  return value as unknown as ValidationReport;
}

export function latestReport(store: Store, toolId: string): ValidationReport | undefined {
  const row = store.read((q) => latestValidationReport(q, toolId));
  return row ? parseReport(row.reportJson) : undefined;
}

/** Newest first. */
export function reportHistory(store: Store, toolId: string, limit = 20): ValidationReport[] {
  return store
    .read((q) => validationReportHistory(q, toolId, limit))
    .map((r) => parseReport(r.reportJson))
    .filter((r): r is ValidationReport => r !== undefined);
}

/** The latest report of every tool, by tool id (the tree's dots). */
export function latestReports(store: Store): Map<string, ValidationReport> {
  const out = new Map<string, ValidationReport>();
  for (const row of store.read(latestValidationReportsForAll)) {
    const report = parseReport(row.reportJson);
    if (report) out.set(row.toolId, report);
  }
  return out;
}
