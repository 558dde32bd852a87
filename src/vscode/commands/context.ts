// Shared by every command module: the services, the views, a registration wrapper that turns errors into a
// message (and a log line), and resolvers that accept a tree node, an id (palette arguments, tests, keybindings)
// or nothing.
import * as vscode from 'vscode';
import { getArtefact, type ArtefactRecord } from '../../core/store/repositories/artefacts';
import { getRun, listRuns, type RunRecord } from '../../core/store/repositories/runs';
import { getWorkspace, type WorkspaceRecord } from '../../core/store/repositories/workspaces';
import type { DiscoveredTool } from '../../core/tools/discovery';
import type { ContextKeys } from '../contextKeys';
import type { ValidationState } from '../decorations/validationState';
import type { ActivityItem } from '../statusBar/activityItem';
import type { ValidationStatusItem } from '../statusBar/validationStatusItem';
import type { ArtefactsTree } from '../trees/artefactsTree';
import { isNode } from '../trees/nodes';
import type { RunsTree } from '../trees/runsTree';
import type { ToolsTree } from '../trees/toolsTree';
import type { WorkspaceTrust } from '../trust';
import type { CommandId } from './ids';
import type { SidebarDeps, ToolPanelOpener } from './types';

export interface CommandContext extends SidebarDeps {
  trust: WorkspaceTrust;
  contextKeys: ContextKeys;
  validation: ValidationState;
  views: { tools: ToolsTree; runs: RunsTree; artefacts: ArtefactsTree };
  validationStatus: ValidationStatusItem;
  activity: ActivityItem;
  subscriptions: vscode.Disposable[];
  /** Re-scan tools and redraw every view. */
  refreshAll(): Promise<void>;
}

/** Thrown for a situation the user can fix; shown as a warning without a stack in the log. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

type Handler = (...args: unknown[]) => unknown;

/** Installs the handler of a command (registered with VS Code at activation, see activation/shell.ts). */
export function register(ctx: CommandContext, id: CommandId, handler: Handler): void {
  ctx.subscriptions.push(
    ctx.shell.commands.set(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        if (error instanceof UserFacingError) {
          void vscode.window.showWarningMessage(`Pixie: ${message}`);
        } else {
          ctx.log.error(`${id} failed: ${(error as Error).stack ?? message}`);
          void vscode.window.showErrorMessage(`Pixie: ${message}`, 'Show Log').then((choice) => {
            if (choice) ctx.log.show(true);
          });
        }
        return undefined;
      }
    }),
  );
}

export function requirePanels(ctx: CommandContext): ToolPanelOpener {
  if (!ctx.panels) throw new UserFacingError('the tool panel is not available in this build.');
  return ctx.panels;
}

export function requireWritable(ctx: CommandContext): void {
  if (ctx.store.readOnlyReason) throw new UserFacingError(`pixie.db is read-only: ${ctx.store.readOnlyReason}`);
}

/** A tool from a tree node, a tool id (or folder name), or undefined. */
export function toolFromArg(ctx: CommandContext, arg: unknown): DiscoveredTool | undefined {
  if (isNode(arg, 'tool')) return ctx.catalog.get(arg.tool.toolId) ?? arg.tool;
  if (typeof arg === 'string') {
    const tool = ctx.catalog.get(arg);
    if (!tool) throw new UserFacingError(`there is no tool “${arg}” in ${ctx.config().toolsDir}.`);
    return tool;
  }
  return undefined;
}

/** The workspace a tool node is listed under, when it is under one. */
export function workspaceOfToolArg(arg: unknown): number | undefined {
  return isNode(arg, 'tool') ? arg.workspaceId : undefined;
}

export function runFromArg(ctx: CommandContext, arg: unknown): RunRecord | undefined {
  const id = isNode(arg, 'run') ? arg.run.id : typeof arg === 'string' ? arg : undefined;
  if (id === undefined) return undefined;
  const run = ctx.store.read((q) => getRun(q, id));
  if (!run) throw new UserFacingError(`run ${id} no longer exists.`);
  return run;
}

export function lastRun(ctx: CommandContext): RunRecord {
  const [run] = ctx.store.read((q) => listRuns(q, { limit: 1 }));
  if (!run) throw new UserFacingError('there are no runs yet.');
  return run;
}

export function artefactFromArg(ctx: CommandContext, arg: unknown): ArtefactRecord | undefined {
  const id = isNode(arg, 'artefact') ? arg.artefact.id : typeof arg === 'number' ? arg : typeof arg === 'string' ? Number(arg) : undefined;
  if (id === undefined || !Number.isInteger(id)) return undefined;
  const artefact = ctx.store.read((q) => getArtefact(q, id));
  if (!artefact) throw new UserFacingError(`artefact ${id} no longer exists.`);
  return artefact;
}

export function workspaceFromArg(ctx: CommandContext, arg: unknown): WorkspaceRecord | undefined {
  const id = isNode(arg, 'workspace') ? arg.workspace.id : typeof arg === 'number' ? arg : undefined;
  if (id === undefined) return undefined;
  const workspace = ctx.store.read((q) => getWorkspace(q, id));
  if (!workspace) throw new UserFacingError(`workspace ${id} no longer exists.`);
  return workspace;
}

export const nowIso = (): string => new Date().toISOString();
