// The gatekeeper's status bar text and tooltip from the latest report per tool. Pure.
import type { ValidationOverall } from '../../core/store/repositories/validationReports';

export interface SummaryTool {
  toolId: string;
  name: string;
  overall: ValidationOverall | undefined;
  note: string | null;
}

export interface ValidationCounts {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  unchecked: number;
  failing: SummaryTool[];
  warning: SummaryTool[];
}

export function countValidation(tools: readonly SummaryTool[]): ValidationCounts {
  const counts: ValidationCounts = { pass: 0, warn: 0, fail: 0, skip: 0, unchecked: 0, failing: [], warning: [] };
  for (const tool of tools) {
    if (tool.overall === undefined) counts.unchecked++;
    else counts[tool.overall]++;
    if (tool.overall === 'fail') counts.failing.push(tool);
    if (tool.overall === 'warn') counts.warning.push(tool);
  }
  return counts;
}

/** `$(shield) 12 ✓ 1 ⚠ 1 ✗`, with ` · 3 unchecked` when some have no report; `$(shield) 3 unchecked` when none has. */
export function statusText(counts: ValidationCounts, validating?: string): string {
  const icon = validating !== undefined ? '$(sync~spin)' : '$(shield)';
  const checked = counts.pass + counts.warn + counts.fail + counts.skip;
  let text: string;
  if (checked === 0 && counts.unchecked === 0) text = `${icon} no tools`;
  else if (checked === 0) text = `${icon} ${counts.unchecked} unchecked`;
  else {
    text = `${icon} ${counts.pass} ✓ ${counts.warn} ⚠ ${counts.fail} ✗`;
    if (counts.unchecked > 0) text += ` · ${counts.unchecked} unchecked`;
  }
  return validating !== undefined ? `${text} · ${validating}` : text;
}

const escape = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);

export function statusTooltip(counts: ValidationCounts): string {
  const lines = ['**Pixie tool validation** (latest report per tool)', ''];
  lines.push(`${counts.pass} passed, ${counts.warn} with warnings, ${counts.fail} failed` +
    `${counts.skip > 0 ? `, ${counts.skip} skipped` : ''}${counts.unchecked > 0 ? `, ${counts.unchecked} not validated yet` : ''}.`);
  const list = (title: string, tools: SummaryTool[]): void => {
    if (tools.length === 0) return;
    lines.push('', `**${title}:**`);
    for (const tool of tools.slice(0, 15)) lines.push(`- ${escape(tool.name)}${tool.note ? ` — ${escape(tool.note.slice(0, 160))}` : ''}`);
    if (tools.length > 15) lines.push(`- … and ${tools.length - 15} more`);
  };
  list('Failing', counts.failing);
  list('Warnings', counts.warning);
  lines.push('', counts.failing.length + counts.warning.length > 0 ? 'Click to pick a tool.' : 'Click to validate all tools.');
  return lines.join('\n');
}
