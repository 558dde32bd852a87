// "Pixie: Show Validation Report" as a read-only Markdown document: each check with its status, message,
// details and the spawned process's stderr. Pure.
import type { ValidationReport } from '../../core/validator/types';

const STATUS_MARK: Record<string, string> = { pass: '✓ pass', warn: '⚠ warn', fail: '✗ fail', skip: '– skip' };

/** A fenced block whose fence is longer than any backtick run inside (so stderr cannot close it early). */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function reportToMarkdown(report: ValidationReport, toolName = report.tool_id): string {
  const lines: string[] = [];
  lines.push(`# Validation report: ${toolName}`, '');
  lines.push(`- **Overall:** ${STATUS_MARK[report.overall] ?? report.overall}`);
  lines.push(`- **Tool:** \`${report.tool_id}\` — ${report.tool_path}`);
  lines.push(`- **When:** ${report.timestamp}`);
  lines.push(`- **Runtime:** ${report.runtime ?? 'unknown'}`);
  lines.push(`- **Took:** ${(report.duration_ms / 1000).toFixed(1)} s`);
  if (report.stopped_at) lines.push(`- **Stopped at:** \`${report.stopped_at}\` (later checks were skipped)`);
  if (report.skip_reason) lines.push(`- **Skipped:** ${report.skip_reason}`);
  if (report.reference_only) lines.push('- Reference fixtures only.');
  lines.push('', '## Checks', '', '| Check | Status | Message |', '|---|---|---|');
  for (const check of report.checks) {
    const ms = report.durations_ms[check.name];
    lines.push(`| \`${check.name}\`${ms !== undefined ? ` (${ms} ms)` : ''} | ${STATUS_MARK[check.status] ?? check.status} | ${cell(check.message)} |`);
  }
  const withDetails = report.checks.filter((c) => (c.status === 'fail' || c.status === 'warn') && Object.keys(c.details).length > 0);
  if (withDetails.length > 0) {
    lines.push('', '## Details');
    for (const check of withDetails) {
      lines.push('', `### ${STATUS_MARK[check.status] ?? check.status} \`${check.name}\``, '', check.message, '');
      lines.push(fenced(JSON.stringify(check.details, null, 2), 'json'));
    }
  }
  if (report.warnings.length > 0) {
    lines.push('', '## Warnings', '');
    for (const warning of report.warnings) lines.push(`- ${warning}`);
  }
  if (report.sample_inputs) lines.push('', '## Sample inputs', '', fenced(JSON.stringify(report.sample_inputs, null, 2), 'json'));
  if (report.sample_output !== null && report.sample_output !== undefined) {
    lines.push('', '## Sample output', '', fenced(JSON.stringify(report.sample_output, null, 2), 'json'));
  }
  lines.push('', '## Tool stderr', '', report.spawn_log.trim() === '' ? '_(nothing)_' : fenced(report.spawn_log.trimEnd()));
  return `${lines.join('\n')}\n`;
}

/** A stored report we cannot read as ours (e.g. written by the original Pixie): shown as JSON. */
export function rawReportMarkdown(toolId: string, overall: string, timestamp: string, reportJson: string): string {
  let pretty = reportJson;
  try {
    pretty = JSON.stringify(JSON.parse(reportJson), null, 2);
  } catch {
    // keep the text as stored
  }
  return `# Validation report: ${toolId}\n\n- **Overall:** ${STATUS_MARK[overall] ?? overall}\n- **When:** ${timestamp}\n\n` +
    `This report was written in a format this version does not read; here it is as stored.\n\n${fenced(pretty, 'json')}\n`;
}

export function noReportMarkdown(toolId: string): string {
  return `# Validation report: ${toolId}\n\nThis tool has not been validated yet. Run **Pixie: Validate Tool…** to check it.\n`;
}
