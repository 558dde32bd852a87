// diff: two texts (`{before, after}`, `{old, new}`, `{original, modified}` or `{left, right}`) compared line by line,
// or a unified diff a tool made (a string, or `{diff|patch|value}`), shown unified or side by side with word-level
// marks; long unchanged runs fold (and unfold on request). "Open in Diff Editor" hands the two texts to VS Code's own
// diff editor through the host.
import type { JsonValue } from '../../../src/protocol';
import { clear, el } from '../../dom';
import { registerOutput, type OutputContext } from '../registry';
import { isJsonRecord, type JsonRecord } from '../values';
import { diffTexts, isGap, markedParts, parsePrefixedLines, parseUnifiedDiff, type DiffFile, type DiffGap, type DiffItem, type DiffLine } from './diffModel';
import { jsonFallback, moreButton, note, pick, pickText, secondaryButton } from './fields';

type Mode = 'unified' | 'split';

/** Rows drawn per file before a "Show more" button. */
export const DIFF_PAGE_ROWS = 2000;

const TEXT_PAIRS: [string, string][] = [
  ['before', 'after'],
  ['old', 'new'],
  ['original', 'modified'],
  ['left', 'right'],
];

const EXTENSION_LANGUAGES: Record<string, string> = {
  py: 'python', js: 'javascript', mjs: 'javascript', cjs: 'javascript', ts: 'typescript', tsx: 'typescriptreact', jsx: 'javascriptreact',
  json: 'json', md: 'markdown', html: 'html', css: 'css', yaml: 'yaml', yml: 'yaml', toml: 'toml', sh: 'shellscript', rs: 'rust',
  go: 'go', java: 'java', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', rb: 'ruby', sql: 'sql', xml: 'xml', txt: 'plaintext', csv: 'csv',
};

function languageOfName(name: string | undefined): string | undefined {
  const match = name ? /\.([A-Za-z0-9]+)$/.exec(name) : null;
  return match ? EXTENSION_LANGUAGES[match[1].toLowerCase()] : undefined;
}

function sideText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

interface DiffInput {
  files: DiffFile[];
  leftLabel: string;
  rightLabel: string;
  title: string;
  language: string | undefined;
}

function readDiff(raw: JsonValue, fallbackTitle: string): DiffInput | undefined {
  const record: JsonRecord | undefined = isJsonRecord(raw) ? raw : undefined;
  const title = (record && pickText(record, ['title', 'filename', 'name'])) ?? fallbackTitle;
  const language = (record && pickText(record, ['language', 'lang'])) ?? languageOfName(record && pickText(record, ['filename', 'name']));
  if (record) {
    for (const [l, r] of TEXT_PAIRS) {
      if (!Object.hasOwn(record, l) && !Object.hasOwn(record, r)) continue;
      const left = sideText(record[l]);
      const right = sideText(record[r]);
      const leftLabel = pickText(record, [`${l}_label`, 'left_label']) ?? capitalised(l);
      const rightLabel = pickText(record, [`${r}_label`, 'right_label']) ?? capitalised(r);
      return { files: [diffTexts(left, right)], leftLabel, rightLabel, title, language };
    }
  }
  const patch = typeof raw === 'string' ? raw : record ? pick(record, ['diff', 'patch', 'unified', 'value']) : undefined;
  if (typeof patch !== 'string') return undefined;
  const files = parseUnifiedDiff(patch) ?? (() => {
    const listed = parsePrefixedLines(patch);
    return listed ? [listed] : undefined;
  })();
  if (!files) return undefined;
  return { files, leftLabel: 'Before', rightLabel: 'After', title, language };
}

function lineCells(line: DiffLine | undefined, side: 'old' | 'new' | 'both'): HTMLTableCellElement[] {
  if (!line) return [el('td', { className: 'diff-no diff-empty' }), el('td', { className: 'diff-sign diff-empty' }), el('td', { className: 'diff-text diff-empty' })];
  const numbers: HTMLTableCellElement[] = [];
  if (side !== 'new') numbers.push(el('td', { className: 'diff-no', text: line.oldNo === null ? '' : String(line.oldNo) }));
  if (side !== 'old') numbers.push(el('td', { className: 'diff-no', text: line.newNo === null ? '' : String(line.newNo) }));
  const text = el('td', { className: 'diff-text' });
  if (line.kind === 'same') text.textContent = line.text;
  else for (const part of markedParts(line)) text.appendChild(part.changed ? el('mark', { className: 'diff-mark', text: part.text }) : document.createTextNode(part.text));
  const sign = el('td', { className: 'diff-sign', attrs: { 'aria-label': line.kind === 'add' ? 'added' : line.kind === 'del' ? 'removed' : undefined }, text: line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' ' });
  return [...numbers, sign, text];
}

class DiffFileView {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'diff-body' });
  private readonly expanded = new Set<DiffGap>();
  private limit = DIFF_PAGE_ROWS;

  constructor(
    private readonly file: DiffFile,
    private mode: Mode,
    header: HTMLElement | null,
  ) {
    this.element = el('div', { className: 'diff-file' }, header, this.body);
    this.draw();
  }

  setMode(mode: Mode): void {
    this.mode = mode;
    this.draw();
  }

  /** The items with unfolded gaps replaced by their lines. */
  private items(): DiffItem[] {
    const out: DiffItem[] = [];
    for (const item of this.file.items) {
      if (isGap(item) && item.lines && this.expanded.has(item)) out.push(...item.lines);
      else out.push(item);
    }
    return out;
  }

  private gapRow(gap: DiffGap, columns: number): HTMLTableRowElement {
    const cell = el('td', { className: 'diff-gap-cell', attrs: { colspan: columns } });
    const label = `${gap.count.toLocaleString()} unchanged line${gap.count === 1 ? '' : 's'}`;
    if (gap.lines) {
      const button = el('button', { className: 'diff-unfold', attrs: { type: 'button', 'aria-label': `Show ${label}` }, text: `⋯ Show ${label}` });
      button.addEventListener('click', () => {
        this.expanded.add(gap);
        this.draw();
      });
      cell.appendChild(button);
    } else {
      cell.textContent = `⋯ ${label}`;
    }
    return el('tr', { className: 'diff-gap' }, cell);
  }

  private unifiedRows(items: DiffItem[]): HTMLTableRowElement[] {
    return items.map((item) => (isGap(item) ? this.gapRow(item, 4) : el('tr', { className: `diff-${item.kind}` }, ...lineCells(item, 'both'))));
  }

  private splitRows(items: DiffItem[]): HTMLTableRowElement[] {
    const rows: HTMLTableRowElement[] = [];
    let i = 0;
    while (i < items.length) {
      const item = items[i];
      if (isGap(item)) {
        rows.push(this.gapRow(item, 6));
        i += 1;
      } else if (item.kind === 'same') {
        rows.push(el('tr', { className: 'diff-same' }, ...lineCells(item, 'old'), ...lineCells(item, 'new')));
        i += 1;
      } else {
        const dels: DiffLine[] = [];
        const adds: DiffLine[] = [];
        while (i < items.length && !isGap(items[i]) && (items[i] as DiffLine).kind !== 'same') {
          const line = items[i] as DiffLine;
          (line.kind === 'del' ? dels : adds).push(line);
          i += 1;
        }
        for (let k = 0; k < Math.max(dels.length, adds.length); k += 1) {
          const row = el('tr', { className: 'diff-change' }, ...lineCells(dels[k], 'old'), ...lineCells(adds[k], 'new'));
          if (dels[k]) row.children[2].classList.add('diff-del-text');
          if (adds[k]) row.children[5].classList.add('diff-add-text');
          rows.push(row);
        }
      }
    }
    return rows;
  }

  private draw(): void {
    clear(this.body);
    const items = this.items();
    const rows = this.mode === 'unified' ? this.unifiedRows(items.slice(0, this.limit)) : this.splitRows(items.slice(0, this.limit));
    const table = el('table', { className: `diff-table diff-${this.mode}`, attrs: { 'aria-label': this.mode === 'unified' ? 'Unified diff' : 'Side-by-side diff' } }, el('tbody', {}, ...rows));
    this.body.appendChild(el('div', { className: 'diff-scroll', attrs: { tabindex: 0, role: 'region', 'aria-label': 'Diff' } }, table));
    if (items.length > this.limit) {
      this.body.appendChild(
        moreButton(items.length - this.limit, DIFF_PAGE_ROWS, () => {
          this.limit += DIFF_PAGE_ROWS;
          this.draw();
        }),
      );
    }
  }
}

function openButton(left: string, right: string, title: string, language: string | undefined, ctx: OutputContext): HTMLElement {
  const button = secondaryButton('Open in Diff Editor', 'diff', `Open ${title} in the diff editor`);
  button.classList.add('diff-open');
  button.addEventListener('click', () => {
    const params = { title, left, right, ...(language ? { language } : {}) };
    ctx.request('openDiff', params).catch((error: Error) => ctx.notify(`Could not open the diff editor: ${error.message}`));
  });
  return button;
}

function stats(file: DiffFile): HTMLElement {
  return el(
    'span',
    { className: 'diff-stats', attrs: { 'aria-label': `${file.added} added, ${file.removed} removed` } },
    el('span', { className: 'diff-stat-add', text: `+${file.added}` }),
    ' ',
    el('span', { className: 'diff-stat-del', text: `-${file.removed}` }),
  );
}

function renderDiff(input: DiffInput, ctx: OutputContext): HTMLElement {
  const element = el('div', { className: 'diff-output' });
  const editorTitle = (name: string | undefined): string => `${name ?? input.title} (${input.leftLabel} ↔ ${input.rightLabel})`;
  const { files } = input;
  const views: DiffFileView[] = [];
  let mode: Mode = 'unified';
  const modeButtons = (['unified', 'split'] as const).map((m) => {
    const button = el('button', { className: 'diff-mode', attrs: { type: 'button', 'aria-pressed': m === mode ? 'true' : 'false' }, text: m === 'unified' ? 'Unified' : 'Side by side' });
    button.addEventListener('click', () => {
      mode = m;
      for (const b of modeButtons) b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
      for (const view of views) view.setMode(m);
    });
    return button;
  });
  const single = files.length === 1 ? files[0] : undefined;
  const toolbar = el(
    'div',
    { className: 'diff-toolbar' },
    el('span', { className: 'diff-labels', text: `${input.leftLabel} → ${input.rightLabel}` }),
    single ? stats(single) : null,
    el('div', { className: 'diff-modes', attrs: { role: 'group', 'aria-label': 'Diff layout' } }, ...modeButtons),
    single?.left !== undefined && single.right !== undefined ? openButton(single.left, single.right, editorTitle(single.name), input.language ?? languageOfName(single.name), ctx) : null,
  );
  element.appendChild(toolbar);
  for (const file of files) {
    const header =
      files.length > 1 || file.name
        ? el(
            'div',
            { className: 'diff-file-header' },
            el('span', { className: 'diff-file-name', text: file.name ?? '(unnamed file)' }),
            files.length > 1 ? stats(file) : null,
            files.length > 1 && file.left !== undefined && file.right !== undefined ? openButton(file.left, file.right, editorTitle(file.name), input.language ?? languageOfName(file.name), ctx) : null,
          )
        : null;
    if (file.note) {
      element.append(el('div', { className: 'diff-file' }, header, note(file.note)));
      continue;
    }
    if (file.items.length === 0) {
      const lines = file.left === undefined ? 0 : file.left === '' ? 0 : file.left.split('\n').length;
      element.append(el('div', { className: 'diff-file' }, header, note(`No differences: the two texts are identical (${lines.toLocaleString()} line${lines === 1 ? '' : 's'}).`)));
      continue;
    }
    const view = new DiffFileView(file, mode, header);
    views.push(view);
    if (file.coarse) view.element.prepend(note('These texts differ in too many places to match line by line here; everything between the first and the last difference is shown as removed and added. The diff editor compares them properly.'));
    element.appendChild(view.element);
  }
  if (views.length === 0) toolbar.querySelector('.diff-modes')?.remove();
  return element;
}

registerOutput({
  type: 'diff',
  render(raw, spec, ctx) {
    // `{value: {before, after}}` is the scalar-style wrapper some tools put around everything.
    const input = readDiff(raw, spec.label) ?? (isJsonRecord(raw) && isJsonRecord(raw.value) ? readDiff(raw.value, spec.label) : undefined);
    if (!input) return jsonFallback(raw, 'A diff needs {before, after} (or {old, new}) texts, or a unified diff.');
    return { element: renderDiff(input, ctx) };
  },
});
