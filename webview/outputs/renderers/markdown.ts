// markdown: rendered by markdown-it with raw HTML off, then sanitised (DOMPurify, then our allowlist: no scripts,
// handlers, styles, forms or remote images survive; links only http(s)/mailto).
import MarkdownIt from 'markdown-it';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { sanitizeHtml } from '../sanitize';
import { textOf, unwrap } from '../values';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const ALIGN = /^text-align:(left|center|right)$/;

// A table column's alignment (`|:--:|`) comes out of markdown-it as an inline style, which the sanitiser (and the
// webview's CSP) drop: carry it as a class instead.
markdown.core.ruler.push('pixie_table_align', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const align = ALIGN.exec(String(token.attrGet('style') ?? ''))?.[1];
    if (!align) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    token.attrJoin('class', `md-align-${align}`);
  }
  return true;
});

export function renderMarkdown(source: string): HTMLElement {
  const body = el('div', { className: 'markdown-output' });
  body.appendChild(sanitizeHtml(markdown.render(source)));
  return body;
}

registerOutput({
  type: 'markdown',
  render(raw) {
    const { value } = unwrap(raw);
    return { element: renderMarkdown(value === null ? '' : textOf(value)) };
  },
});
