// tree: a collapsible tree, keyboard accessible (the WAI-ARIA tree pattern: arrows, Home/End, Enter/Space).
// Accepts `{root: node}` (the spec's shape), `{root: [nodes]}`, a node or a list of nodes (`{label|name|title,
// value?, children: [...]}`), or any nested objects and lists (keys become labels). Children are built only when their
// parent opens, and a long child list shows a page at a time, so a tree of many thousands of nodes paints at once.
import type { JsonValue } from '../../../src/protocol';
import { el, uniqueId } from '../../dom';
import { registerOutput } from '../registry';
import { isJsonRecord, textOf, type JsonRecord } from '../values';
import { jsonFallback, moreButton, note, pickText, secondaryButton } from './fields';

export const TREE_PAGE = 200;
/** "Expand all" stops after opening this many nodes (a huge tree would stall the panel). */
export const EXPAND_ALL_LIMIT = 2000;

const LABEL_KEYS = ['label', 'name', 'title', 'text', 'id', 'key'];
const DETAIL_KEYS = ['value', 'description', 'detail'];
/** A record with only these keys (and a label) is a node, not a plain object to show key by key. */
const NODE_KEYS = new Set([...LABEL_KEYS, ...DETAIL_KEYS, 'children', 'type', 'icon', 'expanded', 'open', 'collapsed', 'count', 'size', 'kind']);

export interface TreeNode {
  label: string;
  detail?: string;
  open: boolean;
  /** How many children; they are made on demand. */
  count: number;
  children(): TreeNode[];
}

/** A `{label|name|title|text, children?, value?}` node (not a plain object to show key by key). */
function isNodeRecord(value: JsonRecord): boolean {
  if (Array.isArray(value.children)) return true;
  return pickText(value, LABEL_KEYS.slice(0, 4)) !== undefined && Object.keys(value).every((key) => NODE_KEYS.has(key));
}

/** List items that are plain values are labelled by the value itself, not by their index. */
function itemNode(item: JsonValue, index: number): TreeNode {
  return item !== null && typeof item === 'object' ? treeNode(item, String(index)) : treeNode(item, null);
}

function scalarText(value: JsonValue): string {
  return value === null ? 'null' : textOf(value);
}

/** One node from a value; `key` is its name in the parent object or list (if any). */
export function treeNode(value: JsonValue, key: string | null): TreeNode {
  if (isJsonRecord(value) && isNodeRecord(value)) {
    const children = Array.isArray(value.children) ? value.children : [];
    const detailValue = DETAIL_KEYS.map((k) => value[k]).find((v) => v !== undefined && v !== null && typeof v !== 'object');
    return {
      label: pickText(value, LABEL_KEYS) ?? key ?? '(node)',
      detail: detailValue === undefined ? undefined : scalarText(detailValue),
      open: value.expanded === true || value.open === true,
      count: children.length,
      children: () => children.map(itemNode),
    };
  }
  if (Array.isArray(value)) {
    return { label: key ?? 'list', detail: `[${value.length}]`, open: false, count: value.length, children: () => value.map(itemNode) };
  }
  if (isJsonRecord(value)) {
    const entries = Object.entries(value);
    return { label: key ?? 'object', detail: `{${entries.length}}`, open: false, count: entries.length, children: () => entries.map(([k, v]) => treeNode(v, k)) };
  }
  return key === null ? { label: scalarText(value), open: false, count: 0, children: () => [] } : { label: key, detail: scalarText(value), open: false, count: 0, children: () => [] };
}

/** The top-level nodes of a tree value; undefined when the value is not a tree at all. */
export function treeRoots(value: JsonValue): TreeNode[] | undefined {
  if (isJsonRecord(value) && Object.hasOwn(value, 'root')) {
    const root = value.root;
    if (Array.isArray(root)) return root.map(itemNode);
    if (isJsonRecord(root) && !isNodeRecord(root)) return Object.entries(root).map(([k, v]) => treeNode(v, k));
    return [treeNode(root, null)];
  }
  if (Array.isArray(value)) return value.map(itemNode);
  if (isJsonRecord(value) && isNodeRecord(value)) return [treeNode(value, null)];
  if (isJsonRecord(value)) return Object.entries(value).map(([k, v]) => treeNode(v, k));
  return undefined;
}

class TreeItem {
  readonly li: HTMLLIElement;
  private group: HTMLUListElement | undefined;
  private kids: TreeItem[] = [];
  private made: TreeNode[] | undefined;
  private readonly twisty: HTMLElement;
  expanded = false;

  constructor(
    readonly node: TreeNode,
    readonly level: number,
    readonly parent: TreeItem | undefined,
    position: number,
    setSize: number,
    private readonly tree: TreeView,
  ) {
    const labelId = uniqueId('tree-label');
    const detailId = node.detail !== undefined ? uniqueId('tree-detail') : undefined;
    this.twisty = el('span', { className: `tree-twisty codicon${node.count > 0 ? ' codicon-chevron-right' : ''}`, attrs: { 'aria-hidden': 'true' } });
    const row = el(
      'div',
      { className: 'tree-row' },
      this.twisty,
      el('span', { className: 'tree-label', attrs: { id: labelId }, text: node.label }),
      node.detail !== undefined ? el('span', { className: 'tree-detail', attrs: { id: detailId }, text: node.detail }) : null,
    );
    // The indent grows per level; set through the CSSOM (the panel's CSP allows no style attributes in markup).
    row.style.paddingLeft = `${(level - 1) * 16 + 4}px`;
    this.li = el('li', {
      className: 'tree-item',
      attrs: { role: 'treeitem', 'aria-level': level, 'aria-setsize': setSize, 'aria-posinset': position, 'aria-labelledby': detailId ? `${labelId} ${detailId}` : labelId, tabindex: -1 },
    }, row);
    if (node.count > 0) this.li.setAttribute('aria-expanded', 'false');
    row.addEventListener('click', () => {
      this.tree.focus(this);
      this.toggle();
    });
    tree.items.set(this.li, this);
  }

  get hasChildren(): boolean {
    return this.node.count > 0;
  }

  get children(): TreeItem[] {
    return this.kids;
  }

  toggle(): void {
    if (this.expanded) this.collapse();
    else this.expand();
  }

  expand(): void {
    if (!this.hasChildren || this.expanded) return;
    this.expanded = true;
    this.li.setAttribute('aria-expanded', 'true');
    this.twisty.classList.replace('codicon-chevron-right', 'codicon-chevron-down');
    if (!this.group) {
      this.group = el('ul', { className: 'tree-group', attrs: { role: 'group' } });
      this.li.appendChild(this.group);
      this.made = this.node.children();
      this.showMore();
    }
    this.group.hidden = false;
  }

  collapse(): void {
    if (!this.expanded) return;
    this.expanded = false;
    this.li.setAttribute('aria-expanded', 'false');
    this.twisty.classList.replace('codicon-chevron-down', 'codicon-chevron-right');
    if (this.group) this.group.hidden = true;
  }

  /** Adds the next page of children (the "Show more" row moves to the end). */
  private showMore(): void {
    const group = this.group;
    const made = this.made;
    if (!group || !made) return;
    const more = group.lastElementChild;
    if (more?.classList.contains('tree-more')) more.remove();
    const start = this.kids.length;
    const page = made.slice(start, start + TREE_PAGE);
    const fragment = document.createDocumentFragment();
    page.forEach((node, i) => {
      const item = new TreeItem(node, this.level + 1, this, start + i + 1, made.length, this.tree);
      this.kids.push(item);
      fragment.appendChild(item.li);
      if (node.open) item.expand();
    });
    group.appendChild(fragment);
    const left = made.length - this.kids.length;
    if (left > 0) group.appendChild(el('li', { className: 'tree-more', attrs: { role: 'none' } }, moreButton(left, TREE_PAGE, () => this.showMore())));
  }
}

class TreeView {
  readonly element: HTMLElement;
  readonly items = new WeakMap<Element, TreeItem>();
  private readonly list: HTMLUListElement;
  private readonly roots: TreeItem[] = [];
  private current: TreeItem | undefined;
  private readonly status = el('div', { className: 'output-note tree-status', attrs: { 'aria-live': 'polite' } });

  constructor(nodes: TreeNode[], label: string) {
    this.list = el('ul', { className: 'tree-output', attrs: { role: 'tree', 'aria-label': label } });
    const shown = nodes.slice(0, TREE_PAGE * 5);
    shown.forEach((node, i) => {
      const item = new TreeItem(node, 1, undefined, i + 1, nodes.length, this);
      this.roots.push(item);
      this.list.appendChild(item.li);
      // A single root opens by itself: its children are what the tool means to show.
      if (node.open || nodes.length === 1) item.expand();
    });
    if (this.roots.length > 0) this.setCurrent(this.roots[0]);
    this.list.addEventListener('keydown', (event) => this.onKey(event));
    const expandAll = secondaryButton('Expand all', 'expand-all');
    expandAll.addEventListener('click', () => this.expandAll());
    const collapseAll = secondaryButton('Collapse all', 'collapse-all');
    collapseAll.addEventListener('click', () => this.collapseAll());
    const hasBranches = nodes.some((n) => n.count > 0);
    this.element = el(
      'div',
      { className: 'tree-view' },
      hasBranches ? el('div', { className: 'tree-tools' }, expandAll, collapseAll) : null,
      this.list,
      nodes.length > shown.length ? note(`Showing the first ${shown.length.toLocaleString()} of ${nodes.length.toLocaleString()} top-level items.`) : null,
      this.status,
    );
  }

  private setCurrent(item: TreeItem): void {
    if (this.current) this.current.li.tabIndex = -1;
    this.current = item;
    item.li.tabIndex = 0;
  }

  focus(item: TreeItem): void {
    this.setCurrent(item);
    item.li.focus();
  }

  /** The items a user can see, in order (children of collapsed items are not visible). */
  private visibleAfter(item: TreeItem): TreeItem | undefined {
    if (item.expanded && item.children.length > 0) return item.children[0];
    let at: TreeItem | undefined = item;
    while (at) {
      const siblings = at.parent ? at.parent.children : this.roots;
      const index = siblings.indexOf(at);
      if (index + 1 < siblings.length) return siblings[index + 1];
      at = at.parent;
    }
    return undefined;
  }

  private visibleBefore(item: TreeItem): TreeItem | undefined {
    const siblings = item.parent ? item.parent.children : this.roots;
    const index = siblings.indexOf(item);
    if (index === 0) return item.parent;
    let at = siblings[index - 1];
    while (at.expanded && at.children.length > 0) at = at.children[at.children.length - 1];
    return at;
  }

  private lastVisible(): TreeItem | undefined {
    let at = this.roots[this.roots.length - 1];
    while (at && at.expanded && at.children.length > 0) at = at.children[at.children.length - 1];
    return at;
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target instanceof Element ? event.target.closest('[role="treeitem"]') : null;
    const item = (target && this.items.get(target)) ?? this.current;
    if (!item) return;
    let next: TreeItem | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = this.visibleAfter(item);
        break;
      case 'ArrowUp':
        next = this.visibleBefore(item);
        break;
      case 'ArrowRight':
        if (item.hasChildren && !item.expanded) item.expand();
        else if (item.expanded) next = item.children[0];
        break;
      case 'ArrowLeft':
        if (item.expanded) item.collapse();
        else next = item.parent;
        break;
      case 'Home':
        next = this.roots[0];
        break;
      case 'End':
        next = this.lastVisible();
        break;
      case 'Enter':
      case ' ':
        item.toggle();
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next) this.focus(next);
  }

  private expandAll(): void {
    let opened = 0;
    const queue = [...this.roots];
    while (queue.length > 0 && opened < EXPAND_ALL_LIMIT) {
      const item = queue.shift() as TreeItem;
      if (!item.hasChildren) continue;
      item.expand();
      opened += 1;
      queue.push(...item.children);
    }
    this.status.textContent = queue.some((i) => i.hasChildren) ? `Opened ${opened.toLocaleString()} items; the rest stay closed (the tree is very large).` : '';
  }

  private collapseAll(): void {
    const stack = [...this.roots];
    while (stack.length > 0) {
      const item = stack.pop() as TreeItem;
      item.collapse();
      stack.push(...item.children);
    }
    this.status.textContent = '';
    if (this.roots[0]) this.setCurrent(this.roots[0]);
  }
}

registerOutput({
  type: 'tree',
  render(raw, spec) {
    const roots = treeRoots(raw);
    if (!roots) return jsonFallback(raw, 'A tree needs {root: …}, nested objects and lists, or {name, children} nodes.');
    if (roots.length === 0) return { element: note('Empty tree.') };
    return new TreeView(roots, spec.label);
  },
});
