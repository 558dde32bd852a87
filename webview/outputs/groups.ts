// Output layouts (reference §3.5): consecutive outputs with the same `layout` form one group — `tab` a tab strip,
// `inline` a row of cards side by side, `panel` stacked cards. A tab group of one output is shown as a plain panel.
import type { OutputSpec } from '../../src/protocol';

type OutputLayout = OutputSpec['layout'];

export interface OutputGroup {
  layout: OutputLayout;
  specs: OutputSpec[];
}

export function groupOutputs(specs: readonly OutputSpec[]): OutputGroup[] {
  const groups: OutputGroup[] = [];
  for (const spec of specs) {
    const layout: OutputLayout = spec.layout ?? 'panel';
    const last = groups.at(-1);
    if (last && last.layout === layout) last.specs.push(spec);
    else groups.push({ layout, specs: [spec] });
  }
  return groups.map((group) => (group.layout === 'tab' && group.specs.length === 1 ? { layout: 'panel', specs: group.specs } : group));
}
