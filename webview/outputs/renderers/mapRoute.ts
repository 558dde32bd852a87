// map_route: `{points: [{lat, lng|lon, label?}]}` in order (or a bare list, `[lat, lng]` items, `routes: [{points,
// label?, colour?}]` for several, or GeoJSON lines). A line through the points with the start and end marked,
// labelled waypoints as markers, and the length along the ground.
import { distanceMetres, formatDistance, formatLatLng, type LatLng } from '../../maps/coords';
import { seriesColours, themeColour } from '../../maps/colour';
import { bindText, tuple } from '../../maps/draw';
import { count, renderMapOutput, skippedNote, type MapOutputKind } from '../../maps/outputMap';
import { dataList } from '../../maps/popup';
import { parseRoute, type RouteData } from '../../maps/shapes';
import { registerOutput } from '../registry';

export function routeLength(points: readonly LatLng[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i += 1) total += distanceMetres(points[i - 1], points[i]);
  return total;
}

export const routeKind: MapOutputKind<RouteData> = {
  type: 'map_route',
  expected: '{"points": [{"lat": …, "lng": …}, …]}',
  parse: parseRoute,
  draw(view, data) {
    const L = view.L;
    const palette = seriesColours();
    const start = themeColour('--vscode-charts-green', '#89d185');
    const end = themeColour('--vscode-charts-red', '#f14c4c');
    const ring = themeColour('--vscode-editor-background', '#1e1e1e');
    const renderer = view.renderer(data.routes.reduce((n, r) => n + r.stops.length, 0));
    data.routes.forEach((route, i) => {
      if (route.points.length === 0) return;
      const colour = route.colour ?? palette[i % palette.length];
      const line = L.polyline(route.points.map(tuple), { renderer, color: colour, weight: 4, opacity: 0.9 });
      bindText(line, { title: route.label, details: [['length', formatDistance(routeLength(route.points))], ['points', String(route.points.length)]], tooltip: route.label });
      line.addTo(view.layers);
      for (const stop of route.stops) {
        const marker = L.circleMarker(tuple(stop.at), { renderer, radius: 5, color: ring, weight: 1.5, fillColor: colour, fillOpacity: 1 });
        bindText(marker, { title: stop.label, details: stop.details, tooltip: stop.label }, stop.at);
        marker.addTo(view.layers);
      }
      const ends: [LatLng, string, string][] = [[route.points[0], 'Start', start]];
      if (route.points.length > 1) ends.push([route.points[route.points.length - 1], 'End', end]);
      for (const [at, name, fill] of ends) {
        const marker = L.circleMarker(tuple(at), { renderer, radius: 7, color: ring, weight: 2, fillColor: fill, fillOpacity: 1 });
        const title = route.label ? `${name}: ${route.label}` : name;
        bindText(marker, { title, details: [], tooltip: title }, at);
        marker.addTo(view.layers);
      }
    });
  },
  extent: (data) => data.routes.flatMap((r) => r.points),
  status(data) {
    const points = data.routes.reduce((n, r) => n + r.points.length, 0);
    const length = data.routes.reduce((n, r) => n + routeLength(r.points), 0);
    const what = data.routes.length === 1 ? 'A route' : count(data.routes.length, 'route');
    return `${what} through ${count(points, 'point')}, ${formatDistance(length) || '0 m'} along the ground.${skippedNote(data.skipped, 'point')}`;
  },
  list(data) {
    const rows = data.routes.flatMap((route, r) => {
      const labels = new Map(route.stops.map((stop) => [stop.at, stop.label ?? '']));
      return route.points.map((at, i) => ({ route: r, i, at, label: labels.get(at) ?? '' }));
    });
    const headers = data.routes.length > 1 ? ['Route', '#', 'Lat, lng', 'Label'] : ['#', 'Lat, lng', 'Label'];
    return dataList(`Route points as a list (${rows.length})`, headers, rows, (row) => {
      const cells = [String(row.i + 1), formatLatLng(row.at), row.label];
      return data.routes.length > 1 ? [data.routes[row.route].label ?? String(row.route + 1), ...cells] : cells;
    });
  },
};

registerOutput({
  type: 'map_route',
  render(value, spec) {
    return renderMapOutput(routeKind, value, spec.label);
  },
});
