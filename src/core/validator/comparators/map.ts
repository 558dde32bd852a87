// Map family: coordinates rounded (4 decimal places by default, about 11 m) before comparing, so tiny
// float noise never fails a fixture. Points, heatmaps and polygons compare as sets; a route in order;
// a choropleth by its keyed values.
import type { Comparator, CompareOutcome } from './types';
import { compareJson, deepDiff, floatTolerance, isNumber, isRecord, kindOf, modeSetting, numberSetting } from './values';

const MODES = ['set_equal_after_round_coords_4dp', 'ordered_after_round_coords_4dp', 'keyed_values', 'skip'];
const COORD_KEYS = new Set(['lat', 'lng', 'lon', 'latitude', 'longitude']);

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(n * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Rounds every coordinate inside a map value: lat/lng fields and [lat, lng] pairs. */
export function roundCoords(v: unknown, digits: number, inCoords = false): unknown {
  if (Array.isArray(v)) {
    if (inCoords || (v.length === 2 && v.every(isNumber))) return v.map((x) => (isNumber(x) ? round(x, digits) : roundCoords(x, digits, true)));
    return v.map((x) => roundCoords(x, digits));
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = COORD_KEYS.has(k) && isNumber(x) ? round(x, digits) : roundCoords(x, digits, k === 'coords' || k === 'coordinates');
    }
    return out;
  }
  return v;
}

function itemsOf(v: unknown, key: string): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (isRecord(v) && Array.isArray(v[key])) return v[key] as unknown[];
  return undefined;
}

export const compareMap: Comparator = (expected, actual, tol, type): CompareOutcome => {
  const fallback = type === 'map_route' ? 'ordered_after_round_coords_4dp' : type === 'map_choropleth' ? 'keyed_values' : 'set_equal_after_round_coords_4dp';
  const mode = modeSetting(tol, fallback, MODES, type);
  const comparator = `map_${mode}`;
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  const t = floatTolerance(tol);
  if (mode === 'keyed_values') {
    if (!isRecord(expected) || !isRecord(actual)) return { ok: false, comparator, path: '', expected, actual, metric: `expected {geojson, values}, got ${kindOf(actual)}` };
    const d = deepDiff(expected.values ?? {}, actual.values ?? null, t, 'values');
    return d ? { ok: false, comparator, ...d } : { ok: true, comparator };
  }
  const digits = numberSetting(tol, ['round_digits'], 4);
  const key = type === 'map_polygons' ? 'polygons' : 'points';
  const e = itemsOf(expected, key);
  const a = itemsOf(actual, key);
  if (!e) return { ok: false, comparator, path: '', expected, actual, metric: `the fixture's expected value has no ${key} list` };
  if (!a) return { ok: false, comparator, path: key, expected: e.length, actual, metric: `expected a ${key} list, got ${kindOf(actual)}` };
  const re = e.map((x) => roundCoords(x, digits));
  const ra = a.map((x) => roundCoords(x, digits));
  if (mode === 'set_equal_after_round_coords_4dp') {
    re.sort(compareJson);
    ra.sort(compareJson);
  }
  const d = deepDiff(re, ra, t, key);
  if (!d) return { ok: true, comparator };
  const how = mode === 'set_equal_after_round_coords_4dp' ? 'as a set, ' : '';
  return { ok: false, comparator, ...d, metric: `${d.metric} (${how}coordinates rounded to ${digits} decimals)` };
};
