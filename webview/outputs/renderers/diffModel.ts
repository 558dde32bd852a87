// The lines a diff output shows, from two texts (computed by jsdiff) or from a unified diff a tool sent: numbered
// lines, unchanged runs folded into gaps, changed lines paired for word-level marks, and — for the diff editor —
// the two texts a patch describes (gaps padded so line numbers stay right).
import { diffArrays, diffWordsWithSpace, parsePatch, type StructuredPatch } from 'diff';

export type LineKind = 'same' | 'add' | 'del';

export interface DiffLine {
  kind: LineKind;
  oldNo: number | null;
  newNo: number | null;
  text: string;
  /** The line this one replaced / was replaced by (the n-th removed line of a change pairs with its n-th added line). */
  partner?: DiffLine;
}

/** Unchanged lines not shown: `lines` when they are known (they can be shown on request), else only a count. */
export interface DiffGap {
  gap: true;
  lines: DiffLine[] | null;
  count: number;
}

export type DiffItem = DiffLine | DiffGap;

export interface DiffFile {
  /** "a.py → b.py" for a patch; undefined for two texts. */
  name?: string;
  items: DiffItem[];
  added: number;
  removed: number;
  /** The texts, when known or reconstructible (the diff editor needs them). */
  left?: string;
  right?: string;
  /** Shown instead of lines: a patch entry without hunks (a binary file, a rename), texts equal but for newlines. */
  note?: string;
  /** jsdiff ran out of time: the lines between the first and last difference are shown as removed and added. */
  coarse?: boolean;
}

export const CONTEXT_LINES = 3;
/** jsdiff gives up past this (the panel would stall); the texts are then compared coarsely. */
export const DIFF_TIMEOUT_MS = 1000;

export function isGap(item: DiffItem): item is DiffGap {
  return 'gap' in item;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Pairs the removed and added lines of each change block (for word-level marks). */
function pairChanges(lines: DiffLine[]): void {
  let i = 0;
  while (i < lines.length) {
    if (lines[i].kind === 'same') {
      i += 1;
      continue;
    }
    const dels: DiffLine[] = [];
    const adds: DiffLine[] = [];
    while (i < lines.length && lines[i].kind !== 'same') {
      (lines[i].kind === 'del' ? dels : adds).push(lines[i]);
      i += 1;
    }
    for (let k = 0; k < Math.min(dels.length, adds.length); k += 1) {
      dels[k].partner = adds[k];
      adds[k].partner = dels[k];
    }
  }
}

/** Unchanged runs longer than the context around changes become gaps. */
export function foldContext(lines: DiffLine[], context = CONTEXT_LINES): DiffItem[] {
  const items: DiffItem[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].kind !== 'same') {
      items.push(lines[i]);
      i += 1;
      continue;
    }
    let end = i;
    while (end < lines.length && lines[end].kind === 'same') end += 1;
    const run = lines.slice(i, end);
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = end === lines.length ? 0 : context;
    if (run.length > keepBefore + keepAfter + 1) {
      items.push(...run.slice(0, keepBefore));
      const hidden = run.slice(keepBefore, run.length - keepAfter);
      items.push({ gap: true, lines: hidden, count: hidden.length });
      items.push(...run.slice(run.length - keepAfter));
    } else {
      items.push(...run);
    }
    i = end;
  }
  return items;
}

/**
 * The diff of two texts. The common first and last lines are matched directly and jsdiff compares only the lines
 * between; if that takes longer than DIFF_TIMEOUT_MS (texts that differ almost everywhere), the lines between the
 * first and last difference are shown as removed and added (`coarse`).
 */
export function diffTexts(left: string, right: string): DiffFile {
  const a = splitLines(left);
  const b = splitLines(right);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const midA = a.slice(head, endA);
  const midB = b.slice(head, endB);
  let coarse = false;
  let changes: { value: string[]; added: boolean; removed: boolean }[] | undefined =
    midA.length > 0 && midB.length > 0 ? diffArrays(midA, midB, { timeout: DIFF_TIMEOUT_MS }) : undefined;
  if (!changes) {
    coarse = midA.length > 0 && midB.length > 0;
    changes = [
      { value: midA, added: false, removed: true },
      { value: midB, added: true, removed: false },
    ];
  }
  const lines: DiffLine[] = [];
  let oldNo = 1;
  let newNo = 1;
  let added = 0;
  let removed = 0;
  for (const text of a.slice(0, head)) lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
  for (const change of changes) {
    for (const text of change.value) {
      if (change.added) {
        lines.push({ kind: 'add', oldNo: null, newNo: newNo++, text });
        added += 1;
      } else if (change.removed) {
        lines.push({ kind: 'del', oldNo: oldNo++, newNo: null, text });
        removed += 1;
      } else {
        lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
      }
    }
  }
  for (const text of a.slice(endA)) lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
  pairChanges(lines);
  const file: DiffFile = { items: added + removed === 0 ? [] : foldContext(lines), added, removed, left, right, coarse };
  if (added + removed === 0 && left !== right) file.note = 'The texts differ only in line endings or in the newline at the end.';
  return file;
}

function patchName(patch: StructuredPatch): string | undefined {
  const strip = (name: string | undefined): string | undefined => (name === undefined || name === '/dev/null' ? undefined : name.replace(/^[ab]\//, ''));
  const oldName = strip(patch.oldFileName);
  const newName = strip(patch.newFileName);
  if (oldName && newName && oldName !== newName) return `${oldName} → ${newName}`;
  return newName ?? oldName;
}

function patchFile(patch: StructuredPatch): DiffFile {
  const items: DiffItem[] = [];
  const left: string[] = [];
  const right: string[] = [];
  let added = 0;
  let removed = 0;
  let oldEnd = 1;
  for (const hunk of patch.hunks) {
    // A zero-length side of a hunk counts from the line before it (`@@ -0,0 +1,3 @@`).
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    const skipped = oldStart - oldEnd;
    if (skipped > 0) items.push({ gap: true, lines: null, count: skipped });
    // Unknown unchanged lines become blank lines on both sides, so the diff editor's line numbers match the patch.
    while (left.length < oldStart - 1) left.push('');
    while (right.length < newStart - 1) right.push('');
    let oldNo = oldStart;
    let newNo = newStart;
    const lines: DiffLine[] = [];
    for (const raw of hunk.lines) {
      const sign = raw[0];
      const text = raw.slice(1);
      if (sign === '+') {
        lines.push({ kind: 'add', oldNo: null, newNo: newNo++, text });
        right.push(text);
        added += 1;
      } else if (sign === '-') {
        lines.push({ kind: 'del', oldNo: oldNo++, newNo: null, text });
        left.push(text);
        removed += 1;
      } else if (sign === ' ' || raw === '') {
        lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
        left.push(text);
        right.push(text);
      }
      // "\ No newline at end of file" marks the line above; nothing to show for it.
    }
    pairChanges(lines);
    items.push(...lines);
    oldEnd = oldNo;
  }
  const file: DiffFile = { name: patchName(patch), items, added, removed };
  if (patch.hunks.length > 0) {
    file.left = left.join('\n');
    file.right = right.join('\n');
  } else {
    file.note = patch.isBinary ? 'Binary file (no lines to show).' : patch.isRename ? 'Renamed, no changes to its lines.' : 'No changed lines.';
  }
  return file;
}

/** The files of a unified diff; undefined when the text is not one (no hunk at all, or unreadable). */
export function parseUnifiedDiff(text: string): DiffFile[] | undefined {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(text);
  } catch {
    return undefined;
  }
  const withContent = patches.filter((p) => p.hunks.length > 0 || p.isBinary || p.isRename || p.oldFileName !== undefined);
  if (!withContent.some((p) => p.hunks.length > 0)) return undefined;
  return withContent.map(patchFile);
}

/** Lines as difflib's ndiff (or a hunk without headers) prints them: `+ `, `- `, `  `, `? ` prefixes. */
export function parsePrefixedLines(text: string): DiffFile | undefined {
  const raw = splitLines(text);
  if (raw.length === 0 || !raw.every((line) => line === '' || /^[+\- ?]/.test(line))) return undefined;
  if (!raw.some((line) => line.startsWith('+') || line.startsWith('-'))) return undefined;
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const line of raw) {
    if (line.startsWith('?')) continue; // ndiff's hint lines point at characters; the word marks do that here
    const body = line.slice(line.startsWith('+ ') || line.startsWith('- ') || line.startsWith('  ') ? 2 : 1);
    const kind: LineKind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same';
    if (kind === 'add') added += 1;
    if (kind === 'del') removed += 1;
    lines.push({ kind, oldNo: null, newNo: null, text: body });
  }
  pairChanges(lines);
  return { items: lines, added, removed };
}

/** Above this, word-level marks are skipped (they cost more than they help on very long lines). */
const WORD_MARK_MAX_CHARS = 1000;

/** A changed line's text in parts, with the parts that changed against its partner marked. */
export function markedParts(line: DiffLine): { text: string; changed: boolean }[] {
  const partner = line.partner;
  if (!partner || line.text.length > WORD_MARK_MAX_CHARS || partner.text.length > WORD_MARK_MAX_CHARS) return [{ text: line.text, changed: false }];
  const [before, after] = line.kind === 'del' ? [line.text, partner.text] : [partner.text, line.text];
  const parts: { text: string; changed: boolean }[] = [];
  for (const change of diffWordsWithSpace(before, after)) {
    if (line.kind === 'del' ? change.added : change.removed) continue;
    parts.push({ text: change.value, changed: line.kind === 'del' ? change.removed : change.added });
  }
  return parts;
}
