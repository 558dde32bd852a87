// A small tree of JSON-like values that remembers where each node sits in its source text, so the
// checkers can point every error at the offending key or value. Built from strict JSON (jsonc-parser)
// or from YAML (the `yaml` package); both feed the same shape checker.
import { parseTree, printParseErrorCode, type Node as JsoncNode, type ParseError } from 'jsonc-parser';
import type { Document, Node as YamlNode } from 'yaml';
import { loadOnFirstUse } from '../loadOnFirstUse';

/** The yaml library sets up its whole parser when loaded (~7 ms): loaded by the first YAML document, not with the extension. */
const yamlLib = loadOnFirstUse(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() inside a function is what keeps it lazy in the bundle
  () => require('yaml') as typeof import('yaml'),
);
import type { JsonValue } from './model';
import { setOwn } from './ownKeys';

interface Span {
  start: number;
  end: number;
}

export type SourceNode =
  | (Span & { kind: 'object'; props: SourceProp[] })
  | (Span & { kind: 'array'; items: SourceNode[] })
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'number'; value: number })
  | (Span & { kind: 'boolean'; value: boolean })
  | (Span & { kind: 'null' });

export interface SourceProp {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: SourceNode;
}

/** A syntax problem found before any tree could be trusted. Offsets into the text. */
export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
}

export interface TreeResult {
  root: SourceNode | undefined;
  problems: SyntaxProblem[];
}

/** Converts offsets to 1-based line/column (columns count UTF-16 units, as editors do). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) this.starts.push(i + 1);
      else if (ch === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

export function nodeValue(node: SourceNode): JsonValue {
  switch (node.kind) {
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      for (const p of node.props) setOwn(out, p.key, nodeValue(p.value));
      return out;
    }
    case 'array':
      return node.items.map(nodeValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

// ---------- JSON ----------

const JSON_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol (JSON has no comments, single quotes, NaN or unquoted words)',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between items",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the list",
  EndOfFileExpected: 'unexpected text after the end of the JSON document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment (comments are not allowed in JSON)',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape sequence in string',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

/** Parses strict JSON: comments, trailing commas, empty documents and a byte-order mark are errors. */
export function jsonTree(text: string): TreeResult {
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      root: undefined,
      problems: [{ message: 'file starts with a byte-order mark (BOM); save it as UTF-8 without BOM', start: 0, end: 1 }],
    };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) return { root: undefined, problems: describeJsonErrors(text, errors) };
  if (!tree) return { root: undefined, problems: [{ message: 'empty document', start: 0, end: 0 }] };
  return { root: fromJsonc(tree), problems: [] };
}

/**
 * Comments and trailing commas leave the parser in step, so every one of them is reported; after any
 * other error the parser has guessed, and what follows is mostly noise, so reporting stops there.
 */
function describeJsonErrors(text: string, errors: ParseError[]): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  let lastEnd = -2;
  for (const e of errors) {
    // A trailing comma yields two errors at the same offset.
    if (e.offset <= lastEnd) continue;
    lastEnd = e.offset + Math.max(e.length, 1) - 1;
    const code = printParseErrorCode(e.error);
    const comma = trailingCommaBefore(text, e.offset);
    if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && comma >= 0) {
      out.push({ message: 'trailing comma is not allowed in JSON', start: comma, end: comma + 1 });
      continue;
    }
    if (code === 'InvalidCommentToken') {
      out.push({ message: JSON_MESSAGES[code], start: e.offset, end: e.offset + e.length });
      continue;
    }
    if (code === 'ValueExpected' && e.offset >= text.length) {
      out.push({ message: 'unexpected end of file: expected a value', start: e.offset, end: e.offset });
    } else {
      out.push({ message: JSON_MESSAGES[code] ?? code, start: e.offset, end: e.offset + e.length });
    }
    break;
  }
  return out;
}

/** Offset of a comma directly before a closing bracket at `offset` (ignoring whitespace), else -1. */
function trailingCommaBefore(text: string, offset: number): number {
  const ch = text[offset];
  if (ch !== '}' && ch !== ']') return -1;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === ',' ? i : -1;
}

function fromJsonc(node: JsoncNode): SourceNode {
  const span = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object':
      return {
        ...span,
        kind: 'object',
        props: (node.children ?? []).flatMap((prop): SourceProp[] => {
          const [k, v] = prop.children ?? [];
          if (!k || !v) return [];
          return [{ key: String(k.value), keyStart: k.offset, keyEnd: k.offset + k.length, value: fromJsonc(v) }];
        }),
      };
    case 'array':
      return { ...span, kind: 'array', items: (node.children ?? []).map(fromJsonc) };
    case 'string':
      return { ...span, kind: 'string', value: String(node.value) };
    case 'number':
      return { ...span, kind: 'number', value: Number(node.value) };
    case 'boolean':
      return { ...span, kind: 'boolean', value: node.value === true };
    default:
      return { ...span, kind: 'null' };
  }
}

// ---------- YAML ----------

/** Parses one YAML document. An empty document gives `root: undefined` and no problems. */
export function yamlTree(text: string): TreeResult {
  const doc = yamlLib().parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const problems: SyntaxProblem[] = doc.errors.map((e) => ({
    message: e.message.split('\n')[0],
    start: e.pos[0],
    end: e.pos[1],
  }));
  if (problems.length > 0 || doc.contents === null) return { root: undefined, problems };
  const root = fromYaml(doc, doc.contents, problems, 0);
  return { root: problems.length > 0 ? undefined : root, problems };
}

function fromYaml(doc: Document, node: YamlNode | null, problems: SyntaxProblem[], depth: number): SourceNode {
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  const range = node?.range;
  const span = { start: range?.[0] ?? 0, end: range?.[1] ?? 0 };
  if (node === null) return { ...span, kind: 'null' };
  if (depth > 64) {
    problems.push({ message: 'document is nested too deeply', ...span });
    return { ...span, kind: 'null' };
  }
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (!target) {
      problems.push({ message: `unresolved alias *${node.source}`, ...span });
      return { ...span, kind: 'null' };
    }
    return { ...fromYaml(doc, target, problems, depth + 1), ...span };
  }
  if (isMap(node)) {
    const props: SourceProp[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        problems.push({ message: 'mapping keys must be plain strings', ...span });
        continue;
      }
      const kr = keyNode.range;
      const valueNode = (pair.value ?? null) as YamlNode | null;
      const value = valueNode === null
        ? { start: kr?.[1] ?? span.start, end: kr?.[1] ?? span.start, kind: 'null' as const }
        : fromYaml(doc, valueNode, problems, depth + 1);
      props.push({ key: String(keyNode.value), keyStart: kr?.[0] ?? span.start, keyEnd: kr?.[1] ?? span.start, value });
    }
    return { ...span, kind: 'object', props };
  }
  if (isSeq(node)) {
    return {
      ...span,
      kind: 'array',
      items: node.items.map((item) => fromYaml(doc, (item ?? null) as YamlNode | null, problems, depth + 1)),
    };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return { ...span, kind: 'null' };
    if (typeof v === 'string') return { ...span, kind: 'string', value: v };
    if (typeof v === 'boolean') return { ...span, kind: 'boolean', value: v };
    if (typeof v === 'number' && Number.isFinite(v)) return { ...span, kind: 'number', value: v };
  }
  problems.push({ message: 'unsupported YAML value (use plain strings, numbers, booleans, lists and mappings)', ...span });
  return { ...span, kind: 'null' };
}
