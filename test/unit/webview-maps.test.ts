// Maps: coordinate parsing and the inputs' value coercion as pure functions (every shape, bad values), the four map
// inputs in a form (read/write round trips, typing, pasting, Clear, add/remove, checks, keyboard placement on the
// map), and the five map outputs (non-empty cards, both value shapes, updates, fallbacks that never throw, and tool
// text that stays text in popups, tooltips and lists). Leaflet runs in happy-dom with its SVG renderer; map size is
// 0 there, so fitting and drawing at real sizes is left to the e2e run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import type { InputSpec, JsonObject, JsonValue, OutputSpec } from '../../src/protocol';
import { FormView } from '../../webview/form/form';
import { inputModuleFor } from '../../webview/form/registry';
import { renderValue } from '../../webview/outputs/area';
import { outputModuleFor, type OutputContext, type OutputView } from '../../webview/outputs/registry';
import { boundsOf, distanceMetres, formatDistance, inRange, latLngOf, latLngList, wrapLongitude } from '../../webview/maps/coords';
import { parseRgb, rampColour, safeColour } from '../../webview/maps/colour';
import { geoJsonFeatures, isGeoJson } from '../../webview/maps/geojson';
import { graticuleLines, graticuleStep, MERCATOR_MAX_LAT } from '../../webview/maps/graticule';
import { heatOpacity, heatRadius, typicalSpacing } from '../../webview/maps/heat';
import { boxCorners, checkPoints, parseCoordinate, parseRows, pointsFromValue, splitPair, valueFromPoints } from '../../webview/maps/inputValues';
import { loadLeaflet } from '../../webview/maps/leaflet';
import { mapTileUrl, setMapTileUrl, tileHost, usableTileTemplate } from '../../webview/maps/settings';
import { heatLevel, parseChoropleth, parseHeat, parsePoints, parsePolygons, parseRoute } from '../../webview/maps/shapes';
import { LAND } from '../../webview/maps/worldOutline';

type FormViewClass = FormView;

const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';

before(async () => {
  await setupDom();
  await loadLeaflet();
});
after(closeDom);

/** Lets Leaflet-dependent parts (created after the cached Leaflet promise resolves) finish. */
async function mapsReady(): Promise<void> {
  await loadLeaflet();
  await settle(0);
  await settle(0);
}

// ---------- pure: coordinates ----------

test('latLngOf: [lat, lng], {lat, lng|lon|long|longitude}, any key case, numeric strings, GeoJSON Point', () => {
  assert.deepEqual(latLngOf([51.5, -0.12]), { lat: 51.5, lng: -0.12 });
  assert.deepEqual(latLngOf([51.5, -0.12, 'extra']), { lat: 51.5, lng: -0.12 });
  assert.deepEqual(latLngOf({ lat: 1, lng: 2 }), { lat: 1, lng: 2 });
  assert.deepEqual(latLngOf({ lat: 1, lon: 2 }), { lat: 1, lng: 2 });
  assert.deepEqual(latLngOf({ latitude: 1, longitude: 2 }), { lat: 1, lng: 2 });
  assert.deepEqual(latLngOf({ Lat: 1, Long: 2 }), { lat: 1, lng: 2 });
  assert.deepEqual(latLngOf({ lat: ' 51.5 ', lng: '-0.12' }), { lat: 51.5, lng: -0.12 });
  assert.deepEqual(latLngOf({ type: 'Point', coordinates: [-0.12, 51.5] }), { lat: 51.5, lng: -0.12 }, 'GeoJSON is [lng, lat]');
});

test('latLngOf: bad values are undefined, never NaN', () => {
  for (const bad of [null, undefined, 42, 'x', '', true, [], [1], ['abc', 1], [1, null], { lat: 1 }, { lat: true, lng: 1 }, { lat: 'Infinity', lng: 1 }, { lat: '', lng: '' }, { type: 'Point', coordinates: [1] }]) {
    assert.equal(latLngOf(bad as JsonValue), undefined, JSON.stringify(bad));
  }
  assert.equal(latLngOf([Number.NaN, 1]), undefined);
});

test('range, wrapping, lists, bounds, distance', () => {
  assert.equal(inRange({ lat: 90, lng: -180 }), true);
  assert.equal(inRange({ lat: 90.0001, lng: 0 }), false);
  assert.equal(inRange({ lat: 0, lng: 180.5 }), false);
  assert.equal(wrapLongitude(190), -170);
  assert.equal(wrapLongitude(-190), 170);
  assert.equal(wrapLongitude(45), 45);
  assert.deepEqual(latLngList([[1, 2], [95, 0], 'x', { lat: 3, lon: 4 }]), { points: [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }], skipped: 2 });
  assert.deepEqual(boundsOf([{ lat: 1, lng: 5 }, { lat: -2, lng: 3 }]), { south: -2, west: 3, north: 1, east: 5 });
  assert.equal(boundsOf([]), undefined);
  const londonParis = distanceMetres({ lat: 51.5074, lng: -0.1278 }, { lat: 48.8566, lng: 2.3522 });
  assert.ok(Math.abs(londonParis - 343_500) < 2_000, String(londonParis));
  assert.equal(formatDistance(850.4), '850 m');
  assert.equal(formatDistance(12_345), '12.3 km');
  assert.equal(formatDistance(Number.NaN), '');
});

// ---------- pure: what the inputs send (reference §3.2) ----------

test('inputs send the original shapes: [lat,lng], [s,w,n,e], [[lat,lng],…]; nothing for no points', () => {
  const pts = [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }, { lat: 5, lng: 6 }];
  assert.deepEqual(valueFromPoints('point', pts), [1, 2]);
  assert.deepEqual(valueFromPoints('bbox', pts), [1, 2, 3, 4]);
  assert.deepEqual(valueFromPoints('polygon', pts), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(valueFromPoints('multipoint', pts.slice(0, 1)), [[1, 2]]);
  for (const kind of ['point', 'bbox', 'polygon', 'multipoint'] as const) assert.equal(valueFromPoints(kind, []), undefined);
  assert.equal(valueFromPoints('bbox', pts.slice(0, 1)), undefined, 'half a box is nothing');
});

test('stored values: every accepted shape per kind, JSON text, and problems for the rest', () => {
  assert.deepEqual(pointsFromValue('point', [51.5, -0.12]), { points: [{ lat: 51.5, lng: -0.12 }] });
  assert.deepEqual(pointsFromValue('point', { lat: 1, lon: 2 }), { points: [{ lat: 1, lng: 2 }] });
  assert.deepEqual(pointsFromValue('point', '[1, 2]'), { points: [{ lat: 1, lng: 2 }] });
  assert.deepEqual(pointsFromValue('point', [[1, 2]]), { points: [{ lat: 1, lng: 2 }] });
  for (const empty of [null, undefined, '']) assert.deepEqual(pointsFromValue('point', empty), { points: [] });
  assert.ok('problem' in pointsFromValue('point', 'abc'));
  assert.ok('problem' in pointsFromValue('point', { x: 1 }));
  assert.ok('problem' in pointsFromValue('point', [1, 2, 3, 4].map(String).join('')));

  assert.deepEqual(pointsFromValue('bbox', [51.4, -0.2, 51.6, 0.1]), { points: [{ lat: 51.4, lng: -0.2 }, { lat: 51.6, lng: 0.1 }] });
  assert.deepEqual(pointsFromValue('bbox', { south: 1, west: 2, north: 3, east: 4 }), { points: [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }] });
  assert.deepEqual(pointsFromValue('bbox', { min_lat: 1, min_lon: 2, max_lat: 3, max_lon: 4 }), { points: [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }] });
  assert.deepEqual(pointsFromValue('bbox', [[1, 2], [3, 4]]), { points: [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }] });
  assert.ok('problem' in pointsFromValue('bbox', [1, 2, 3]));
  assert.ok('problem' in pointsFromValue('bbox', [1, 2, 'x', 4]));

  assert.deepEqual(pointsFromValue('polygon', [[0, 0], [0, 1], [1, 1]]), { points: [{ lat: 0, lng: 0 }, { lat: 0, lng: 1 }, { lat: 1, lng: 1 }] });
  assert.deepEqual(pointsFromValue('polygon', [{ lat: 0, lng: 0 }, { lat: 1, lon: 1 }]), { points: [{ lat: 0, lng: 0 }, { lat: 1, lng: 1 }] });
  const ring = { type: 'Polygon', coordinates: [[[10, 0], [11, 0], [11, 1], [10, 0]]] };
  assert.deepEqual(pointsFromValue('polygon', ring), { points: [{ lat: 0, lng: 10 }, { lat: 0, lng: 11 }, { lat: 1, lng: 11 }] }, 'GeoJSON ring: swapped, closing point dropped');
  assert.deepEqual(pointsFromValue('multipoint', { type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: [[2, 1], [4, 3]] } }), { points: [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }] });
  assert.deepEqual(pointsFromValue('multipoint', [51.5, -0.1]), { points: [{ lat: 51.5, lng: -0.1 }] }, 'a lone [lat, lng] is one point');
  assert.ok('problem' in pointsFromValue('multipoint', [[1, 2], 'x']));
  assert.ok('problem' in pointsFromValue('polygon', 7));
  // A round trip keeps the value exactly (a closed ring written as a list stays closed).
  const closed = [[0, 0], [0, 1], [1, 1], [0, 0]];
  const back = pointsFromValue('polygon', closed);
  assert.ok('points' in back);
  assert.deepEqual(valueFromPoints('polygon', back.points), closed);
});

test('typed coordinates: decimals, exponent, Unicode minus; commas, text and ranges refused with the field named', () => {
  assert.equal(parseCoordinate(' 51.5 '), 51.5);
  assert.equal(parseCoordinate('-0.12'), -0.12);
  assert.equal(parseCoordinate('\u22125'), -5);
  assert.equal(parseCoordinate('1e1'), 10);
  assert.equal(parseCoordinate('.5'), 0.5);
  for (const bad of ['', 'abc', '1,5', '0x10', 'Infinity', '1.2.3', '--1']) assert.equal(parseCoordinate(bad), undefined, bad);

  assert.deepEqual(parseRows('point', [{ lat: '', lng: '' }]), { points: [] });
  assert.equal(parseRows('point', [{ lat: '51', lng: '' }]).problem, 'Longitude: enter a value.');
  assert.equal(parseRows('point', [{ lat: 'abc', lng: '1' }]).problem, 'Latitude: not a number.');
  assert.equal(parseRows('point', [{ lat: '91', lng: '1' }]).problem, 'Latitude: must be between -90 and 90.');
  assert.equal(parseRows('point', [{ lat: '1', lng: '-181' }]).problem, 'Longitude: must be between -180 and 180.');
  assert.equal(parseRows('bbox', [{ lat: '1', lng: '2' }, { lat: '', lng: '4' }]).problem, 'North: enter a value.');
  const list = parseRows('polygon', [{ lat: '1', lng: '2' }, { lat: '', lng: '' }, { lat: '3', lng: '4' }]);
  assert.deepEqual(list, { points: [{ lat: 1, lng: 2 }, { lat: 3, lng: 4 }], problem: undefined }, 'blank list rows are ignored');
  assert.equal(parseRows('multipoint', [{ lat: '1', lng: '2' }, { lat: '3', lng: '' }]).problem, 'Point 2: longitude: enter a value (or remove the point).');
});

test('value rules: polygon size, box order, ranges; pairs pasted; corners in any order', () => {
  assert.equal(checkPoints('polygon', [{ lat: 0, lng: 0 }, { lat: 1, lng: 1 }]), 'A polygon needs at least 3 points (it has 2).');
  assert.equal(checkPoints('polygon', [{ lat: 0, lng: 0 }, { lat: 1, lng: 1 }, { lat: 1, lng: 0 }]), undefined);
  assert.equal(checkPoints('multipoint', [{ lat: 0, lng: 0 }]), undefined);
  assert.equal(checkPoints('bbox', [{ lat: 5, lng: 0 }, { lat: 1, lng: 4 }]), 'South must not be north of North.');
  assert.match(checkPoints('bbox', [{ lat: 0, lng: 5 }, { lat: 1, lng: 4 }]) ?? '', /West must not be east of East/);
  assert.match(checkPoints('point', [{ lat: 100, lng: 0 }]) ?? '', /between -90 and 90/);
  assert.deepEqual(splitPair('51.5, -0.12'), ['51.5', '-0.12']);
  assert.deepEqual(splitPair(' 51.5 -0.12 '), ['51.5', '-0.12']);
  assert.deepEqual(splitPair('51.5;-0.12'), ['51.5', '-0.12']);
  for (const bad of ['51.5', 'a, b', '1, 2, 3', '']) assert.equal(splitPair(bad), undefined, bad);
  assert.deepEqual(boxCorners({ lat: 5, lng: 9 }, { lat: 1, lng: 2 }), [{ lat: 1, lng: 2 }, { lat: 5, lng: 9 }]);
});

// ---------- pure: output values ----------

test('map_points values: {points}, bare list, [lat,lng,label] items, GeoJSON, {value} wrapper; bad items counted', () => {
  const data = parsePoints({ points: [{ lat: 51.5, lng: -0.1, label: 'London', colour: '#ff0000', size: 9, population: 9_000_000 }, { lat: 95, lng: 0 }, 'x'], default_center: [10, 20], zoom: 4, fit: false });
  assert.ok(data);
  assert.equal(data.markers.length, 1);
  assert.deepEqual(data.markers[0], { at: { lat: 51.5, lng: -0.1 }, label: 'London', colour: '#ff0000', size: 9, details: [['population', '9000000']] });
  assert.equal(data.skipped, 2);
  assert.deepEqual(data.center, { lat: 10, lng: 20 });
  assert.equal(data.zoom, 4);
  assert.equal(data.fit, false);
  assert.equal(parsePoints([[1, 2, 'A'], { lat: 3, lon: 4 }])?.markers.map((m) => m.label).join(), 'A,');
  assert.equal(parsePoints({ value: [[1, 2]] })?.markers.length, 1);
  const geo = parsePoints({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'P', color: 'red' }, geometry: { type: 'Point', coordinates: [2, 1] } }] });
  assert.deepEqual(geo?.markers[0].at, { lat: 1, lng: 2 });
  assert.equal(geo?.markers[0].label, 'P');
  assert.equal(geo?.markers[0].colour, 'red');
  assert.equal(parsePoints({ points: [{ lat: 1, lng: 2, colour: 'url(javascript:alert(1))' }] })?.markers[0].colour, undefined, 'unsafe colours dropped');
  assert.deepEqual(parsePoints({ points: [] })?.markers, []);
  for (const bad of [null, 42, 'x', { foo: 1 }, { points: 'x' }, true] as JsonValue[]) assert.equal(parsePoints(bad), undefined, JSON.stringify(bad));
});

test('map_heatmap values: weights (default 1, any of weight/value/intensity), [lat,lng,w], range and levels', () => {
  const data = parseHeat({ points: [{ lat: 1, lng: 2, weight: 4 }, { lat: 1, lon: 3 }, [2, 2, 0.5], { lat: 1, lng: 1, value: 'abc' }, { lat: 'x', lng: 1 }] });
  assert.ok(data);
  assert.deepEqual(data.cells.map((c) => c.weight), [4, 1, 0.5, 1]);
  assert.equal(data.skipped, 1);
  assert.equal(data.min, 0.5);
  assert.equal(data.max, 4);
  assert.equal(heatLevel(4, 0.5, 4), 1);
  assert.equal(heatLevel(2, 0, 4), 0.5);
  assert.equal(heatLevel(3, 3, 3), 1, 'all equal: full level');
  assert.equal(heatLevel(-1, -1, 1), 0);
  assert.deepEqual(parseHeat([]), { cells: [], skipped: 0, min: 0, max: 0 });
  assert.equal(parseHeat({ nope: [] }), undefined);
});

test('map_polygons values: coords rings (holes), {lat,lng} items, GeoJSON (Multi)Polygon, {geojson}; bad parts counted', () => {
  const data = parsePolygons({ polygons: [
    { coords: [[0, 0], [0, 1], [1, 1]], label: 'A', colour: '#00ff00', area_km2: 12 },
    { coords: [[[0, 0], [0, 10], [10, 10], [10, 0]], [[2, 2], [2, 3], [3, 3]]] },
    { coordinates: [{ lat: 5, lng: 5 }, { lat: 5, lon: 6 }, { lat: 6, lng: 6 }] },
    { coords: [[0, 0], [1, 1]] },
    { label: 'no coords' },
  ] });
  assert.ok(data);
  assert.equal(data.areas.length, 3);
  assert.equal(data.areas[0].label, 'A');
  assert.deepEqual(data.areas[0].details, [['area_km2', '12']]);
  assert.equal(data.areas[1].shapes.polygons[0].length, 2, 'outline and hole');
  assert.ok(data.skipped >= 2);
  const geo = parsePolygons({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'M' }, geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] } }] });
  assert.equal(geo?.areas[0].shapes.polygons.length, 2);
  assert.equal(geo?.areas[0].label, 'M');
  assert.equal(parsePolygons({ geojson: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } })?.areas.length, 1);
  assert.equal(parsePolygons([[[0, 0], [0, 1], [1, 1]]])?.areas.length, 1, 'a bare list of coordinate lists');
  assert.equal(parsePolygons('x'), undefined);
});

test('map_route values: {points}, bare list, labelled waypoints, several routes, GeoJSON lines', () => {
  const one = parseRoute({ points: [{ lat: 0, lng: 0, label: 'Depot' }, { lat: 0, lon: 1 }, [1, 1], 'bad'] });
  assert.ok(one);
  assert.equal(one.routes.length, 1);
  assert.equal(one.routes[0].points.length, 3);
  assert.deepEqual(one.routes[0].stops.map((s) => s.label), ['Depot']);
  assert.equal(one.skipped, 1);
  assert.equal(parseRoute([[0, 0], [1, 1]])?.routes[0].points.length, 2);
  const many = parseRoute({ routes: [{ label: 'A', points: [[0, 0], [1, 1]] }, { label: 'B', colour: 'blue', path: [[2, 2], [3, 3]] }, 'junk'] });
  assert.deepEqual(many?.routes.map((r) => r.label), ['A', 'B']);
  assert.equal(many?.routes[1].colour, 'blue');
  assert.equal(many?.skipped, 1);
  const geo = parseRoute({ type: 'Feature', properties: { name: 'Line' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] } });
  assert.equal(geo?.routes[0].points.length, 3);
  assert.equal(parseRoute({ nothing: 1 }), undefined);
});

const SQUARES: { type: string; features: JsonObject[] } = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'A', properties: { name: 'Alpha' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } },
    { type: 'Feature', properties: { name: 'Beta', code: 'B' }, geometry: { type: 'Polygon', coordinates: [[[2, 0], [3, 0], [3, 1], [2, 0]]] } },
    { type: 'Feature', properties: { name: 'Gamma' }, geometry: { type: 'Polygon', coordinates: [[[4, 0], [5, 0], [5, 1], [4, 0]]] } },
  ],
};

test('map_choropleth values: {geojson, values} matched by id, id-like or any property; list values; own values; unmatched keys', () => {
  const data = parseChoropleth({ geojson: SQUARES, values: { A: 10, B: 30, Zeta: 5, bad: 'x' } });
  assert.ok(data);
  assert.deepEqual(data.regions.map((r) => [r.label, r.key, r.value]), [['Alpha', 'A', 10], ['Beta', 'B', 30], ['Gamma', 'Gamma', null]]);
  assert.equal(data.min, 10);
  assert.equal(data.max, 30);
  assert.deepEqual(data.unmatched, ['Zeta']);
  const byName = parseChoropleth({ geojson: JSON.stringify(SQUARES), values: [{ name: 'Gamma', value: 7 }, { id: 'A', value: 1 }] });
  assert.deepEqual(byName?.regions.map((r) => r.value), [1, null, 7]);
  const own = parseChoropleth({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'X', value: 3 }, geometry: SQUARES.features[0].geometry }] });
  assert.equal(own?.regions[0].value, 3);
  assert.equal(parseChoropleth({ geojson: 'not json', values: {} }), undefined);
  assert.equal(parseChoropleth({ values: { a: 1 } }), undefined);
});

test('GeoJSON: every geometry type, GeometryCollection, bad positions counted, non-GeoJSON refused', () => {
  const features = geoJsonFeatures({ type: 'GeometryCollection', geometries: [
    { type: 'Point', coordinates: [1, 2] },
    { type: 'MultiPoint', coordinates: [[1, 2], [200, 0]] },
    { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
    { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[5, 5]]] },
    { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
    { type: 'Unknown' },
  ] });
  assert.ok(features);
  const shapes = features[0].shapes;
  assert.equal(shapes.points.length, 2);
  assert.equal(shapes.lines.length, 2);
  assert.equal(shapes.polygons.length, 1);
  assert.ok(shapes.skipped >= 3, String(shapes.skipped));
  assert.equal(isGeoJson({ type: 'FeatureCollection', features: [] }), true);
  assert.equal(isGeoJson({ type: 'Nope' }), false);
  assert.equal(geoJsonFeatures({ type: 'FeatureCollection', features: 'x' }), undefined);
  assert.equal(geoJsonFeatures([1, 2]), undefined);
});

// ---------- pure: colours, graticule, heat sizing, outline, settings ----------

test('colours: only plain CSS colours from tools; ramps and hex parsing', () => {
  for (const ok of ['#fff', '#A1B2C3', '#11223344', 'rgb(1, 2, 3)', 'rgba(1,2,3,0.5)', 'hsl(120deg 50% 50%)', 'red']) assert.equal(safeColour(ok), ok, ok);
  for (const bad of ['url(x)', 'var(--x)', '<img src=x>', 'expression(alert(1))', 'red;background:url(x)', '#ggg', '', 42, null]) assert.equal(safeColour(bad), undefined, String(bad));
  assert.deepEqual(parseRgb('#abc'), [170, 187, 204]);
  assert.deepEqual(parseRgb('rgb(10, 20, 300)'), [10, 20, 255]);
  assert.equal(parseRgb('red'), undefined);
  assert.equal(rampColour(['#000000', '#ffffff'], 0.5), '#808080');
  assert.equal(rampColour(['#000000', '#ff0000', '#ffffff'], 1), '#ffffff');
  assert.equal(rampColour(['#000000', '#ffffff'], -3), '#000000');
});

test('graticule: round steps for the span, lines inside the view and Mercator limits, capped', () => {
  assert.equal(graticuleStep(360), 30);
  assert.equal(graticuleStep(1, 4), 0.25);
  assert.equal(graticuleStep(0), 30);
  assert.equal(graticuleStep(Number.NaN), 30);
  const lines = graticuleLines({ south: -10, west: -10, north: 10, east: 10 }, 5);
  assert.equal(lines.length, 10, 'five meridians and five parallels');
  const world = graticuleLines({ south: -90, west: -180, north: 90, east: 180 }, 30);
  assert.ok(world.every((line) => line.every((p) => Math.abs(p.lat) <= MERCATOR_MAX_LAT)));
  assert.equal(graticuleLines({ south: 0, west: 0, north: 80, east: 360 }, 0.0001, 50).length, 50);
  assert.deepEqual(graticuleLines({ south: 5, west: 0, north: 5, east: 1 }, 1), [], 'a zero-height view has no lines');
});

test('heat sizing: the typical gap of a grid, none for one point, bounded radius and opacity', () => {
  const grid = [];
  for (let i = 0; i < 20; i += 1) for (let j = 0; j < 20; j += 1) grid.push({ lat: i * 0.1, lng: j * 0.1 });
  const spacing = typicalSpacing(grid);
  assert.ok(Math.abs(spacing - 11_132) < 800, String(spacing));
  assert.equal(typicalSpacing([{ lat: 1, lng: 1 }]), 0);
  assert.equal(typicalSpacing([{ lat: 1, lng: 1 }, { lat: 1, lng: 1 }]), 0, 'all in one place');
  assert.equal(heatRadius(0), 0);
  assert.equal(heatRadius(1), 5);
  assert.equal(heatRadius(1e9), 500_000);
  assert.ok(heatOpacity(0) > 0 && heatOpacity(1) < 1 && heatOpacity(2) === heatOpacity(1));
});

test('land outline: small, valid rings within range', () => {
  const numbers = LAND.flat(2).length;
  assert.ok(numbers > 500 && numbers < 4000, String(numbers));
  for (const polygon of LAND) {
    for (const ring of polygon) {
      assert.equal(ring.length % 2, 0);
      assert.ok(ring.length >= 6, 'at least three points');
      for (let i = 0; i < ring.length; i += 2) assert.ok(inRange({ lng: ring[i], lat: ring[i + 1] }), `${ring[i]},${ring[i + 1]}`);
    }
  }
});

test('tile setting (webview side): http(s) templates with {z}/{x}/{y} only; host for the attribution', () => {
  assert.equal(usableTileTemplate(' https://tile.example.org/{z}/{x}/{y}.png '), 'https://tile.example.org/{z}/{x}/{y}.png');
  for (const bad of [null, undefined, '', 'tile.example.org/{z}/{x}/{y}', 'javascript:alert(1)//{z}{x}{y}', 'https://x.org/{z}/{x}.png', 'file:///tiles/{z}/{x}/{y}.png']) {
    assert.equal(usableTileTemplate(bad), null, String(bad));
  }
  assert.equal(tileHost('https://{s}.tile.example.org/{z}/{x}/{y}.png'), 'tile.example.org');
  setMapTileUrl('ftp://x/{z}/{x}/{y}');
  assert.equal(mapTileUrl(), null);
});

// ---------- inputs in a form ----------

function inputSpecs(inputs: Record<string, unknown>[]): InputSpec[] {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs, outputs: [] }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.inputs;
}

function makeForm(inputs: Record<string, unknown>[]): FormViewClass {
  const form = new FormView(inputSpecs(inputs), { locale: 'en-US' });
  document.body.appendChild(form.element);
  return form;
}

function coordFields(form: FormViewClass, key: string): HTMLInputElement[] {
  return [...form.element.querySelectorAll<HTMLInputElement>(`[data-key="${key}"] input.map-coord`)];
}

function typeIn(input: HTMLInputElement, text: string): void {
  input.value = text;
  fire(input, 'input');
}

function press(target: EventTarget, key: string): void {
  const KeyboardEventClass = (globalThis as unknown as { window: { KeyboardEvent: typeof KeyboardEvent } }).window.KeyboardEvent;
  target.dispatchEvent(new KeyboardEventClass('keydown', { key, bubbles: true, cancelable: true }));
}

function clickButton(form: FormViewClass, key: string, selector: string): void {
  const button = form.element.querySelector<HTMLElement>(`[data-key="${key}"] ${selector}`);
  assert.ok(button, selector);
  button.click();
}

test('the four map inputs have modules and fields labelled for assistive technology', () => {
  for (const type of ['map_point', 'map_bbox', 'map_polygon', 'map_multipoint'] as const) assert.ok(inputModuleFor(type), type);
  const form = makeForm([{ key: 'p', label: 'Place', type: 'map_point', required: false }, { key: 'b', label: 'Box', type: 'map_bbox', required: false }]);
  const names = [...coordFields(form, 'p'), ...coordFields(form, 'b')].map((f) => f.getAttribute('aria-label'));
  assert.deepEqual(names, ['Latitude', 'Longitude', 'South', 'West', 'North', 'East']);
  const label = form.element.querySelector('[data-key="p"] vscode-label');
  assert.equal(label?.getAttribute('for'), coordFields(form, 'p')[0].id, 'the field label points at the first coordinate');
  assert.ok(form.element.querySelector('[data-key="p"] .map-status')?.textContent?.includes('Click the map'));
});

test('map_point: default shown and sent as [lat, lng]; typing, pasting a pair, range and text errors, Clear', () => {
  const form = makeForm([{ key: 'p', label: 'Place', type: 'map_point', default: [51.5, -0.12] }]);
  assert.deepEqual(form.values(), { p: [51.5, -0.12] });
  const [lat, lng] = coordFields(form, 'p');
  assert.equal(lat.value, '51.5');
  assert.equal(lng.value, '-0.12');
  typeIn(lat, '40.7, -74.01');
  assert.deepEqual(form.values(), { p: [40.7, -74.01] }, 'a pasted pair fills both fields');
  typeIn(lat, '95');
  assert.deepEqual(form.validate(), { p: 'Latitude: must be between -90 and 90.' });
  assert.deepEqual(form.values(), {}, 'an invalid point is not sent');
  typeIn(lat, 'north');
  assert.deepEqual(form.validate(), { p: 'Latitude: not a number.' });
  typeIn(lat, '10');
  assert.deepEqual(form.validate(), {});
  clickButton(form, 'p', '.map-clear');
  assert.equal(lat.value + lng.value, '');
  assert.deepEqual(form.values(), {});
  assert.deepEqual(form.validate(), { p: 'Required.' });
  form.setValues({ p: { lat: 1, lon: 2 } });
  assert.deepEqual(form.values(), { p: [1, 2] }, 'replay of another stored shape is sent in the original shape');
});

test('map_bbox: [south, west, north, east] round trip, other stored shapes, reversed edges refused', () => {
  const form = makeForm([{ key: 'b', label: 'Box', type: 'map_bbox', default: [51.4, -0.2, 51.6, 0.1] }]);
  assert.deepEqual(form.values(), { b: [51.4, -0.2, 51.6, 0.1] });
  form.setValues({ b: { south: 1, west: 2, north: 3, east: 4 } });
  assert.deepEqual(form.values(), { b: [1, 2, 3, 4] });
  const [south, , north] = coordFields(form, 'b');
  typeIn(south, '5');
  assert.deepEqual(form.validate(), { b: 'South must not be north of North.' });
  typeIn(north, '');
  assert.deepEqual(form.validate(), { b: 'North: enter a value.' });
  typeIn(north, '6');
  assert.deepEqual(form.validate(), {});
  assert.deepEqual(form.values(), { b: [5, 2, 6, 4] });
});

test('map_polygon: rows per corner, Add/Remove, blank rows ignored, at least three corners, GeoJSON replay', () => {
  const form = makeForm([{ key: 'g', label: 'Area', type: 'map_polygon', default: [[0, 0], [0, 1], [1, 1]] }]);
  assert.deepEqual(form.values(), { g: [[0, 0], [0, 1], [1, 1]] });
  assert.equal(coordFields(form, 'g').length, 6);
  assert.deepEqual(coordFields(form, 'g').map((f) => f.getAttribute('aria-label')).slice(0, 2), ['Point 1 latitude', 'Point 1 longitude']);
  clickButton(form, 'g', '.map-add');
  assert.equal(coordFields(form, 'g').length, 8);
  assert.deepEqual(form.values(), { g: [[0, 0], [0, 1], [1, 1]] }, 'the new blank row sends nothing');
  const fields = coordFields(form, 'g');
  typeIn(fields[6], '1');
  typeIn(fields[7], '0');
  assert.deepEqual(form.values(), { g: [[0, 0], [0, 1], [1, 1], [1, 0]] });
  const removes = form.element.querySelectorAll<HTMLElement>('[data-key="g"] .map-remove');
  assert.equal(removes[0].getAttribute('aria-label'), 'Remove point 1');
  removes[0].click();
  removes[2].click();
  assert.deepEqual(form.values(), { g: [[0, 1], [1, 0]] });
  assert.deepEqual(form.validate(), { g: 'A polygon needs at least 3 points (it has 2).' });
  form.setValues({ g: { type: 'Polygon', coordinates: [[[10, 50], [11, 50], [11, 51], [10, 50]]] } });
  assert.deepEqual(form.values(), { g: [[50, 10], [50, 11], [51, 11]] });
  clickButton(form, 'g', '.map-clear');
  assert.deepEqual(form.validate(), { g: 'Required.' });
});

test('map_multipoint: any number of points; a stored value that fits no shape is reported, not sent', () => {
  const form = makeForm([{ key: 'm', label: 'Stops', type: 'map_multipoint', required: false }]);
  assert.deepEqual(form.values(), {});
  assert.deepEqual(form.validate(), {});
  form.setValues({ m: [[1, 2], { lat: 3, lng: 4 }] });
  assert.deepEqual(form.values(), { m: [[1, 2], [3, 4]] });
  form.setValues({ m: 'not a place' });
  assert.deepEqual(form.values(), {});
  assert.match(form.element.querySelector('[data-key="m"] .map-status')?.textContent ?? '', /could not be shown \(expected \[\[lat, lng\], …\], got text\)/);
  form.setValues({ m: XSS });
  assert.equal(form.element.querySelectorAll('[data-key="m"] img, [data-key="m"] script').length, 0);
});

test('map inputs with Leaflet: the map appears, handles per point, Enter on the focused map places its centre', async () => {
  const form = makeForm([
    { key: 'p', label: 'Place', type: 'map_point', required: false, default_center: [48.85, 2.35], default_zoom: 11 },
    { key: 'b', label: 'Box', type: 'map_bbox', required: false },
    { key: 'm', label: 'Stops', type: 'map_multipoint', default: [[1, 2], [3, 4]] },
  ]);
  await mapsReady();
  for (const key of ['p', 'b', 'm']) assert.ok(form.element.querySelector(`[data-key="${key}"] .leaflet-container`), `${key} has a map`);
  assert.equal(form.element.querySelectorAll('[data-key="m"] .map-handle').length, 2, 'one handle per point');
  assert.equal(form.element.querySelectorAll('[data-key="m"] .map-handle img').length, 0, 'handles are DOM, not marker images');
  assert.equal(form.element.querySelector('[data-key="m"] .map-canvas')?.getAttribute('aria-label'), 'Stops: map');

  const pointMap = form.element.querySelector<HTMLElement>('[data-key="p"] .map-canvas');
  assert.ok(pointMap);
  press(pointMap, 'Enter');
  const placed = form.values().p;
  assert.ok(Array.isArray(placed) && placed.length === 2, JSON.stringify(placed));
  assert.ok(Math.abs(Number(placed[0]) - 48.85) < 1 && Math.abs(Number(placed[1]) - 2.35) < 1, `default centre: ${JSON.stringify(placed)}`);
  assert.equal(form.element.querySelectorAll('[data-key="p"] .map-handle').length, 1);

  const boxMap = form.element.querySelector<HTMLElement>('[data-key="b"] .map-canvas');
  assert.ok(boxMap);
  press(boxMap, 'Enter');
  assert.deepEqual(form.values().b, undefined, 'one corner is not a box yet');
  assert.match(form.element.querySelector('[data-key="b"] .map-status')?.textContent ?? '', /opposite corner/);
  press(boxMap, 'Escape');
  assert.match(form.element.querySelector('[data-key="b"] .map-status')?.textContent ?? '', /Click two opposite corners/);
  press(boxMap, 'Enter');
  press(boxMap, 'Enter');
  const box = form.values().b;
  assert.ok(Array.isArray(box) && box.length === 4 && box.every((n) => typeof n === 'number'), JSON.stringify(box));

  const multiMap = form.element.querySelector<HTMLElement>('[data-key="m"] .map-canvas');
  assert.ok(multiMap);
  press(multiMap, 'Enter');
  assert.equal((form.values().m as JsonValue[]).length, 3, 'Enter adds a point');
  assert.equal(form.element.querySelectorAll('[data-key="m"] .map-handle').length, 3);
});

// ---------- outputs ----------

function outputSpec(type: string, extra: Record<string, unknown> = {}): OutputSpec {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs: [{ key: 'out', label: 'Out', type, ...extra }] }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.outputs[0];
}

const ctx: OutputContext = {
  locale: 'en-US',
  request: (() => Promise.reject(new Error('no host'))) as OutputContext['request'],
  notify: () => undefined,
};

function show(type: string, value: JsonValue, extra: Record<string, unknown> = {}): OutputView {
  const view = renderValue(outputSpec(type, extra), value, ctx);
  document.body.appendChild(view.element);
  return view;
}

function statusOf(view: OutputView): string {
  return view.element.querySelector('.map-status')?.textContent ?? '';
}

function mouse(target: Element, type: string): void {
  const MouseEventClass = (globalThis as unknown as { window: { MouseEvent: typeof MouseEvent } }).window.MouseEvent;
  target.dispatchEvent(new MouseEventClass(type, { bubbles: true, clientX: 5, clientY: 5 }));
}

/** Opens every data layer's popup and tooltip in turn and returns their text; asserts no markup came through. */
function popupTexts(view: OutputView): string[] {
  const texts: string[] = [];
  for (const path of view.element.querySelectorAll('path.leaflet-interactive')) {
    mouse(path, 'mouseover');
    mouse(path, 'click');
    for (const box of view.element.querySelectorAll('.leaflet-popup-content, .leaflet-tooltip')) texts.push(box.textContent ?? '');
  }
  assert.equal(view.element.querySelectorAll('.leaflet-popup-content img, .leaflet-popup-content script, .leaflet-tooltip img, .leaflet-tooltip script').length, 0, 'no markup from the tool');
  return texts;
}

const SAMPLES: Record<string, JsonValue> = {
  map_points: { points: [{ lat: 51.5, lng: -0.12, label: XSS, note: XSS }, { lat: 48.85, lon: 2.35, label: 'Paris' }] },
  map_heatmap: { points: [{ lat: 51.5, lng: -0.1, weight: 3 }, { lat: 51.6, lng: -0.1, weight: 1 }, [51.55, -0.2, 2]] },
  map_choropleth: { geojson: { ...SQUARES, features: SQUARES.features.map((f, i) => (i === 0 ? { ...f, properties: { name: XSS } } : f)) }, values: { A: 1, B: 2 } },
  map_polygons: { polygons: [{ coords: [[0, 0], [0, 1], [1, 1]], label: XSS }, { coords: [[2, 2], [2, 3], [3, 3]], colour: 'url(javascript:alert(1))' }] },
  map_route: { points: [{ lat: 0, lng: 0, label: XSS }, { lat: 0, lng: 1 }, { lat: 1, lng: 1 }] },
};

test('every map output type has a module and renders a non-empty card with a map, a status line and a text list', async () => {
  for (const type of Object.keys(SAMPLES)) assert.ok(outputModuleFor(type), type);
  const views = Object.entries(SAMPLES).map(([type, value]) => [type, show(type, value)] as const);
  await mapsReady();
  for (const [type, view] of views) {
    assert.ok((view.element.textContent ?? '').trim().length > 0, `${type} card not blank`);
    assert.ok(view.element.querySelector('.leaflet-container'), `${type} has a Leaflet map`);
    assert.ok(view.element.querySelectorAll('path.leaflet-interactive').length > 0, `${type} drew data`);
    assert.equal(view.element.querySelectorAll('.leaflet-tile-container img').length, 0, `${type} fetches no tiles`);
    assert.ok(view.element.querySelector('details.map-data table'), `${type} lists its data`);
    assert.ok(statusOf(view).length > 0, `${type} status`);
  }
  const byType = Object.fromEntries(views);
  assert.equal(statusOf(byType.map_points), '2 points on the map.');
  assert.match(statusOf(byType.map_heatmap), /3 points on the map, weights 1 to 3\./);
  assert.match(statusOf(byType.map_choropleth), /3 regions on the map, 1 without a value\./);
  const unmatched = show('map_choropleth', { geojson: SQUARES, values: { A: 1, Q: 2 } });
  assert.match(statusOf(unmatched), /1 value matches no feature: Q\./);
  assert.match(statusOf(byType.map_route), /A route through 3 points, 2\d\d\.\d km along the ground\./);
  assert.equal(statusOf(byType.map_polygons), '2 shapes on the map.');
  assert.ok(byType.map_heatmap.element.querySelector('.map-legend'), 'heat legend');
  assert.deepEqual([...byType.map_choropleth.element.querySelectorAll('.map-legend-end')].map((e) => e.textContent), ['1', '2']);
});

test('tool text stays text: XSS payloads in labels and properties show literally in popups, tooltips and lists', async () => {
  const views = Object.entries(SAMPLES).map(([type, value]) => [type, show(type, value)] as const);
  await mapsReady();
  for (const [type, view] of views) {
    if (type === 'map_heatmap') continue;
    const texts = popupTexts(view);
    assert.ok(texts.some((t) => t.includes('alert(1)')), `${type}: the payload shows as text (${JSON.stringify(texts)})`);
    assert.ok((view.element.querySelector('details.map-data')?.textContent ?? '').includes('<img src=x onerror=alert(1)>'), `${type}: listed as text`);
    assert.equal(view.element.querySelectorAll('img[src="x"], [onerror], script').length, 0, `${type}: nothing injected`);
  }
});

test('map_points: spec default_center/zoom, the value asking not to fit, and an empty list', async () => {
  const centred = show('map_points', { points: [], default_center: [10, 20], zoom: 5 }, { default_center: [1, 2], default_zoom: 3 });
  const unfitted = show('map_points', { points: [[1, 2], [3, 4]], fit: false, center: [40, 40], zoom: 6 });
  await mapsReady();
  assert.equal(statusOf(centred), '0 points on the map.');
  assert.ok(centred.element.querySelector('.leaflet-container'));
  assert.equal(unfitted.element.querySelectorAll('path.leaflet-interactive').length, 2);
});

test('streamed values redraw in place; a value of the wrong shape asks for a fresh render', async () => {
  const view = show('map_route', { points: [[0, 0], [0, 1]] });
  await mapsReady();
  assert.ok(view.update);
  assert.equal(view.update({ points: [[0, 0], [0, 1], [1, 1], [2, 2]] }), true);
  assert.match(statusOf(view), /through 4 points/);
  assert.equal(view.update(42), false);
  const points = show('map_points', { points: [[0, 0]] });
  await mapsReady();
  assert.equal(points.update?.({ points: [[0, 0], [1, 1], [2, 2]] }), true);
  assert.equal(points.element.querySelectorAll('path.leaflet-interactive').length, 3, 'old layers replaced, not added to');
});

test('bad values never throw and never leave a blank card: JSON view with a note, or the map with a skipped note', async () => {
  const bad: JsonValue[] = [null, 42, 'text', true, {}, [], [[null]], { points: 'x' }, { points: [{ lat: 'abc', lng: 1 }, { lat: 1e308, lng: 0 }] }, { geojson: 'not json' }, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: 'x' } }] }];
  const views: OutputView[] = [];
  for (const type of Object.keys(SAMPLES)) {
    for (const value of bad) {
      const view = show(type, value);
      views.push(view);
      assert.ok((view.element.textContent ?? '').trim().length > 0, `${type} ${JSON.stringify(value)}`);
    }
  }
  await mapsReady();
  const note = show('map_points', 42).element.querySelector('.output-note')?.textContent ?? '';
  assert.match(note, /not a map_points value \(expected .*\); it is shown as JSON/);
  const skipped = show('map_points', { points: [{ lat: 'abc', lng: 1 }, { lat: 1e308, lng: 0 }, [1, 1]] });
  assert.match(statusOf(skipped), /1 point on the map\. 2 items could not be read/);
  for (const view of views) assert.ok((view.element.textContent ?? '').trim().length > 0);
});

test('a large point set uses one renderer and lists only the first rows', async () => {
  const points = Array.from({ length: 3000 }, (_, i) => [(i % 100) * 0.01, Math.floor(i / 100) * 0.01]);
  const view = show('map_points', { points });
  await mapsReady();
  assert.equal(statusOf(view), '3,000 points on the map.');
  assert.equal(view.element.querySelectorAll('details.map-data tbody tr').length, 500);
  assert.match(view.element.querySelector('details.map-data .output-note')?.textContent ?? '', /first 500 of 3000/);
});

test('with pixie.maps.tileUrl set, maps use the tile layer (attributed as text) instead of the land outline', async () => {
  setMapTileUrl('https://{s}.tiles.invalid/{z}/{x}/{y}.png');
  try {
    const view = show('map_points', { points: [[1, 2]] });
    await mapsReady();
    assert.equal(view.element.querySelector('.map-attribution')?.textContent, 'Tiles: tiles.invalid');
    assert.equal(view.element.querySelector('path.map-land'), null);
    assert.ok(view.element.querySelector('.leaflet-tile-pane'));
  } finally {
    setMapTileUrl(null);
  }
  const plain = show('map_points', { points: [] });
  await mapsReady();
  assert.equal(plain.element.querySelector('.map-attribution'), null);
  assert.ok(plain.element.querySelector('path.map-land'), 'the world view shows the land outline');
  assert.ok(plain.element.querySelector('path.map-graticule'), 'and the graticule');
  const close = show('map_points', { points: [[1, 2]], zoom: 12 });
  await mapsReady();
  assert.equal(close.element.querySelector('path.map-land'), null, 'the coarse outline is hidden when zoomed in');
});
