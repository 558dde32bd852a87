// Drawing helpers the map outputs share: Leaflet coordinates, shapes (polygons, lines, points) with text-only popups.
import type * as Leaflet from 'leaflet';
import type { LatLng } from './coords';
import type { Shapes } from './geojson';
import type { MapView } from './mapView';
import { popupContent, tooltipContent } from './popup';
import type { Details } from './shapes';

export function tuple(p: LatLng): Leaflet.LatLngTuple {
  return [p.lat, p.lng];
}

export interface ShapeStyle {
  colour: string;
  fillColour?: string;
  fillOpacity: number;
  weight: number;
  renderer: Leaflet.Renderer;
}

export interface FeatureText {
  title?: string;
  details: Details;
  /** A short hover label (the title, a value). */
  tooltip?: string;
}

/** Popup (on click) and tooltip (on hover) as DOM built from text, created only when first opened. */
export function bindText(layer: Leaflet.Layer, text: FeatureText, at?: LatLng): void {
  if (text.title === undefined && text.details.length === 0 && at === undefined) return;
  layer.bindPopup(() => popupContent(text.title, text.details, at), { maxWidth: 320 });
  if (text.tooltip) layer.bindTooltip(() => tooltipContent(text.tooltip ?? ''), { sticky: true });
}

/** Polygons (with holes), lines and points of one feature, styled alike, added to the view's data layers. */
export function drawShapes(view: MapView, shapes: Shapes, style: ShapeStyle, text: FeatureText): void {
  const L = view.L;
  const common = { renderer: style.renderer, color: style.colour, weight: style.weight };
  if (shapes.polygons.length > 0) {
    const latlngs = shapes.polygons.map((polygon) => polygon.map((ring) => ring.map(tuple)));
    const layer = L.polygon(latlngs, { ...common, fillColor: style.fillColour ?? style.colour, fillOpacity: style.fillOpacity });
    bindText(layer, text);
    layer.addTo(view.layers);
  }
  if (shapes.lines.length > 0) {
    const layer = L.polyline(shapes.lines.map((line) => line.map(tuple)), { ...common, weight: Math.max(2, style.weight) });
    bindText(layer, text);
    layer.addTo(view.layers);
  }
  for (const point of shapes.points) {
    const layer = L.circleMarker(tuple(point), { ...common, radius: 5, fillColor: style.fillColour ?? style.colour, fillOpacity: 0.85 });
    bindText(layer, text, point);
    layer.addTo(view.layers);
  }
}
