// workspaces + tool_workspaces: sidebar groups. A tool may be in several workspaces; deleting a workspace removes
// its memberships (ON DELETE CASCADE) and leaves the tools alone.
import type { ReadQueries, Store, WriteQueries } from '../types';
import { DuplicateNameError, InvalidValueError, NotFoundError } from './errors';
import { fromBool, requireNonEmpty, toBool } from './values';

export const WORKSPACE_NAME_MAX = 60;

export interface WorkspaceRecord {
  id: number;
  name: string;
  colour: string | null;
  sortOrder: number;
  collapsed: boolean;
  createdAt: string;
}

export interface NewWorkspace {
  name: string;
  createdAt: string;
  colour?: string | null;
}

interface WorkspaceRow {
  id: number;
  name: string;
  colour: string | null;
  sort_order: number;
  collapsed: number;
  created_at: string;
}

const COLUMNS = 'id, name, colour, sort_order, collapsed, created_at';
const ORDER = 'ORDER BY sort_order, name, id';

function toRecord(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: Number(row.id),
    name: row.name,
    colour: row.colour,
    sortOrder: Number(row.sort_order),
    collapsed: toBool(row.collapsed),
    createdAt: row.created_at,
  };
}

/** Trimmed name, 1–60 characters, not used by another workspace in any letter case. */
function requireFreeName(q: ReadQueries, rawName: string, exceptId?: number): string {
  const name = typeof rawName === 'string' ? rawName.trim() : '';
  const length = Array.from(name).length;
  if (length < 1 || length > WORKSPACE_NAME_MAX) {
    throw new InvalidValueError(`workspace name must be 1–${WORKSPACE_NAME_MAX} characters, got ${length}`);
  }
  // Compared in JS: SQLite's lower() only folds ASCII.
  const folded = name.toLowerCase();
  const clash = q
    .all<{ id: number; name: string }>('SELECT id, name FROM workspaces')
    .find((row) => Number(row.id) !== exceptId && row.name.toLowerCase() === folded);
  if (clash) throw new DuplicateNameError(`a workspace named "${clash.name}" already exists`);
  return name;
}

function cleanColour(colour: string | null | undefined): string | null {
  return colour === null || colour === undefined || colour.trim() === '' ? null : colour.trim();
}

export function getWorkspace(q: ReadQueries, id: number): WorkspaceRecord | undefined {
  const row = q.get<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces WHERE id = ?`, [id]);
  return row ? toRecord(row) : undefined;
}

export function listWorkspaces(q: ReadQueries): WorkspaceRecord[] {
  return q.all<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces ${ORDER}`).map(toRecord);
}

/** Adds the workspace at the end of the list; returns its id. */
export function createWorkspace(q: WriteQueries, workspace: NewWorkspace): number {
  const name = requireFreeName(q, workspace.name);
  requireNonEmpty(workspace.createdAt, 'workspace created_at');
  const next = Number(q.get<{ n: number }>('SELECT COALESCE(MAX(sort_order), -1) + 1 AS n FROM workspaces')?.n ?? 0);
  return q.run('INSERT INTO workspaces(name, colour, sort_order, collapsed, created_at) VALUES(?, ?, ?, 0, ?)', [
    name,
    cleanColour(workspace.colour),
    next,
    workspace.createdAt,
  ]).lastInsertRowid;
}

/** False if the workspace does not exist. Renaming to its own name in another case is allowed. */
export function renameWorkspace(q: WriteQueries, id: number, newName: string): boolean {
  const name = requireFreeName(q, newName, id);
  return q.run('UPDATE workspaces SET name = ? WHERE id = ?', [name, id]).changes > 0;
}

export function setWorkspaceColour(q: WriteQueries, id: number, colour: string | null): boolean {
  return q.run('UPDATE workspaces SET colour = ? WHERE id = ?', [cleanColour(colour), id]).changes > 0;
}

export function setWorkspaceCollapsed(q: WriteQueries, id: number, collapsed: boolean): boolean {
  return q.run('UPDATE workspaces SET collapsed = ? WHERE id = ?', [fromBool(collapsed), id]).changes > 0;
}

/** Deletes the workspace and (by cascade) its memberships. */
export function deleteWorkspace(q: WriteQueries, id: number): boolean {
  return q.run('DELETE FROM workspaces WHERE id = ?', [id]).changes > 0;
}

/** Swaps the workspace with its neighbour in list order. Positions are first renumbered 0..n-1 when they are not
 *  already (rows from the original often all have sort_order 0, where a plain swap would change nothing).
 *  False when unknown or already at that end. */
export function moveWorkspace(q: WriteQueries, id: number, direction: 'up' | 'down'): boolean {
  const ordered = q.all<{ id: number; sort_order: number }>(`SELECT id, sort_order FROM workspaces ${ORDER}`);
  const index = ordered.findIndex((row) => Number(row.id) === id);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= ordered.length) return false;
  const moved = [...ordered];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  moved.forEach((row, position) => {
    if (Number(row.sort_order) !== position) {
      q.run('UPDATE workspaces SET sort_order = ? WHERE id = ?', [position, row.id]);
    }
  });
  return true;
}

/** Insert-or-ignore; true when the tool was newly added. Throws NotFoundError for an unknown workspace. */
export function addToolToWorkspace(q: WriteQueries, workspaceId: number, toolId: string, addedAt: string): boolean {
  requireNonEmpty(toolId, 'tool id');
  if (!getWorkspace(q, workspaceId)) throw new NotFoundError(`workspace ${workspaceId} does not exist`);
  return (
    q.run('INSERT OR IGNORE INTO tool_workspaces(tool_id, workspace_id, added_at) VALUES(?, ?, ?)', [
      toolId,
      workspaceId,
      addedAt,
    ]).changes > 0
  );
}

export function removeToolFromWorkspace(q: WriteQueries, workspaceId: number, toolId: string): boolean {
  return q.run('DELETE FROM tool_workspaces WHERE workspace_id = ? AND tool_id = ?', [workspaceId, toolId]).changes > 0;
}

/** Tool ids in the workspace, in the order they were added. */
export function toolsInWorkspace(q: ReadQueries, workspaceId: number): string[] {
  return q
    .all<{ tool_id: string }>('SELECT tool_id FROM tool_workspaces WHERE workspace_id = ? ORDER BY added_at, tool_id', [
      workspaceId,
    ])
    .map((row) => row.tool_id);
}

export function workspacesOfTool(q: ReadQueries, toolId: string): WorkspaceRecord[] {
  return q
    .all<WorkspaceRow>(
      `SELECT w.id, w.name, w.colour, w.sort_order, w.collapsed, w.created_at
       FROM workspaces w JOIN tool_workspaces tw ON tw.workspace_id = w.id
       WHERE tw.tool_id = ? ORDER BY w.sort_order, w.name, w.id`,
      [toolId],
    )
    .map(toRecord);
}

export class WorkspacesRepository {
  constructor(private readonly store: Store) {}

  get(id: number): WorkspaceRecord | undefined {
    return this.store.read((q) => getWorkspace(q, id));
  }

  list(): WorkspaceRecord[] {
    return this.store.read(listWorkspaces);
  }

  toolsIn(workspaceId: number): string[] {
    return this.store.read((q) => toolsInWorkspace(q, workspaceId));
  }

  workspacesOf(toolId: string): WorkspaceRecord[] {
    return this.store.read((q) => workspacesOfTool(q, toolId));
  }

  create(workspace: NewWorkspace): Promise<number> {
    return this.store.write((q) => createWorkspace(q, workspace));
  }

  rename(id: number, name: string): Promise<boolean> {
    return this.store.write((q) => renameWorkspace(q, id, name));
  }

  setColour(id: number, colour: string | null): Promise<boolean> {
    return this.store.write((q) => setWorkspaceColour(q, id, colour));
  }

  setCollapsed(id: number, collapsed: boolean): Promise<boolean> {
    return this.store.write((q) => setWorkspaceCollapsed(q, id, collapsed));
  }

  delete(id: number): Promise<boolean> {
    return this.store.write((q) => deleteWorkspace(q, id));
  }

  moveUp(id: number): Promise<boolean> {
    return this.store.write((q) => moveWorkspace(q, id, 'up'));
  }

  moveDown(id: number): Promise<boolean> {
    return this.store.write((q) => moveWorkspace(q, id, 'down'));
  }

  addTool(workspaceId: number, toolId: string, addedAt: string): Promise<boolean> {
    return this.store.write((q) => addToolToWorkspace(q, workspaceId, toolId, addedAt));
  }

  removeTool(workspaceId: number, toolId: string): Promise<boolean> {
    return this.store.write((q) => removeToolFromWorkspace(q, workspaceId, toolId));
  }
}
