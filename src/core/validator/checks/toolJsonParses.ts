// Check 2: tool.json is valid JSON and fits the tool.json model (unknown keys, wrong types, missing
// required fields), every problem with its JSON path and line:column.
import type { JsonObject, ToolJsonError } from '../../tools/model';
import { parseToolJson } from '../../tools/parse';
import { fail, pass, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

const MAX_LISTED = 50;

function located(e: ToolJsonError): string {
  return `${e.message} (line ${e.line}, column ${e.column})`;
}

/** The offending line with a caret under the column, for syntax errors. */
export function excerptAt(text: string, line: number, column: number): string {
  const lines = text.split(/\r?\n/);
  const source = lines[line - 1];
  if (source === undefined) return '';
  const shown = source.length > 200 ? `${source.slice(0, 200)}…` : source;
  return `${line} | ${shown}\n${' '.repeat(String(line).length)} | ${' '.repeat(Math.max(0, Math.min(column - 1, 200)))}^`;
}

function errorJson(e: ToolJsonError): JsonObject {
  return { path: e.path, line: e.line, column: e.column, message: e.message };
}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const text = ctx.toolJsonText ?? '';
  const parsed = parseToolJson(text, ctx.toolJsonPath);
  if (parsed.ok) {
    ctx.spec = parsed.spec;
    ctx.raw = parsed.raw;
    ctx.entrypoint = parsed.spec.entrypoint;
    const details: JsonObject = { id: parsed.spec.id, inputs: parsed.spec.inputs.length, outputs: parsed.spec.outputs.length };
    return pass(`tool.json parses: "${parsed.spec.id}" with ${parsed.spec.inputs.length} input(s) and ${parsed.spec.outputs.length} output(s).`, details);
  }
  const errors = parsed.errors;
  const syntax = errors.length > 0 && errors[0].message.startsWith('invalid JSON');
  const details: JsonObject = {
    kind: syntax ? 'json' : 'schema',
    errors: errors.slice(0, MAX_LISTED).map(errorJson),
  };
  if (errors.length > MAX_LISTED) details.more_errors = errors.length - MAX_LISTED;
  if (syntax) {
    details.excerpt = excerptAt(text, errors[0].line, errors[0].column);
    details.text_head = text.slice(0, 2000);
  }
  const count = errors.length === 1 ? 'a problem' : `${errors.length} problems`;
  const what = syntax ? 'is not valid JSON' : `has ${count}`;
  const rest = errors.length > 1 ? ` — also: ${errors.slice(1, 3).map(located).join('; ')}${errors.length > 3 ? '; …' : ''}` : '';
  const first = syntax ? located({ ...errors[0], message: errors[0].message.replace(/^invalid JSON:\s*/, '') }) : located(errors[0]);
  return fail(`tool.json ${what}: ${first}${rest}`, details);
}

export const toolJsonParses: CheckDefinition = { name: 'tool_json_parses', gating: true, needsProcess: false, run };
