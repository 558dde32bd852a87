// code: source text highlighted by highlight.js (bundled languages only; unknown languages stay plain), in the
// editor font, with a Copy button. highlight.js escapes the text it wraps, so the result is markup-safe.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { custom, el } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { registerOutput } from '../registry';
import { stringField, textOf, unwrap } from '../values';

const LANGUAGES = { bash, c, cpp, css, diff, go, ini, java, javascript, json, markdown, plaintext, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** Above this, highlighting costs more than it helps: the text is shown plain. */
const HIGHLIGHT_MAX_CHARS = 200_000;

export function highlightInto(code: HTMLElement, text: string, language: string | undefined): void {
  const known = language ? hljs.getLanguage(language.toLowerCase()) : undefined;
  if (language && known && text.length <= HIGHLIGHT_MAX_CHARS) {
    code.innerHTML = hljs.highlight(text, { language: language.toLowerCase(), ignoreIllegals: true }).value;
    code.classList.add('hljs');
  } else {
    code.textContent = text;
  }
}

registerOutput({
  type: 'code',
  render(raw, spec, ctx) {
    const { value, extra } = unwrap(raw);
    const text = value === null ? '' : textOf(value);
    const language = stringField(extra, 'language') ?? spec.language ?? undefined;
    const code = el('code', { attrs: { 'data-language': language } });
    highlightInto(code, text, language);
    const copy = custom<ButtonElement>('vscode-button', { className: 'copy-button', attrs: { 'aria-label': 'Copy code' } }, 'Copy');
    copy.secondary = true;
    copy.icon = 'copy';
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(text).then(
        () => ctx.notify('Copied.'),
        () => ctx.notify('Could not copy to the clipboard.'),
      );
    });
    const header = el('div', { className: 'code-header' }, el('span', { className: 'code-language', text: language ?? '' }), copy);
    return { element: el('div', { className: 'code-output' }, header, el('pre', { attrs: { tabindex: 0 } }, code)) };
  },
});
