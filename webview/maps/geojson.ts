// GeoJSON (RFC 7946) read into plain lat/lng shapes: FeatureCollection, Feature, GeometryCollection and the six
// geometry types. Positions are `[lng, lat]`; bad positions and rings too short to draw are counted, not kept.
import type { JsonValue } from '../../src/protocol';
import { isJsonRecord, type JsonRecord } from '../outputs/values';
import { inRange, positionOf, type LatLng } from './coords';

export interface Shapes {
  /** Each polygon is a list of rings: the outline first, then holes. */
  polygons: LatLng[][][];
  lines: LatLng[][];
  points: LatLng[];
  /** Positions or parts that could not be read. */
  skipped: number;
}

export interface GeoFeature {
  /** The feature's `id`, as text. */
  id?: string;
  properties: JsonRecord;
  shapes: Shapes;
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

export function emptyShapes(): Shapes {
  return { polygons: [], lines: [], points: [], skipped: 0 };
}

/** A GeoJSON object (or its JSON text) as features; undefined when it is not GeoJSON at all. */
export function geoJsonFeatures(input: JsonValue | undefined): GeoFeature[] | undefined {
  const value = typeof input === 'string' ? parseJsonText(input) : input;
  if (!isJsonRecord(value) || typeof value.type !== 'string') return undefined;
  if (value.type === 'FeatureCollection') {
    if (!Array.isArray(value.features)) return undefined;
    const features: GeoFeature[] = [];
    for (const item of value.features) {
      const feature = featureOf(item);
      if (feature) features.push(feature);
    }
    return features;
  }
  if (value.type === 'Feature') {
    const feature = featureOf(value);
    return feature ? [feature] : undefined;
  }
  if (GEOMETRY_TYPES.has(value.type)) return [{ properties: {}, shapes: geometryShapes(value) }];
  return undefined;
}

/** Whether a value looks like GeoJSON (so a renderer can pick that reading over its own list shape). */
export function isGeoJson(value: JsonValue | undefined): boolean {
  return isJsonRecord(value) && typeof value.type === 'string' && (value.type === 'FeatureCollection' || value.type === 'Feature' || GEOMETRY_TYPES.has(value.type));
}

function parseJsonText(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function featureOf(item: JsonValue): GeoFeature | undefined {
  if (!isJsonRecord(item) || item.type !== 'Feature') return undefined;
  const properties = isJsonRecord(item.properties) ? item.properties : {};
  const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined;
  const shapes = isJsonRecord(item.geometry) ? geometryShapes(item.geometry) : emptyShapes();
  return { id, properties, shapes };
}

export function geometryShapes(geometry: JsonRecord, into: Shapes = emptyShapes(), depth = 0): Shapes {
  const coords = geometry.coordinates;
  switch (geometry.type) {
    case 'Point':
      addPoint(coords, into);
      break;
    case 'MultiPoint':
      for (const c of listOf(coords)) addPoint(c, into);
      break;
    case 'LineString':
      addLine(coords, into);
      break;
    case 'MultiLineString':
      for (const c of listOf(coords)) addLine(c, into);
      break;
    case 'Polygon':
      addPolygon(coords, into);
      break;
    case 'MultiPolygon':
      for (const c of listOf(coords)) addPolygon(c, into);
      break;
    case 'GeometryCollection':
      // Nesting is discouraged by the RFC; a few levels are read, deeper ones counted as skipped.
      for (const g of listOf(geometry.geometries)) {
        if (isJsonRecord(g) && depth < 4) geometryShapes(g, into, depth + 1);
        else into.skipped += 1;
      }
      break;
    default:
      into.skipped += 1;
  }
  return into;
}

function listOf(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function ringOf(value: JsonValue | undefined, into: Shapes): LatLng[] {
  const ring: LatLng[] = [];
  for (const position of listOf(value)) {
    const point = positionOf(position);
    if (point && inRange(point)) ring.push(point);
    else into.skipped += 1;
  }
  return ring;
}

function addPoint(value: JsonValue | undefined, into: Shapes): void {
  const point = positionOf(value);
  if (point && inRange(point)) into.points.push(point);
  else into.skipped += 1;
}

function addLine(value: JsonValue | undefined, into: Shapes): void {
  const line = ringOf(value, into);
  if (line.length >= 2) into.lines.push(line);
  else into.skipped += 1;
}

function addPolygon(value: JsonValue | undefined, into: Shapes): void {
  const rings = listOf(value).map((r) => ringOf(r, into));
  if (rings.length === 0 || rings[0].length < 3) {
    into.skipped += 1;
    return;
  }
  into.polygons.push(rings.filter((ring) => ring.length >= 3));
}
