import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toolItemText, escapeMarkdown } from '../../src/vscode/trees/toolItemText';
import { compareTools, layoutTools, moveWithin, nextPositionInWorkspace, type ToolRow } from '../../src/vscode/trees/toolsModel';

function row(toolId: string, extra: Partial<ToolRow> = {}): ToolRow {
  return {
    toolId,
    folderName: toolId,
    name: toolId[0]!.toUpperCase() + toolId.slice(1),
    favourited: false,
    pinned: false,
    archived: false,
    sortOrder: null,
    sortOrderInWorkspace: {},
    tags: [],
    ...extra,
  };
}

const ids = (rows: readonly ToolRow[]): string[] => rows.map((r) => r.toolId);
const none = { showArchived: false, tagFilter: [] as string[] };

describe('Tools view layout', () => {
  it('lists tools flat, favourites and pinned first, then sort_order, then name', () => {
    const layout = layoutTools(
      [row('zeta'), row('alpha'), row('mid', { sortOrder: 1 }), row('fav', { favourited: true }), row('pin', { pinned: true }), row('early', { sortOrder: 0 })],
      [],
      [],
      none,
    );
    assert.equal(layout.flat, true);
    assert.deepEqual(ids(layout.rootTools), ['fav', 'pin', 'early', 'mid', 'alpha', 'zeta']);
  });

  it('groups by workspace in sort_order, tools in none under Other, a tool in two workspaces twice', () => {
    const tools = [row('a'), row('b'), row('c'), row('d')];
    const workspaces = [
      { id: 2, name: 'Second', sortOrder: 1 },
      { id: 1, name: 'First', sortOrder: 0 },
    ];
    const memberships = [
      { toolId: 'a', workspaceId: 1 },
      { toolId: 'b', workspaceId: 1 },
      { toolId: 'b', workspaceId: 2 },
      { toolId: 'ghost', workspaceId: 2 },
      { toolId: 'c', workspaceId: 99 },
    ];
    const layout = layoutTools(tools, workspaces, memberships, none);
    assert.equal(layout.flat, false);
    const summary = layout.groups.map((g) => [g.kind === 'workspace' ? g.workspace.name : 'Other', ids(g.tools)]);
    assert.deepEqual(summary, [
      ['First', ['a', 'b']],
      ['Second', ['b']],
      ['Other', ['c', 'd']], // a membership in an unknown workspace does not hide the tool
    ]);
  });

  it('keeps empty workspaces (so they can be renamed or deleted) but no empty Other group', () => {
    const layout = layoutTools([row('a')], [{ id: 1, name: 'Empty', sortOrder: 0 }, { id: 2, name: 'Full', sortOrder: 1 }], [{ toolId: 'a', workspaceId: 2 }], none);
    assert.deepEqual(layout.groups.map((g) => g.kind === 'workspace' ? `${g.workspace.name}:${g.tools.length}` : 'Other'), ['Empty:0', 'Full:1']);
  });

  it('orders inside a workspace by the tool’s position there before sort_order', () => {
    const tools = [row('a', { sortOrder: 0, sortOrderInWorkspace: { '1': 2 } }), row('b', { sortOrderInWorkspace: { '1': 0 } }), row('c', { sortOrderInWorkspace: { '2': 0 } })];
    const layout = layoutTools(tools, [{ id: 1, name: 'W', sortOrder: 0 }], tools.map((t) => ({ toolId: t.toolId, workspaceId: 1 })), none);
    assert.deepEqual(ids(layout.groups[0]!.tools), ['b', 'a', 'c']);
    assert.ok(compareTools(tools[1]!, tools[0]!, 1) < 0);
    assert.ok(compareTools(tools[1]!, tools[0]!) > 0, 'outside the workspace sort_order decides');
  });

  it('hides archived tools unless asked, and filters by any of the chosen tags', () => {
    const tools = [row('a', { archived: true, tags: ['x'] }), row('b', { tags: ['x', 'y'] }), row('c', { tags: ['z'] }), row('d')];
    assert.deepEqual(ids(layoutTools(tools, [], [], none).rootTools), ['b', 'c', 'd']);
    assert.equal(layoutTools(tools, [], [], none).hiddenCount, 1);
    assert.deepEqual(ids(layoutTools(tools, [], [], { showArchived: true, tagFilter: [] }).rootTools), ['a', 'b', 'c', 'd']);
    assert.deepEqual(ids(layoutTools(tools, [], [], { showArchived: false, tagFilter: ['x', 'z'] }).rootTools), ['b', 'c']);
    assert.deepEqual(ids(layoutTools(tools, [], [], { showArchived: true, tagFilter: ['x'] }).rootTools), ['a', 'b']);
  });

  it('moves a tool one place and renumbers the group 0..n-1', () => {
    const order = [row('a'), row('b'), row('c')];
    const positions = moveWithin(order, 'c', 'up', (t) => t.sortOrderInWorkspace['1']);
    assert.deepEqual([...positions!.entries()], [['a', 0], ['c', 1], ['b', 2]]);
    assert.equal(moveWithin(order, 'a', 'up', () => undefined), undefined, 'already first');
    assert.equal(moveWithin(order, 'c', 'down', () => undefined), undefined, 'already last');
    assert.equal(moveWithin(order, 'nope', 'down', () => undefined), undefined);
    const placed = [row('a', { sortOrder: 0 }), row('b', { sortOrder: 1 })];
    assert.deepEqual([...moveWithin(placed, 'a', 'down', (t) => t.sortOrder)!.entries()], [['b', 0], ['a', 1]], 'only changed positions');
  });

  it('does not move a tool across the favourites-first line (the move would not show)', () => {
    const order = [row('fav', { favourited: true }), row('plain')];
    assert.equal(moveWithin(order, 'plain', 'up', () => undefined), undefined);
  });

  it('places a newly added tool after every member', () => {
    assert.equal(nextPositionInWorkspace([], 3), 0);
    assert.equal(nextPositionInWorkspace([{ '3': 4 }, { '3': 1, '9': 20 }, {}], 3), 5);
  });
});

describe('tool item text', () => {
  const base = {
    toolId: 'echo', name: 'Echo', description: 'Says it back', folder: '/w/tools/echo', runState: 'dormant' as const,
    lastRunAt: null, runCount: 0, validation: 'unchecked' as const, validationStale: false, validationNote: null, errors: [],
    favourited: false, pinnedWarm: false, archived: false, colour: null, tags: [], workspaces: [],
  };
  const now = new Date('2025-05-10T12:00:00.000Z');

  it('describes state, last run and description; dormant is left out of the description', () => {
    assert.equal(toolItemText(base, now).description, 'never run · Says it back');
    const warm = toolItemText({ ...base, runState: 'warm', lastRunAt: '2025-05-10T11:55:00.000Z', runCount: 3 }, now);
    assert.equal(warm.description, 'warm · 5 min ago · Says it back');
    assert.match(warm.tooltip, /Process: warm/);
    assert.match(warm.tooltip, /\(3 runs\)/);
    assert.match(toolItemText(base, now).tooltip, /Process: dormant/);
  });

  it('shows a broken tool’s first error with line:col, and all of them in the tooltip', () => {
    const broken = toolItemText({ ...base, errors: [{ message: 'unknown key "nmae"', line: 3, column: 5 }, { message: 'inputs must be a list', line: 7, column: 13 }] }, now);
    assert.equal(broken.description, 'tool.json 3:5: unknown key "nmae"');
    assert.match(broken.tooltip, /2 errors/);
    assert.match(broken.tooltip, /`3:5` unknown key/);
    assert.match(broken.tooltip, /`7:13` inputs must be a list/);
  });

  it('reports validation, staleness, tags and workspaces in the tooltip, Markdown-escaped', () => {
    const text = toolItemText({ ...base, name: 'A*b', validation: 'fail', validationStale: true, validationNote: 'tool_spawns: exited [1]', tags: ['x'], workspaces: ['Data'] }, now);
    assert.match(text.tooltip, /\*\*A\\\*b\*\*/);
    assert.match(text.tooltip, /✗ failed — the tool changed since — tool\\_spawns: exited \\\[1\\\]/);
    assert.match(text.tooltip, /#x/);
    assert.match(text.tooltip, /Workspaces: Data/);
    assert.equal(escapeMarkdown('[x](y)'), '\\[x\\]\\(y\\)');
  });
});
