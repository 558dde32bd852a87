// Tools view commands: run (opens the panel), open/reveal, favourite, pin warm, stop, workspaces membership,
// tags, colour, archive, order. Each writes the seed's tool_state / tool_workspaces / tool_tags columns.
import * as vscode from 'vscode';
import { getToolState, setToolArchived, setToolColour, setToolFavourited, setToolPinned, setToolPinnedWarm, setToolSortOrder, setToolSortOrderInWorkspace } from '../../core/store/repositories/toolState';
import { addToolTag, allToolTags, removeToolTag, tagsForTool } from '../../core/store/repositories/toolTags';
import { addToolToWorkspace, createWorkspace, listWorkspaces, removeToolFromWorkspace, toolsInWorkspace, workspacesOfTool } from '../../core/store/repositories/workspaces';
import type { DiscoveredTool } from '../../core/tools/discovery';
import { askColour, askToolTags, askWorkspaceName, NEW_WORKSPACE, pickWorkspace } from '../quickPicks/misc';
import { pickTool } from '../quickPicks/toolPick';
import { isNode } from '../trees/nodes';
import { moveWithin, nextPositionInWorkspace } from '../trees/toolsModel';
import { TOOL_COLOURS } from '../trees/toolsTree';
import { nowIso, register, requirePanels, requireWritable, toolFromArg, UserFacingError, workspaceOfToolArg, type CommandContext } from './context';

function requireTool(ctx: CommandContext, arg: unknown): DiscoveredTool {
  const tool = toolFromArg(ctx, arg);
  if (!tool) throw new UserFacingError('choose a tool in the Tools view first.');
  return tool;
}

const toolName = (tool: DiscoveredTool): string => tool.spec?.name ?? tool.toolId;

/** Opens the tool's panel; false when refused (untrusted folder, broken tool.json, cancelled pick). */
async function runTool(ctx: CommandContext, arg: unknown): Promise<boolean> {
  const tool =
    toolFromArg(ctx, arg) ??
    (await pickTool(ctx.store, ctx.catalog, { title: 'Pixie: Run Tool', placeHolder: 'Choose a tool to open its form' }));
  if (!tool) return false;
  if (!ctx.trust.ensureTrusted(`run ${toolName(tool)}`)) return false;
  if (tool.errors.length > 0) {
    const first = tool.errors[0]!;
    const choice = await vscode.window.showErrorMessage(
      `Pixie: ${tool.toolId} cannot run — tool.json ${first.line}:${first.column}: ${first.message}`,
      'Open tool.json',
    );
    if (choice) await openToolJson(tool, first.line, first.column);
    return false;
  }
  await requirePanels(ctx).openTool(tool.toolId);
  return true;
}

async function openToolJson(tool: DiscoveredTool, line?: number, column?: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(tool.toolJsonPath));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (line !== undefined) {
    const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, (column ?? 1) - 1));
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

async function addToWorkspace(ctx: CommandContext, tool: DiscoveredTool, workspaceArg: unknown): Promise<number | undefined> {
  requireWritable(ctx);
  let workspaceId = typeof workspaceArg === 'number' ? workspaceArg : undefined;
  let newName = typeof workspaceArg === 'string' ? workspaceArg : undefined;
  if (workspaceId === undefined && newName === undefined) {
    const all = ctx.store.read(listWorkspaces);
    const current = new Set(ctx.store.read((q) => workspacesOfTool(q, tool.toolId)).map((w) => w.id));
    const picked = await pickWorkspace(`Add ${toolName(tool)} to Workspace`, all.filter((w) => !current.has(w.id)), { offerNew: true });
    if (picked === undefined) return undefined;
    if (picked === NEW_WORKSPACE) {
      newName = await askWorkspaceName('New Workspace', all);
      if (!newName) return undefined;
    } else workspaceId = picked.id;
  }
  const at = nowIso();
  return ctx.store.write((q) => {
    const id = workspaceId ?? createWorkspace(q, { name: newName!, createdAt: at });
    if (addToolToWorkspace(q, id, tool.toolId, at)) {
      // Placed after the tools already in it (sort_order_in_workspace_json).
      const members = toolsInWorkspace(q, id).filter((toolId) => toolId !== tool.toolId);
      const positions = members.map((toolId) => getToolState(q, toolId)?.sortOrderInWorkspace ?? {});
      const own = getToolState(q, tool.toolId)?.sortOrderInWorkspace ?? {};
      setToolSortOrderInWorkspace(q, tool.toolId, { ...own, [String(id)]: nextPositionInWorkspace(positions, id) });
    }
    return id;
  });
}

async function removeFromWorkspace(ctx: CommandContext, tool: DiscoveredTool, node: unknown, workspaceArg: unknown): Promise<boolean> {
  requireWritable(ctx);
  let workspaceId = typeof workspaceArg === 'number' ? workspaceArg : workspaceOfToolArg(node);
  if (workspaceId === undefined) {
    const mine = ctx.store.read((q) => workspacesOfTool(q, tool.toolId));
    if (mine.length === 0) throw new UserFacingError(`${toolName(tool)} is in no workspace.`);
    const picked = mine.length === 1 ? mine[0] : await pickWorkspace(`Remove ${toolName(tool)} from Workspace`, mine, { offerNew: false });
    if (picked === undefined || picked === NEW_WORKSPACE) return false;
    workspaceId = picked.id;
  }
  const id = workspaceId;
  return ctx.store.write((q) => {
    const removed = removeToolFromWorkspace(q, id, tool.toolId);
    const own = { ...(getToolState(q, tool.toolId)?.sortOrderInWorkspace ?? {}) };
    if (String(id) in own) {
      delete own[String(id)];
      setToolSortOrderInWorkspace(q, tool.toolId, own);
    }
    return removed;
  });
}

async function setTags(ctx: CommandContext, tool: DiscoveredTool, tagsArg: unknown): Promise<boolean> {
  requireWritable(ctx);
  const current = ctx.store.read((q) => tagsForTool(q, tool.toolId));
  const wanted = Array.isArray(tagsArg) ? tagsArg.filter((t): t is string => typeof t === 'string') : await askToolTags(`Tags of ${toolName(tool)}`, current);
  if (wanted === undefined) return false;
  await ctx.store.write((q) => {
    const keep = new Set<string>();
    for (const tag of wanted) {
      addToolTag(q, tool.toolId, tag);
      keep.add(tag.trim().toLowerCase());
    }
    for (const tag of current) if (!keep.has(tag)) removeToolTag(q, tool.toolId, tag);
  });
  return true;
}

async function move(ctx: CommandContext, node: unknown, direction: 'up' | 'down'): Promise<boolean> {
  requireWritable(ctx);
  if (!isNode(node, 'tool')) throw new UserFacingError('choose a tool in the Tools view to move it.');
  const workspaceId = node.workspaceId;
  const order =
    workspaceId !== undefined
      ? ctx.views.tools.membersInOrder(workspaceId)
      : ctx.views.tools.toolNodes().filter((n) => n.workspaceId === undefined).map((n) => n.row);
  const changes = moveWithin(order, node.tool.toolId, direction, (row) =>
    workspaceId !== undefined ? row.sortOrderInWorkspace[String(workspaceId)] : row.sortOrder,
  );
  if (!changes) return false;
  await ctx.store.write((q) => {
    for (const [toolId, position] of changes) {
      if (workspaceId === undefined) setToolSortOrder(q, toolId, position);
      else {
        const own = getToolState(q, toolId)?.sortOrderInWorkspace ?? {};
        setToolSortOrderInWorkspace(q, toolId, { ...own, [String(workspaceId)]: position });
      }
    }
  });
  return true;
}

export function registerToolCommands(ctx: CommandContext): void {
  const flag = (id: Parameters<typeof register>[1], write: (toolId: string) => Promise<unknown>): void =>
    register(ctx, id, async (arg: unknown) => {
      requireWritable(ctx);
      const tool = requireTool(ctx, arg);
      await write(tool.toolId);
      return true;
    });

  register(ctx, 'pixie.runTool', (arg: unknown) => runTool(ctx, arg));
  register(ctx, 'pixie.tool.run', (arg: unknown) => runTool(ctx, arg));
  // A click on a tool: its form, also in Restricted Mode (the panel says why it cannot run); a broken tool's tool.json.
  register(ctx, 'pixie.tool.open', async (arg: unknown) => {
    const tool = requireTool(ctx, arg);
    if (tool.errors.length > 0) {
      const first = tool.errors[0]!;
      await openToolJson(tool, first.line, first.column);
      return 'tool.json';
    }
    await requirePanels(ctx).openTool(tool.toolId);
    return 'form';
  });
  register(ctx, 'pixie.tool.openToolJson', async (arg: unknown) => {
    const tool = requireTool(ctx, arg);
    const first = tool.errors[0];
    await openToolJson(tool, first?.line, first?.column);
  });
  register(ctx, 'pixie.tool.revealFolder', async (arg: unknown) => {
    const tool = requireTool(ctx, arg);
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(tool.dir));
  });

  flag('pixie.tool.favourite', (toolId) => ctx.store.write((q) => setToolFavourited(q, toolId, true)));
  flag('pixie.tool.unfavourite', (toolId) => ctx.store.write((q) => setToolFavourited(q, toolId, false)));
  // Pin Warm: pinned_warm keeps the process warm (launcher), pinned/pinned_at list the tool first.
  flag('pixie.tool.pinWarm', async (toolId) => {
    const at = nowIso();
    await ctx.store.write((q) => {
      setToolPinnedWarm(q, toolId, true);
      setToolPinned(q, toolId, true, at);
    });
    ctx.launcher.setPinned(toolId, true);
  });
  flag('pixie.tool.unpinWarm', async (toolId) => {
    await ctx.store.write((q) => {
      setToolPinnedWarm(q, toolId, false);
      setToolPinned(q, toolId, false, nowIso());
    });
    ctx.launcher.setPinned(toolId, false);
  });
  flag('pixie.tool.archive', (toolId) => ctx.store.write((q) => setToolArchived(q, toolId, true, nowIso())));
  flag('pixie.tool.unarchive', (toolId) => ctx.store.write((q) => setToolArchived(q, toolId, false, nowIso())));

  register(ctx, 'pixie.tool.stop', async (arg: unknown) => {
    const tool = requireTool(ctx, arg);
    const done = ctx.activity.begin(`Stopping ${toolName(tool)}`);
    try {
      await ctx.launcher.stop(tool.toolId);
    } finally {
      done.dispose();
    }
    ctx.views.tools.refresh();
    return true;
  });
  register(ctx, 'pixie.stopAllTools', async () => {
    const running = ctx.launcher.list().length;
    const done = ctx.activity.begin('Stopping all tools');
    try {
      await ctx.launcher.stopAll();
    } finally {
      done.dispose();
    }
    ctx.views.tools.refresh();
    void vscode.window.setStatusBarMessage(`Pixie: stopped ${running} tool process${running === 1 ? '' : 'es'}`, 4000);
    return running;
  });

  register(ctx, 'pixie.tool.addToWorkspace', (arg: unknown, workspace: unknown) => addToWorkspace(ctx, requireTool(ctx, arg), workspace));
  register(ctx, 'pixie.tool.removeFromWorkspace', (arg: unknown, workspace: unknown) =>
    removeFromWorkspace(ctx, requireTool(ctx, arg), arg, workspace),
  );
  register(ctx, 'pixie.tool.tags', (arg: unknown, tags: unknown) => setTags(ctx, requireTool(ctx, arg), tags));
  register(ctx, 'pixie.tool.colour', async (arg: unknown, colourArg: unknown) => {
    requireWritable(ctx);
    const tool = requireTool(ctx, arg);
    const current = ctx.store.read((q) => getToolState(q, tool.toolId))?.colour ?? null;
    let colour: string | null | undefined;
    if (colourArg === null || typeof colourArg === 'string') {
      if (typeof colourArg === 'string' && colourArg !== '' && !(colourArg in TOOL_COLOURS)) {
        throw new UserFacingError(`unknown colour “${colourArg}” (choose from ${Object.keys(TOOL_COLOURS).join(', ')}).`);
      }
      colour = colourArg === '' ? null : colourArg;
    } else colour = await askColour(`Colour of ${toolName(tool)}`, current);
    if (colour === undefined) return false;
    await ctx.store.write((q) => setToolColour(q, tool.toolId, colour));
    return true;
  });
  register(ctx, 'pixie.tool.moveUp', (arg: unknown) => move(ctx, arg, 'up'));
  register(ctx, 'pixie.tool.moveDown', (arg: unknown) => move(ctx, arg, 'down'));

  register(ctx, 'pixie.tools.showArchived', () => setArchivedShown(ctx, true));
  register(ctx, 'pixie.tools.hideArchived', () => setArchivedShown(ctx, false));
  register(ctx, 'pixie.tools.filterByTag', async (tagsArg: unknown) => {
    let tags: string[] | undefined;
    if (Array.isArray(tagsArg)) tags = tagsArg.filter((t): t is string => typeof t === 'string');
    else {
      const all = ctx.store.read(allToolTags);
      if (all.length === 0) {
        void vscode.window.showInformationMessage('Pixie: no tool has tags yet. Add some with “Tags…” on a tool.');
        return false;
      }
      const current = new Set(ctx.views.tools.tagFilter);
      const picked = await vscode.window.showQuickPick(
        all.map((t) => ({ label: t.tag, description: `${t.count} tool${t.count === 1 ? '' : 's'}`, picked: current.has(t.tag) })),
        { title: 'Show tools with any of these tags', canPickMany: true },
      );
      if (picked === undefined) return false;
      tags = picked.map((p) => p.label);
    }
    ctx.views.tools.tagFilter = tags;
    ctx.views.tools.refresh();
    return true;
  });
  register(ctx, 'pixie.tools.clearTagFilter', () => {
    ctx.views.tools.tagFilter = [];
    ctx.views.tools.refresh();
    return true;
  });
}

function setArchivedShown(ctx: CommandContext, shown: boolean): boolean {
  ctx.views.tools.showArchived = shown;
  void ctx.contextKeys.set('pixie.showArchived', shown);
  ctx.views.tools.refresh();
  return true;
}

