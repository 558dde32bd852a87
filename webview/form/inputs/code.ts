// code: source text with syntax highlighting while typing, sent as typed ("" included). A native textarea with
// transparent text sits over a <pre> that highlight.js fills (the same bundled languages as code outputs; unknown
// languages and `plain` stay plain): the textarea keeps native editing, selection, undo and accessibility.
import { el } from '../../dom';
import { highlightInto } from '../../outputs/renderers/code';
import { registerInput } from '../registry';
import { asText } from './textfield';

/** Above this, highlighting waits for a pause in typing instead of following every key. */
const LIVE_HIGHLIGHT_MAX_CHARS = 20_000;
const LARGE_TEXT_DELAY_MS = 150;

registerInput({
  type: 'code',
  create(spec, ctx) {
    const language = spec.language ?? undefined;
    const area = el('textarea', {
      className: 'code-editor-text',
      attrs: {
        id: ctx.controlId,
        'aria-describedby': ctx.describedBy,
        rows: 8,
        spellcheck: 'false',
        autocapitalize: 'off',
        autocomplete: 'off',
        wrap: 'off',
        'data-language': language,
      },
    });
    const code = el('code');
    const highlight = el('pre', { className: 'code-editor-highlight', attrs: { 'aria-hidden': 'true' } }, code);
    const editor = el('div', { className: 'code-editor' }, highlight, area);
    const element = el('div', { className: 'code-input' }, language ? el('span', { className: 'code-language', text: language }) : null, editor);

    let timer: ReturnType<typeof setTimeout> | undefined;
    const paint = (): void => {
      timer = undefined;
      // The extra newline gives a trailing empty line its height, so both layers stay the same size.
      highlightInto(code, `${area.value}\n`, language);
      highlight.scrollTop = area.scrollTop;
      highlight.scrollLeft = area.scrollLeft;
    };
    const repaint = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      if (area.value.length <= LIVE_HIGHLIGHT_MAX_CHARS) paint();
      else timer = setTimeout(paint, LARGE_TEXT_DELAY_MS);
    };
    area.addEventListener('input', () => {
      repaint();
      ctx.changed();
    });
    area.addEventListener('scroll', () => {
      highlight.scrollTop = area.scrollTop;
      highlight.scrollLeft = area.scrollLeft;
    });
    paint();

    return {
      element,
      read: () => area.value,
      write(value) {
        area.value = asText(value);
        repaint();
      },
      setInvalid(invalid) {
        editor.classList.toggle('invalid', invalid);
        area.setAttribute('aria-invalid', String(invalid));
      },
      focus() {
        area.focus();
      },
    };
  },
});
