// Nodes and links (sankey, network): nodes as `{id, label?, …}` records or plain names, links whose source and
// target name a node by id, by label or by position. A link to a node that was not listed adds that node, as
// d3 and networkx do. Links are returned with node positions, so duplicate labels cannot mix nodes up.
import type { JsonValue } from '../../../../src/protocol';
import { arrayField, field, record, textField, toNumber, toText, type JsonRecord } from './values';

export interface GraphNode {
  id: string;
  label: string;
  /** The node's own record (group, size, position…), empty for a plain name or an implied node. */
  data: JsonRecord;
}

export interface GraphLink {
  source: number;
  target: number;
  value: number | null;
  label?: string;
}

export interface GraphData {
  nodes: GraphNode[];
  links: GraphLink[];
}

export function readGraph(rec: JsonRecord, linkKeys: string[]): GraphData | string {
  const nodeList = arrayField(rec, 'nodes', 'vertices') ?? [];
  const linkList = arrayField(rec, ...linkKeys);
  if (!linkList && nodeList.length === 0) return `no \`nodes\` or \`${linkKeys[0]}\` in the value`;
  const nodes: GraphNode[] = [];
  const byId = new Map<string, number>();
  const byLabel = new Map<string, number>();
  const add = (id: string, label: string, data: JsonRecord): number => {
    const existing = byId.get(id);
    if (existing !== undefined) return existing;
    nodes.push({ id, label, data });
    byId.set(id, nodes.length - 1);
    if (!byLabel.has(label)) byLabel.set(label, nodes.length - 1);
    return nodes.length - 1;
  };
  nodeList.forEach((item, i) => {
    const node = record(item);
    if (node) {
      const id = textField(node, 'id', 'name', 'key', 'label') ?? String(i);
      add(id, textField(node, 'label', 'name', 'title', 'id') ?? id, node);
      return;
    }
    const name = toText(item);
    if (name !== undefined) add(name, name, {});
  });
  const listed = nodes.length;
  const resolve = (ref: JsonValue | undefined): number | undefined => {
    const rec2 = record(ref ?? null);
    if (rec2) ref = field(rec2, 'id', 'name');
    const text = toText(ref);
    if (text === undefined) return undefined;
    const known = byId.get(text) ?? byLabel.get(text);
    if (known !== undefined) return known;
    // A whole number that names no node is a position in the node list (d3's convention).
    if (typeof ref === 'number' && Number.isInteger(ref) && ref >= 0 && ref < listed) return ref;
    return add(text, text, {});
  };
  const links: GraphLink[] = [];
  for (const item of linkList ?? []) {
    let source: number | undefined;
    let target: number | undefined;
    let value: number | null = null;
    let label: string | undefined;
    const link = record(item);
    if (link) {
      source = resolve(field(link, 'source', 'from', 'src', 'u'));
      target = resolve(field(link, 'target', 'to', 'dst', 'v'));
      value = toNumber(field(link, 'value', 'weight', 'count', 'flow', 'amount') ?? null);
      label = textField(link, 'label', 'name', 'title');
    } else if (Array.isArray(item) && item.length >= 2) {
      source = resolve(item[0]);
      target = resolve(item[1]);
      value = toNumber(item[2] ?? null);
    }
    if (source === undefined || target === undefined) continue;
    links.push(label === undefined ? { source, target, value } : { source, target, value, label });
  }
  return { nodes, links };
}

/** Whether the links loop back on themselves anywhere (a sankey cannot lay such flows out). */
export function hasCycle(nodeCount: number, links: GraphLink[]): boolean {
  const incoming = new Array<number>(nodeCount).fill(0);
  const out: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const { source, target } of links) {
    out[source].push(target);
    incoming[target] += 1;
  }
  const ready = incoming.flatMap((n, i) => (n === 0 ? [i] : []));
  let done = 0;
  while (ready.length > 0) {
    const node = ready.pop() as number;
    done += 1;
    for (const next of out[node]) {
      incoming[next] -= 1;
      if (incoming[next] === 0) ready.push(next);
    }
  }
  return done < nodeCount;
}
