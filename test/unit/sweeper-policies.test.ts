import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  keepFor,
  loadRetainPolicy,
  protectionOf,
  selectBeyondRetain,
  selectForBudget,
  selectOlderThan,
} from '../../src/core/sweeper/policies';
import { FileRefCounts } from '../../src/core/sweeper/refCounts';
import type { SnapshotArtefact, SnapshotRun, SweepSnapshot } from '../../src/core/sweeper/snapshot';
import type { RunProtection } from '../../src/core/sweeper/types';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-01T00:00:00.000Z');

function run(id: string, daysOld: number, extra: Partial<SnapshotRun> = {}): SnapshotRun {
  const startedAt = new Date(NOW - daysOld * DAY).toISOString();
  return { id, toolId: 'a', startedAt, startedMs: Date.parse(startedAt), status: 'ok', starred: false, label: null, ...extra };
}

function art(id: number, runId: string, relPath: string, sizeBytes: number): SnapshotArtefact {
  return { id, runId, toolId: 'a', relPath, sizeBytes, deletedAt: null, thumbPath: null };
}

function snapshot(runs: SnapshotRun[], artefacts: SnapshotArtefact[] = [], pinned: [string, RunProtection][] = []): SweepSnapshot {
  return { runs, artefacts, pinnedByArtefact: new Map(pinned), reportsToPrune: [] };
}

const ids = (runs: SnapshotRun[]) => runs.map((r) => r.id);

describe('sweeper policies', () => {
  it('protects running, starred, labelled runs and runs holding a starred or labelled artefact', () => {
    const pinned = new Map<string, RunProtection>([['p', 'starred-artefact']]);
    assert.equal(protectionOf(run('r', 1, { status: 'running' }), pinned), 'running');
    assert.equal(protectionOf(run('s', 1, { starred: true }), pinned), 'starred');
    assert.equal(protectionOf(run('l', 1, { label: 'baseline' }), pinned), 'labelled');
    assert.equal(protectionOf(run('e', 1, { label: '' }), pinned), 'labelled'); // blank labels from other writers still protect
    assert.equal(protectionOf(run('p', 1), pinned), 'starred-artefact');
    assert.equal(protectionOf(run('x', 1), pinned), undefined);
  });

  it('older-than: only unprotected runs before the cutoff, oldest first, optionally one tool', () => {
    const snap = snapshot(
      [
        run('new', 1),
        run('old2', 40),
        run('old1', 50),
        run('star', 60, { starred: true }),
        run('lab', 60, { label: 'keep' }),
        run('busy', 60, { status: 'running' }),
        run('pin', 60),
        run('other', 60, { toolId: 'b' }),
        run('bad-date', 60, { startedAt: 'yesterday', startedMs: NaN }),
      ],
      [],
      [['pin', 'labelled-artefact']],
    );
    assert.deepEqual(ids(selectOlderThan(snap, NOW - 30 * DAY)), ['other', 'old1', 'old2']);
    assert.deepEqual(ids(selectOlderThan(snap, NOW - 30 * DAY, 'a')), ['old1', 'old2']);
    assert.deepEqual(ids(selectOlderThan(snap, NOW - 45 * DAY, 'a')), ['old1']);
  });

  it('retain: the newest `keep` unprotected runs per tool stay; protected runs do not use up keep', () => {
    const snap = snapshot([
      run('a1', 1),
      run('a2', 2, { starred: true }),
      run('a3', 3),
      run('a4', 4, { status: 'running' }),
      run('a5', 5),
      run('a6', 6),
      run('b1', 1, { toolId: 'b' }),
      run('b2', 2, { toolId: 'b' }),
      run('c1', 1, { toolId: 'c' }),
      run('c2', 2, { toolId: 'c' }),
    ]);
    const policy = { byTool: { a: 2, b: 0 }, defaultKeep: 1, skipTools: ['c'] };
    assert.equal(keepFor(policy, 'a'), 2);
    assert.equal(keepFor(policy, 'gone-tool'), 1);
    assert.equal(keepFor(policy, 'c'), undefined);
    // a keeps a1, a3 (a2 starred, a4 running do not count); b keeps none; c is skipped.
    assert.deepEqual(ids(selectBeyondRetain(snap, policy)), ['a6', 'a5', 'b2', 'b1']);
    assert.deepEqual(ids(selectBeyondRetain(snap, policy, 'b')), ['b2', 'b1']);
  });

  it('budget: oldest unprotected runs with artefacts until the referenced files fit, dedup-aware', () => {
    const runs = [run('r0', 11), run('r1', 10), run('r2', 9), run('r3', 8, { starred: true }), run('r4', 7), run('r5', 1)];
    const artefacts = [
      // r0 has no artefacts: never taken for the budget. r1 shares its file with r5: freed once both went.
      art(1, 'r1', 'a/r1/shared.bin', 100),
      art(2, 'r5', 'a/r1/shared.bin', 100),
      art(3, 'r2', 'a/r2/x.bin', 300),
      art(4, 'r3', 'a/r3/x.bin', 50),
      art(5, 'r4', 'a/r4/x.bin', 200),
    ];
    const snap = snapshot(runs, artefacts);
    const byRun = new Map<string, SnapshotArtefact[]>();
    for (const a of artefacts) byRun.set(a.runId, [...(byRun.get(a.runId) ?? []), a]);
    const refs = new FileRefCounts(artefacts);
    assert.equal(refs.totalBytes, 650);
    assert.deepEqual(ids(selectForBudget(snap, new Set(), byRun, refs, 400)), ['r1', 'r2']);
    assert.equal(refs.totalBytes, 350);
    const again = new FileRefCounts(artefacts);
    assert.deepEqual(ids(selectForBudget(snap, new Set(), byRun, again, 100)), ['r1', 'r2', 'r4', 'r5']);
    assert.equal(again.totalBytes, 50); // only the starred run's file is left: the budget cannot be met, nothing protected goes
    assert.deepEqual(ids(selectForBudget(snap, new Set(), byRun, new FileRefCounts(artefacts), 0)), []);
    assert.deepEqual(ids(selectForBudget(snap, new Set(), byRun, new FileRefCounts(artefacts), 10_000)), []);
    // Runs already chosen by another policy are not counted twice.
    const afterRetain = new FileRefCounts(artefacts);
    afterRetain.remove(byRun.get('r2') ?? []);
    assert.deepEqual(ids(selectForBudget(snap, new Set(['r2']), byRun, afterRetain, 400)), []);
  });

  it('reads retain_runs from tool.json, telling "absent" from 100 and skipping unreadable tools', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
    try {
      const tool = (folder: string, text: string | undefined) => {
        fs.mkdirSync(path.join(dir, folder));
        if (text !== undefined) fs.writeFileSync(path.join(dir, folder, 'tool.json'), text);
      };
      tool('explicit', JSON.stringify({ id: 'explicit', name: 'E', retain_runs: 5 }));
      tool('hundred', JSON.stringify({ id: 'hundred', name: 'H', retain_runs: 100 }));
      tool('absent', JSON.stringify({ id: 'absent', name: 'A' }));
      tool('broken-json', '{ "id": "broken-json", ');
      tool('bad-value', JSON.stringify({ id: 'bad-value', retain_runs: -3 }));
      tool('no-tool-json', undefined);
      const policy = await loadRetainPolicy(dir, 42);
      assert.deepEqual(policy.byTool, { explicit: 5, hundred: 100 });
      assert.equal(policy.defaultKeep, 42);
      assert.deepEqual([...policy.skipTools].sort(), ['bad-value', 'broken-json']);
      assert.equal(keepFor(policy, 'absent'), 42);
      assert.equal(keepFor(policy, 'no-tool-json'), 42);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
