// What the Problems panel shows for a tool, without vscode: tool.json parse/schema errors and the latest
// report's failing (or warning) checks, as plain 0-based ranges. toolDiagnostics.ts turns these into
// vscode.Diagnostic objects; keeping the mapping here lets unit tests cover it without an extension host.
import type { ToolJsonError } from '../../core/tools/model';
import { errorAtPath } from '../../core/tools/parse';
import type { CheckResult, ValidationReport } from '../../core/validator/types';

export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export type ProblemSeverity = 'error' | 'warning';

export interface ToolProblem {
  range: ZeroBasedRange;
  severity: ProblemSeverity;
  message: string;
  /** The check name for report problems; undefined for tool.json errors. */
  code: string | undefined;
}

/** The lines of a document, split the way editors count them (\r\n, \n or \r). */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** End of the token starting at `start` (a JSON string, a word, or one character); the line's end when blank. */
function tokenEnd(line: string, start: number): number {
  if (start >= line.length) return line.length;
  if (line[start] === '"') {
    for (let i = start + 1; i < line.length; i++) {
      if (line[i] === '\\') i++;
      else if (line[i] === '"') return i + 1;
    }
    return line.length;
  }
  const word = /^[\w.+-]+/.exec(line.slice(start));
  return word ? start + word[0].length : start + 1;
}

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), max);

/**
 * A 1-based tool.json position as a 0-based range inside `lines`. A missing end covers the token at the start
 * (the rest of the line when there is none), so the squiggle is never empty.
 */
export function rangeOfError(error: Pick<ToolJsonError, 'line' | 'column' | 'endLine' | 'endColumn'>, lines: readonly string[]): ZeroBasedRange {
  const lastLine = Math.max(lines.length - 1, 0);
  const startLine = clamp(Math.floor(error.line) - 1, 0, lastLine);
  const startText = lines[startLine] ?? '';
  const startCharacter = clamp(Math.floor(error.column) - 1, 0, startText.length);
  if (error.endLine !== undefined && error.endColumn !== undefined) {
    const endLine = clamp(Math.floor(error.endLine) - 1, startLine, lastLine);
    const endText = lines[endLine] ?? '';
    const endCharacter = clamp(Math.floor(error.endColumn) - 1, 0, endText.length);
    if (endLine > startLine || endCharacter > startCharacter) return { startLine, startCharacter, endLine, endCharacter };
  }
  const end = tokenEnd(startText, startCharacter);
  if (end > startCharacter) return { startLine, startCharacter, endLine: startLine, endCharacter: end };
  // Past the end of the line (e.g. a missing closing brace): mark the line's last character, or nothing on an empty line.
  return { startLine, startCharacter: Math.max(startText.length - 1, 0), endLine: startLine, endCharacter: startText.length };
}

/** Line 1 of tool.json, from its first non-blank character to the end (where a check with no position goes). */
function firstLine(lines: readonly string[]): ZeroBasedRange {
  const text = lines[0] ?? '';
  const start = text.length - text.trimStart().length;
  return { startLine: 0, startCharacter: start, endLine: 0, endCharacter: text.length };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first item of details[key] (an array of objects), if any. */
function firstItem(details: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const list = details[key];
  return Array.isArray(list) && isRecord(list[0]) ? list[0] : undefined;
}

/**
 * Where a check's details point in tool.json: a located problem/error (`line`, `column`, 1-based), else a JSON
 * path (schema_matches_disk's differences) resolved in the current text; undefined when nothing names a place.
 */
export function checkPosition(check: Pick<CheckResult, 'details'>, text: string, lines: readonly string[]): ZeroBasedRange | undefined {
  const details: Record<string, unknown> = isRecord(check.details) ? check.details : {};
  for (const key of ['problems', 'errors']) {
    const item = firstItem(details, key);
    if (item && typeof item.line === 'number' && typeof item.column === 'number') {
      const endLine = typeof item.endLine === 'number' ? item.endLine : typeof item.end_line === 'number' ? item.end_line : undefined;
      const endColumn = typeof item.endColumn === 'number' ? item.endColumn : typeof item.end_column === 'number' ? item.end_column : undefined;
      return rangeOfError({ line: item.line, column: item.column, endLine, endColumn }, lines);
    }
  }
  const difference = firstItem(details, 'differences');
  if (difference && typeof difference.path === 'string' && difference.path !== '(root)' && text.trim() !== '') {
    const located = errorAtPath(text, difference.path, '');
    return rangeOfError(located, lines);
  }
  return undefined;
}

/** tool.json errors from discovery, as Error problems. */
export function toolJsonProblems(errors: readonly ToolJsonError[], lines: readonly string[]): ToolProblem[] {
  return errors.map((error) => ({
    range: rangeOfError(error, lines),
    severity: 'error',
    message: error.message,
    code: undefined,
  }));
}

/** The report's failing checks as Errors and warning checks as Warnings, placed where their details point. */
export function reportProblems(report: Pick<ValidationReport, 'checks'>, text: string): ToolProblem[] {
  const lines = linesOf(text);
  const out: ToolProblem[] = [];
  for (const check of report.checks) {
    if (check.status !== 'fail' && check.status !== 'warn') continue;
    out.push({
      range: checkPosition(check, text, lines) ?? firstLine(lines),
      severity: check.status === 'fail' ? 'error' : 'warning',
      message: check.message,
      code: check.name,
    });
  }
  return out;
}

/**
 * Everything the Problems panel shows for one tool. When tool.json's own errors are listed, the report's
 * `tool_json_parses` failure repeats them, so it is left out (the precise errors say more).
 */
export function problemsForTool(input: {
  toolJsonText: string;
  errors: readonly ToolJsonError[];
  report: Pick<ValidationReport, 'checks'> | undefined;
}): ToolProblem[] {
  const lines = linesOf(input.toolJsonText);
  const fromErrors = toolJsonProblems(input.errors, lines);
  const fromReport = input.report ? reportProblems(input.report, input.toolJsonText) : [];
  const parseErrorsShown = fromErrors.length > 0;
  return [...fromErrors, ...fromReport.filter((p) => !(parseErrorsShown && p.code === 'tool_json_parses'))];
}
