// Open / Reveal buttons for a file the run produced: the host opens it in an editor tab or shows it in the OS.
import type { FileRef } from '../../../src/protocol';
import { custom, el, formatBytes } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import type { OutputContext } from '../registry';

export function artefactButtons(ref: FileRef, ctx: OutputContext, name = ref.filename): HTMLElement {
  const open = custom<ButtonElement>('vscode-button', { attrs: { 'aria-label': `Open ${name} in an editor tab` } }, 'Open');
  open.icon = 'go-to-file';
  open.secondary = true;
  open.addEventListener('click', () => {
    ctx.request('openArtefact', { id: ref.id }).catch((error: Error) => ctx.notify(`Could not open ${name}: ${error.message}`));
  });
  const reveal = custom<ButtonElement>('vscode-button', { attrs: { 'aria-label': `Reveal ${name}` } }, 'Reveal');
  reveal.icon = 'folder-opened';
  reveal.secondary = true;
  reveal.addEventListener('click', () => {
    ctx.request('revealArtefact', { id: ref.id }).catch((error: Error) => ctx.notify(`Could not reveal ${name}: ${error.message}`));
  });
  const buttons = el('div', { className: 'artefact-actions' }, open, reveal);
  if (ref.problem !== null) {
    open.disabled = true;
    reveal.disabled = true;
  }
  return buttons;
}

/** "scores.csv · 2.1 KB · text/csv", plus the problem when the file cannot be shown. */
export function artefactMeta(ref: FileRef, name = ref.filename): HTMLElement {
  return el(
    'div',
    { className: 'artefact-meta' },
    el('span', { className: 'artefact-name', text: name }),
    el('span', { text: ` · ${formatBytes(ref.size)} · ${ref.mime}` }),
    ref.problem !== null ? el('div', { className: 'artefact-problem', attrs: { role: 'note' }, text: ref.problem }) : null,
  );
}

/** A value too large to inline (a long text or a big JSON), kept as a file: say so and offer to open it. */
export function largeValueView(ref: FileRef, ctx: OutputContext): HTMLElement {
  return el(
    'div',
    { className: 'large-value' },
    el('div', { className: 'output-note', text: `This value is large (${formatBytes(ref.size)}) and is kept as a file; open it in an editor tab to read it.` }),
    artefactMeta(ref),
    artefactButtons(ref, ctx),
  );
}
