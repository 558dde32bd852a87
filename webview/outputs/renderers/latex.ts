// latex: formulas typeset by KaTeX (bundled, with its fonts). A value (raw string or `{value, display?}`) is either
// one formula, or text with $…$, $$…$$, \(…\) or \[…\] formulas inside it. KaTeX builds DOM nodes itself (styles set
// through the CSSOM, which the panel's CSP allows); `trust: false` turns \href, \url, \includegraphics and \html*
// into error text, and a final sweep drops anything that could load or run should a KaTeX bug ever let one through.
import katex from 'katex';
import { custom, el } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { registerOutput } from '../registry';
import { textOf, unwrap } from '../values';
import { note } from './fields';

/** Above this, typesetting would stall the panel: the source is shown as text instead. */
export const LATEX_MAX_CHARS = 10_000;

export interface LatexPiece {
  math: boolean;
  display: boolean;
  text: string;
}

const OPENERS: { open: string; close: string; display: boolean }[] = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
];

/** Where `close` ends the formula that starts at `from`, skipping escaped characters (\$). -1: never. */
function findClose(source: string, close: string, from: number): number {
  for (let i = from; i < source.length; i += 1) {
    if (source.startsWith(close, i)) return i;
    if (source[i] === '\\') i += 1;
  }
  return -1;
}

/** Text and formulas, in order. A source with no delimited formula is one display formula. */
export function splitLatex(source: string): LatexPiece[] {
  const pieces: LatexPiece[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const opener = OPENERS.find((o) => source.startsWith(o.open, i));
    if (!opener) {
      // A backslash escapes the next character in text: \$ is a dollar sign, not a delimiter.
      if (source[i] === '\\' && source[i + 1] === '$') {
        text += '$';
        i += 2;
      } else {
        const step = source[i] === '\\' ? 2 : 1;
        text += source.slice(i, i + step);
        i += step;
      }
      continue;
    }
    const end = findClose(source, opener.close, i + opener.open.length);
    if (end < 0 || end === i + opener.open.length) {
      text += opener.open;
      i += opener.open.length;
      continue;
    }
    if (text !== '') pieces.push({ math: false, display: false, text });
    text = '';
    pieces.push({ math: true, display: opener.display, text: source.slice(i + opener.open.length, end) });
    i = end + opener.close.length;
  }
  if (pieces.length === 0) return [{ math: true, display: true, text: source }];
  if (text !== '') pieces.push({ math: false, display: false, text });
  return pieces;
}

const UNSAFE_TAGS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'img', 'image', 'a', 'link', 'foreignobject', 'use', 'video', 'audio', 'source']);

/** Defence in depth over KaTeX's own output: nothing that loads, links or runs. */
function sweep(root: HTMLElement): void {
  for (const node of [...root.querySelectorAll('*')]) {
    if (UNSAFE_TAGS.has(node.localName.toLowerCase())) {
      node.replaceWith(document.createTextNode(node.textContent ?? ''));
      continue;
    }
    for (const attr of [...node.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'href' || name === 'src' || name === 'xlink:href' || name === 'action') node.removeAttribute(attr.name);
    }
  }
}

function typeset(tex: string, display: boolean): HTMLElement {
  const target = el('span', { className: display ? 'latex-display' : 'latex-inline' });
  try {
    katex.render(tex, target, { displayMode: display, throwOnError: false, trust: false, strict: 'ignore', maxSize: 50, maxExpand: 1000, output: 'htmlAndMathml' });
    sweep(target);
  } catch (error) {
    target.replaceChildren(el('code', { className: 'latex-source', text: tex }));
    target.title = (error as Error).message;
  }
  return target;
}

export function renderLatex(source: string, display: boolean): HTMLElement {
  const body = el('div', { className: 'latex-body' });
  const pieces = splitLatex(source);
  const whole = pieces.length === 1 && pieces[0].math;
  for (const piece of pieces) {
    if (!piece.math) body.appendChild(el('span', { className: 'latex-text', text: piece.text }));
    else body.appendChild(typeset(piece.text, whole ? display : piece.display));
  }
  return body;
}

registerOutput({
  type: 'latex',
  render(raw, _spec, ctx) {
    const { value, extra } = unwrap(raw);
    const source = value === null ? '' : textOf(value);
    const display = extra.display !== false && extra.inline !== true;
    if (source.trim() === '') return { element: note('Empty formula.') };
    const copy = custom<ButtonElement>('vscode-button', { className: 'copy-button', attrs: { 'aria-label': 'Copy the LaTeX source' } }, 'Copy LaTeX');
    copy.secondary = true;
    copy.icon = 'copy';
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(source).then(
        () => ctx.notify('Copied.'),
        () => ctx.notify('Could not copy to the clipboard.'),
      );
    });
    const tools = el('div', { className: 'latex-tools' }, copy);
    if (source.length > LATEX_MAX_CHARS) {
      return {
        element: el(
          'div',
          { className: 'latex-output' },
          note(`This LaTeX is too long to typeset here (${source.length.toLocaleString()} characters); the source is shown.`),
          el('pre', { className: 'latex-source', attrs: { tabindex: 0 }, text: source }),
          tools,
        ),
      };
    }
    const body = renderLatex(source, display);
    const failed = body.querySelector('.katex-error') !== null;
    return {
      element: el('div', { className: 'latex-output' }, body, failed ? note('Part of this LaTeX could not be typeset; it is shown in red (hover it for the reason).') : null, tools),
    };
  },
});
