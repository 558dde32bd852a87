// tool.json → ToolSpec: strict JSON syntax first (with positions), then the field rules, reporting
// every problem at once so the Problems panel can show them all.
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import type { JsonObject, JsonValue, ToolJsonError, ToolSpec } from './model';
import { TOOL_KIND } from './rules';
import { checkShape, makeError, withPrefix } from './shape';
import { jsonTree, LineIndex, nodeValue } from './sourceTree';

export type ParseResult =
  | { ok: true; spec: ToolSpec; raw: JsonObject }
  /** `raw` is the document as written when it is valid JSON (useful to read fields of a broken spec). */
  | { ok: false; errors: ToolJsonError[]; raw?: JsonValue };

export function parseToolJson(text: string, file?: string): ParseResult {
  const lines = new LineIndex(text);
  const { root, problems } = jsonTree(text);
  if (!root) {
    return {
      ok: false,
      errors: problems.map((p) => makeError(lines, p.start, p.end, '', `invalid JSON: ${p.message}`, file)),
    };
  }
  const raw = nodeValue(root);
  if (root.kind !== 'object') {
    const what = root.kind === 'array' ? 'a list' : root.kind;
    return {
      ok: false,
      raw,
      errors: [makeError(lines, root.start, root.start + 1, '', `tool.json must be a JSON object, got ${what}`, file)],
    };
  }
  const { value, errors } = checkShape(root, TOOL_KIND, lines, file);
  if (errors.length > 0 || value === undefined) return { ok: false, errors, raw };
  // The shape checker has verified every field against rules that mirror the ToolSpec type.
  return { ok: true, spec: value as unknown as ToolSpec, raw: raw as JsonObject };
}

/** Splits `inputs[2].show_if.key` into `['inputs', 2, 'show_if', 'key']`. */
export function splitJsonPath(path: string): JSONPath {
  const out: JSONPath = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/**
 * Builds an error located at the node `path` names in `text` (its nearest existing ancestor when the
 * node is absent). Used for problems found after parsing, such as coherence checks and duplicate ids.
 */
export function errorAtPath(text: string, path: string, problem: string, file?: string): ToolJsonError {
  const lines = new LineIndex(text);
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  let segments = splitJsonPath(path);
  let node = root && findNodeAtLocation(root, segments);
  while (root && !node && segments.length > 0) {
    segments = segments.slice(0, -1);
    node = segments.length === 0 ? root : findNodeAtLocation(root, segments);
  }
  if (!node) return makeError(lines, 0, 0, path, withPrefix(path, problem), file);
  const container = node.type === 'object' || node.type === 'array';
  const end = container ? node.offset + 1 : node.offset + node.length;
  return makeError(lines, node.offset, end, path, withPrefix(path, problem), file);
}
