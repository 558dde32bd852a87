// markdown: Markdown source in a text box, with a Preview toggle that shows it rendered through the same sanitised
// renderer as markdown outputs (markdown-it without raw HTML, then DOMPurify and our allowlist). Sent as typed.
import { clear, custom, el } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { renderMarkdown } from '../../outputs/renderers/markdown';
import { registerInput } from '../registry';
import { createTextarea } from './textarea';
import { asText } from './textfield';

registerInput({
  type: 'markdown',
  create(spec, ctx) {
    const area = createTextarea(ctx, { monospace: false, rows: 6 });
    const previewId = `${ctx.controlId}-preview`;
    const preview = el('div', { className: 'markdown-input-preview', attrs: { id: previewId, 'aria-label': `${spec.label}: preview`, role: 'region', tabindex: 0 } });
    preview.hidden = true;
    const toggle = custom<ButtonElement>('vscode-button', { className: 'markdown-input-toggle', attrs: { 'aria-pressed': 'false', 'aria-controls': previewId } }, 'Preview');
    toggle.secondary = true;
    toggle.icon = 'open-preview';
    let previewing = false;

    const showPreview = (): void => {
      clear(preview);
      if (area.value.trim() === '') preview.appendChild(el('p', { className: 'markdown-input-empty', text: 'Nothing to preview.' }));
      else preview.appendChild(renderMarkdown(area.value));
    };
    const setMode = (on: boolean): void => {
      previewing = on;
      if (on) showPreview();
      preview.hidden = !on;
      area.hidden = on;
      toggle.setAttribute('aria-pressed', String(on));
      toggle.textContent = on ? 'Edit' : 'Preview';
      toggle.icon = on ? 'edit' : 'open-preview';
    };
    toggle.addEventListener('click', () => setMode(!previewing));

    const element = el('div', { className: 'markdown-input' }, el('div', { className: 'markdown-input-bar' }, toggle), area, preview);
    return {
      element,
      read: () => area.value,
      write(value) {
        area.value = asText(value);
        if (previewing) showPreview();
      },
      setInvalid(invalid) {
        area.invalid = invalid;
      },
      focus() {
        // A problem is fixed in the source, so focusing the field goes back to editing.
        if (previewing) setMode(false);
        area.focus();
      },
    };
  },
});
