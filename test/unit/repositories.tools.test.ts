import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  DuplicateNameError,
  InvalidValueError,
  NotFoundError,
  createRepositories,
  getToolLaunchState,
  normaliseToolTag,
  recordToolRun,
  type Repositories,
  type ToolOverrides,
} from '../../src/core/store/repositories';
import { initSchema } from '../../src/core/store/schema';
import { isoAt } from '../helpers/isoAt';
import { createTestStore, type TestStore } from '../helpers/testStore';

let ts: TestStore;
let repos: Repositories;
beforeEach(async () => {
  ts = await createTestStore();
  await initSchema(ts.store);
  repos = createRepositories(ts.store);
});
afterEach(async () => {
  await ts.cleanup();
});

describe('tool_state repository', () => {
  it('ensure creates a default row once; get of an unknown tool is undefined', async () => {
    assert.equal(repos.toolState.get('echo'), undefined);
    assert.equal(await repos.toolState.ensure('echo'), true);
    assert.equal(await repos.toolState.ensure('echo'), false);
    assert.deepEqual(repos.toolState.get('echo'), {
      toolId: 'echo', lastInputsJson: null, favourited: false, sortOrder: null, overridesJson: null, overrides: {},
      archived: false, pinned: false, pinnedWarm: false, discoveryHash: null, runCountTotal: 0, diskBytes: null,
      lastDiskAudit: null, lastRunAt: null, defaultWarmKeepSeconds: null, pinnedAt: null, archivedAt: null, colour: null,
      sortOrderInWorkspaceJson: null, sortOrderInWorkspace: {},
    });
    await assert.rejects(repos.toolState.ensure(''), InvalidValueError);
  });

  it('every setter creates the row when missing and sets its column(s)', async () => {
    await repos.toolState.setLastInputs('a', '{"text":"hi"}');
    await repos.toolState.setFavourited('b', true);
    await repos.toolState.setSortOrder('c', 4);
    await repos.toolState.setOverrides('d', { max_memory_mb: 1024, concurrent: false });
    await repos.toolState.setArchived('e', true, isoAt(1));
    await repos.toolState.setPinned('f', true, isoAt(2));
    await repos.toolState.setPinnedWarm('g', true);
    await repos.toolState.setDiscoveryHash('h', 'abc123');
    await repos.toolState.setDiskUsage('i', 4096, isoAt(3));
    await repos.toolState.setDefaultWarmKeepSeconds('j', 600);
    await repos.toolState.setColour('k', '#ff8800');
    await repos.toolState.setSortOrderInWorkspace('l', { '1': 2, '7': 0 });
    await repos.toolState.bumpRunCounters('m', isoAt(4));
    const s = (id: string) => repos.toolState.get(id);
    assert.equal(s('a')?.lastInputsJson, '{"text":"hi"}');
    assert.equal(s('b')?.favourited, true);
    assert.equal(s('c')?.sortOrder, 4);
    assert.deepEqual(s('d')?.overrides, { max_memory_mb: 1024, concurrent: false });
    assert.deepEqual([s('e')?.archived, s('e')?.archivedAt], [true, isoAt(1)]);
    assert.deepEqual([s('f')?.pinned, s('f')?.pinnedAt], [true, isoAt(2)]);
    assert.equal(s('g')?.pinnedWarm, true);
    assert.equal(s('h')?.discoveryHash, 'abc123');
    assert.deepEqual([s('i')?.diskBytes, s('i')?.lastDiskAudit], [4096, isoAt(3)]);
    assert.equal(s('j')?.defaultWarmKeepSeconds, 600);
    assert.equal(s('k')?.colour, '#ff8800');
    assert.deepEqual(s('l')?.sortOrderInWorkspace, { '1': 2, '7': 0 });
    assert.deepEqual([s('m')?.runCountTotal, s('m')?.lastRunAt], [1, isoAt(4)]);
    assert.equal(repos.toolState.list().length, 13);
    // Setting one column leaves the others alone.
    assert.equal(s('d')?.favourited, false);
  });

  it('unarchive/unpin clear their timestamps; counters accumulate; null clears optional values', async () => {
    await repos.toolState.setArchived('t', true, isoAt(1));
    await repos.toolState.setArchived('t', false, isoAt(2));
    await repos.toolState.setPinned('t', true, isoAt(3));
    await repos.toolState.setPinned('t', false, isoAt(4));
    await repos.toolState.bumpRunCounters('t', isoAt(5));
    await repos.toolState.bumpRunCounters('t', isoAt(6));
    await repos.toolState.setOverrides('t', { warm_keep_seconds: 0 });
    await repos.toolState.setOverrides('t', {});
    await repos.toolState.setColour('t', ' ');
    await repos.toolState.setSortOrderInWorkspace('t', null);
    await repos.toolState.setDefaultWarmKeepSeconds('t', null);
    const s = repos.toolState.get('t');
    assert.deepEqual(
      [s?.archived, s?.archivedAt, s?.pinned, s?.pinnedAt, s?.runCountTotal, s?.lastRunAt, s?.overridesJson, s?.colour],
      [false, null, false, null, 2, isoAt(6), null, null],
    );
    assert.deepEqual(s?.sortOrderInWorkspace, {});
    assert.equal(s?.defaultWarmKeepSeconds, null);
  });

  it('recordToolRun: one statement creates or bumps the counters, sets last inputs only when given, keeps the rest', async () => {
    await ts.store.write((q) => recordToolRun(q, 'new', isoAt(1), '{"text":"a"}'));
    assert.deepEqual(
      [repos.toolState.get('new')?.runCountTotal, repos.toolState.get('new')?.lastRunAt, repos.toolState.get('new')?.lastInputsJson],
      [1, isoAt(1), '{"text":"a"}'],
    );
    await repos.toolState.setFavourited('new', true);
    await repos.toolState.setOverrides('new', { max_runtime_seconds: 30 });
    await ts.store.write((q) => recordToolRun(q, 'new', isoAt(2))); // a failed run: last inputs stay
    await ts.store.write((q) => recordToolRun(q, 'new', isoAt(3), '{"text":"b"}'));
    const s = repos.toolState.get('new');
    assert.deepEqual(
      [s?.runCountTotal, s?.lastRunAt, s?.lastInputsJson, s?.favourited, s?.overrides],
      [3, isoAt(3), '{"text":"b"}', true, { max_runtime_seconds: 30 }],
    );
    await ts.store.write((q) => recordToolRun(q, 'other', isoAt(4)));
    assert.deepEqual([repos.toolState.get('other')?.runCountTotal, repos.toolState.get('other')?.lastInputsJson], [1, null]);
    await assert.rejects(ts.store.write((q) => recordToolRun(q, '', isoAt(5))), InvalidValueError);
    await assert.rejects(ts.store.write((q) => recordToolRun(q, 'x', isoAt(5), '')), InvalidValueError);
    assert.equal(repos.toolState.get('x'), undefined);
  });

  it('getToolLaunchState reads the launch fields exactly as getToolState has them', async () => {
    assert.equal(ts.store.read((q) => getToolLaunchState(q, 'none')), undefined);
    await repos.toolState.ensure('plain');
    await repos.toolState.setOverrides('tuned', { max_memory_mb: 512, warm_keep_seconds: 30, concurrent: true });
    await repos.toolState.setDefaultWarmKeepSeconds('tuned', 90);
    await repos.toolState.setPinnedWarm('tuned', true);
    for (const id of ['plain', 'tuned']) {
      const full = repos.toolState.get(id);
      assert.ok(full);
      assert.deepEqual(ts.store.read((q) => getToolLaunchState(q, id)), {
        overrides: full.overrides,
        defaultWarmKeepSeconds: full.defaultWarmKeepSeconds,
        pinnedWarm: full.pinnedWarm,
      });
    }
    assert.deepEqual(ts.store.read((q) => getToolLaunchState(q, 'tuned'))?.overrides, { max_memory_mb: 512, warm_keep_seconds: 30, concurrent: true });
  });

  it('rejects out-of-range or unknown overrides and bad values without creating the row', async () => {
    const bad: unknown[] = [
      { max_memory_mb: 32 },
      { max_memory_mb: 70000 },
      { max_runtime_seconds: 0 },
      { warm_keep_seconds: 86401 },
      { warm_keep_seconds: 1.5 },
      { concurrent: 'yes' },
      { max_memory_mb: '512' },
      { unknown_key: 1 },
    ];
    for (const overrides of bad) {
      await assert.rejects(repos.toolState.setOverrides('x', overrides as ToolOverrides), InvalidValueError, JSON.stringify(overrides));
    }
    await assert.rejects(repos.toolState.setLastInputs('x', '{oops'), InvalidValueError);
    await assert.rejects(repos.toolState.setDiskUsage('x', -1, isoAt(0)), InvalidValueError);
    await assert.rejects(repos.toolState.setDefaultWarmKeepSeconds('x', 90000), InvalidValueError);
    await assert.rejects(repos.toolState.setSortOrderInWorkspace('x', { '1': 0.5 }), InvalidValueError);
    assert.equal(repos.toolState.get('x'), undefined);
  });

  it('reads rows written by the original leniently (bad JSON, unknown keys, wrong types)', async () => {
    await ts.store.write((q) => {
      q.run("INSERT INTO tool_state(tool_id, overrides_json, sort_order_in_workspace_json) VALUES ('a', '{bad', '[1]')");
      q.run(
        `INSERT INTO tool_state(tool_id, overrides_json, sort_order_in_workspace_json)
         VALUES ('b', '{"max_memory_mb": 2048, "concurrent": 1, "extra": true}', '{"3": 1, "4": "x"}')`,
      );
    });
    assert.deepEqual(repos.toolState.get('a')?.overrides, {});
    assert.deepEqual(repos.toolState.get('a')?.sortOrderInWorkspace, {});
    assert.equal(repos.toolState.get('a')?.overridesJson, '{bad');
    assert.deepEqual(repos.toolState.get('b')?.overrides, { max_memory_mb: 2048 });
    assert.deepEqual(repos.toolState.get('b')?.sortOrderInWorkspace, { '3': 1 });
  });
});

describe('tool_tags repository', () => {
  it('normalises tags to lowercase and rejects anything outside [a-z0-9-_] or 1–32 chars', async () => {
    assert.equal(normaliseToolTag('  Audio-ML_2 '), 'audio-ml_2');
    for (const bad of ['', '   ', 'two words', 'ünïcode', 'x'.repeat(33), 'semi;colon', 'a/b']) {
      assert.throws(() => normaliseToolTag(bad), InvalidValueError, bad);
      await assert.rejects(repos.toolTags.add('t', bad), /invalid tag/);
    }
    assert.equal(normaliseToolTag('x'.repeat(32)), 'x'.repeat(32));
    assert.deepEqual(repos.toolTags.allTags(), []);
  });

  it('adds (idempotent), lists, counts, finds and removes', async () => {
    assert.equal(await repos.toolTags.add('whisper', 'Audio'), true);
    assert.equal(await repos.toolTags.add('whisper', 'audio'), false);
    await repos.toolTags.add('whisper', 'ml');
    await repos.toolTags.add('tts', 'audio');
    assert.deepEqual(repos.toolTags.forTool('whisper'), ['audio', 'ml']);
    assert.deepEqual(repos.toolTags.allTags(), [
      { tag: 'audio', count: 2 },
      { tag: 'ml', count: 1 },
    ]);
    assert.deepEqual(repos.toolTags.toolsWithTag('AUDIO'), ['tts', 'whisper']);
    assert.equal(await repos.toolTags.remove('whisper', 'Audio'), true);
    assert.equal(await repos.toolTags.remove('whisper', 'audio'), false);
    assert.deepEqual(repos.toolTags.toolsWithTag('audio'), ['tts']);
    assert.deepEqual(repos.toolTags.forTool('nobody'), []);
    assert.throws(() => repos.toolTags.toolsWithTag('bad tag'), InvalidValueError);
  });
});

describe('workspaces repository', () => {
  it('creates at the end of the list, validates names and refuses case-insensitive duplicates', async () => {
    const a = await repos.workspaces.create({ name: '  Audio  ', createdAt: isoAt(0), colour: '#123456' });
    const b = await repos.workspaces.create({ name: 'Vision', createdAt: isoAt(1) });
    assert.deepEqual(repos.workspaces.get(a), {
      id: a, name: 'Audio', colour: '#123456', sortOrder: 0, collapsed: false, createdAt: isoAt(0),
    });
    assert.equal(repos.workspaces.get(b)?.sortOrder, 1);
    await assert.rejects(repos.workspaces.create({ name: 'AUDIO', createdAt: isoAt(2) }), DuplicateNameError);
    await assert.rejects(repos.workspaces.create({ name: 'Ärger', createdAt: isoAt(2) }).then(() =>
      repos.workspaces.create({ name: 'ärger', createdAt: isoAt(3) })), /already exists/);
    await assert.rejects(repos.workspaces.create({ name: '   ', createdAt: isoAt(2) }), InvalidValueError);
    await assert.rejects(repos.workspaces.create({ name: 'x'.repeat(61), createdAt: isoAt(2) }), /1–60/);
    assert.ok(await repos.workspaces.create({ name: 'y'.repeat(60), createdAt: isoAt(2) }));
    assert.equal(repos.workspaces.list().length, 4);
  });

  it('renames (own name in another case is fine, someone else’s is not), sets colour and collapsed', async () => {
    const a = await repos.workspaces.create({ name: 'Audio', createdAt: isoAt(0) });
    await repos.workspaces.create({ name: 'Vision', createdAt: isoAt(1) });
    assert.equal(await repos.workspaces.rename(a, 'AUDIO'), true);
    await assert.rejects(repos.workspaces.rename(a, 'vision'), DuplicateNameError);
    await assert.rejects(repos.workspaces.rename(a, ''), InvalidValueError);
    assert.equal(await repos.workspaces.rename(999, 'Fresh'), false);
    assert.equal(await repos.workspaces.setColour(a, '#abcdef'), true);
    assert.equal(await repos.workspaces.setCollapsed(a, true), true);
    assert.deepEqual(
      [repos.workspaces.get(a)?.name, repos.workspaces.get(a)?.colour, repos.workspaces.get(a)?.collapsed],
      ['AUDIO', '#abcdef', true],
    );
    await repos.workspaces.setColour(a, null);
    assert.equal(repos.workspaces.get(a)?.colour, null);
    assert.equal(await repos.workspaces.setColour(999, 'x'), false);
    assert.equal(await repos.workspaces.setCollapsed(999, true), false);
  });

  it('moves up and down by swapping, renumbering equal sort orders from the original first', async () => {
    const names = () => repos.workspaces.list().map((w) => w.name);
    // Rows as the original may leave them: all sort_order 0, listed by name.
    await ts.store.write((q) => {
      for (const name of ['c', 'a', 'b']) {
        q.run('INSERT INTO workspaces(name, sort_order, collapsed, created_at) VALUES(?, 0, 0, ?)', [name, isoAt(0)]);
      }
    });
    assert.deepEqual(names(), ['a', 'b', 'c']);
    const c = repos.workspaces.list()[2]!.id;
    assert.equal(await repos.workspaces.moveUp(c), true);
    assert.deepEqual(names(), ['a', 'c', 'b']);
    assert.equal(await repos.workspaces.moveUp(c), true);
    assert.deepEqual(names(), ['c', 'a', 'b']);
    assert.equal(await repos.workspaces.moveUp(c), false, 'already first');
    assert.equal(await repos.workspaces.moveDown(c), true);
    assert.deepEqual(names(), ['a', 'c', 'b']);
    const b = repos.workspaces.list()[2]!.id;
    assert.equal(await repos.workspaces.moveDown(b), false, 'already last');
    assert.equal(await repos.workspaces.moveUp(999), false);
    assert.deepEqual(repos.workspaces.list().map((w) => w.sortOrder), [0, 1, 2]);
  });

  it('memberships: insert-or-ignore, order of adding, workspaces of a tool, remove; unknown workspace rejected', async () => {
    const a = await repos.workspaces.create({ name: 'A', createdAt: isoAt(0) });
    const b = await repos.workspaces.create({ name: 'B', createdAt: isoAt(0) });
    assert.equal(await repos.workspaces.addTool(a, 'whisper', isoAt(2)), true);
    assert.equal(await repos.workspaces.addTool(a, 'whisper', isoAt(9)), false);
    await repos.workspaces.addTool(a, 'tts', isoAt(1));
    await repos.workspaces.addTool(b, 'whisper', isoAt(3));
    assert.deepEqual(repos.workspaces.toolsIn(a), ['tts', 'whisper']);
    assert.deepEqual(repos.workspaces.workspacesOf('whisper').map((w) => w.name), ['A', 'B']);
    await assert.rejects(repos.workspaces.addTool(999, 'whisper', isoAt(4)), NotFoundError);
    assert.equal(await repos.workspaces.removeTool(a, 'whisper'), true);
    assert.equal(await repos.workspaces.removeTool(a, 'whisper'), false);
    assert.deepEqual(repos.workspaces.toolsIn(a), ['tts']);
    assert.deepEqual(repos.workspaces.toolsIn(999), []);
  });

  it('delete cascades to memberships and leaves the tools’ own state alone', async () => {
    const a = await repos.workspaces.create({ name: 'A', createdAt: isoAt(0) });
    await repos.workspaces.addTool(a, 'whisper', isoAt(1));
    await repos.toolState.setFavourited('whisper', true);
    await repos.toolTags.add('whisper', 'audio');
    assert.equal(await repos.workspaces.delete(a), true);
    assert.equal(await repos.workspaces.delete(a), false);
    assert.deepEqual(repos.workspaces.list(), []);
    assert.deepEqual(repos.workspaces.workspacesOf('whisper'), []);
    assert.equal(ts.store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM tool_workspaces'))?.n, 0);
    assert.equal(repos.toolState.get('whisper')?.favourited, true);
    assert.deepEqual(repos.toolTags.forTool('whisper'), ['audio']);
  });
});
