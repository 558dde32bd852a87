// The lat/lon grid of the offline background: a "round" spacing for the span in view, and the lines to draw.
import type { Bounds, LatLng } from './coords';

/** Web Mercator stops short of the poles. */
export const MERCATOR_MAX_LAT = 85.0511;

const STEPS = [30, 20, 10, 5, 2, 1, 0.5, 0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001, 0.0005, 0.00025, 0.0001];

/** The widest round step that still gives about `lines` lines across `span` degrees. */
export function graticuleStep(span: number, lines = 6): number {
  if (!Number.isFinite(span) || span <= 0) return STEPS[0];
  for (const step of STEPS) if (span / step >= lines) return step;
  return STEPS[STEPS.length - 1];
}

/** Graticule lines (meridians and parallels at `step` degrees) covering `bounds`, at most `cap` of them. */
export function graticuleLines(bounds: Bounds, step: number, cap = 240): LatLng[][] {
  const south = Math.max(-MERCATOR_MAX_LAT, bounds.south);
  const north = Math.min(MERCATOR_MAX_LAT, bounds.north);
  const lines: LatLng[][] = [];
  if (!(step > 0) || !(north > south) || !(bounds.east > bounds.west)) return lines;
  const round = (n: number): number => Number(n.toFixed(6));
  for (let lng = Math.ceil(bounds.west / step) * step; lng <= bounds.east && lines.length < cap; lng += step) {
    lines.push([{ lat: south, lng: round(lng) }, { lat: north, lng: round(lng) }]);
  }
  for (let lat = Math.ceil(south / step) * step; lat <= north && lines.length < cap; lat += step) {
    // A parallel is drawn in pieces of at most 90° so it stays a straight line however wide the view is.
    const line: LatLng[] = [];
    for (let lng = bounds.west; lng < bounds.east; lng += 90) line.push({ lat: round(lat), lng });
    line.push({ lat: round(lat), lng: bounds.east });
    lines.push(line);
  }
  return lines;
}
