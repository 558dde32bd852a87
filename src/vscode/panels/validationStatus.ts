// The tool's latest gatekeeper report as the panel shows it. Read tolerantly from the stored report_json (our
// validator's or the original's): the overall verdict, the first failing (else warning) check and its message.
import { latestValidationReport } from '../../core/store/repositories/validationReports';
import type { Store } from '../../core/store/types';
import type { ValidationStatus } from '../../protocol';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function validationStatusFor(store: Store, toolId: string, discoveryHash: string | undefined): ValidationStatus {
  const row = store.read((q) => latestValidationReport(q, toolId));
  if (!row) return { state: 'unchecked', checkedAt: null, check: null, message: null, outdated: false };
  let report: Record<string, unknown> | undefined;
  try {
    report = record(JSON.parse(row.reportJson) as unknown);
  } catch {
    report = undefined;
  }
  const checks = Array.isArray(report?.checks) ? report.checks.map(record).filter((c) => c !== undefined) : [];
  const notable = checks.find((c) => c.status === 'fail') ?? checks.find((c) => c.status === 'warn');
  const skipReason = typeof report?.skip_reason === 'string' ? report.skip_reason : null;
  const storedHash = typeof report?.discovery_hash === 'string' ? report.discovery_hash : undefined;
  return {
    state: row.overall,
    checkedAt: row.timestamp,
    check: notable && typeof notable.name === 'string' ? notable.name : null,
    message: notable && typeof notable.message === 'string' ? notable.message : row.overall === 'skip' ? skipReason : null,
    outdated: storedHash !== undefined && discoveryHash !== undefined && storedHash !== discoveryHash,
  };
}
