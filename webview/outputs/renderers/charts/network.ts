// chart_network: `{nodes:[{id, label?}], edges:[{source, target, label?}]}` (the spec's shape); `links` for edges,
// plain names for nodes, `[source, target, weight?]` rows and nodes only edges mention (graph.ts) are read too.
// A node's `group`/`category` colours it (with a legend), `size`/`value` scales it, `x`/`y` on every node fixes the
// layout; otherwise a force layout (a circle past 400 nodes). `directed: true` draws arrows.
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { baseOption, legendFor, problem, type ChartBuild, type GraphSeriesOption } from './option';
import { readGraph } from './graph';
import { chartValue, field, record, textField, titleOf, toNumber, uniqueNames } from './values';

const FORCE_LIMIT = 400;

export function networkChartOption(raw: unknown): ChartBuild {
  const rec = record(chartValue(raw) ?? null);
  if (!rec) return problem('expected `{nodes:[{id, label}], edges:[{source, target}]}`');
  const graph = readGraph(rec, ['edges', 'links']);
  if (typeof graph === 'string') return problem(graph);
  if (graph.nodes.length === 0) return problem('no nodes');
  const { nodes, links } = graph;
  const groups = nodes.map((n) => textField(n.data, 'group', 'category', 'type', 'cluster'));
  const categories = [...new Set(groups.filter((g): g is string => g !== undefined))];
  const sizes = nodes.map((n) => toNumber(field(n.data, 'size', 'value', 'weight') ?? null));
  const given = sizes.filter((s): s is number => s !== null && s > 0);
  const biggest = given.length > 0 ? Math.max(...given) : 0;
  const degree = new Array<number>(nodes.length).fill(0);
  for (const l of links) {
    degree[l.source] += 1;
    degree[l.target] += 1;
  }
  const size = (i: number): number => {
    const s = sizes[i];
    // Area follows the value; without one, busier nodes are a little bigger.
    if (s !== null && s > 0 && biggest > 0) return 8 + 32 * Math.sqrt(s / biggest);
    return Math.min(28, 10 + 2 * degree[i]);
  };
  const positions = nodes.map((n) => [toNumber(field(n.data, 'x') ?? null), toNumber(field(n.data, 'y') ?? null)]);
  const placed = positions.every(([x, y]) => x !== null && y !== null);
  const layout = placed ? 'none' : nodes.length <= FORCE_LIMIT ? 'force' : 'circular';
  const edgeLabels = links.map((l) => l.label ?? '');
  const showEdgeLabels = links.length <= 300 && edgeLabels.some((l) => l !== '');
  const directed = rec.directed === true || rec.arrows === true;
  const title = titleOf(rec);
  const legend = categories.length > 1 ? legendFor(uniqueNames(categories), title !== undefined) : undefined;
  const series: GraphSeriesOption = {
    type: 'graph',
    layout,
    top: (title ? 34 : 10) + (legend ? 28 : 0),
    bottom: 10,
    left: 10,
    right: 10,
    roam: 'move',
    draggable: layout === 'force',
    categories: categories.length > 0 ? categories.map((name) => ({ name })) : undefined,
    // Ids are positions, so two nodes with one label stay two nodes; edges refer to positions too.
    data: nodes.map((n, i) => ({
      id: `n${i}`,
      name: n.label,
      symbolSize: size(i),
      category: groups[i] !== undefined ? categories.indexOf(groups[i] as string) : undefined,
      ...(placed ? { x: positions[i][0] as number, y: positions[i][1] as number } : {}),
    })),
    links: links.map((l) => ({ source: l.source, target: l.target, ...(l.value !== null ? { value: l.value } : {}) })),
    label: { show: nodes.length <= 100, position: 'right' },
    edgeLabel: { show: showEdgeLabels, formatter: (p) => edgeLabels[p.dataIndex] ?? '' },
    edgeSymbol: directed ? ['none', 'arrow'] : ['none', 'none'],
    edgeSymbolSize: 7,
    force: { repulsion: nodes.length > 100 ? 60 : 160, edgeLength: [40, 120], gravity: 0.08 },
    circular: { rotateLabel: true },
    emphasis: { focus: 'adjacency' },
    lineStyle: { opacity: 0.7, width: 1.2, curveness: directed ? 0.1 : 0 },
  };
  const points = nodes.length + links.length;
  return { ok: true, points, height: 440, option: { ...baseOption(points, title), legend, series: [series] } };
}

registerOutput({
  type: 'chart_network',
  render: (value, spec, ctx) => chartView(value, spec, ctx, networkChartOption),
});
