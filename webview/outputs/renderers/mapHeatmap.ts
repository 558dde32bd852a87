// map_heatmap: `{points: [{lat, lng|lon, weight?}]}` (or a bare list, `[lat, lng, weight?]` items) drawn without a
// plugin: each point a translucent circle sized to the data's spacing, coloured and made more opaque by its weight,
// so overlapping cells add up to a heat surface. A legend gives the weight range.
import { formatLatLng } from '../../maps/coords';
import { rampColour, themeColour } from '../../maps/colour';
import { tuple } from '../../maps/draw';
import { heatOpacity, heatRadius, typicalSpacing } from '../../maps/heat';
import { count, renderMapOutput, skippedNote, type MapOutputKind } from '../../maps/outputMap';
import { dataList, popupContent } from '../../maps/popup';
import { heatLevel, parseHeat, type HeatData } from '../../maps/shapes';
import { el } from '../../dom';
import { registerOutput } from '../registry';

function heatStops(): string[] {
  return [themeColour('--vscode-charts-blue', '#3794ff'), themeColour('--vscode-charts-yellow', '#cca700'), themeColour('--vscode-charts-red', '#f14c4c')];
}

function formatWeight(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

export const heatKind: MapOutputKind<HeatData> = {
  type: 'map_heatmap',
  expected: '{"points": [{"lat": …, "lng": …, "weight": …}]}',
  parse: parseHeat,
  draw(view, data) {
    const renderer = view.renderer(data.cells.length);
    const stops = heatStops();
    const radius = heatRadius(typicalSpacing(data.cells.map((c) => c.at)));
    for (const cell of data.cells) {
      const level = heatLevel(cell.weight, data.min, data.max);
      const colour = rampColour(stops, level);
      const style = { renderer, stroke: false, fillColor: colour, fillOpacity: heatOpacity(level) };
      // One point (or all in one place) has no spacing to size by: a fixed on-screen circle instead.
      const layer = radius > 0 ? view.L.circle(tuple(cell.at), { ...style, radius }) : view.L.circleMarker(tuple(cell.at), { ...style, radius: 14 });
      layer.bindPopup(() => popupContent(undefined, [['weight', formatWeight(cell.weight)]], cell.at), { maxWidth: 240 });
      layer.addTo(view.layers);
    }
  },
  extent: (data) => data.cells.map((c) => c.at),
  status: (data) => `${count(data.cells.length, 'point')} on the map${data.cells.length > 0 ? `, weights ${formatWeight(data.min)} to ${formatWeight(data.max)}` : ''}.${skippedNote(data.skipped)}`,
  legend(data) {
    if (data.cells.length === 0) return null;
    const bar = el('div', { className: 'map-legend-bar', attrs: { 'aria-hidden': 'true' } });
    bar.style.background = `linear-gradient(to right, ${heatStops().join(', ')})`;
    return el(
      'div',
      { className: 'map-legend', attrs: { role: 'group', 'aria-label': 'Legend' } },
      el('span', { className: 'map-legend-end', text: formatWeight(Math.min(0, data.min)) }),
      bar,
      el('span', { className: 'map-legend-end', text: formatWeight(data.max) }),
    );
  },
  list: (data) =>
    dataList(
      `Points as a list (${data.cells.length})`,
      ['#', 'Lat, lng', 'Weight'],
      data.cells,
      (c, i) => [String(i + 1), formatLatLng(c.at), formatWeight(c.weight)],
    ),
};

registerOutput({
  type: 'map_heatmap',
  render(value, spec) {
    return renderMapOutput(heatKind, value, spec.label);
  },
});
