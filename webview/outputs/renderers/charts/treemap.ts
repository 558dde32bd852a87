// chart_treemap: `{nodes:[{id, label, value, parent?}]}` (the spec's shape: a flat list, parents by id), or a nested
// tree: `{name|label, value?, children:[…]}` as the value, under `root`, or a list of them under `nodes`/`data`/
// `children`. A node without a value takes the sum of its children; leaves without a positive value take no room and
// are left out. Parents that name no node put the node at the top; a parent chain that loops is cut.
import type { JsonValue } from '../../../../src/protocol';
import { registerOutput } from '../../registry';
import { chartView } from './card';
import { baseOption, problem, type ChartBuild, type TreemapSeriesOption } from './option';
import { arrayField, chartValue, field, record, textField, titleOf, toNumber, toText, type JsonRecord } from './values';

export interface TreeNode {
  name: string;
  value?: number;
  children: TreeNode[];
}

const MAX_DEPTH = 50;

function nested(item: JsonValue, index: number, depth: number): TreeNode | undefined {
  const rec = record(item);
  if (!rec || depth > MAX_DEPTH) return undefined;
  const children = (arrayField(rec, 'children', 'nodes') ?? []).map((c, i) => nested(c, i, depth + 1)).filter((c): c is TreeNode => c !== undefined);
  const value = toNumber(field(rec, 'value', 'size', 'count', 'weight') ?? null);
  const node: TreeNode = { name: textField(rec, 'label', 'name', 'id', 'title') ?? `Node ${index + 1}`, children };
  if (value !== null) node.value = value;
  return node;
}

/** A flat list with `parent` references, made into a tree. */
function fromFlat(list: JsonValue[]): TreeNode[] {
  const records = list.map(record).filter((r): r is JsonRecord => r !== undefined);
  const nodes = records.map((rec, i): TreeNode => {
    const value = toNumber(field(rec, 'value', 'size', 'count', 'weight') ?? null);
    const node: TreeNode = { name: textField(rec, 'label', 'name', 'id') ?? `Node ${i + 1}`, children: [] };
    if (value !== null) node.value = value;
    return node;
  });
  const byId = new Map<string, number>();
  records.forEach((rec, i) => {
    const id = textField(rec, 'id', 'name', 'label');
    if (id !== undefined && !byId.has(id)) byId.set(id, i);
  });
  const parentOf = records.map((rec) => {
    const ref = toText(field(rec, 'parent', 'parent_id', 'parentId') ?? null);
    return ref === undefined ? undefined : byId.get(ref);
  });
  const roots: TreeNode[] = [];
  records.forEach((_, i) => {
    let parent = parentOf[i];
    // Walk up: a chain that comes back to this node is a loop, and the node goes to the top instead.
    for (let at = parent, steps = 0; at !== undefined; at = parentOf[at], steps += 1) {
      if (at === i || steps > records.length) {
        parent = undefined;
        break;
      }
    }
    if (parent === undefined) roots.push(nodes[i]);
    else nodes[parent].children.push(nodes[i]);
  });
  return roots;
}

/** Leaves without a positive value are dropped; then parents with nothing left and no value of their own. */
export function prune(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((node): TreeNode[] => {
    const children = prune(node.children);
    if (children.length === 0 && !(node.value !== undefined && node.value > 0)) return [];
    const kept: TreeNode = { name: node.name, children };
    // A parent's own value only counts when it is at least its children's sum (ECharts would squeeze them).
    const sum = children.reduce((total, c) => total + (c.value ?? 0), 0);
    if (node.value !== undefined && node.value > 0 && node.value >= sum) kept.value = node.value;
    else if (children.length > 0) kept.value = sum;
    return [kept];
  });
}

export function readTree(value: JsonValue): TreeNode[] | string {
  if (Array.isArray(value)) value = { nodes: value };
  const rec = record(value);
  if (!rec) return 'expected `{nodes:[{id, label, value, parent?}]}`';
  const root = record(rec.root ?? null);
  if (root) return [nested(root, 0, 0)].filter((n): n is TreeNode => n !== undefined);
  const list = arrayField(rec, 'nodes', 'data', 'children', 'items');
  if (!list) return 'no `nodes` (or `root`, `children`) in the value';
  const flat = list.some((item) => {
    const r = record(item);
    return r !== undefined && Object.hasOwn(r, 'parent');
  });
  if (flat) return fromFlat(list);
  if (Object.hasOwn(rec, 'children') && (textField(rec, 'name', 'label') !== undefined)) return [nested(rec, 0, 0)].filter((n): n is TreeNode => n !== undefined);
  return list.map((item, i) => nested(item, i, 0)).filter((n): n is TreeNode => n !== undefined);
}

function count(nodes: TreeNode[]): number {
  return nodes.reduce((n, node) => n + 1 + count(node.children), 0);
}

export function treemapChartOption(raw: unknown): ChartBuild {
  const value = chartValue(raw);
  if (value === undefined) return problem('no value');
  const tree = readTree(value);
  if (typeof tree === 'string') return problem(tree);
  const kept = prune(tree);
  if (kept.length === 0) return problem('no node with a positive value');
  const title = titleOf(record(value));
  const points = count(kept);
  const series: TreemapSeriesOption = {
    type: 'treemap',
    top: title ? 34 : 8,
    left: 8,
    right: 8,
    bottom: 34,
    roam: false,
    data: kept,
    leafDepth: points > 400 ? 2 : undefined,
    label: { show: true, overflow: 'truncate' },
    upperLabel: { show: true, height: 18 },
    levels: [{ itemStyle: { borderWidth: 0, gapWidth: 2 } }, { itemStyle: { gapWidth: 1 } }],
  };
  return { ok: true, points, height: 420, option: { ...baseOption(points, title), series: [series] } };
}

registerOutput({
  type: 'chart_treemap',
  render: (value, spec, ctx) => chartView(value, spec, ctx, treemapChartOption),
});
