// The Artefacts view: files runs produced, under their run (newest first, keyset pages) or under their tool;
// filename, size, MIME icon, star/label/tags; soft-deleted files only with "Show Deleted".
import * as vscode from 'vscode';
import { listArtefacts, listArtefactsByRun, type ArtefactRecord } from '../../core/store/repositories/artefacts';
import type { Store } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { ContextKeys } from '../contextKeys';
import { artefactItemText, FAMILY_ICONS, mimeFamily } from './artefactsModel';
import { contextValue } from './contextValues';
import { formatBytes, formatRunTime } from './format';
import type { ArtefactNode, ArtefactRunNode, ArtefactsNode, ArtefactToolNode, LoadMoreNode } from './nodes';
import { KeysetPager, PAGE_SIZE } from './pager';
import { hasAnyArtefact, runsWithArtefacts, toolsWithArtefacts, type RunWithArtefacts } from './viewQueries';

export class ArtefactsTree implements vscode.TreeDataProvider<ArtefactsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ArtefactsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Created by the activation shell (it outlives this tree), with a provider that forwards to this tree. */
  readonly view: vscode.TreeView<ArtefactsNode>;
  private byTool = false;
  private deletedShown = false;
  private readonly runPager: KeysetPager<RunWithArtefacts>;
  /** Per tool: how many artefacts to show (grows by a page with "Load more"). */
  private readonly toolLimits = new Map<string, number>();
  private readonly toolNodes = new Map<string, ArtefactToolNode>();

  constructor(
    view: vscode.TreeView<ArtefactsNode>,
    private readonly store: Store,
    private readonly catalog: ToolCatalog,
    private readonly contextKeys: ContextKeys,
  ) {
    this.runPager = new KeysetPager((after, limit) =>
      this.store.read((q) => runsWithArtefacts(q, { after, limit, includeDeleted: this.deletedShown })),
    );
    this.view = view;
    this.updateViewTexts();
  }

  get groupedByTool(): boolean {
    return this.byTool;
  }

  get showDeleted(): boolean {
    return this.deletedShown;
  }

  setGroupedByTool(byTool: boolean): void {
    this.byTool = byTool;
    void this.contextKeys.set('pixie.artefactsByTool', byTool);
    this.refresh();
  }

  setShowDeleted(show: boolean): void {
    this.deletedShown = show;
    void this.contextKeys.set('pixie.showDeleted', show);
    this.runPager.reset();
    this.refresh();
  }

  refresh(): void {
    this.runPager.markStale();
    this.updateViewTexts();
    this.emitter.fire(undefined);
  }

  private updateViewTexts(): void {
    this.view.description = this.deletedShown ? 'incl. deleted' : undefined;
    void this.contextKeys.set('pixie.hasArtefacts', this.store.read(hasAnyArtefact));
  }

  loadMore(list: string): void {
    if (list === 'artefacts') {
      this.runPager.loadMore();
      this.emitter.fire(undefined);
      return;
    }
    const toolId = list.replace(/^artefacts:/, '');
    this.toolLimits.set(toolId, (this.toolLimits.get(toolId) ?? PAGE_SIZE) + PAGE_SIZE);
    this.emitter.fire(this.toolNode(toolId));
  }

  private toolName(toolId: string): string {
    return this.catalog.get(toolId)?.spec?.name ?? toolId;
  }

  getChildren(element?: ArtefactsNode): ArtefactsNode[] {
    if (!element) {
      this.updateViewTexts();
      if (this.byTool) {
        return this.store
          .read((q) => toolsWithArtefacts(q, this.deletedShown))
          .sort((a, b) => this.toolName(a).localeCompare(this.toolName(b)))
          .map((toolId) => this.toolNode(toolId));
      }
      const rows = this.runPager.current();
      const nodes: ArtefactsNode[] = rows.map((run): ArtefactRunNode => ({ type: 'artefactRun', run }));
      if (this.runPager.hasMore) nodes.push({ type: 'loadMore', list: 'artefacts', shown: rows.length } satisfies LoadMoreNode);
      return nodes;
    }
    if (element.type === 'artefactRun') {
      return this.store
        .read((q) => listArtefactsByRun(q, element.run.id, this.deletedShown))
        .map((artefact): ArtefactNode => ({ type: 'artefact', artefact, parentId: `run:${element.run.id}` }));
    }
    if (element.type === 'artefactTool') {
      const limit = this.toolLimits.get(element.toolId) ?? PAGE_SIZE;
      const rows = this.store.read((q) =>
        listArtefacts(q, { toolId: element.toolId, includeDeleted: this.deletedShown, limit: limit + 1 }),
      );
      const nodes: ArtefactsNode[] = rows
        .slice(0, limit)
        .map((artefact): ArtefactNode => ({ type: 'artefact', artefact, parentId: `tool:${element.toolId}` }));
      if (rows.length > limit) nodes.push({ type: 'loadMore', list: `artefacts:${element.toolId}`, shown: limit });
      return nodes;
    }
    return [];
  }

  getTreeItem(element: ArtefactsNode): vscode.TreeItem {
    switch (element.type) {
      case 'artefactRun': {
        const run = element.run;
        const item = new vscode.TreeItem(this.toolName(run.toolId), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `artefacts:run:${run.id}`;
        item.description = `${formatRunTime(run.startedAt)} · ${run.count} file${run.count === 1 ? '' : 's'} · ${formatBytes(run.bytes)}`;
        item.tooltip = `Run ${run.id} of ${run.toolId} (${run.status})`;
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = contextValue('artefactRun');
        return item;
      }
      case 'artefactTool': {
        const item = new vscode.TreeItem(this.toolName(element.toolId), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `artefacts:tool:${element.toolId}`;
        item.description = element.toolId;
        item.iconPath = new vscode.ThemeIcon('tools');
        item.contextValue = contextValue('artefactTool');
        return item;
      }
      case 'artefact':
        return this.artefactItem(element);
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${element.list}`;
        item.description = `${element.shown} shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = contextValue('loadMore');
        item.command = { command: 'pixie.artefacts.loadMore', title: 'Load More', arguments: [element.list] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.contextValue = contextValue('message');
        return item;
      }
    }
  }

  private toolNode(toolId: string): ArtefactToolNode {
    let node = this.toolNodes.get(toolId);
    if (!node) this.toolNodes.set(toolId, (node = { type: 'artefactTool', toolId }));
    return node;
  }

  private artefactItem(node: ArtefactNode): vscode.TreeItem {
    const artefact: ArtefactRecord = node.artefact;
    const text = artefactItemText(artefact);
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.id = `artefact:${node.parentId}:${artefact.id}`;
    item.description = text.description;
    item.tooltip = new vscode.MarkdownString(text.tooltip);
    item.iconPath = new vscode.ThemeIcon(
      artefact.deletedAt ? 'trash' : FAMILY_ICONS[mimeFamily(artefact.mime, artefact.filename)],
      artefact.deletedAt ? new vscode.ThemeColor('disabledForeground') : undefined,
    );
    item.contextValue = contextValue('artefact', {
      starred: artefact.starred,
      labelled: artefact.label !== null,
      deleted: artefact.deletedAt !== null,
    });
    item.accessibilityInformation = { label: `${text.label}, ${text.description}` };
    if (!artefact.deletedAt) item.command = { command: 'pixie.artefact.open', title: 'Open', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
