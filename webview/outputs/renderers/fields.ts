// Shared by the richer outputs (latex, diff, tree, timeline, gantt, media): reading the loosely shaped values tools
// send — the first of several field names used for the same thing — and the fallback for a value that fits no shape:
// the JSON view with a short note saying why (never a blank card).
import type { JsonValue } from '../../../src/protocol';
import { custom, el } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import type { OutputView } from '../registry';
import type { JsonRecord } from '../values';
import { jsonView } from './json';

/** The first of `keys` the record has (null included: a tool may send an explicit null). */
export function pick(record: JsonRecord, keys: readonly string[]): JsonValue | undefined {
  for (const key of keys) if (Object.hasOwn(record, key)) return record[key];
  return undefined;
}

/** The first of `keys` holding a string (or a finite number, as text). */
export function pickText(record: JsonRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

export function note(text: string): HTMLElement {
  return el('div', { className: 'output-note', text });
}

export function jsonFallback(value: JsonValue, why: string): OutputView {
  const view = jsonView(value);
  view.element.prepend(el('div', { className: 'output-note', attrs: { role: 'note' }, text: `${why} Showing the value as JSON.` }));
  return view;
}

export function secondaryButton(label: string, iconName: string, ariaLabel = label): ButtonElement {
  const button = custom<ButtonElement>('vscode-button', { attrs: { 'aria-label': ariaLabel } }, label);
  button.secondary = true;
  button.icon = iconName;
  return button;
}

/** Items shown a page at a time: a long list paints at once and grows on request. */
export const PAGE_ITEMS = 500;

export function moreButton(remaining: number, page: number, onClick: () => void): ButtonElement {
  const button = secondaryButton(`Show ${Math.min(remaining, page).toLocaleString()} more (${remaining.toLocaleString()} left)`, 'fold-down');
  button.classList.add('show-more');
  button.addEventListener('click', onClick);
  return button;
}
