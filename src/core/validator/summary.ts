// The `--summary` shape (the original's summary_report): counts per status and only the checks that
// need attention, with their details.
import type { CheckResult, CheckStatus, Overall, ValidationReport } from './types';

export interface ValidationSummary {
  tool_id: string;
  tool_path: string;
  timestamp: string;
  overall: Overall;
  counts: Record<CheckStatus, number>;
  /** fail and warn checks only, in order, with their details. */
  notable_checks: CheckResult[];
  stopped_at: string | null;
  skip_reason: string | null;
  spawn_log: string;
  warnings: string[];
  duration_ms: number;
}

export function summariseReport(report: ValidationReport): ValidationSummary {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of report.checks) counts[check.status]++;
  return {
    tool_id: report.tool_id,
    tool_path: report.tool_path,
    timestamp: report.timestamp,
    overall: report.overall,
    counts,
    notable_checks: report.checks.filter((c) => c.status === 'fail' || c.status === 'warn'),
    stopped_at: report.stopped_at,
    skip_reason: report.skip_reason,
    spawn_log: report.spawn_log,
    warnings: report.warnings,
    duration_ms: report.duration_ms,
  };
}

/** One line for lists and logs: `echo: fail — sample_run_succeeds: POST /run … answered 500 …`. */
export function oneLine(report: ValidationReport): string {
  if (report.overall === 'skip') return `${report.tool_id}: skip — ${report.skip_reason ?? ''}`;
  const first = report.checks.find((c) => c.status === 'fail') ?? report.checks.find((c) => c.status === 'warn');
  return first ? `${report.tool_id}: ${report.overall} — ${first.name}: ${first.message}` : `${report.tool_id}: ${report.overall}`;
}

/**
 * What to tell a user who runs a tool whose latest validation failed (runs are never blocked): undefined
 * when the tool passed, warned, was skipped, or has no report.
 */
export function failureNotice(report: ValidationReport | undefined): string | undefined {
  if (!report || report.overall !== 'fail') return undefined;
  const first = report.checks.find((c) => c.status === 'fail');
  const at = first ? ` at ${first.name}: ${first.message}` : '';
  const stop = at.endsWith('.') ? '' : '.';
  return `${report.tool_id} failed its last validation (${report.timestamp})${at}${stop} It may not work as expected.`;
}
