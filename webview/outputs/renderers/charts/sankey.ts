// chart_sankey: `{nodes:[{id, label}], links:[{source, target, value}]}` (the spec's shape). Nodes may be plain
// names, links may name nodes by id, label or position (graph.ts) and may come as `edges`/`flows` or
// `[source, target, value]` rows; nodes only links mention are added. Two nodes with one label stay two nodes
// ("Beta", "Beta (2)"). Links without a positive value, and links from
// a node to itself, carry no flow and are left out; flows that loop back cannot be drawn as a sankey (JSON view).
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { baseOption, problem, type ChartBuild, type SankeySeriesOption } from './option';
import { hasCycle, readGraph } from './graph';
import { chartValue, record, titleOf, uniqueNames } from './values';

export function sankeyChartOption(raw: unknown): ChartBuild {
  const rec = record(chartValue(raw) ?? null);
  if (!rec) return problem('expected `{nodes:[{id, label}], links:[{source, target, value}]}`');
  const graph = readGraph(rec, ['links', 'edges', 'flows']);
  if (typeof graph === 'string') return problem(graph);
  const links = graph.links.filter((l) => l.value !== null && l.value > 0 && l.source !== l.target);
  if (links.length === 0) return problem('no link with a positive value');
  if (hasCycle(graph.nodes.length, links)) return problem('the links loop back on themselves, which a sankey cannot draw');
  // Only nodes some flow touches: a lone node would float without a place in the layout.
  const position = new Map<number, number>();
  for (const l of links) for (const n of [l.source, l.target]) if (!position.has(n)) position.set(n, position.size);
  const kept = [...position.keys()].sort((a, b) => a - b);
  kept.forEach((n, i) => position.set(n, i));
  const names = uniqueNames(kept.map((n) => graph.nodes[n].label));
  const title = titleOf(rec);
  const series: SankeySeriesOption = {
    type: 'sankey',
    top: title ? 34 : 10,
    left: 10,
    right: 120,
    bottom: 10,
    nodeGap: 10,
    emphasis: { focus: 'adjacency' },
    lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
    // ECharts labels sankey nodes (and names flows in tooltips) by id: the labels, made unique, are the ids.
    data: names.map((name) => ({ id: name, name })),
    links: links.map((l) => ({ source: names[position.get(l.source) as number], target: names[position.get(l.target) as number], value: l.value as number })),
  };
  const height = Math.min(900, Math.max(320, kept.length * 14 + 120));
  return {
    ok: true,
    points: links.length,
    height,
    option: { ...baseOption(links.length, title), tooltip: { renderMode: 'richText', confine: true, trigger: 'item' }, series: [series] },
  };
}

registerOutput({
  type: 'chart_sankey',
  render: (value, spec, ctx) => chartView(value, spec, ctx, sankeyChartOption),
});
