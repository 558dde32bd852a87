// Workspace groups in the Tools view: New Workspace… (title bar), Rename…, Delete (memberships go by cascade, the
// tools stay), Move Up/Down (workspaces.sort_order).
import * as vscode from 'vscode';
import { createWorkspace, deleteWorkspace, listWorkspaces, moveWorkspace, renameWorkspace, toolsInWorkspace } from '../../core/store/repositories/workspaces';
import { askWorkspaceName, confirm } from '../quickPicks/misc';
import { nowIso, register, requireWritable, UserFacingError, workspaceFromArg, type CommandContext } from './context';

export function registerWorkspaceCommands(ctx: CommandContext): void {
  register(ctx, 'pixie.newWorkspace', async (nameArg: unknown) => {
    requireWritable(ctx);
    const name = typeof nameArg === 'string' ? nameArg : await askWorkspaceName('New Workspace', ctx.store.read(listWorkspaces));
    if (!name) return undefined;
    return ctx.store.write((q) => createWorkspace(q, { name, createdAt: nowIso() }));
  });

  register(ctx, 'pixie.workspace.rename', async (arg: unknown, nameArg: unknown) => {
    requireWritable(ctx);
    const workspace = workspaceFromArg(ctx, arg);
    if (!workspace) throw new UserFacingError('choose a workspace in the Tools view first.');
    const name =
      typeof nameArg === 'string' ? nameArg : await askWorkspaceName(`Rename “${workspace.name}”`, ctx.store.read(listWorkspaces), workspace);
    if (!name || name === workspace.name) return false;
    return ctx.store.write((q) => renameWorkspace(q, workspace.id, name));
  });

  register(ctx, 'pixie.workspace.delete', async (arg: unknown, confirmed: unknown) => {
    requireWritable(ctx);
    const workspace = workspaceFromArg(ctx, arg);
    if (!workspace) throw new UserFacingError('choose a workspace in the Tools view first.');
    const count = ctx.store.read((q) => toolsInWorkspace(q, workspace.id)).length;
    if (
      confirmed !== true &&
      !(await confirm(
        `Delete the workspace “${workspace.name}”?`,
        `Its ${count} tool${count === 1 ? '' : 's'} stay${count === 1 ? 's' : ''} where ${count === 1 ? 'it is' : 'they are'}: only the group goes.`,
        'Delete Workspace',
      ))
    ) {
      return false;
    }
    const deleted = await ctx.store.write((q) => deleteWorkspace(q, workspace.id));
    if (deleted) void vscode.window.setStatusBarMessage(`Pixie: deleted workspace “${workspace.name}”`, 4000);
    return deleted;
  });

  const mover = (direction: 'up' | 'down') => async (arg: unknown) => {
    requireWritable(ctx);
    const workspace = workspaceFromArg(ctx, arg);
    if (!workspace) throw new UserFacingError('choose a workspace in the Tools view first.');
    return ctx.store.write((q) => moveWorkspace(q, workspace.id, direction));
  };
  register(ctx, 'pixie.workspace.moveUp', mover('up'));
  register(ctx, 'pixie.workspace.moveDown', mover('down'));
}
