// The body every map output shares: the map (filled once Leaflet is ready), a status line (counts, skipped items,
// problems), a legend where the type has one, and the data as a text list. A value the type cannot read falls back
// to the JSON view with a note; a map that cannot be drawn still leaves the list. Streamed values redraw in place.
import type { JsonValue } from '../../src/protocol';
import { clear, el } from '../dom';
import type { OutputView } from '../outputs/registry';
import { jsonView } from '../outputs/renderers/json';
import type { LatLng } from './coords';
import { MapView, type FitFallback } from './mapView';

export interface MapOutputKind<T> {
  /** The output type, for messages. */
  type: string;
  /** What the value should look like, for the "could not read" note. */
  expected: string;
  parse(value: JsonValue): T | undefined;
  /** Adds the data's layers to `view.layers`. */
  draw(view: MapView, data: T): void;
  /** The coordinates to fit the view to. */
  extent(data: T): LatLng[];
  /** One line: what is shown, and what was left out. */
  status(data: T): string;
  /** The data as a text list (popup.ts dataList). */
  list(data: T): HTMLElement;
  legend?(data: T): HTMLElement | null;
  /** Where to look when the value asks not to fit, or has nothing to fit. */
  fallback?(data: T): FitFallback & { fit?: boolean };
}

export function renderMapOutput<T>(kind: MapOutputKind<T>, value: JsonValue, label: string, defaults: FitFallback = {}): OutputView {
  const first = kind.parse(value);
  if (first === undefined) {
    const view = jsonView(value);
    view.element.prepend(el('div', { className: 'output-note', text: `This value is not a ${kind.type} value (expected ${kind.expected}); it is shown as JSON.` }));
    return view;
  }
  let data: T = first;
  const canvas = el('div', { className: 'map-canvas' });
  const frame = el('div', { className: 'map-frame' }, canvas);
  const status = el('div', { className: 'map-status', attrs: { role: 'status' } });
  const extras = el('div', { className: 'map-extras' });
  const element = el('div', { className: 'map-output' }, frame, status, extras);
  let map: MapView | undefined;
  let problem: string | undefined;

  const show = (): void => {
    clear(extras);
    const legend = kind.legend?.(data) ?? null;
    if (legend) extras.appendChild(legend);
    extras.appendChild(kind.list(data));
    status.textContent = problem ? `${kind.status(data)} ${problem}` : kind.status(data);
    if (!map) return;
    try {
      map.layers.clearLayers();
      kind.draw(map, data);
      const extra = kind.fallback?.(data) ?? {};
      const fallback = { center: extra.center ?? defaults.center, zoom: extra.zoom ?? defaults.zoom };
      map.fitTo(extra.fit === false ? [] : kind.extent(data), fallback);
    } catch (error) {
      status.textContent = `${kind.status(data)} The map could not draw this value (${(error as Error).message}); the data is listed below.`;
    }
  };

  MapView.create(canvas, { label: `${label}: map`, center: defaults.center, zoom: defaults.zoom })
    .then((created) => {
      map = created;
      show();
    })
    .catch((error: unknown) => {
      problem = `The map could not be shown (${(error as Error).message}); the data is listed below.`;
      frame.hidden = true;
      show();
    });
  show();
  return {
    element,
    update(next) {
      const parsed = kind.parse(next);
      if (parsed === undefined) return false;
      data = parsed;
      show();
      return true;
    },
  };
}

/** "12 points", "1 point". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** " 3 items could not be read and are left out." or "". */
export function skippedNote(skipped: number, what = 'item'): string {
  return skipped > 0 ? ` ${count(skipped, what)} could not be read (not a coordinate, or out of range) and ${skipped === 1 ? 'is' : 'are'} left out.` : '';
}
