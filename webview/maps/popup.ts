// Popup, tooltip and text-list content for map features, built as DOM with textContent only: labels and properties
// come from the tool and must never become markup (Leaflet would set a string as innerHTML).
import { el } from '../dom';
import { formatLatLng, type LatLng } from './coords';
import type { Details } from './shapes';

export function popupContent(title: string | undefined, details: Details, at?: LatLng): HTMLElement {
  const box = el('div', { className: 'map-popup' });
  if (title !== undefined && title !== '') box.appendChild(el('div', { className: 'map-popup-title', text: title }));
  if (details.length > 0) {
    const list = el('dl', { className: 'map-popup-details' });
    for (const [name, value] of details) list.append(el('dt', { text: name }), el('dd', { text: value }));
    box.appendChild(list);
  }
  if (at) box.appendChild(el('div', { className: 'map-popup-coords', text: formatLatLng(at) }));
  return box;
}

export function tooltipContent(text: string): HTMLElement {
  return el('span', { className: 'map-tooltip-text', text });
}

/** Most rows the text list shows; the map itself shows everything. */
export const DATA_LIST_MAX_ROWS = 500;

/** The data as a table in a collapsed <details>: a text alternative to the map (and a way to read exact values). */
export function dataList<T>(summary: string, headers: readonly string[], items: readonly T[], row: (item: T, index: number) => readonly string[]): HTMLElement {
  const table = el('table', { className: 'map-data-table' });
  const head = el('tr');
  for (const h of headers) head.appendChild(el('th', { attrs: { scope: 'col' }, text: h }));
  table.appendChild(el('thead', {}, head));
  const body = el('tbody');
  const shown = Math.min(items.length, DATA_LIST_MAX_ROWS);
  for (let i = 0; i < shown; i += 1) {
    const tr = el('tr');
    for (const cell of row(items[i], i)) tr.appendChild(el('td', { text: cell }));
    body.appendChild(tr);
  }
  table.appendChild(body);
  const cut = items.length > shown ? el('div', { className: 'output-note', text: `The first ${shown} of ${items.length} are listed.` }) : null;
  return el('details', { className: 'map-data' }, el('summary', { text: summary }), el('div', { className: 'map-data-scroll' }, table), cut);
}
