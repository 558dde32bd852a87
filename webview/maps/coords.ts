// Reading coordinates in every shape the original's tools and forms use: `[lat, lng]` arrays, objects with
// lat + lng/lon/long/longitude, and GeoJSON positions (which are `[lng, lat]`). Pure functions, no DOM, no Leaflet.
import type { JsonValue } from '../../src/protocol';
import { isJsonRecord, type JsonRecord } from '../outputs/values';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

const LAT_KEYS = ['lat', 'latitude'];
const LNG_KEYS = ['lng', 'lon', 'long', 'longitude'];

/** A finite number from a number or a numeric string ("51.5"); anything else is undefined. */
export function numberOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** The value under the first of `names` present (keys compared case-insensitively). */
export function fieldOf(record: JsonRecord, names: readonly string[]): JsonValue | undefined {
  for (const name of names) if (Object.hasOwn(record, name)) return record[name];
  for (const [key, value] of Object.entries(record)) if (names.includes(key.toLowerCase())) return value;
  return undefined;
}

export function inRange(point: LatLng): boolean {
  return point.lat >= -90 && point.lat <= 90 && point.lng >= -180 && point.lng <= 180;
}

/**
 * One coordinate: `[lat, lng]` (extra items ignored), `{lat, lng}` (or lon/long/longitude/latitude), or a GeoJSON
 * Point geometry (`coordinates` are `[lng, lat]`). Range is not checked here (see inRange).
 */
export function latLngOf(value: JsonValue | undefined): LatLng | undefined {
  if (Array.isArray(value)) {
    if (value.length < 2) return undefined;
    const lat = numberOf(value[0]);
    const lng = numberOf(value[1]);
    return lat !== undefined && lng !== undefined ? { lat, lng } : undefined;
  }
  if (!isJsonRecord(value)) return undefined;
  if (value.type === 'Point') return positionOf(value.coordinates);
  const lat = numberOf(fieldOf(value, LAT_KEYS));
  const lng = numberOf(fieldOf(value, LNG_KEYS));
  return lat !== undefined && lng !== undefined ? { lat, lng } : undefined;
}

/** A GeoJSON position `[lng, lat, alt?]`. */
export function positionOf(value: JsonValue | undefined): LatLng | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const lng = numberOf(value[0]);
  const lat = numberOf(value[1]);
  return lat !== undefined && lng !== undefined ? { lat, lng } : undefined;
}

/** Each item through latLngOf; items that are not coordinates or are out of range are counted, not kept. */
export function latLngList(items: readonly JsonValue[]): { points: LatLng[]; skipped: number } {
  const points: LatLng[] = [];
  let skipped = 0;
  for (const item of items) {
    const point = latLngOf(item);
    if (point && inRange(point)) points.push(point);
    else skipped += 1;
  }
  return { points, skipped };
}

/** The smallest box holding every point, or undefined for none. */
export function boundsOf(points: readonly LatLng[]): Bounds | undefined {
  if (points.length === 0) return undefined;
  const box = { south: Infinity, west: Infinity, north: -Infinity, east: -Infinity };
  for (const p of points) {
    box.south = Math.min(box.south, p.lat);
    box.north = Math.max(box.north, p.lat);
    box.west = Math.min(box.west, p.lng);
    box.east = Math.max(box.east, p.lng);
  }
  return box;
}

/** Clicked coordinates carry floating-point noise; six decimals is about 10 cm. */
export function roundCoordinate(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** A longitude brought into -180..180 (a click on a repeated world copy). */
export function wrapLongitude(lng: number): number {
  if (lng >= -180 && lng <= 180) return lng;
  return ((((lng + 180) % 360) + 360) % 360) - 180;
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "12.3 km" / "850 m". */
export function formatDistance(metres: number): string {
  if (!Number.isFinite(metres) || metres < 0) return '';
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${(metres / 1000).toFixed(metres < 10_000 ? 2 : 1)} km`;
}

/** "51.5074, -0.1278" for labels and the text view. */
export function formatLatLng(point: LatLng): string {
  const fmt = (n: number): string => String(Math.round(n * 1e5) / 1e5);
  return `${fmt(point.lat)}, ${fmt(point.lng)}`;
}
