// A hand-written structural checker in the spirit of Pydantic's `extra="forbid"`: walks a SourceNode
// against a small table of field rules, applies defaults, and collects every problem (unknown keys,
// wrong types, missing fields, bad enum values) with the position of the offending node.
import type { JsonValue, ToolJsonError } from './model';
import { LineIndex, nodeValue, type SourceNode } from './sourceTree';
import { setOwn } from './ownKeys';

export type Kind =
  | { t: 'string'; nonEmpty?: boolean }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'number'; min?: number; max?: number }
  | { t: 'bool' }
  | { t: 'any' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'list'; of: Kind; length?: number }
  /** An object with free keys, every value of kind `of` (Python `dict[str, X]`). */
  | { t: 'map'; of: Kind }
  | { t: 'object'; fields: Fields }
  /** Objects told apart by a string tag field (`type`), each variant with its own fields. */
  | { t: 'union'; tag: string; variants: Readonly<Record<string, Fields>>; what: string }
  /** The first kind that fits wins (e.g. `str | list[str]`). */
  | { t: 'either'; kinds: readonly Kind[]; expected: string };

export interface Field {
  kind: Kind;
  required?: boolean;
  /** `null` is accepted (and is the default when no other default is given). */
  nullable?: boolean;
  default?: JsonValue;
}
export type Fields = Readonly<Record<string, Field>>;

const INVALID = Symbol('invalid');
type Checked = JsonValue | typeof INVALID;

export interface ShapeResult {
  value: JsonValue | undefined;
  errors: ToolJsonError[];
}

/** Checks `root` against `kind`; `value` is the checked value with defaults, or undefined on any error. */
export function checkShape(root: SourceNode, kind: Kind, lines: LineIndex, file?: string): ShapeResult {
  const checker = new ShapeChecker(lines, file);
  const value = checker.check(root, kind, '', undefined);
  if (checker.errors.length > 0 || value === INVALID) return { value: undefined, errors: checker.errors };
  return { value, errors: [] };
}

/** Builds an error at [start, end); `message` is complete (see `withPrefix`). */
export function makeError(lines: LineIndex, start: number, end: number, path: string, message: string, file?: string): ToolJsonError {
  const a = lines.position(start);
  const b = lines.position(Math.max(end, start));
  const err: ToolJsonError = {
    message,
    path,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column,
  };
  if (file !== undefined) err.file = file;
  return err;
}

export function joinPath(path: string, key: string): string {
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (safe !== key) return `${path}[${safe}]`;
  return path ? `${path}.${key}` : key;
}

/** Span used to underline a node: containers only at their opening bracket, scalars entirely. */
export function headSpan(node: SourceNode): [number, number] {
  return node.kind === 'object' || node.kind === 'array' ? [node.start, node.start + 1] : [node.start, node.end];
}

class ShapeChecker {
  readonly errors: ToolJsonError[] = [];

  constructor(private readonly lines: LineIndex, private readonly file: string | undefined) {}

  /** `messagePath` differs from `path` for problems about a key, which read best from the enclosing object. */
  private reportAt(start: number, end: number, path: string, problem: string, messagePath = path): void {
    this.errors.push(makeError(this.lines, start, end, path, withPrefix(messagePath, problem), this.file));
  }

  private report(node: SourceNode, path: string, problem: string): void {
    const [start, end] = headSpan(node);
    this.reportAt(start, end, path, problem);
  }

  private wrongType(node: SourceNode, path: string, expected: string): typeof INVALID {
    this.report(node, path, `expected ${expected}, got ${describe(node)}`);
    return INVALID;
  }

  check(node: SourceNode, kind: Kind, path: string, owner: string | undefined): Checked {
    switch (kind.t) {
      case 'any':
        return nodeValue(node);
      case 'string':
        if (node.kind !== 'string') return this.wrongType(node, path, 'a string');
        if (kind.nonEmpty && node.value.trim() === '') {
          this.report(node, path, 'must not be empty');
          return INVALID;
        }
        return node.value;
      case 'bool':
        return node.kind === 'boolean' ? node.value : this.wrongType(node, path, 'true or false');
      case 'int':
      case 'number': {
        const whole = kind.t === 'int';
        if (node.kind !== 'number' || (whole && !Number.isInteger(node.value))) {
          return this.wrongType(node, path, whole ? 'a whole number' : 'a number');
        }
        if (kind.min !== undefined && node.value < kind.min) {
          this.report(node, path, `must be at least ${kind.min}, got ${node.value}`);
          return INVALID;
        }
        if (kind.max !== undefined && node.value > kind.max) {
          this.report(node, path, `must be at most ${kind.max}, got ${node.value}`);
          return INVALID;
        }
        return node.value;
      }
      case 'enum': {
        if (node.kind !== 'string') return this.wrongType(node, path, `one of ${kind.values.join(', ')}`);
        if (kind.values.includes(node.value)) return node.value;
        this.report(node, path, `"${node.value}" is not one of ${kind.values.join(', ')}${didYouMean(node.value, kind.values)}`);
        return INVALID;
      }
      case 'list':
        return this.checkList(node, kind.of, kind.length, path, owner);
      case 'map':
        return this.checkMap(node, kind.of, path, owner);
      case 'object':
        return this.checkObject(node, kind.fields, path, owner);
      case 'union':
        return this.checkUnion(node, kind, path);
      case 'either':
        for (const k of kind.kinds) {
          const trial = new ShapeChecker(this.lines, this.file);
          const v = trial.check(node, k, path, owner);
          if (v !== INVALID && trial.errors.length === 0) return v;
        }
        return this.wrongType(node, path, kind.expected);
    }
  }

  private checkList(node: SourceNode, of: Kind, length: number | undefined, path: string, owner: string | undefined): Checked {
    if (node.kind !== 'array') return this.wrongType(node, path, length ? `a list of ${length} items` : 'a list');
    if (length !== undefined && node.items.length !== length) {
      this.report(node, path, `expected a list of ${length} items, got ${node.items.length}`);
      return INVALID;
    }
    const out: JsonValue[] = [];
    let ok = true;
    node.items.forEach((item, i) => {
      const v = this.check(item, of, `${path}[${i}]`, owner);
      if (v === INVALID) ok = false;
      else out.push(v);
    });
    return ok ? out : INVALID;
  }

  private checkMap(node: SourceNode, of: Kind, path: string, owner: string | undefined): Checked {
    if (node.kind !== 'object') return this.wrongType(node, path, 'an object');
    const out: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    let ok = true;
    for (const prop of node.props) {
      const p = joinPath(path, prop.key);
      if (seen.has(prop.key)) {
        this.reportAt(prop.keyStart, prop.keyEnd, p, `duplicate key "${prop.key}"`, path);
        ok = false;
        continue;
      }
      seen.add(prop.key);
      const v = this.check(prop.value, of, p, owner);
      if (v === INVALID) ok = false;
      else setOwn(out, prop.key, v);
    }
    return ok ? out : INVALID;
  }

  private checkObject(node: SourceNode, fields: Fields, path: string, owner: string | undefined): Checked {
    if (node.kind !== 'object') return this.wrongType(node, path, 'an object');
    const before = this.errors.length;
    const where = owner ? ` for ${owner}` : '';
    const out: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    for (const prop of node.props) {
      const p = joinPath(path, prop.key);
      if (seen.has(prop.key)) {
        this.reportAt(prop.keyStart, prop.keyEnd, p, `duplicate key "${prop.key}"`, path);
        continue;
      }
      seen.add(prop.key);
      const field = Object.hasOwn(fields, prop.key) ? fields[prop.key] : undefined;
      if (!field) {
        const names = Object.keys(fields);
        const hint = didYouMean(prop.key, names) || ` (allowed: ${names.join(', ')})`;
        this.reportAt(prop.keyStart, prop.keyEnd, p, `unknown key "${prop.key}"${where}${hint}`, path);
        continue;
      }
      if (prop.value.kind === 'null' && field.nullable) {
        out[prop.key] = null;
        continue;
      }
      const v = this.check(prop.value, field.kind, p, owner);
      if (v !== INVALID) out[prop.key] = v;
    }
    const [braceStart, braceEnd] = headSpan(node);
    for (const [name, field] of Object.entries(fields)) {
      if (seen.has(name)) continue;
      if (field.required) {
        this.reportAt(braceStart, braceEnd, joinPath(path, name), `missing required field "${name}"${where}`, path);
      } else if (field.default !== undefined) {
        out[name] = structuredClone(field.default);
      } else if (field.nullable) {
        out[name] = null;
      }
    }
    return this.errors.length === before ? out : INVALID;
  }

  private checkUnion(node: SourceNode, kind: Extract<Kind, { t: 'union' }>, path: string): Checked {
    if (node.kind !== 'object') return this.wrongType(node, path, 'an object');
    const names = Object.keys(kind.variants);
    const tagProp = node.props.find((p) => p.key === kind.tag);
    if (!tagProp) {
      const [s, e] = headSpan(node);
      this.reportAt(s, e, joinPath(path, kind.tag), `missing required field "${kind.tag}" (one of: ${names.join(', ')})`, path);
      return INVALID;
    }
    const tagPath = joinPath(path, kind.tag);
    const tag = tagProp.value;
    if (tag.kind !== 'string') return this.wrongType(tag, tagPath, `a ${kind.what} type name`);
    if (!Object.hasOwn(kind.variants, tag.value)) {
      this.report(tag, tagPath, `unknown ${kind.what} type "${tag.value}"${didYouMean(tag.value, names) || ` (one of: ${names.join(', ')})`}`);
      return INVALID;
    }
    return this.checkObject(node, kind.variants[tag.value], path, `a ${tag.value} ${kind.what}`);
  }
}

export function withPrefix(path: string, problem: string): string {
  return path ? `${path}: ${problem}` : problem;
}

function describe(node: SourceNode): string {
  switch (node.kind) {
    case 'string': {
      const v = node.value.length > 40 ? `${node.value.slice(0, 37)}...` : node.value;
      return `a string ${JSON.stringify(v)}`;
    }
    case 'number':
      return `the number ${node.value}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
  }
}

/** ` (did you mean "x"?)` for the closest candidate within a small edit distance, else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  if (best !== undefined && bestDistance <= limit) return ` (did you mean "${best}"?)`;
  // A shortened name ("expected" for "expected_outputs") when only one candidate starts that way.
  const prefixed = word.length >= 4 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  return prefixed.length === 1 ? ` (did you mean "${prefixed[0]}"?)` : '';
}

/** Optimal string alignment distance: Levenshtein plus swaps of neighbours ("lable" → "label" is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
