// The control behind map_point, map_bbox, map_polygon and map_multipoint: a Leaflet map to click and drag on, and
// the same coordinates as text fields (keyboard and screen-reader users, exact values, pasting "lat, lng"). The
// fields hold the value; the map draws what they say and writes into them. Without Leaflet (it loads on first use,
// or failed) the fields alone work. Values are sent as the original's form sends them (maps/inputValues.ts).
import type * as Leaflet from 'leaflet';
import type { InputSpecOf } from '../../../src/protocol';
import { custom, el } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { inRange, roundCoordinate, wrapLongitude, type LatLng } from '../../maps/coords';
import {
  boxCorners,
  checkPoints,
  coordinateText,
  parseCoordinate,
  parseRows,
  pointsFromValue,
  splitPair,
  valueFromPoints,
  type MapInputKind,
} from '../../maps/inputValues';
import { MapView } from '../../maps/mapView';
import type { InputContext, InputControl } from '../registry';

export type MapInputType = 'map_point' | 'map_bbox' | 'map_polygon' | 'map_multipoint';

const INSTRUCTIONS: Record<MapInputKind, string> = {
  point: 'Click the map to place the point and drag it to move it, or type the coordinates. On the focused map, arrow keys pan and Enter places the point at the centre.',
  bbox: 'Click two opposite corners on the map and drag a corner to adjust, or type the edges. On the focused map, Enter marks a corner at the centre.',
  polygon: 'Click the map to add corners in order; drag a corner to move it, right-click it to remove it; or type them. On the focused map, Enter adds the centre.',
  multipoint: 'Click the map to add points; drag a point to move it, right-click it to remove it; or type them. On the focused map, Enter adds the centre.',
};

interface Row {
  lat: HTMLInputElement;
  lng: HTMLInputElement;
  element: HTMLElement;
  remove?: ButtonElement;
}

export function createMapInput(kind: MapInputKind, spec: InputSpecOf<MapInputType>, ctx: InputContext): InputControl {
  const isList = kind === 'polygon' || kind === 'multipoint';
  const statusId = `${ctx.controlId}-map-status`;
  const fallback = { center: spec.default_center ? { lat: spec.default_center[0], lng: spec.default_center[1] } : null, zoom: spec.default_zoom };
  const canvas = el('div', { className: 'map-canvas', attrs: { id: isList ? ctx.controlId : undefined, tabindex: 0 } });
  const frame = el('div', { className: 'map-frame map-input-frame' }, canvas);
  const status = el('div', { className: 'map-status', attrs: { id: statusId, role: 'status' } });
  const coords = isList ? el('ol', { className: 'map-coords map-coords-list', attrs: { 'aria-label': `${spec.label}: points` } }) : el('div', { className: 'map-coords' });
  const actions = el('div', { className: 'map-actions' });
  const element = el('div', { className: 'map-input' }, frame, status, coords, actions);
  const rows: Row[] = [];
  let view: MapView | undefined;
  /** map_bbox: the first corner clicked, waiting for the second. */
  let firstCorner: LatLng | null = null;
  let message: string | undefined;
  let mapProblem: string | undefined;

  const showStatus = (): void => {
    status.textContent = [message ?? INSTRUCTIONS[kind], mapProblem].filter(Boolean).join(' ');
  };

  // ---------- the fields ----------

  const field = (name: string, id?: string): HTMLInputElement => {
    const input = el('input', {
      className: 'map-coord',
      attrs: { type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', id, 'aria-label': name, 'aria-describedby': ctx.describedBy },
    });
    input.addEventListener('input', () => edited(input));
    return input;
  };
  const labelled = (text: string, input: HTMLInputElement): HTMLElement => el('label', { className: 'map-coord-label' }, el('span', { text }), input);

  const fixedRow = (latName: string, lngName: string, firstId?: string): Row => {
    const lat = field(latName, firstId);
    const lng = field(lngName);
    const row = { lat, lng, element: el('div', { className: 'map-coord-row' }, labelled(latName, lat), labelled(lngName, lng)) };
    coords.appendChild(row.element);
    rows.push(row);
    return row;
  };

  const renumber = (): void => {
    rows.forEach((row, i) => {
      row.lat.setAttribute('aria-label', `Point ${i + 1} latitude`);
      row.lng.setAttribute('aria-label', `Point ${i + 1} longitude`);
      row.remove?.setAttribute('aria-label', `Remove point ${i + 1}`);
    });
  };

  const addRow = (point?: LatLng): Row => {
    const lat = field('Latitude');
    const lng = field('Longitude');
    const remove = custom<ButtonElement>('vscode-button', { className: 'map-remove' }, 'Remove');
    remove.secondary = true;
    const row: Row = { lat, lng, remove, element: el('li', { className: 'map-coord-row' }, labelled('Lat', lat), labelled('Lon', lng), remove) };
    remove.addEventListener('click', () => removeRow(rows.indexOf(row)));
    if (point) setRow(row, point);
    coords.appendChild(row.element);
    rows.push(row);
    renumber();
    return row;
  };

  const removeRow = (index: number): void => {
    const [row] = rows.splice(index, 1);
    if (!row) return;
    row.element.remove();
    renumber();
    redraw();
    ctx.changed();
  };

  const setRow = (row: Row, point: LatLng): void => {
    row.lat.value = coordinateText(point.lat);
    row.lng.value = coordinateText(point.lng);
  };

  const setPoints = (points: readonly LatLng[]): void => {
    if (isList) {
      while (rows.length > 0) rows.pop()?.element.remove();
      for (const point of points) addRow(point);
      return;
    }
    rows.forEach((row, i) => {
      const point = points[i];
      if (point) setRow(row, point);
      else row.lat.value = row.lng.value = '';
    });
  };

  const rowPoint = (row: Row): LatLng | undefined => {
    const lat = parseCoordinate(row.lat.value);
    const lng = parseCoordinate(row.lng.value);
    if (lat === undefined || lng === undefined) return undefined;
    const point = { lat, lng };
    return inRange(point) ? point : undefined;
  };

  const parsed = (): ReturnType<typeof parseRows> => parseRows(kind, rows.map((r) => ({ lat: r.lat.value, lng: r.lng.value })));

  const edited = (input: HTMLInputElement): void => {
    const row = rows.find((r) => r.lat === input || r.lng === input);
    // A pasted "51.5, -0.12" fills both fields of its row.
    const pair = splitPair(input.value);
    if (row && pair) {
      row.lat.value = pair[0];
      row.lng.value = pair[1];
    }
    message = undefined;
    showStatus();
    redraw();
    const point = row ? rowPoint(row) : undefined;
    if (point) view?.reveal(point);
    ctx.changed();
  };

  // ---------- the map ----------

  const snap = (latlng: Leaflet.LatLng): LatLng => ({
    lat: roundCoordinate(Math.max(-90, Math.min(90, latlng.lat))),
    lng: roundCoordinate(wrapLongitude(latlng.lng)),
  });

  const place = (latlng: Leaflet.LatLng): void => {
    const point = snap(latlng);
    message = undefined;
    if (kind === 'point') {
      setRow(rows[0], point);
    } else if (kind === 'bbox') {
      if (!firstCorner) {
        firstCorner = point;
        message = 'First corner placed: now click the opposite corner (Escape cancels).';
        showStatus();
        redraw();
        return;
      }
      const [sw, ne] = boxCorners(firstCorner, point);
      firstCorner = null;
      setRow(rows[0], sw);
      setRow(rows[1], ne);
    } else {
      addRow(point);
    }
    showStatus();
    redraw();
    ctx.changed();
  };

  /** A draggable handle (a DOM icon, no image files) for one row's point. */
  const handle = (map: MapView, row: Row, text: string, title: string, onMove: () => void): void => {
    const point = rowPoint(row);
    if (!point) return;
    const L = map.L;
    const icon = L.divIcon({ className: 'map-handle', html: el('span', { text }), iconSize: [18, 18], iconAnchor: [9, 9] });
    const marker = L.marker([point.lat, point.lng], { icon, draggable: true, keyboard: false, title, autoPan: true });
    marker.on('drag', () => {
      setRow(row, snap(marker.getLatLng()));
      onMove();
    });
    marker.on('dragend', () => {
      setRow(row, snap(marker.getLatLng()));
      if (kind === 'bbox') normaliseBox();
      redraw();
      ctx.changed();
    });
    if (isList) marker.on('contextmenu', () => removeRow(rows.indexOf(row)));
    marker.addTo(map.layers);
  };

  /** After a corner is dragged past the other one, the box is turned back into south-west / north-east. */
  const normaliseBox = (): void => {
    const a = rowPoint(rows[0]);
    const b = rowPoint(rows[1]);
    if (!a || !b) return;
    const [sw, ne] = boxCorners(a, b);
    setRow(rows[0], sw);
    setRow(rows[1], ne);
  };

  let preview: Leaflet.Rectangle | undefined;

  const redraw = (): void => {
    if (!view) return;
    const map = view;
    const L = map.L;
    map.layers.clearLayers();
    preview = undefined;
    if (kind === 'point') {
      handle(map, rows[0], '', 'Point', () => undefined);
    } else if (kind === 'bbox') {
      const a = rowPoint(rows[0]);
      const b = rowPoint(rows[1]);
      if (a && b && !firstCorner) {
        const box = L.rectangle([[a.lat, a.lng], [b.lat, b.lng]], { className: 'map-shape', weight: 2 }).addTo(map.layers);
        const follow = (): void => {
          const p = rowPoint(rows[0]);
          const q = rowPoint(rows[1]);
          if (p && q) box.setBounds(L.latLngBounds([p.lat, p.lng], [q.lat, q.lng]));
        };
        handle(map, rows[0], '', 'South-west corner', follow);
        handle(map, rows[1], '', 'North-east corner', follow);
      }
      if (firstCorner) {
        const c = firstCorner;
        L.circleMarker([c.lat, c.lng], { className: 'map-shape', radius: 5, interactive: false }).addTo(map.layers);
        preview = L.rectangle([[c.lat, c.lng], [c.lat, c.lng]], { className: 'map-shape map-preview', weight: 1, dashArray: '4 4', interactive: false }).addTo(map.layers);
      }
    } else {
      const points = rows.map(rowPoint);
      const drawn = points.filter((p): p is LatLng => p !== undefined);
      let shape: { setLatLngs(latlngs: Leaflet.LatLngTuple[]): unknown } | undefined;
      if (kind === 'polygon' && drawn.length >= 2) {
        const latlngs = drawn.map((p): Leaflet.LatLngTuple => [p.lat, p.lng]);
        shape = (drawn.length >= 3 ? L.polygon(latlngs, { className: 'map-shape', weight: 2 }) : L.polyline(latlngs, { className: 'map-shape', weight: 2 })).addTo(map.layers);
      }
      const follow = (): void => {
        shape?.setLatLngs(rows.map(rowPoint).filter((p): p is LatLng => p !== undefined).map((p): Leaflet.LatLngTuple => [p.lat, p.lng]));
      };
      rows.forEach((row, i) => handle(map, row, String(i + 1), `Point ${i + 1}`, follow));
    }
  };

  const fit = (force: boolean): void => {
    const points = rows.map(rowPoint).filter((p): p is LatLng => p !== undefined);
    view?.fitTo(points, fallback, force);
  };

  const wire = (map: MapView): void => {
    map.map.on('click', (event: Leaflet.LeafletMouseEvent) => place(event.latlng));
    map.map.on('mousemove', (event: Leaflet.LeafletMouseEvent) => {
      if (firstCorner && preview) preview.setBounds(map.L.latLngBounds([firstCorner.lat, firstCorner.lng], event.latlng));
    });
    canvas.addEventListener('keydown', (event) => {
      if (event.target !== canvas) return;
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        place(map.map.getCenter());
      } else if (event.key === 'Escape' && firstCorner) {
        firstCorner = null;
        message = undefined;
        showStatus();
        redraw();
      }
    });
  };

  // ---------- the rows each kind starts with, and the buttons ----------

  if (kind === 'point') fixedRow('Latitude', 'Longitude', ctx.controlId);
  if (kind === 'bbox') {
    fixedRow('South', 'West', ctx.controlId);
    fixedRow('North', 'East');
  }
  if (isList) {
    const add = custom<ButtonElement>('vscode-button', { className: 'map-add' }, 'Add point');
    add.secondary = true;
    add.icon = 'add';
    add.addEventListener('click', () => addRow().lat.focus());
    actions.appendChild(add);
  }
  const clearButton = custom<ButtonElement>('vscode-button', { className: 'map-clear', attrs: { 'aria-label': `Clear ${spec.label}` } }, 'Clear');
  clearButton.secondary = true;
  clearButton.addEventListener('click', () => {
    firstCorner = null;
    message = undefined;
    setPoints([]);
    showStatus();
    redraw();
    ctx.changed();
  });
  actions.appendChild(clearButton);
  showStatus();

  MapView.create(canvas, { label: `${spec.label}: map`, describedBy: statusId, ...fallback })
    .then((created) => {
      view = created;
      wire(created);
      redraw();
      fit(true);
    })
    .catch((error: unknown) => {
      frame.hidden = true;
      mapProblem = `The map could not be shown (${(error as Error).message}); type the coordinates instead.`;
      showStatus();
    });

  return {
    element,
    read() {
      const { points, problem } = parsed();
      return problem ? undefined : valueFromPoints(kind, points);
    },
    write(value) {
      firstCorner = null;
      const stored = pointsFromValue(kind, value);
      if ('problem' in stored) {
        setPoints([]);
        message = `The saved value could not be shown (${stored.problem}).`;
      } else {
        setPoints(stored.points);
        message = undefined;
      }
      showStatus();
      redraw();
      fit(true);
    },
    isEmpty: () => rows.every((r) => r.lat.value.trim() === '' && r.lng.value.trim() === ''),
    check() {
      const { points, problem } = parsed();
      return problem ?? checkPoints(kind, points);
    },
    setInvalid(invalid) {
      element.classList.toggle('invalid', invalid);
      for (const row of rows) for (const input of [row.lat, row.lng]) input.setAttribute('aria-invalid', String(invalid));
    },
    focus() {
      (rows[0]?.lat ?? canvas).focus();
    },
  };
}
