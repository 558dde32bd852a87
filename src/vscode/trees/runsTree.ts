// The Runs view: newest first across tools, or grouped by tool; pages of 100 with "Load more" (keyset paging);
// filters by tool, status, starred and text in the inputs, shown in the view's description.
import * as vscode from 'vscode';
import { listRunListRows, type RunFilter } from '../../core/store/repositories/runs';
import type { Store } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { ContextKeys } from '../contextKeys';
import { contextValue } from './contextValues';
import type { LoadMoreNode, MessageNode, RunGroupNode, RunNode, RunsNode } from './nodes';
import { KeysetPager, type KeysetRow } from './pager';
import { RunsBadge } from './runsBadge';
import { filterDescription, isFilterActive, runItemText, STATUS_ICONS, type RunRow } from './runsModel';
import { hasAnyRun, toolsWithRuns } from './viewQueries';

const STATUS_COLOURS: Partial<Record<RunRow['status'], string>> = {
  ok: 'testing.iconPassed',
  error: 'testing.iconFailed',
  cancelled: 'disabledForeground',
};

export class RunsTree implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Created by the activation shell (it outlives this tree), with a provider that forwards to this tree. */
  readonly view: vscode.TreeView<RunsNode>;
  /** Runs finished since the user last looked at the view (TreeView.badge). */
  readonly badge: RunsBadge;
  private grouped = false;
  private filter: RunFilter = {};
  private readonly flatPager: KeysetPager<RunRow>;
  private readonly groupPagers = new Map<string, KeysetPager<RunRow>>();
  private readonly groupNodes = new Map<string, RunGroupNode>();

  constructor(
    view: vscode.TreeView<RunsNode>,
    private readonly store: Store,
    private readonly catalog: ToolCatalog,
    private readonly contextKeys: ContextKeys,
  ) {
    this.flatPager = new KeysetPager((after, limit) => this.readPage(undefined, after, limit));
    this.view = view;
    this.badge = new RunsBadge(this.view, store);
    this.updateViewTexts();
  }

  get isGrouped(): boolean {
    return this.grouped;
  }

  get currentFilter(): Readonly<RunFilter> {
    return this.filter;
  }

  setGrouped(grouped: boolean): void {
    this.grouped = grouped;
    void this.contextKeys.set('pixie.runsGrouped', grouped);
    this.refresh();
  }

  setFilter(filter: RunFilter): void {
    this.filter = { ...filter };
    this.flatPager.reset();
    for (const pager of this.groupPagers.values()) pager.reset();
    this.refresh();
  }

  /** The store changed: every loaded list re-reads on its next display; the badge counts runs that finished. */
  refresh(): void {
    this.badge.update();
    this.flatPager.markStale();
    for (const pager of this.groupPagers.values()) pager.markStale();
    this.updateViewTexts();
    this.emitter.fire(undefined);
  }

  loadMore(list: string): void {
    if (list === 'runs') {
      this.flatPager.loadMore();
      this.emitter.fire(undefined);
      return;
    }
    const toolId = list.replace(/^runs:/, '');
    this.pagerFor(toolId).loadMore();
    this.emitter.fire(this.groupNode(toolId));
  }

  toolName(toolId: string): string {
    return this.catalog.get(toolId)?.spec?.name ?? toolId;
  }

  getChildren(element?: RunsNode): RunsNode[] {
    if (!element) {
      this.updateViewTexts();
      if (!this.grouped) return this.listNodes('runs', this.flatPager, false);
      const tools = this.filter.toolId !== undefined ? [this.filter.toolId] : this.store.read(toolsWithRuns);
      return tools
        .sort((a, b) => this.toolName(a).localeCompare(this.toolName(b)))
        .map((toolId) => this.groupNode(toolId));
    }
    if (element.type === 'runGroup') return this.listNodes(`runs:${element.toolId}`, this.pagerFor(element.toolId), true);
    return [];
  }

  getParent(element: RunsNode): RunsNode | undefined {
    if (element.type === 'run' && element.grouped) return this.groupNode(element.run.toolId);
    return undefined;
  }

  getTreeItem(element: RunsNode): vscode.TreeItem {
    switch (element.type) {
      case 'runGroup': {
        const item = new vscode.TreeItem(this.toolName(element.toolId), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `runs:${element.toolId}`;
        item.description = element.toolId;
        item.iconPath = new vscode.ThemeIcon('tools');
        item.contextValue = contextValue('runGroup');
        return item;
      }
      case 'run':
        return this.runItem(element);
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${element.list}`;
        item.description = `${element.shown} shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = contextValue('loadMore');
        item.command = { command: 'pixie.runs.loadMore', title: 'Load More', arguments: [element.list] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = contextValue('message');
        if (element.command) item.command = { command: element.command.id, title: element.command.title };
        return item;
      }
    }
  }

  private groupNode(toolId: string): RunGroupNode {
    let node = this.groupNodes.get(toolId);
    if (!node) this.groupNodes.set(toolId, (node = { type: 'runGroup', toolId }));
    return node;
  }

  private pagerFor(toolId: string): KeysetPager<RunRow> {
    let pager = this.groupPagers.get(toolId);
    if (!pager) this.groupPagers.set(toolId, (pager = new KeysetPager((after, limit) => this.readPage(toolId, after, limit))));
    return pager;
  }

  private readPage(toolId: string | undefined, after: KeysetRow | undefined, limit: number): RunRow[] {
    const filter = toolId !== undefined ? { ...this.filter, toolId } : this.filter;
    // Only the list columns are read: outputs (up to the inline limit each) are neither decoded nor held for a page.
    return this.store.read((q) => listRunListRows(q, { ...filter, after, limit }));
  }

  private listNodes(list: string, pager: KeysetPager<RunRow>, grouped: boolean): RunsNode[] {
    const rows = pager.current();
    const nodes: RunsNode[] = rows.map((run): RunNode => ({ type: 'run', run, grouped }));
    if (pager.hasMore) nodes.push({ type: 'loadMore', list, shown: rows.length } satisfies LoadMoreNode);
    if (rows.length === 0 && isFilterActive(this.filter) && !grouped) {
      nodes.push({
        type: 'message',
        id: 'runs:no-match',
        text: 'No runs match the filter — click to clear it',
        command: { id: 'pixie.runs.clearFilter', title: 'Clear Filter' },
      } satisfies MessageNode);
    }
    return nodes;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const { run } = node;
    const text = runItemText(run, { toolName: this.toolName(run.toolId), grouped: node.grouped });
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${node.grouped ? 'g' : 'f'}:${run.id}`;
    item.description = text.description;
    item.tooltip = new vscode.MarkdownString(text.tooltip);
    const colour = STATUS_COLOURS[run.status];
    item.iconPath = new vscode.ThemeIcon(STATUS_ICONS[run.status], colour ? new vscode.ThemeColor(colour) : undefined);
    item.contextValue = contextValue('run', {
      starred: run.starred,
      labelled: run.label !== null,
      running: run.status === 'running',
      failed: run.status === 'error',
      hasError: run.errorText !== null && run.errorText !== '',
    });
    item.accessibilityInformation = { label: `${text.label}, ${run.status}, ${text.description}` };
    item.command = { command: 'pixie.run.open', title: 'Open Run', arguments: [node] };
    return item;
  }

  private updateViewTexts(): void {
    const active = isFilterActive(this.filter);
    this.view.description = active
      ? filterDescription({ ...this.filter, toolName: this.filter.toolId ? this.toolName(this.filter.toolId) : undefined })
      : undefined;
    void this.contextKeys.set('pixie.runsFiltered', active);
    void this.contextKeys.set('pixie.hasRuns', this.store.read(hasAnyRun));
  }

  dispose(): void {
    this.badge.dispose();
    this.emitter.dispose();
  }
}
