// The two texts of each diff a tool panel opened in VS Code's diff editor, held in memory for the `pixie-diff`
// content provider. Bounded (a number of pairs and a total size; the oldest go first) so a session that opens many
// large diffs does not grow without limit. No `vscode` here: the bookkeeping is tested on its own.

export const DIFF_SCHEME = 'pixie-diff';
export type DiffSide = 'left' | 'right';

export const DEFAULT_MAX_PAIRS = 32;
/** Characters over all kept texts (UTF-16: about twice as many bytes). */
export const DEFAULT_MAX_CHARS = 32 * 1024 * 1024;

/** Shown when VS Code asks again for a diff that was dropped (e.g. a diff tab restored after a reload). */
export const GONE_TEXT = 'This Pixie diff is no longer in memory. Open it again from the tool panel ("Open in Diff Editor").\n';

interface Pair {
  left: string;
  right: string;
}

export class DiffContents {
  private readonly pairs = new Map<number, Pair>();
  private nextId = 1;
  private chars = 0;

  constructor(
    private readonly maxPairs = DEFAULT_MAX_PAIRS,
    private readonly maxChars = DEFAULT_MAX_CHARS,
  ) {}

  /** Keeps a pair and returns its id; drops the oldest pairs past the bounds (the newest is always kept). */
  add(left: string, right: string): number {
    const id = this.nextId++;
    this.pairs.set(id, { left, right });
    this.chars += left.length + right.length;
    for (const [oldId, pair] of this.pairs) {
      if (oldId === id || (this.pairs.size <= this.maxPairs && this.chars <= this.maxChars)) break;
      this.pairs.delete(oldId);
      this.chars -= pair.left.length + pair.right.length;
    }
    return id;
  }

  text(id: number, side: DiffSide): string | undefined {
    return this.pairs.get(id)?.[side];
  }

  get size(): number {
    return this.pairs.size;
  }

  get totalChars(): number {
    return this.chars;
  }

  clear(): void {
    this.pairs.clear();
    this.chars = 0;
  }
}

/** File extensions for common language ids: the editor tab shows a file icon, and VS Code's detection has a hint. */
const LANGUAGE_EXTENSIONS: Record<string, string> = {
  python: 'py', javascript: 'js', typescript: 'ts', typescriptreact: 'tsx', javascriptreact: 'jsx', json: 'json', jsonc: 'jsonc',
  markdown: 'md', html: 'html', css: 'css', yaml: 'yaml', toml: 'toml', shellscript: 'sh', rust: 'rs', go: 'go', java: 'java',
  c: 'c', cpp: 'cpp', csharp: 'cs', ruby: 'rb', sql: 'sql', xml: 'xml', plaintext: 'txt', csv: 'csv',
};

/** `/7/left.py`: the pair's id, the side, an extension for the language when there is one. */
export function diffPath(id: number, side: DiffSide, language?: string): string {
  const extension = language ? LANGUAGE_EXTENSIONS[language.toLowerCase()] : undefined;
  return `/${id}/${side}${extension ? `.${extension}` : ''}`;
}

export function parseDiffPath(path: string): { id: number; side: DiffSide } | undefined {
  const match = /^\/(\d+)\/(left|right)(?:\.[A-Za-z0-9]+)?$/.exec(path);
  if (!match) return undefined;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? { id, side: match[2] as DiffSide } : undefined;
}
