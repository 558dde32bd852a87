// The Tools view's shape, decided without vscode: which groups, which tools in each, in which order.
// Groups are the `workspaces` rows (their sort_order, then name); tools in no workspace go under "Other".
// Inside a group: favourites and pinned tools first, then the tool's position in that workspace
// (sort_order_in_workspace_json), then sort_order, then name.

export interface ToolRow {
  toolId: string;
  /** Unique per listed folder (two folders may claim one id; both are shown). */
  folderName: string;
  name: string;
  favourited: boolean;
  pinned: boolean;
  archived: boolean;
  sortOrder: number | null;
  /** Workspace id (as text) → position. */
  sortOrderInWorkspace: Readonly<Record<string, number>>;
  tags: readonly string[];
}

export interface WorkspaceRow {
  id: number;
  name: string;
  sortOrder: number;
}

export interface Membership {
  toolId: string;
  workspaceId: number;
}

export interface ToolsViewOptions {
  showArchived: boolean;
  /** Show only tools carrying at least one of these tags (empty = no filter). */
  tagFilter: readonly string[];
}

export type ToolGroup =
  | { kind: 'workspace'; workspace: WorkspaceRow; tools: ToolRow[] }
  | { kind: 'other'; tools: ToolRow[] };

export interface ToolsLayout {
  /** No workspaces exist: the tools are listed at the root without groups. */
  flat: boolean;
  groups: ToolGroup[];
  /** Tools shown at the root when `flat`. */
  rootTools: ToolRow[];
  /** Tools hidden by the archive switch or the tag filter (for the view's description). */
  hiddenCount: number;
}

const byNumberThenMissing = (a: number | null | undefined, b: number | null | undefined): number => {
  const aHas = typeof a === 'number' && Number.isFinite(a);
  const bHas = typeof b === 'number' && Number.isFinite(b);
  if (aHas && bHas) return (a as number) - (b as number);
  if (aHas) return -1;
  if (bHas) return 1;
  return 0;
};

/** Sort key order inside one group (`workspaceId` undefined = the "Other" group or the flat list). */
export function compareTools(a: ToolRow, b: ToolRow, workspaceId?: number): number {
  const rank = (t: ToolRow): number => (t.favourited || t.pinned ? 0 : 1);
  return (
    rank(a) - rank(b) ||
    (workspaceId === undefined
      ? 0
      : byNumberThenMissing(a.sortOrderInWorkspace[String(workspaceId)], b.sortOrderInWorkspace[String(workspaceId)])) ||
    byNumberThenMissing(a.sortOrder, b.sortOrder) ||
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
    a.folderName.localeCompare(b.folderName)
  );
}

export function isToolVisible(tool: ToolRow, options: ToolsViewOptions): boolean {
  if (tool.archived && !options.showArchived) return false;
  if (options.tagFilter.length > 0 && !tool.tags.some((tag) => options.tagFilter.includes(tag))) return false;
  return true;
}

export function layoutTools(
  tools: readonly ToolRow[],
  workspaces: readonly WorkspaceRow[],
  memberships: readonly Membership[],
  options: ToolsViewOptions,
): ToolsLayout {
  const visible = tools.filter((tool) => isToolVisible(tool, options));
  const hiddenCount = tools.length - visible.length;
  if (workspaces.length === 0) {
    return { flat: true, groups: [], rootTools: [...visible].sort((a, b) => compareTools(a, b)), hiddenCount };
  }
  const ordered = [...workspaces].sort(
    (a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || a.id - b.id,
  );
  const known = new Set(ordered.map((w) => w.id));
  const membersOf = new Map<number, Set<string>>();
  const grouped = new Set<string>();
  for (const m of memberships) {
    if (!known.has(m.workspaceId)) continue;
    let set = membersOf.get(m.workspaceId);
    if (!set) membersOf.set(m.workspaceId, (set = new Set()));
    set.add(m.toolId);
    grouped.add(m.toolId);
  }
  const groups: ToolGroup[] = ordered.map((workspace) => ({
    kind: 'workspace',
    workspace,
    tools: visible
      .filter((tool) => membersOf.get(workspace.id)?.has(tool.toolId))
      .sort((a, b) => compareTools(a, b, workspace.id)),
  }));
  const others = visible.filter((tool) => !grouped.has(tool.toolId)).sort((a, b) => compareTools(a, b));
  if (others.length > 0) groups.push({ kind: 'other', tools: others });
  return { flat: false, groups, rootTools: [], hiddenCount };
}

/**
 * New positions after moving `toolId` one place up or down in a group shown in `order`. Every member gets an
 * explicit position 0..n-1 (only changed ones are returned), so the move sticks even when positions were missing
 * or tied. undefined when the tool is already at that end, not in the list, or the neighbour is on the other side
 * of the favourites-first line (such a move would not show).
 */
export function moveWithin(
  order: readonly ToolRow[],
  toolId: string,
  direction: 'up' | 'down',
  positionOf: (tool: ToolRow) => number | null | undefined,
): Map<string, number> | undefined {
  const index = order.findIndex((t) => t.toolId === toolId);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= order.length) return undefined;
  const first = (t: ToolRow): boolean => t.favourited || t.pinned;
  if (first(order[index]!) !== first(order[target]!)) return undefined;
  const moved = [...order];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  const result = new Map<string, number>();
  moved.forEach((tool, position) => {
    if (positionOf(tool) !== position) result.set(tool.toolId, position);
  });
  return result;
}

/** Position for a tool just added to a workspace: after every member already placed there. */
export function nextPositionInWorkspace(memberPositions: readonly Readonly<Record<string, number>>[], workspaceId: number): number {
  let max = -1;
  for (const positions of memberPositions) {
    const position = positions[String(workspaceId)];
    if (typeof position === 'number' && position > max) max = position;
  }
  return max + 1;
}
