// Sizing the heat circles: each cell is drawn as a translucent circle about as wide as the typical gap between
// neighbouring cells, so a grid of values (a KDE surface) reads as a continuous surface and scattered points as
// blobs, at any zoom. Pure, no Leaflet.
import type { LatLng } from './coords';

const SAMPLE = 400;
const METRES_PER_DEGREE = 111_320;

/** Approximate distance in metres for nearby points (equirectangular; plenty for sizing). */
function nearDistance(a: LatLng, b: LatLng): number {
  const x = (b.lng - a.lng) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  const y = b.lat - a.lat;
  return Math.sqrt(x * x + y * y) * METRES_PER_DEGREE;
}

/**
 * The median distance from a point to its nearest distinct neighbour, in metres, estimated from an even sample
 * (scaled for the points left out of it). 0 when there are fewer than two distinct points.
 */
export function typicalSpacing(points: readonly LatLng[]): number {
  if (points.length < 2) return 0;
  const stride = Math.max(1, Math.floor(points.length / SAMPLE));
  const sample: LatLng[] = [];
  for (let i = 0; i < points.length && sample.length < SAMPLE; i += stride) sample.push(points[i]);
  const nearest: number[] = [];
  for (const a of sample) {
    let best = Infinity;
    for (const b of sample) {
      const d = nearDistance(a, b);
      if (d > 0 && d < best) best = d;
    }
    if (Number.isFinite(best)) nearest.push(best);
  }
  if (nearest.length === 0) return 0;
  nearest.sort((x, y) => x - y);
  const median = nearest[Math.floor(nearest.length / 2)];
  // A sample of m points out of n is sparser: gaps shrink with the square root of the density.
  return median * Math.sqrt(sample.length / points.length);
}

/** Circle radius in metres for heat cells with this spacing, kept within sane bounds. */
export function heatRadius(spacing: number): number {
  if (!(spacing > 0)) return 0;
  return Math.min(500_000, Math.max(5, spacing * 1.2));
}

/**
 * Fill opacity for a level 0..1. Neighbouring circles overlap (radius 1.2 gaps, so about four cover any spot), so
 * each one is kept light: faint cells stay visible, the strongest spots build up without hiding the background.
 */
export function heatOpacity(level: number): number {
  return 0.05 + 0.3 * Math.max(0, Math.min(1, level));
}
