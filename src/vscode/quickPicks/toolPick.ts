// "Run Tool…", "Validate Tool…": a QuickPick of tools grouped by workspace with separators (tools in no workspace
// under "Other"; archived tools left out). Tools in several workspaces appear under each.
import * as vscode from 'vscode';
import { listToolStates } from '../../core/store/repositories/toolState';
import { listWorkspaces } from '../../core/store/repositories/workspaces';
import type { Store } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { DiscoveredTool } from '../../core/tools/discovery';
import { layoutTools, type ToolRow } from '../trees/toolsModel';
import { allMemberships } from '../trees/viewQueries';

interface ToolPickItem extends vscode.QuickPickItem {
  tool?: DiscoveredTool;
}

export interface ToolPickOptions {
  title: string;
  placeHolder?: string;
  /** Leave out tools that cannot be picked here (e.g. broken ones for Run). */
  include?: (tool: DiscoveredTool) => boolean;
}

export async function pickTool(store: Store, catalog: ToolCatalog, options: ToolPickOptions): Promise<DiscoveredTool | undefined> {
  const tools = catalog.tools().filter((tool) => options.include?.(tool) ?? true);
  if (tools.length === 0) {
    void vscode.window.showInformationMessage('Pixie: there is no tool to choose from. Create one with "Pixie: Create Tool…".');
    return undefined;
  }
  const { states, workspaces, memberships } = store.read((q) => ({
    states: new Map(listToolStates(q).map((s) => [s.toolId, s])),
    workspaces: listWorkspaces(q),
    memberships: allMemberships(q),
  }));
  const rows: ToolRow[] = tools.map((tool) => {
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
      tags: [],
    };
  });
  const byFolder = new Map(tools.map((tool) => [tool.folderName, tool]));
  const layout = layoutTools(rows, workspaces, memberships, { showArchived: false, tagFilter: [] });
  const itemFor = (row: ToolRow): ToolPickItem => {
    const tool = byFolder.get(row.folderName)!;
    return {
      label: `${row.favourited ? '$(star-full) ' : ''}${row.name}`,
      description: tool.toolId,
      detail: tool.errors.length > 0 ? `$(error) ${tool.errors[0]!.message}` : (tool.spec?.description ?? undefined),
      tool,
    };
  };
  const items: ToolPickItem[] = [];
  if (layout.flat) items.push(...layout.rootTools.map(itemFor));
  else {
    for (const group of layout.groups) {
      if (group.tools.length === 0) continue;
      items.push({ label: group.kind === 'workspace' ? group.workspace.name : 'Other', kind: vscode.QuickPickItemKind.Separator });
      items.push(...group.tools.map(itemFor));
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: options.title,
    placeHolder: options.placeHolder ?? 'Type to search tools',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.tool;
}
