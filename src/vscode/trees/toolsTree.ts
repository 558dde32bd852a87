// The Tools view: tools grouped by workspace (or flat when there are none), each with its state, last run and
// validation dot; broken tools show their tool.json error. Read from the catalog, tool_state, the workspace and
// tag tables and the launcher, in one store read per refresh.
import * as vscode from 'vscode';
import type { Launcher } from '../../core/runner/launcher';
import { listToolStates, type ToolStateRecord } from '../../core/store/repositories/toolState';
import { listWorkspaces, setWorkspaceCollapsed, type WorkspaceRecord } from '../../core/store/repositories/workspaces';
import type { Store } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { DiscoveredTool } from '../../core/tools/discovery';
import type { ContextKeys } from '../contextKeys';
import { toolUri } from '../decorations/validationDecorations';
import type { ValidationState } from '../decorations/validationState';
import { contextValue } from './contextValues';
import type { OtherGroupNode, ToolNode, ToolsNode, WorkspaceNode } from './nodes';
import { toolItemText, type ToolRunState, type ValidationStatus } from './toolItemText';
import { layoutTools, type ToolRow } from './toolsModel';
import { allMemberships, allToolTagPairs } from './viewQueries';

/** Named colours offered by "Colour…" and the theme colour each is drawn with. */
export const TOOL_COLOURS: Readonly<Record<string, string>> = {
  red: 'charts.red',
  orange: 'charts.orange',
  yellow: 'charts.yellow',
  green: 'charts.green',
  blue: 'charts.blue',
  purple: 'charts.purple',
};

interface Snapshot {
  roots: ToolsNode[];
  states: Map<string, ToolStateRecord>;
  workspaces: WorkspaceRecord[];
  tags: Map<string, string[]>;
  workspaceNames: Map<string, string[]>;
  runStates: Map<string, ToolRunState>;
  hidden: number;
}

export class ToolsTree implements vscode.TreeDataProvider<ToolsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ToolsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Created by the activation shell (it outlives this tree), with a provider that forwards to this tree. */
  readonly view: vscode.TreeView<ToolsNode>;
  private snapshot: Snapshot | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  showArchived = false;
  tagFilter: string[] = [];

  constructor(
    view: vscode.TreeView<ToolsNode>,
    private readonly store: Store,
    private readonly catalog: ToolCatalog,
    private readonly launcher: Launcher,
    private readonly validation: ValidationState,
    private readonly contextKeys: ContextKeys,
    private readonly isTrusted: () => boolean,
  ) {
    this.view = view;
    // Expanding/collapsing a workspace is remembered in workspaces.collapsed (best effort: read-only stores skip it).
    this.subscriptions.push(
      this.view.onDidCollapseElement((e) => this.rememberCollapsed(e.element, true)),
      this.view.onDidExpandElement((e) => this.rememberCollapsed(e.element, false)),
    );
    this.updateViewTexts();
  }

  refresh(): void {
    this.snapshot = undefined;
    this.updateViewTexts();
    this.emitter.fire(undefined);
  }

  /** Everything shown right now (builds it when needed). */
  current(): Snapshot {
    this.snapshot ??= this.build();
    return this.snapshot;
  }

  getChildren(element?: ToolsNode): ToolsNode[] {
    if (!element) {
      const snapshot = this.current();
      this.updateViewTexts();
      return snapshot.roots;
    }
    if (element.type === 'workspace' || element.type === 'otherGroup') return element.children;
    return [];
  }

  getParent(element: ToolsNode): ToolsNode | undefined {
    if (element.type !== 'tool') return undefined;
    return this.current().roots.find(
      (root) => (root.type === 'workspace' || root.type === 'otherGroup') && root.children.includes(element),
    );
  }

  getTreeItem(element: ToolsNode): vscode.TreeItem {
    switch (element.type) {
      case 'workspace':
        return this.workspaceItem(element);
      case 'otherGroup': {
        const item = new vscode.TreeItem('Other', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'group:other';
        item.description = `${element.children.length}`;
        item.tooltip = 'Tools that are in no workspace';
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = contextValue('otherGroup');
        return item;
      }
      case 'tool':
        return this.toolItem(element);
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

  /** Tool ids in the order shown under `workspaceId` (for Move Up/Down). */
  membersInOrder(workspaceId: number): ToolRow[] {
    const group = this.current().roots.find((r): r is WorkspaceNode => r.type === 'workspace' && r.workspace.id === workspaceId);
    return group ? group.children.map((c) => c.row) : [];
  }

  /** Every tool node shown (a tool in two workspaces appears twice). */
  toolNodes(): ToolNode[] {
    const out: ToolNode[] = [];
    for (const root of this.current().roots) {
      if (root.type === 'tool') out.push(root);
      else if (root.type === 'workspace' || root.type === 'otherGroup') out.push(...root.children);
    }
    return out;
  }

  private build(): Snapshot {
    const tools = this.catalog.tools();
    const { states, workspaces, memberships, tags } = this.store.read((q) => ({
      states: new Map(listToolStates(q).map((s) => [s.toolId, s])),
      workspaces: listWorkspaces(q),
      memberships: allMemberships(q),
      tags: allToolTagPairs(q),
    }));
    const rows = tools.map((tool): ToolRow => {
      const state = states.get(tool.toolId);
      return {
        toolId: tool.toolId,
        folderName: tool.folderName,
        name: tool.spec?.name ?? tool.folderName,
        favourited: state?.favourited ?? false,
        pinned: state?.pinned ?? false,
        archived: state?.archived ?? false,
        sortOrder: state?.sortOrder ?? null,
        sortOrderInWorkspace: state?.sortOrderInWorkspace ?? {},
        tags: tags.get(tool.toolId) ?? [],
      };
    });
    const byFolder = new Map(tools.map((tool) => [tool.folderName, tool]));
    const layout = layoutTools(
      rows,
      workspaces.map((w) => ({ id: w.id, name: w.name, sortOrder: w.sortOrder })),
      memberships,
      { showArchived: this.showArchived, tagFilter: this.tagFilter },
    );
    const nodesFor = (list: ToolRow[], workspaceId: number | undefined): ToolNode[] =>
      list.map((row, index) => ({
        type: 'tool',
        tool: byFolder.get(row.folderName)!,
        row,
        workspaceId,
        first: index === 0,
        last: index === list.length - 1,
      }));
    const workspaceById = new Map(workspaces.map((w) => [w.id, w]));
    const workspaceNames = new Map<string, string[]>();
    for (const m of memberships) {
      const name = workspaceById.get(m.workspaceId)?.name;
      if (name === undefined) continue;
      workspaceNames.set(m.toolId, [...(workspaceNames.get(m.toolId) ?? []), name]);
    }
    let roots: ToolsNode[];
    if (layout.flat) roots = nodesFor(layout.rootTools, undefined);
    else {
      const workspaceGroups = layout.groups.filter((g) => g.kind === 'workspace');
      roots = layout.groups.map((group): ToolsNode => {
        if (group.kind === 'other') return { type: 'otherGroup', children: nodesFor(group.tools, undefined) } satisfies OtherGroupNode;
        const index = workspaceGroups.indexOf(group);
        return {
          type: 'workspace',
          workspace: workspaceById.get(group.workspace.id)!,
          children: nodesFor(group.tools, group.workspace.id),
          first: index === 0,
          last: index === workspaceGroups.length - 1,
        } satisfies WorkspaceNode;
      });
    }
    void this.contextKeys.set('pixie.hasTools', tools.length > 0);
    const runStates = new Map<string, ToolRunState>(this.launcher.list().map((info) => [info.toolId, info.state]));
    return { roots, states, workspaces, tags, workspaceNames, runStates, hidden: layout.hiddenCount };
  }

  private updateViewTexts(): void {
    const parts: string[] = [];
    if (this.tagFilter.length > 0) parts.push(this.tagFilter.map((t) => `#${t}`).join(' '));
    if (this.showArchived) parts.push('incl. archived');
    this.view.description = parts.length > 0 ? parts.join(' · ') : undefined;
    this.view.message = this.isTrusted()
      ? undefined
      : 'Restricted Mode: tools and history are shown, but no tool is started until you trust this folder.';
    void this.contextKeys.set('pixie.toolsFiltered', this.tagFilter.length > 0);
  }

  private workspaceItem(node: WorkspaceNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.workspace.name,
      node.workspace.collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = `workspace:${node.workspace.id}`;
    item.description = `${node.children.length}`;
    item.tooltip = `Workspace “${node.workspace.name}” — ${node.children.length} tool${node.children.length === 1 ? '' : 's'}`;
    const colour = node.workspace.colour ? TOOL_COLOURS[node.workspace.colour] : undefined;
    item.iconPath = new vscode.ThemeIcon('folder-library', colour ? new vscode.ThemeColor(colour) : undefined);
    item.contextValue = contextValue('workspace', { first: node.first, last: node.last });
    return item;
  }

  private toolItem(node: ToolNode): vscode.TreeItem {
    const { tool, row } = node;
    const snapshot = this.current();
    const state = snapshot.states.get(tool.toolId);
    const runState = snapshot.runStates.get(tool.toolId) ?? 'dormant';
    const latest = this.validation.get(tool.toolId);
    const validation: ValidationStatus = latest?.overall ?? 'unchecked';
    const broken = tool.errors.length > 0;
    const text = toolItemText({
      toolId: tool.toolId,
      name: row.name,
      description: tool.spec?.description ?? null,
      folder: tool.dir,
      runState,
      lastRunAt: state?.lastRunAt ?? null,
      runCount: state?.runCountTotal ?? 0,
      validation,
      validationStale: latest?.discoveryHash != null && latest.discoveryHash !== tool.discoveryHash,
      validationNote: latest?.note ?? null,
      errors: tool.errors,
      favourited: row.favourited,
      pinnedWarm: state?.pinnedWarm ?? false,
      archived: row.archived,
      colour: state?.colour ?? null,
      tags: row.tags,
      workspaces: snapshot.workspaceNames.get(tool.toolId) ?? [],
    });
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.id = `tool:${node.workspaceId ?? 'other'}:${tool.folderName}`;
    item.description = text.description;
    item.tooltip = new vscode.MarkdownString(text.tooltip);
    item.resourceUri = toolUri(tool.toolId);
    item.iconPath = this.toolIcon(tool, runState, row, state, validation);
    item.contextValue = contextValue('tool', {
      favourite: row.favourited,
      pinned: state?.pinnedWarm ?? false,
      archived: row.archived,
      running: runState !== 'dormant',
      broken,
      inWorkspace: node.workspaceId !== undefined || (snapshot.workspaceNames.get(tool.toolId)?.length ?? 0) > 0,
      hasReport: latest !== undefined,
      first: node.first,
      last: node.last,
    });
    item.accessibilityInformation = { label: `${text.label}, ${text.description}${broken ? ', broken' : ''}, validation ${validation}` };
    item.command = { command: 'pixie.tool.open', title: broken ? 'Open tool.json' : 'Open Form', arguments: [node] };
    return item;
  }

  private toolIcon(
    tool: DiscoveredTool,
    runState: ToolRunState,
    row: ToolRow,
    state: ToolStateRecord | undefined,
    validation: ValidationStatus,
  ): vscode.ThemeIcon {
    if (tool.errors.length > 0) return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    // The user's colour wins; else a passing tool's icon takes pixie.validation.passForeground (normal by default).
    const colourId = state?.colour ? TOOL_COLOURS[state.colour] : validation === 'pass' ? 'pixie.validation.passForeground' : undefined;
    const colour = colourId ? new vscode.ThemeColor(colourId) : undefined;
    if (runState === 'starting' || runState === 'stopping') return new vscode.ThemeIcon('loading~spin', colour);
    if (runState === 'warm') return new vscode.ThemeIcon('vm-running', colour);
    if (row.archived) return new vscode.ThemeIcon('archive', colour);
    if (row.favourited) return new vscode.ThemeIcon('star-full', colour);
    if (state?.pinnedWarm) return new vscode.ThemeIcon('pinned', colour);
    return new vscode.ThemeIcon('tools', colour);
  }

  private rememberCollapsed(element: ToolsNode, collapsed: boolean): void {
    if (element.type !== 'workspace' || this.store.readOnlyReason) return;
    const id = element.workspace.id;
    void this.store.write((q) => setWorkspaceCollapsed(q, id, collapsed)).catch(() => undefined);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
