// The Problems panel mapping (no vscode): tool.json errors and report checks → 0-based ranges and severities.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPosition, linesOf, problemsForTool, rangeOfError, reportProblems } from '../../src/vscode/diagnostics/diagnosticModel';
import { parseToolJson } from '../../src/core/tools/parse';
import type { CheckResult } from '../../src/core/validator/types';
import type { JsonObject } from '../../src/core/tools/model';

const TOOL = ['{', '  "id": "t",', '  "name": "T",', '  "inputs": [],', '  "outputs": [],', '  "nmae": "typo"', '}'].join('\n');
const lines = linesOf(TOOL);

const check = (name: CheckResult['name'], status: CheckResult['status'], details: JsonObject = {}): CheckResult => ({ name, status, message: `${name} ${status}`, details });

test('a 1-based start/end becomes a 0-based range', () => {
  assert.deepEqual(rangeOfError({ line: 2, column: 3, endLine: 2, endColumn: 7 }, lines), { startLine: 1, startCharacter: 2, endLine: 1, endCharacter: 6 });
});

test('a missing end covers the token: a JSON string with escapes, or a word', () => {
  assert.deepEqual(rangeOfError({ line: 6, column: 3 }, lines), { startLine: 5, startCharacter: 2, endLine: 5, endCharacter: 8 });
  assert.deepEqual(rangeOfError({ line: 1, column: 1 }, ['  "a\\"b" : 1']), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 }, 'whitespace: one character');
  assert.deepEqual(rangeOfError({ line: 1, column: 3 }, ['  "a\\"b" : 1']), { startLine: 0, startCharacter: 2, endLine: 0, endCharacter: 8 });
  assert.deepEqual(rangeOfError({ line: 1, column: 6 }, ['"x": true,']), { startLine: 0, startCharacter: 5, endLine: 0, endCharacter: 9 });
});

test('positions past the document or the line are clamped, never negative or empty when the line has text', () => {
  assert.deepEqual(rangeOfError({ line: 99, column: 50 }, lines), { startLine: 6, startCharacter: 0, endLine: 6, endCharacter: 1 });
  assert.deepEqual(rangeOfError({ line: 0, column: 0 }, lines), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 });
  assert.deepEqual(rangeOfError({ line: 1, column: 1 }, ['']), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
  // An end before the start is ignored (the token is used instead).
  assert.deepEqual(rangeOfError({ line: 6, column: 3, endLine: 6, endColumn: 1 }, lines), { startLine: 5, startCharacter: 2, endLine: 5, endCharacter: 8 });
});

test('the real parser’s error for an unknown key lands on that key', () => {
  const parsed = parseToolJson(TOOL);
  assert.equal(parsed.ok, false);
  const problems = problemsForTool({ toolJsonText: TOOL, errors: parsed.ok ? [] : parsed.errors, report: undefined });
  assert.ok(problems.length >= 1);
  assert.equal(problems[0].severity, 'error');
  assert.equal(problems[0].code, undefined);
  assert.equal(problems[0].range.startLine, 5, 'line 6 in the file');
  assert.equal(TOOL.split('\n')[5].slice(problems[0].range.startCharacter, problems[0].range.endCharacter).includes('nmae'), true);
});

test('an invalid JSON document gets its syntax error at the right place', () => {
  const text = '{\n  "id": "t",\n  "name": \n}';
  const parsed = parseToolJson(text);
  assert.equal(parsed.ok, false);
  const [first] = problemsForTool({ toolJsonText: text, errors: parsed.ok ? [] : parsed.errors, report: undefined });
  assert.ok(first.range.startLine >= 2, `syntax error reported on line ${first.range.startLine + 1}`);
});

test('fail → Error, warn → Warning, pass and skip → nothing; code is the check name', () => {
  const problems = reportProblems({ checks: [check('folder_structure', 'pass'), check('schemas_coherent', 'warn'), check('tool_spawns', 'fail'), check('clean_shutdown', 'skip')] }, TOOL);
  assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['schemas_coherent', 'warning'], ['tool_spawns', 'error']]);
  assert.equal(problems[1].message, 'tool_spawns fail');
  // No position in the details: line 1 from its first character.
  assert.deepEqual(problems[1].range, { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 });
});

test('details with a located problem or a JSON path place the check there', () => {
  const located = check('schemas_coherent', 'fail', { problems: [{ path: 'inputs', line: 4, column: 13, message: 'x', severity: 'error' }] });
  assert.deepEqual(checkPosition(located, TOOL, lines), { startLine: 3, startCharacter: 12, endLine: 3, endCharacter: 13 });
  const diff = check('schema_matches_disk', 'fail', { differences: [{ path: 'name', kind: 'changed', disk: 'T', served: 'U' }], total_differences: 1 });
  const at = checkPosition(diff, TOOL, lines);
  assert.equal(at?.startLine, 2);
  assert.equal(lines[2].slice(at.startCharacter, at.endCharacter), '"T"');
  // A path that no longer exists falls back to its nearest ancestor (the root object), not to a crash.
  const gone = check('schema_matches_disk', 'fail', { differences: [{ path: 'outputs[4].key', kind: 'missing' }] });
  assert.equal(checkPosition(gone, TOOL, lines)?.startLine, 4);
});

test('malformed details are ignored, not trusted', () => {
  const odd = check('schemas_coherent', 'fail', { problems: [{ line: 'three', column: 1 }], differences: 'nope' });
  assert.equal(checkPosition(odd, TOOL, lines), undefined);
  assert.equal(checkPosition(check('schema_matches_disk', 'fail', { differences: [{ path: 'name' }] }), '', ['']), undefined);
});

test('the report’s tool_json_parses failure is not repeated when tool.json errors are shown', () => {
  const parsed = parseToolJson(TOOL);
  const errors = parsed.ok ? [] : parsed.errors;
  const report = { checks: [check('tool_json_parses', 'fail'), check('folder_structure', 'warn')] };
  const codes = problemsForTool({ toolJsonText: TOOL, errors, report }).map((p) => p.code);
  assert.ok(!codes.includes('tool_json_parses'));
  assert.ok(codes.includes('folder_structure'));
  // Without discovery errors (e.g. the file was fixed since) the stored failure still shows.
  assert.ok(problemsForTool({ toolJsonText: TOOL, errors: [], report }).some((p) => p.code === 'tool_json_parses'));
});

test('CRLF documents count lines the editor’s way', () => {
  const crlf = TOOL.replace(/\n/g, '\r\n');
  assert.deepEqual(rangeOfError({ line: 6, column: 3 }, linesOf(crlf)), { startLine: 5, startCharacter: 2, endLine: 5, endCharacter: 8 });
});
