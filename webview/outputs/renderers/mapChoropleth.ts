// map_choropleth: `{geojson: FeatureCollection, values: {feature_id: number}}` (values may also be a list of
// `{id, value}`; without `values`, each feature's own `value` property counts). A feature is matched by its `id`,
// a usual id property (id, key, code, name, iso_a3, …) or any property equal to a key of `values`. Shaded from the
// theme's background to its blue by value; features without a value are hatched grey; a legend gives the range.
import { el } from '../../dom';
import { rampColour, themeColour } from '../../maps/colour';
import { drawShapes } from '../../maps/draw';
import { count, renderMapOutput, skippedNote, type MapOutputKind } from '../../maps/outputMap';
import { dataList } from '../../maps/popup';
import { parseChoropleth, shapePoints, type ChoroplethData } from '../../maps/shapes';
import { registerOutput } from '../registry';

function stops(): string[] {
  return [themeColour('--vscode-editor-background', '#1e1e1e'), themeColour('--vscode-charts-blue', '#3794ff')];
}

/** 0..1 within the data's range; all equal → the full colour. */
export function choroplethLevel(value: number, min: number, max: number): number {
  return max > min ? (value - min) / (max - min) : 1;
}

function formatValue(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(Number(n.toPrecision(4)));
}

export const choroplethKind: MapOutputKind<ChoroplethData> = {
  type: 'map_choropleth',
  expected: '{"geojson": {"type": "FeatureCollection", …}, "values": {"feature_id": number}}',
  parse: parseChoropleth,
  draw(view, data) {
    const renderer = view.renderer(data.regions.length);
    const ramp = stops();
    const edge = themeColour('--vscode-foreground', '#cccccc');
    const none = themeColour('--vscode-descriptionForeground', '#888888');
    for (const region of data.regions) {
      const valued = region.value !== null;
      // The ramp starts a little above the background so the lowest value still shows as a shade.
      const fill = valued ? rampColour(ramp, 0.15 + 0.85 * choroplethLevel(region.value ?? 0, data.min, data.max)) : none;
      const valueText = valued ? formatValue(region.value ?? 0) : 'no value';
      const title = region.label ?? region.key;
      drawShapes(
        view,
        region.shapes,
        { colour: edge, fillColour: fill, fillOpacity: valued ? 0.85 : 0.15, weight: 0.8, renderer },
        { title, details: [['value', valueText], ...(region.key && region.key !== title ? [['key', region.key] as [string, string]] : []), ...region.details], tooltip: `${title}: ${valueText}` },
      );
    }
  },
  extent: (data) => data.regions.flatMap((r) => shapePoints(r.shapes)),
  status(data) {
    const valued = data.regions.filter((r) => r.value !== null).length;
    const missing = data.regions.length - valued;
    const unmatched = data.unmatched.length > 0 ? ` ${count(data.unmatched.length, 'value')} ${data.unmatched.length === 1 ? 'matches' : 'match'} no feature: ${data.unmatched.slice(0, 5).join(', ')}${data.unmatched.length > 5 ? ', …' : ''}.` : '';
    return `${count(data.regions.length, 'region')} on the map${missing > 0 ? `, ${missing} without a value` : ''}.${unmatched}${skippedNote(data.skipped, 'part')}`;
  },
  legend(data) {
    if (!data.regions.some((r) => r.value !== null)) return null;
    const bar = el('div', { className: 'map-legend-bar', attrs: { 'aria-hidden': 'true' } });
    const ramp = stops();
    bar.style.background = `linear-gradient(to right, ${rampColour(ramp, 0.15)}, ${ramp[1]})`;
    return el(
      'div',
      { className: 'map-legend', attrs: { role: 'group', 'aria-label': 'Legend' } },
      el('span', { className: 'map-legend-end', text: formatValue(data.min) }),
      bar,
      el('span', { className: 'map-legend-end', text: formatValue(data.max) }),
    );
  },
  list: (data) =>
    dataList(`Regions as a list (${data.regions.length})`, ['Region', 'Key', 'Value'], data.regions, (r) => [r.label ?? '', r.key, r.value === null ? '—' : formatValue(r.value)]),
};

registerOutput({
  type: 'map_choropleth',
  render(value, spec) {
    return renderMapOutput(choroplethKind, value, spec.label);
  },
});
