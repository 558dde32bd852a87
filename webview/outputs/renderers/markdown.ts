// markdown: rendered by markdown-it with raw HTML off, then sanitised (DOMPurify, then our allowlist: no scripts,
// handlers, styles, forms or remote images survive; links only http(s)/mailto).
import MarkdownIt from 'markdown-it';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { sanitizeHtml } from '../sanitize';
import { textOf, unwrap } from '../values';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

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
