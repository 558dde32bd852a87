// map_points: markers from `{points: [{lat, lng|lon, label?, colour?, size?, …}]}` (or a bare list, `[lat, lng,
// label?]` items, or GeoJSON points), fitted to the data unless the value says `fit: false`; `default_center` /
// `default_zoom` from tool.json or the value. Labels and other fields show in text-only popups.
import { formatLatLng } from '../../maps/coords';
import { seriesColours, themeColour } from '../../maps/colour';
import { bindText, tuple } from '../../maps/draw';
import { count, renderMapOutput, skippedNote, type MapOutputKind } from '../../maps/outputMap';
import { dataList } from '../../maps/popup';
import { parsePoints, type PointsData } from '../../maps/shapes';
import { registerOutput } from '../registry';

/** Hover labels are worth their cost up to this many markers. */
const TOOLTIP_MAX = 2000;

export const pointsKind: MapOutputKind<PointsData> = {
  type: 'map_points',
  expected: '{"points": [{"lat": …, "lng": …}]}',
  parse: parsePoints,
  draw(view, data) {
    const renderer = view.renderer(data.markers.length);
    const fill = seriesColours()[0];
    const ring = themeColour('--vscode-editor-background', '#1e1e1e');
    const tooltips = data.markers.length <= TOOLTIP_MAX;
    for (const marker of data.markers) {
      const layer = view.L.circleMarker(tuple(marker.at), { renderer, radius: marker.size ?? 6, color: ring, weight: 1.5, fillColor: marker.colour ?? fill, fillOpacity: 0.9 });
      bindText(layer, { title: marker.label, details: marker.details, tooltip: tooltips ? marker.label : undefined }, marker.at);
      layer.addTo(view.layers);
    }
  },
  extent: (data) => data.markers.map((m) => m.at),
  status: (data) => `${count(data.markers.length, 'point')} on the map.${skippedNote(data.skipped)}`,
  list: (data) =>
    dataList(
      `Points as a list (${data.markers.length})`,
      ['#', 'Label', 'Lat, lng', 'Details'],
      data.markers,
      (m, i) => [String(i + 1), m.label ?? '', formatLatLng(m.at), m.details.map(([k, v]) => `${k}: ${v}`).join('; ')],
    ),
  fallback: (data) => ({ center: data.center, zoom: data.zoom, fit: data.fit }),
};

registerOutput({
  type: 'map_points',
  render(value, spec) {
    return renderMapOutput(pointsKind, value, spec.label, { center: spec.default_center ? { lat: spec.default_center[0], lng: spec.default_center[1] } : null, zoom: spec.default_zoom });
  },
});
