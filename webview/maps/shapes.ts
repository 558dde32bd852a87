// The five map outputs' values read into plain data (reference §3.4), accepting the shapes tools actually send:
// `{points: […]}` or a bare list, `{value: …}` wrappers, items as `{lat, lng|lon, …}` or `[lat, lng, …]`, and
// GeoJSON for polygons, routes, points and choropleths. undefined means "not this type's value at all".
import type { JsonValue } from '../../src/protocol';
import { isJsonRecord, type JsonRecord } from '../outputs/values';
import { fieldOf, inRange, latLngOf, numberOf, type LatLng } from './coords';
import { safeColour } from './colour';
import { emptyShapes, geoJsonFeatures, geometryShapes, isGeoJson, type GeoFeature, type Shapes } from './geojson';

/** Extra fields of an item shown in its popup, as [name, text]. */
export type Details = [string, string][];

export interface Marker {
  at: LatLng;
  label?: string;
  colour?: string;
  /** Radius in pixels. */
  size?: number;
  details: Details;
}

export interface PointsData {
  markers: Marker[];
  skipped: number;
  center?: LatLng;
  zoom?: number;
  /** false: keep the given centre/zoom instead of fitting to the points. */
  fit: boolean;
}

export interface HeatCell {
  at: LatLng;
  weight: number;
}

export interface HeatData {
  cells: HeatCell[];
  skipped: number;
  min: number;
  max: number;
}

export interface Area {
  label?: string;
  colour?: string;
  shapes: Shapes;
  details: Details;
}

export interface AreasData {
  areas: Area[];
  skipped: number;
}

export interface RouteLine {
  label?: string;
  colour?: string;
  points: LatLng[];
  /** Waypoints that carry a label. */
  stops: Marker[];
}

export interface RouteData {
  routes: RouteLine[];
  skipped: number;
}

export interface Region extends Area {
  key: string;
  value: number | null;
}

export interface ChoroplethData {
  regions: Region[];
  min: number;
  max: number;
  /** Keys of `values` no feature carries. */
  unmatched: string[];
  skipped: number;
}

const LABEL_KEYS = ['label', 'name', 'title'];
const COLOUR_KEYS = ['colour', 'color', 'fill', 'fill_colour', 'fill_color'];
const SIZE_KEYS = ['size', 'radius'];
const WEIGHT_KEYS = ['weight', 'value', 'intensity', 'count', 'w', 'z'];
const POSITION_KEYS = ['lat', 'latitude', 'lng', 'lon', 'long', 'longitude'];
const MAX_DETAILS = 12;

/** `{value: x}` → x (scalar-style wrapper), anything else as it is. */
function unwrapValue(value: JsonValue): JsonValue {
  return isJsonRecord(value) && Object.hasOwn(value, 'value') && Object.keys(value).length === 1 ? value.value : value;
}

/** The list a value carries: itself, or the first of `keys` holding a list. */
function listIn(value: JsonValue, keys: readonly string[]): JsonValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isJsonRecord(value)) return undefined;
  const found = fieldOf(value, keys);
  return Array.isArray(found) ? found : undefined;
}

function textOfScalar(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function labelOf(record: JsonRecord): string | undefined {
  return textOfScalar(fieldOf(record, LABEL_KEYS));
}

/** The item's other scalar fields, for its popup (never markup: shown as text). */
function detailsOf(record: JsonRecord, used: readonly string[]): Details {
  const details: Details = [];
  for (const [key, value] of Object.entries(record)) {
    if (used.includes(key.toLowerCase())) continue;
    const text = textOfScalar(value);
    if (text === undefined) continue;
    details.push([key, text]);
    if (details.length >= MAX_DETAILS) break;
  }
  return details;
}

function sizeOf(record: JsonRecord): number | undefined {
  const n = numberOf(fieldOf(record, SIZE_KEYS));
  return n !== undefined && n > 0 ? Math.min(40, Math.max(2, n)) : undefined;
}

function markerOf(item: JsonValue): Marker | undefined {
  const at = latLngOf(item);
  if (!at || !inRange(at)) return undefined;
  if (Array.isArray(item)) return { at, label: textOfScalar(item[2]), details: [] };
  if (!isJsonRecord(item)) return undefined;
  const used = [...POSITION_KEYS, ...LABEL_KEYS, ...COLOUR_KEYS, ...SIZE_KEYS, 'type', 'coordinates'];
  return { at, label: labelOf(item), colour: safeColour(fieldOf(item, COLOUR_KEYS)), size: sizeOf(item), details: detailsOf(item, used) };
}

function featureLabel(feature: GeoFeature): string | undefined {
  return labelOf(feature.properties) ?? feature.id;
}

function featureDetails(feature: GeoFeature): Details {
  return detailsOf(feature.properties, [...LABEL_KEYS, ...COLOUR_KEYS, ...SIZE_KEYS]);
}

// ---------- map_points ----------

export function parsePoints(raw: JsonValue): PointsData | undefined {
  const value = unwrapValue(raw);
  const markers: Marker[] = [];
  let skipped = 0;
  if (isGeoJson(value)) {
    for (const feature of geoJsonFeatures(value) ?? []) {
      skipped += feature.shapes.skipped;
      const colour = safeColour(fieldOf(feature.properties, COLOUR_KEYS));
      for (const at of feature.shapes.points) markers.push({ at, label: featureLabel(feature), colour, size: sizeOf(feature.properties), details: featureDetails(feature) });
    }
  } else {
    const items = listIn(value, ['points', 'markers', 'locations']);
    if (!items) return undefined;
    for (const item of items) {
      const marker = markerOf(item);
      if (marker) markers.push(marker);
      else skipped += 1;
    }
  }
  const record = isJsonRecord(value) ? value : {};
  const center = latLngOf(fieldOf(record, ['default_center', 'center']));
  const zoom = numberOf(fieldOf(record, ['default_zoom', 'zoom']));
  return { markers, skipped, center: center && inRange(center) ? center : undefined, zoom, fit: record.fit !== false };
}

// ---------- map_heatmap ----------

function heatCellOf(item: JsonValue): HeatCell | undefined {
  const at = latLngOf(item);
  if (!at || !inRange(at)) return undefined;
  const raw = Array.isArray(item) ? item[2] : isJsonRecord(item) ? fieldOf(item, WEIGHT_KEYS) : undefined;
  return { at, weight: raw === undefined || raw === null ? 1 : (numberOf(raw) ?? 1) };
}

export function parseHeat(raw: JsonValue): HeatData | undefined {
  const value = unwrapValue(raw);
  const items = listIn(value, ['points', 'data', 'cells']);
  if (!items) return undefined;
  const cells: HeatCell[] = [];
  let skipped = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    const cell = heatCellOf(item);
    if (!cell) {
      skipped += 1;
      continue;
    }
    cells.push(cell);
    min = Math.min(min, cell.weight);
    max = Math.max(max, cell.weight);
  }
  return { cells, skipped, min: cells.length ? min : 0, max: cells.length ? max : 0 };
}

/** A weight as 0..1 of the data's range (all equal → 1); weights from 0 up are measured from 0. */
export function heatLevel(weight: number, min: number, max: number): number {
  const low = Math.min(0, min);
  if (!(max > low)) return 1;
  return Math.max(0, Math.min(1, (weight - low) / (max - low)));
}

// ---------- map_polygons ----------

/** `[[lat,lng],…]` (one ring), `[[[lat,lng],…], hole…]` (rings), or a GeoJSON geometry. */
function shapesOfCoords(coords: JsonValue | undefined): Shapes {
  if (isJsonRecord(coords) && isGeoJson(coords)) return geometryShapes(coords);
  const shapes = emptyShapes();
  if (!Array.isArray(coords)) {
    shapes.skipped += 1;
    return shapes;
  }
  const nested = coords.length > 0 && Array.isArray(coords[0]) && coords[0].length > 0 && (Array.isArray(coords[0][0]) || isJsonRecord(coords[0][0]));
  const rings: LatLng[][] = [];
  for (const ringValue of nested ? coords : [coords]) {
    const ring: LatLng[] = [];
    for (const item of Array.isArray(ringValue) ? ringValue : []) {
      const point = latLngOf(item);
      if (point && inRange(point)) ring.push(point);
      else shapes.skipped += 1;
    }
    if (ring.length >= 3) rings.push(ring);
    else if (rings.length === 0) break;
  }
  if (rings.length > 0) shapes.polygons.push(rings);
  else shapes.skipped += 1;
  return shapes;
}

function areasOfGeoJson(value: JsonValue): Area[] {
  return (geoJsonFeatures(value) ?? []).map((feature) => ({
    label: featureLabel(feature),
    colour: safeColour(fieldOf(feature.properties, COLOUR_KEYS)),
    shapes: feature.shapes,
    details: featureDetails(feature),
  }));
}

function drawable(shapes: Shapes): boolean {
  return shapes.polygons.length + shapes.lines.length + shapes.points.length > 0;
}

export function parsePolygons(raw: JsonValue): AreasData | undefined {
  const value = unwrapValue(raw);
  if (isGeoJson(value)) {
    const all = areasOfGeoJson(value);
    const areas = all.filter((a) => drawable(a.shapes));
    return { areas, skipped: all.reduce((n, a) => n + a.shapes.skipped, 0) + (all.length - areas.length) };
  }
  if (isJsonRecord(value) && isGeoJson(value.geojson)) return parsePolygons(value.geojson);
  const items = listIn(value, ['polygons', 'areas', 'shapes']);
  if (!items) return undefined;
  const areas: Area[] = [];
  let skipped = 0;
  for (const item of items) {
    const record = isJsonRecord(item) && !isGeoJson(item) ? item : undefined;
    const coords = record ? fieldOf(record, ['coords', 'coordinates', 'points', 'latlngs', 'path', 'polygon', 'ring', 'geometry']) : item;
    const shapes = shapesOfCoords(coords);
    skipped += shapes.skipped;
    if (!drawable(shapes)) continue;
    const used = [...LABEL_KEYS, ...COLOUR_KEYS, 'coords', 'coordinates', 'points', 'latlngs', 'path', 'polygon', 'ring', 'geometry'];
    areas.push(record ? { label: labelOf(record), colour: safeColour(fieldOf(record, COLOUR_KEYS)), shapes, details: detailsOf(record, used) } : { shapes, details: [] });
  }
  return { areas, skipped };
}

// ---------- map_route ----------

function routeOf(items: readonly JsonValue[], extra: { label?: string; colour?: string }): { route: RouteLine; skipped: number } {
  const points: LatLng[] = [];
  const stops: Marker[] = [];
  let skipped = 0;
  for (const item of items) {
    const marker = markerOf(item);
    if (!marker) {
      skipped += 1;
      continue;
    }
    points.push(marker.at);
    if (marker.label !== undefined) stops.push(marker);
  }
  return { route: { ...extra, points, stops }, skipped };
}

const ROUTE_KEYS = ['points', 'route', 'path', 'coords', 'coordinates', 'waypoints'];

export function parseRoute(raw: JsonValue): RouteData | undefined {
  const value = unwrapValue(raw);
  if (isGeoJson(value)) {
    const routes: RouteLine[] = [];
    let skipped = 0;
    for (const feature of geoJsonFeatures(value) ?? []) {
      skipped += feature.shapes.skipped;
      const colour = safeColour(fieldOf(feature.properties, COLOUR_KEYS));
      for (const line of feature.shapes.lines) routes.push({ label: featureLabel(feature), colour, points: line, stops: [] });
    }
    return { routes, skipped };
  }
  const many = isJsonRecord(value) ? fieldOf(value, ['routes']) : undefined;
  if (Array.isArray(many)) {
    const routes: RouteLine[] = [];
    let skipped = 0;
    for (const entry of many) {
      const items = listIn(entry, ROUTE_KEYS);
      if (!items) {
        skipped += 1;
        continue;
      }
      const record = isJsonRecord(entry) ? entry : {};
      const one = routeOf(items, { label: labelOf(record), colour: safeColour(fieldOf(record, COLOUR_KEYS)) });
      routes.push(one.route);
      skipped += one.skipped;
    }
    return { routes, skipped };
  }
  const items = listIn(value, ROUTE_KEYS);
  if (!items) return undefined;
  const record = isJsonRecord(value) ? value : {};
  const one = routeOf(items, { label: labelOf(record), colour: safeColour(fieldOf(record, COLOUR_KEYS)) });
  return { routes: [one.route], skipped: one.skipped };
}

// ---------- map_choropleth ----------

const KEY_PROPERTIES = ['id', 'key', 'feature_id', 'code', 'name', 'iso_a3', 'iso_a2', 'iso', 'fips', 'geoid'];

/** `values` as `{id: number}` or `[{id|key|feature_id|name, value}]`. Non-numbers are dropped. */
function valuesMap(value: JsonValue | undefined): Map<string, number> | undefined {
  const out = new Map<string, number>();
  if (isJsonRecord(value)) {
    for (const [key, v] of Object.entries(value)) {
      const n = numberOf(v);
      if (n !== undefined) out.set(key, n);
    }
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isJsonRecord(item)) continue;
      const key = textOfScalar(fieldOf(item, ['id', 'key', 'feature_id', 'name', 'region']));
      const n = numberOf(fieldOf(item, ['value', 'v', 'count']));
      if (key !== undefined && n !== undefined) out.set(key, n);
    }
    return out;
  }
  return undefined;
}

/** The key under which `values` knows a feature: its id, a usual id property, or any property whose value matches. */
function featureKey(feature: GeoFeature, values: Map<string, number>): string | undefined {
  const candidates: string[] = [];
  if (feature.id !== undefined) candidates.push(feature.id);
  const preferred = KEY_PROPERTIES.map((k) => textOfScalar(fieldOf(feature.properties, [k])));
  const rest = Object.values(feature.properties).map(textOfScalar);
  for (const c of [...preferred, ...rest]) if (c !== undefined) candidates.push(c);
  return candidates.find((c) => values.has(c));
}

export function parseChoropleth(raw: JsonValue): ChoroplethData | undefined {
  const value = unwrapValue(raw);
  const record = isJsonRecord(value) && !isGeoJson(value) ? value : undefined;
  const geo = record ? fieldOf(record, ['geojson', 'geo_json', 'geometry', 'features']) : value;
  const features = Array.isArray(geo) ? geoJsonFeatures({ type: 'FeatureCollection', features: geo }) : geoJsonFeatures(geo);
  if (!features) return undefined;
  // Without a `values` object, each feature's own `value` property is its value.
  const values = record ? valuesMap(fieldOf(record, ['values', 'data'])) : undefined;
  const used = new Set<string>();
  const regions: Region[] = [];
  let skipped = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const feature of features) {
    skipped += feature.shapes.skipped;
    if (!drawable(feature.shapes)) {
      skipped += 1;
      continue;
    }
    const key = values ? featureKey(feature, values) : undefined;
    const v = values ? (key !== undefined ? (values.get(key) ?? null) : null) : (numberOf(fieldOf(feature.properties, ['value'])) ?? null);
    if (key !== undefined) used.add(key);
    if (v !== null) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    regions.push({ key: key ?? feature.id ?? featureLabel(feature) ?? '', label: featureLabel(feature), shapes: feature.shapes, details: featureDetails(feature), value: v });
  }
  const unmatched = values ? [...values.keys()].filter((k) => !used.has(k)) : [];
  return { regions, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0, unmatched, skipped };
}

/** Every coordinate of some shapes, for fitting the view. */
export function shapePoints(shapes: Shapes): LatLng[] {
  const out: LatLng[] = [...shapes.points];
  for (const polygon of shapes.polygons) for (const ring of polygon) out.push(...ring);
  for (const line of shapes.lines) out.push(...line);
  return out;
}
