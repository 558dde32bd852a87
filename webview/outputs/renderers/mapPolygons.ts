// map_polygons: `{polygons: [{coords: [[lat, lng], …], colour?, label?}]}` (or a bare list; coords may be rings with
// holes, `{lat, lng}` items or a GeoJSON geometry), or a GeoJSON FeatureCollection / Feature with label/name and
// colour properties. Filled shapes with text-only popups, fitted to the data.
import { seriesColours } from '../../maps/colour';
import { drawShapes } from '../../maps/draw';
import { count, renderMapOutput, skippedNote, type MapOutputKind } from '../../maps/outputMap';
import { dataList } from '../../maps/popup';
import { parsePolygons, shapePoints, type AreasData } from '../../maps/shapes';
import type { Shapes } from '../../maps/geojson';
import { registerOutput } from '../registry';

/** "2 polygons, 1 line" for the text list. */
export function shapeSummary(shapes: Shapes): string {
  const parts: string[] = [];
  if (shapes.polygons.length > 0) parts.push(count(shapes.polygons.length, 'polygon'));
  if (shapes.lines.length > 0) parts.push(count(shapes.lines.length, 'line'));
  if (shapes.points.length > 0) parts.push(count(shapes.points.length, 'point'));
  const vertices = shapePoints(shapes).length;
  return `${parts.join(', ')} (${count(vertices, 'vertex', 'vertices')})`;
}

export const polygonsKind: MapOutputKind<AreasData> = {
  type: 'map_polygons',
  expected: '{"polygons": [{"coords": [[lat, lng], …]}]} or GeoJSON',
  parse: parsePolygons,
  draw(view, data) {
    const renderer = view.renderer(data.areas.length);
    const palette = seriesColours();
    data.areas.forEach((area, i) => {
      const colour = area.colour ?? palette[i % palette.length];
      drawShapes(view, area.shapes, { colour, fillOpacity: 0.3, weight: 2, renderer }, { title: area.label, details: area.details, tooltip: area.label });
    });
  },
  extent: (data) => data.areas.flatMap((a) => shapePoints(a.shapes)),
  status: (data) => `${count(data.areas.length, 'shape')} on the map.${skippedNote(data.skipped)}`,
  list: (data) =>
    dataList(`Shapes as a list (${data.areas.length})`, ['#', 'Label', 'Shape', 'Details'], data.areas, (a, i) => [
      String(i + 1),
      a.label ?? '',
      shapeSummary(a.shapes),
      a.details.map(([k, v]) => `${k}: ${v}`).join('; '),
    ]),
};

registerOutput({
  type: 'map_polygons',
  render(value, spec) {
    return renderMapOutput(polygonsKind, value, spec.label);
  },
});
