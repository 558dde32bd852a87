// The outputs pane: one card per declared output, in tool.json order and grouped by `layout` (tabs, an inline row,
// stacked panels), filled from a finished run (or a replay — the same RunView either way) or live while a run
// streams. Also the run's error, notices, values the tool returned without declaring them, and the files it produced.
import type { ArtefactView, FileRef, JsonValue, OutputSpec, RunView } from '../../src/protocol';
import { fileRefOf } from '../../src/protocol';
import { clear, el, formatBytes, icon } from '../dom';
import { groupOutputs } from './groups';
import { outputModuleFor, type OutputContext, type OutputView } from './registry';
import { OutputTabs } from './tabs';
import { artefactButtons, largeValueView } from './renderers/artefactActions';
import { jsonView, unsupportedView } from './renderers/json';

const STDERR_MARK = '\n--- stderr ---\n';

/** Renders one value with its type's module; never throws and never leaves the card blank. */
export function renderValue(spec: OutputSpec, value: JsonValue, ctx: OutputContext): OutputView {
  const ref = fileRefOf(value);
  if (ref && ref.kind !== 'file') return { element: largeValueView(ref, ctx) };
  const module = outputModuleFor(spec.type);
  if (!module) return unsupportedView(spec.type, value);
  try {
    return module.render(value, spec, ctx);
  } catch (error) {
    const view = jsonView(value);
    view.element.prepend(el('div', { className: 'output-note', text: `Could not render this ${spec.type} value (${(error as Error).message}); showing it as JSON.` }));
    return view;
  }
}

class OutputCard {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'output-body' });
  private view: OutputView | undefined;

  constructor(
    readonly spec: OutputSpec,
    private readonly ctx: OutputContext,
  ) {
    const headingId = `output-${spec.key.replace(/[^A-Za-z0-9_-]/g, '_')}-heading`;
    this.element = el(
      'section',
      { className: 'output-card', attrs: { 'data-output-key': spec.key, 'data-output-type': spec.type, 'aria-labelledby': headingId } },
      el(
        'header',
        { className: 'output-header' },
        el('h3', { attrs: { id: headingId }, text: spec.label }),
        spec.description ? el('p', { className: 'output-description', text: spec.description }) : null,
      ),
      this.body,
      spec.caption ? el('p', { className: 'output-caption', text: spec.caption }) : null,
    );
    this.placeholder('No output yet.');
  }

  placeholder(text: string): void {
    this.view = undefined;
    clear(this.body);
    this.body.appendChild(el('div', { className: 'output-empty', text }));
    this.element.classList.add('empty');
  }

  show(value: JsonValue): void {
    if (this.view?.update?.(value)) return;
    this.view = renderValue(this.spec, value, this.ctx);
    clear(this.body);
    this.body.appendChild(this.view.element);
    this.element.classList.remove('empty');
  }
}

export class OutputsView {
  readonly element: HTMLElement;
  private readonly banner = el('div', { className: 'run-banner' });
  private readonly cards = new Map<string, OutputCard>();
  private readonly tabsOf = new Map<string, OutputTabs>();
  private readonly extras = el('div', { className: 'extra-outputs' });
  private readonly files = el('div', { className: 'run-files' });

  constructor(
    specs: readonly OutputSpec[],
    private readonly ctx: OutputContext,
  ) {
    const list = el('div', { className: 'output-cards' });
    for (const group of groupOutputs(specs)) {
      const cards = group.specs.map((spec) => {
        const card = new OutputCard(spec, ctx);
        this.cards.set(spec.key, card);
        return card;
      });
      if (group.layout === 'tab') {
        const tabs = new OutputTabs(cards.map((card) => ({ key: card.spec.key, label: card.spec.label, content: card.element })));
        for (const card of cards) this.tabsOf.set(card.spec.key, tabs);
        list.appendChild(tabs.element);
      } else if (group.layout === 'inline') {
        list.appendChild(el('div', { className: 'output-inline' }, ...cards.map((card) => card.element)));
      } else {
        for (const card of cards) list.appendChild(card.element);
      }
    }
    this.element = el('div', { className: 'outputs' }, this.banner, list, this.extras, this.files);
    if (specs.length === 0) list.appendChild(el('div', { className: 'output-empty', text: 'This tool declares no outputs.' }));
  }

  /** A run is starting: clear the previous values. */
  startRun(): void {
    this.reset('Waiting for output…');
  }

  /** Before anything ran (or after the form was cleared). */
  showEmpty(): void {
    this.reset('No output yet.');
  }

  /** A streamed output's newest accumulated value (a hidden tab holding it gets a dot). */
  update(key: string, value: JsonValue): void {
    const card = this.cards.get(key);
    if (!card) return;
    card.show(value);
    this.tabsOf.get(key)?.changed(key);
  }

  /** The card of one declared output (tests and the chat view read it). */
  cardElement(key: string): HTMLElement | undefined {
    return this.cards.get(key)?.element;
  }

  /** The tab strip an output sits in, if its layout is `tab`. */
  tabsFor(key: string): OutputTabs | undefined {
    return this.tabsOf.get(key);
  }

  /** A finished or replayed run: error, notices, every declared output, undeclared values, files. */
  showRun(run: RunView): void {
    this.clearTabMarks();
    clear(this.banner);
    clear(this.extras);
    clear(this.files);
    if (run.error !== null) this.banner.appendChild(errorBox(run.status, run.error));
    if (run.notices.length > 0) {
      this.banner.appendChild(el('ul', { className: 'notices', attrs: { 'aria-label': 'Notes about this run' } }, ...run.notices.map((n) => el('li', { text: n }))));
    }
    const outputs = run.outputs ?? {};
    for (const [key, card] of this.cards) {
      if (Object.hasOwn(outputs, key)) card.show(outputs[key]);
      else card.placeholder(run.status === 'running' ? 'Waiting for output…' : run.outputs === null ? 'No output (the run did not finish with outputs).' : 'The tool returned no value for this output.');
    }
    const undeclared = Object.entries(outputs).filter(([key]) => !this.cards.has(key) && key !== 'run_id' && !key.startsWith('_'));
    if (undeclared.length > 0) {
      this.extras.appendChild(el('h3', { text: 'Other values the tool returned' }));
      for (const [key, value] of undeclared) {
        this.extras.appendChild(el('section', { className: 'output-card', attrs: { 'data-output-key': key, 'aria-label': key } }, el('header', { className: 'output-header' }, el('h3', { text: key })), jsonView(value).element));
      }
    }
    this.showFiles(run.artefacts, outputs);
  }

  private reset(text: string): void {
    this.clearTabMarks();
    clear(this.banner);
    clear(this.extras);
    clear(this.files);
    for (const card of this.cards.values()) card.placeholder(text);
  }

  private clearTabMarks(): void {
    for (const tabs of new Set(this.tabsOf.values())) tabs.clearMarks();
  }

  /** Files the run wrote that no output shows (outputs show their own). */
  private showFiles(artefacts: readonly ArtefactView[], outputs: Record<string, JsonValue>): void {
    const shown = new Set<number>();
    collectRefIds(outputs, shown);
    const rest = artefacts.filter((a) => !shown.has(a.id));
    if (rest.length === 0) return;
    const list = el('ul', { className: 'file-list' });
    for (const artefact of rest) {
      const ref: FileRef = { id: artefact.id, uri: artefact.uri, filename: artefact.filename, mime: artefact.mime, size: artefact.size, kind: 'file', problem: null };
      list.appendChild(el('li', { className: 'file-item' }, icon('file'), el('span', { className: 'file-name', text: artefact.filename }), el('span', { className: 'file-size', text: formatBytes(artefact.size) }), artefactButtons(ref, this.ctx)));
    }
    this.files.append(el('h3', { text: 'Files written by the run' }), list);
  }
}

function collectRefIds(value: JsonValue, into: Set<number>): void {
  const ref = fileRefOf(value);
  if (ref) into.add(ref.id);
  if (Array.isArray(value)) for (const item of value) collectRefIds(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectRefIds(item, into);
}

/** The run's error (or cancellation) with the tool's stderr folded away. */
export function errorBox(status: string, error: string): HTMLElement {
  const cut = error.indexOf(STDERR_MARK);
  const message = cut >= 0 ? error.slice(0, cut) : error;
  const stderr = cut >= 0 ? error.slice(cut + STDERR_MARK.length) : '';
  const title = status === 'cancelled' ? 'The run was cancelled' : 'The run failed';
  return el(
    'div',
    { className: `run-error status-${status}`, attrs: { role: 'alert' } },
    el('div', { className: 'run-error-title' }, icon(status === 'cancelled' ? 'circle-slash' : 'error'), ` ${title}`),
    el('pre', { className: 'run-error-message', text: message }),
    stderr ? el('details', { className: 'run-stderr' }, el('summary', { text: 'Tool stderr' }), el('pre', { text: stderr })) : null,
  );
}
