// The map inputs' values (reference §3.2): what the form sends — map_point `[lat, lng]`, map_bbox
// `[south, west, north, east]`, map_polygon and map_multipoint `[[lat, lng], …]` — and how a stored value (a default,
// the last inputs, a past run's) becomes the points the control edits. Pure, no DOM.
import type { JsonValue } from '../../src/protocol';
import { isJsonRecord } from '../outputs/values';
import { fieldOf, inRange, latLngOf, numberOf, type LatLng } from './coords';
import { geoJsonFeatures, isGeoJson } from './geojson';

export type MapInputKind = 'point' | 'bbox' | 'polygon' | 'multipoint';

/** What one row of lat/lng fields holds, as typed. */
export interface CoordText {
  lat: string;
  lng: string;
}

export type Stored = { points: LatLng[] } | { problem: string };

const SHAPES: Record<MapInputKind, string> = {
  point: '[lat, lng]',
  bbox: '[south, west, north, east]',
  polygon: '[[lat, lng], …]',
  multipoint: '[[lat, lng], …]',
};

/** The form of value each kind expects, for messages. */
export function expectedShape(kind: MapInputKind): string {
  return SHAPES[kind];
}

/**
 * A stored value as the points to edit: a box as its south-west and north-east corners. null/undefined/"" is
 * empty; JSON text is read as JSON (a default written as a string); a value that fits no known shape is a problem.
 */
export function pointsFromValue(kind: MapInputKind, input: JsonValue | undefined): Stored {
  if (input === undefined || input === null || input === '') return { points: [] };
  let value: JsonValue = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as JsonValue;
    } catch {
      return { problem: `expected ${SHAPES[kind]}, got text` };
    }
  }
  const points = kind === 'point' ? pointOf(value) : kind === 'bbox' ? boxOf(value) : listOf(value);
  return points ? { points } : { problem: `expected ${SHAPES[kind]}` };
}

function pointOf(value: JsonValue): LatLng[] | undefined {
  const single = latLngOf(value);
  if (single) return [single];
  // `[[lat, lng]]`: a one-item list, as a multipoint default might be reused.
  if (Array.isArray(value) && value.length === 1) {
    const inner = latLngOf(value[0]);
    if (inner) return [inner];
  }
  return undefined;
}

function boxOf(value: JsonValue): LatLng[] | undefined {
  let edges: number[] | undefined;
  if (Array.isArray(value) && value.length === 4) {
    const n = value.map((v) => numberOf(v));
    if (n.every((x): x is number => x !== undefined)) edges = n;
  } else if (Array.isArray(value) && value.length === 2) {
    const a = latLngOf(value[0]);
    const b = latLngOf(value[1]);
    if (a && b) edges = [a.lat, a.lng, b.lat, b.lng];
  } else if (isJsonRecord(value)) {
    const pick = (names: string[]): number | undefined => numberOf(fieldOf(value, names));
    const south = pick(['south', 'min_lat', 'minlat', 's']);
    const west = pick(['west', 'min_lng', 'min_lon', 'minlng', 'minlon', 'w']);
    const north = pick(['north', 'max_lat', 'maxlat', 'n']);
    const east = pick(['east', 'max_lng', 'max_lon', 'maxlng', 'maxlon', 'e']);
    if (south !== undefined && west !== undefined && north !== undefined && east !== undefined) edges = [south, west, north, east];
  }
  if (!edges) return undefined;
  return [
    { lat: edges[0], lng: edges[1] },
    { lat: edges[2], lng: edges[3] },
  ];
}

function listOf(value: JsonValue): LatLng[] | undefined {
  if (isGeoJson(value)) {
    const feature = (geoJsonFeatures(value) ?? [])[0];
    if (!feature) return undefined;
    const { polygons, lines, points } = feature.shapes;
    if (polygons.length > 0) return withoutClosingPoint(polygons[0][0]);
    if (lines.length > 0) return lines[0];
    return points.length > 0 ? points : undefined;
  }
  // A flat `[lat, lng]` or `{lat, lng}`: one point.
  const single = latLngOf(value);
  if (single) return [single];
  if (!Array.isArray(value)) return undefined;
  const out: LatLng[] = [];
  for (const item of value) {
    const point = latLngOf(item);
    if (!point) return undefined;
    out.push(point);
  }
  return out;
}

/** GeoJSON rings repeat their first position at the end; the form's polygons do not. */
function withoutClosingPoint(ring: LatLng[]): LatLng[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return ring.length > 3 && first.lat === last.lat && first.lng === last.lng ? ring.slice(0, -1) : ring;
}

/** The value sent to the tool for these points, or undefined when there is nothing to send. */
export function valueFromPoints(kind: MapInputKind, points: readonly LatLng[]): JsonValue | undefined {
  if (points.length === 0) return undefined;
  switch (kind) {
    case 'point':
      return [points[0].lat, points[0].lng];
    case 'bbox':
      return points.length >= 2 ? [points[0].lat, points[0].lng, points[1].lat, points[1].lng] : undefined;
    default:
      return points.map((p) => [p.lat, p.lng]);
  }
}

/** A typed coordinate: decimal degrees, "." as the decimal mark; a Unicode minus is accepted. */
export function parseCoordinate(text: string): number | undefined {
  const trimmed = text.trim().replace(/^\u2212/, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** A pasted pair such as "51.5, -0.12" or "51.5 -0.12", split into its two numbers. */
export function splitPair(text: string): [string, string] | undefined {
  const match = /^\s*([-+\u2212]?[\d.]+(?:e[-+]?\d+)?)\s*(?:[,;]\s*|\s+)([-+\u2212]?[\d.]+(?:e[-+]?\d+)?)\s*$/i.exec(text);
  if (!match) return undefined;
  return parseCoordinate(match[1]) !== undefined && parseCoordinate(match[2]) !== undefined ? [match[1], match[2]] : undefined;
}

function rowName(kind: MapInputKind, index: number, axis: 'lat' | 'lng'): string {
  if (kind === 'point') return axis === 'lat' ? 'Latitude' : 'Longitude';
  if (kind === 'bbox') return index === 0 ? (axis === 'lat' ? 'South' : 'West') : axis === 'lat' ? 'North' : 'East';
  return `Point ${index + 1}: ${axis === 'lat' ? 'latitude' : 'longitude'}`;
}

/**
 * The typed rows as points. Fully blank rows of a list are ignored; in a point or box every field counts. The
 * first problem (missing half, not a number, out of range) is reported; the points are those that read cleanly.
 */
export function parseRows(kind: MapInputKind, rows: readonly CoordText[]): { points: LatLng[]; problem?: string } {
  const points: LatLng[] = [];
  let problem: string | undefined;
  const fixed = kind === 'point' || kind === 'bbox';
  const allBlank = rows.every((r) => r.lat.trim() === '' && r.lng.trim() === '');
  if (allBlank) return { points };
  rows.forEach((row, index) => {
    const blankLat = row.lat.trim() === '';
    const blankLng = row.lng.trim() === '';
    if (blankLat && blankLng && !fixed) return;
    const lat = parseCoordinate(row.lat);
    const lng = parseCoordinate(row.lng);
    const found = (axis: 'lat' | 'lng', blank: boolean, n: number | undefined, limit: number): string | undefined => {
      const name = rowName(kind, index, axis);
      if (blank) return `${name}: enter a value${fixed ? '' : ' (or remove the point)'}.`;
      if (n === undefined) return `${name}: not a number.`;
      return Math.abs(n) > limit ? `${name}: must be between -${limit} and ${limit}.` : undefined;
    };
    const issue = found('lat', blankLat, lat, 90) ?? found('lng', blankLng, lng, 180);
    if (issue) problem ??= issue;
    else if (lat !== undefined && lng !== undefined) points.push({ lat, lng });
  });
  return { points, problem };
}

/** Rules on the whole value, once every row reads: a box's order, a polygon's size, ranges of stored values. */
export function checkPoints(kind: MapInputKind, points: readonly LatLng[]): string | undefined {
  if (points.some((p) => !inRange(p))) return 'Latitude must be between -90 and 90 and longitude between -180 and 180.';
  if (kind === 'bbox' && points.length >= 2) {
    if (points[0].lat > points[1].lat) return 'South must not be north of North.';
    if (points[0].lng > points[1].lng) return 'West must not be east of East (boxes across the 180° meridian are not supported).';
  }
  if (kind === 'polygon' && points.length > 0 && points.length < 3) return `A polygon needs at least 3 points (it has ${points.length}).`;
  return undefined;
}

/** A box from two clicked corners in any order: south-west first, north-east second. */
export function boxCorners(a: LatLng, b: LatLng): [LatLng, LatLng] {
  return [
    { lat: Math.min(a.lat, b.lat), lng: Math.min(a.lng, b.lng) },
    { lat: Math.max(a.lat, b.lat), lng: Math.max(a.lng, b.lng) },
  ];
}

/** Text for a number in a field: as short as it reads exactly. */
export function coordinateText(n: number): string {
  return String(n);
}
