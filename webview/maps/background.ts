// What a map shows under the data. By default nothing from the network: a lat/lon graticule that follows the view and
// the coarse land outline (world and continent scale only). With the `pixie.maps.tileUrl` setting, the user's tiles.
// Colours come from CSS classes (maps.css), so they follow the VS Code theme live.
import type * as Leaflet from 'leaflet';
import { graticuleLines, graticuleStep } from './graticule';
import type { LeafletApi } from './leaflet';
import { tileHost } from './settings';
import { LAND } from './worldOutline';

/** Beyond this zoom the outline (about a degree off) would mislead more than it helps. */
export const OUTLINE_MAX_ZOOM = 6;

function landLatLngs(): Leaflet.LatLngExpression[][][] {
  return LAND.map((polygon) =>
    polygon.map((ring) => {
      const out: Leaflet.LatLngExpression[] = [];
      for (let i = 0; i + 1 < ring.length; i += 2) out.push([ring[i + 1], ring[i]]);
      return out;
    }),
  );
}

export function addBackground(L: LeafletApi, map: Leaflet.Map, tileUrl: string | null): void {
  // Own panes: the land under everything (tiles sit at 200), the grid over tiles but under the data (400).
  map.createPane('pixie-land').style.zIndex = '150';
  map.createPane('pixie-graticule').style.zIndex = '250';
  for (const name of ['pixie-land', 'pixie-graticule']) map.getPane(name)?.classList.add('leaflet-pane-noevents');

  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
    const attribution = new L.Control({ position: 'bottomright' });
    attribution.onAdd = () => {
      const box = document.createElement('div');
      box.className = 'leaflet-control-attribution map-attribution';
      box.textContent = `Tiles: ${tileHost(tileUrl)}`;
      return box;
    };
    attribution.addTo(map);
  } else {
    const land = L.polygon(landLatLngs(), { renderer: L.svg({ pane: 'pixie-land' }), className: 'map-land', interactive: false, smoothFactor: 0.5 });
    const showLand = (): void => {
      const wanted = map.getZoom() <= OUTLINE_MAX_ZOOM;
      if (wanted && !map.hasLayer(land)) land.addTo(map);
      else if (!wanted && map.hasLayer(land)) land.remove();
    };
    map.on('zoomend', showLand);
    map.whenReady(showLand);
  }

  const grid = L.polyline([], { renderer: L.svg({ pane: 'pixie-graticule' }), className: 'map-graticule', interactive: false, weight: 1 });
  const redrawGrid = (): void => {
    const view = map.getBounds();
    const latSpan = view.getNorth() - view.getSouth();
    const lngSpan = view.getEast() - view.getWest();
    if (!(latSpan > 0) || !(lngSpan > 0)) return;
    const padded = view.pad(0.5);
    const step = graticuleStep(Math.min(latSpan, lngSpan), 4);
    const lines = graticuleLines({ south: padded.getSouth(), west: padded.getWest(), north: padded.getNorth(), east: padded.getEast() }, step);
    grid.setLatLngs(lines.map((line) => line.map((p): Leaflet.LatLngTuple => [p.lat, p.lng])));
  };
  grid.addTo(map);
  map.on('moveend zoomend resize', redrawGrid);
  map.whenReady(redrawGrid);
}
