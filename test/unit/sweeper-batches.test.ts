// The sweeper's bulk paths: JSON-packed reads (and their row-by-row fallback), the per-batch re-check of runs, the
// folder-by-folder unlinking on a shared job pool, and the bounds of the adaptive run batches.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setArtefactLabel, setArtefactStarred, softDeleteArtefact } from '../../src/core/store/repositories/artefacts';
import { setRunLabel } from '../../src/core/store/repositories/runs';
import { applyPlan, planManualSweep, readSweepSnapshot } from '../../src/core/sweeper';
import { readAllAsTuples, selectTuples } from '../../src/core/sweeper/bulkRead';
import { ArtefactFiles, isCanonicalRelPath, removeFilesByFolder } from '../../src/core/sweeper/fileRemoval';
import { JobPool } from '../../src/core/sweeper/jobPool';
import { addArtefact, addRun, createSweepFixture, daysAgo, insertCraftedArtefact, listFiles, seedRuns, type SweepFixture } from '../integration/helpers/sweeperFixture';

const MONTH = 30 * 86_400;

describe('sweeper bulk reads', () => {
  let fx: SweepFixture;
  beforeEach(async () => {
    fx = await createSweepFixture();
  });
  afterEach(async () => fx.cleanup());

  it('reads a table in JSON pages, across rowid gaps, exactly as row by row', async () => {
    await addRun(fx.store, { id: 'r', startedAt: daysAgo(1) });
    for (let i = 0; i < 23; i++) await addArtefact(fx, { runId: 'r', name: `f${i}.bin`, bytes: i + 1 });
    await fx.store.write((q) => q.run('DELETE FROM artefacts WHERE id IN (3, 4, 5, 11, 20)'));
    const paged = fx.store.read((q) => readAllAsTuples(q, 'artefacts', ['id', 'rel_path', 'size_bytes'], 4));
    const rows = fx.store.read((q) => q.all<{ id: number; rel_path: string; size_bytes: number }>('SELECT id, rel_path, size_bytes FROM artefacts ORDER BY id'));
    assert.equal(rows.length, 18);
    assert.deepEqual(paged, rows.map((r) => [r.id, r.rel_path, r.size_bytes]));
    assert.deepEqual(fx.store.read((q) => readAllAsTuples(q, 'validation_reports', ['tool_id'])), [], 'an empty table');
    assert.throws(() => fx.store.read((q) => readAllAsTuples(q, 'artefacts; DROP TABLE runs', ['id'])), /identifier/);
  });

  it('falls back to row by row when a value cannot be JSON (a BLOB in a crafted db), with the same answer', async () => {
    await addRun(fx.store, { id: 'r', startedAt: daysAgo(40) });
    await addArtefact(fx, { runId: 'r', name: 'ok.bin', bytes: 5 });
    const blobId = await insertCraftedArtefact(fx.store, { runId: 'r', relPath: 'placeholder' });
    // A BLOB rel_path cannot be written through the store's parameters: cast in SQL.
    await fx.store.write((q) => q.run("UPDATE artefacts SET rel_path = CAST('tool-a/r/blob.bin' AS BLOB) WHERE id = ?", [blobId]));
    assert.throws(() => fx.store.read((q) => readAllAsTuples(q, 'artefacts', ['id', 'rel_path'])), /BLOB/i);
    const snapshot = fx.store.read((q) => readSweepSnapshot(q));
    assert.equal(snapshot.artefacts.length, 2);
    assert.equal(snapshot.artefacts[0].relPath, 'tool-a/r/ok.bin');
    assert.ok((snapshot.artefacts[1].relPath as unknown) instanceof Uint8Array, 'the BLOB came through as the row-by-row read gives it');
    const tuples = fx.store.read((q) =>
      selectTuples(q, 'SELECT id, rel_path FROM artefacts WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id', ['id', 'rel_path'], [
        '["r"]',
      ]),
    );
    assert.equal(tuples.length, 2);
    assert.ok(tuples[1][1] instanceof Uint8Array);
    // And a sweep over it still works: the BLOB path is refused, never deleted, and the run goes.
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    assert.deepEqual(plan.runs.map((r) => r.id), ['r']);
    const result = await applyPlan(plan, { store: fx.store, settings: fx.settings });
    assert.deepEqual(result.runs.map((r) => r.id), ['r']);
    assert.deepEqual(listFiles(fx.root), []);
  });
});

describe('sweeper run batches', () => {
  let fx: SweepFixture;
  beforeEach(async () => {
    fx = await createSweepFixture();
  });
  afterEach(async () => fx.cleanup());

  it('re-checks pins made after the plan: starred or labelled artefacts and labels keep their runs; deleted pins do not', async () => {
    const ids: Record<string, number> = {};
    for (const id of ['star-art', 'label-art', 'label-run', 'dead-pin', 'plain', 'grown']) {
      await addRun(fx.store, { id, startedAt: daysAgo(40) });
      ids[id] = await addArtefact(fx, { runId: id, name: 'out.bin', bytes: 10 });
    }
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    assert.equal(plan.runs.length, 6);
    await fx.store.write((q) => {
      setArtefactStarred(q, ids['star-art'], true);
      setArtefactLabel(q, ids['label-art'], 'figure 2');
      setRunLabel(q, 'label-run', 'baseline');
      setArtefactStarred(q, ids['dead-pin'], true);
      softDeleteArtefact(q, ids['dead-pin'], daysAgo(0));
    });
    // A row registered on a planned run after the plan goes with its run, file included.
    const late = await addArtefact(fx, { runId: 'grown', name: 'late.bin', bytes: 3 });
    const result = await applyPlan(plan, { store: fx.store, settings: fx.settings, runBatchSize: 4 });
    assert.deepEqual(result.runs.map((r) => r.id).sort(), ['dead-pin', 'grown', 'plain']);
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.id, s.reason]));
    assert.equal(skipped['star-art'], 'run is starred-artefact');
    assert.equal(skipped['label-art'], 'run is labelled-artefact');
    assert.equal(skipped['label-run'], 'run is labelled');
    assert.ok(result.artefacts.some((a) => a.id === late), 'the late row went with its run');
    assert.deepEqual(listFiles(fx.root), ['tool-a/label-art/out.bin', 'tool-a/label-run/out.bin', 'tool-a/star-art/out.bin']);
    assert.equal(result.totals.bytes, 10 + 10 + 10 + 3);
  });

  it('adaptive batches start at 50 runs and never take more than 250', async () => {
    await seedRuns(fx, { prefix: 'old', count: 700, daysOld: 40, filesPerRun: 1 });
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    assert.equal(plan.runs.length, 700);
    const steps: number[] = [];
    let before = 0;
    const result = await applyPlan(plan, {
      store: fx.store,
      settings: fx.settings,
      // A generous target: on any machine the batches grow to the cap.
      lockHoldTargetMs: 10_000,
      onProgress: (p) => {
        if (p.phase !== 'runs') return;
        steps.push(p.done - before);
        before = p.done;
      },
    });
    assert.equal(result.totals.runs, 700);
    assert.equal(steps[0], 50);
    assert.ok(Math.max(...steps) <= 250, steps.join());
    assert.deepEqual(steps.slice(0, 4), [50, 100, 200, 250], 'doubling up to the cap');
    assert.deepEqual(listFiles(fx.root), []);
  });
});

describe('removeFilesByFolder', () => {
  let dir: string;
  let root: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
    root = path.join(dir, 'artefacts');
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const put = (rel: string, bytes = 4) => {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.alloc(bytes, 1));
  };

  it('unlinks folder by folder, removes the folders it empties (and the ones asked for), keeps the rest', async () => {
    for (let i = 0; i < 7; i++) put(`t/big/f${i}.bin`, i + 1);
    put('t/a/x.bin', 10);
    put('t/keep/x.bin', 10);
    put('t/keep/other.bin', 1);
    fs.mkdirSync(path.join(root, 't', 'empty-run'));
    put('top.txt', 2);
    const rels = ['t/a/x.bin', ...Array.from({ length: 7 }, (_, i) => `t/big/f${i}.bin`), 't/keep/x.bin', 't/gone/x.bin', 'top.txt'];
    const outcomes = await removeFilesByFolder(new ArtefactFiles(root), new JobPool(2), rels, ['t/empty-run', 't/keep']);
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'removed' ? o.bytes : o.kind)),
      [10, 1, 2, 3, 4, 5, 6, 7, 10, 'missing', 2],
      'outcomes in the order asked, with the sizes lstat saw',
    );
    assert.deepEqual(listFiles(root), ['t/keep/other.bin']);
    assert.deepEqual(fs.readdirSync(path.join(root, 't')).sort(), ['keep'], 'emptied and requested folders went; t/ stays');
  });

  it('refuses a symlinked folder and non-canonical paths, touching nothing outside', async () => {
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'keep me');
    fs.mkdirSync(path.join(root, 't'));
    fs.symlinkSync(outside, path.join(root, 't', 'linked'));
    put('t/ok/x.bin');
    const outcomes = await removeFilesByFolder(new ArtefactFiles(root), new JobPool(4), [
      't/linked/secret.txt',
      '../outside/secret.txt',
      path.join(outside, 'secret.txt'),
      't/ok/x.bin',
    ], ['t/linked']);
    assert.deepEqual(outcomes.map((o) => o.kind), ['refused', 'refused', 'refused', 'removed']);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'keep me');
    assert.ok(fs.lstatSync(path.join(root, 't', 'linked')).isSymbolicLink(), 'the symlink itself is left alone');
  });

  it('isCanonicalRelPath accepts only plain relative forward-slash paths', () => {
    for (const good of ['a', 'a/b', '.hidden/x', 'a/...', 'a/.b/..c']) assert.equal(isCanonicalRelPath(good), true, good);
    for (const bad of ['', '.', '..', './a', 'a/.', 'a/..', '../a', 'a//b', '/a', 'a/', 'a/./b', 'a/../b', 'C:/x', 'a\\b', 'a\0b']) {
      assert.equal(isCanonicalRelPath(bad), false, JSON.stringify(bad));
    }
  });
});

describe('JobPool', () => {
  it('runs every job, never more than its limit at once, in the order queued', async () => {
    const pool = new JobPool(3);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool.run(async () => {
          started.push(i);
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 1 + (i % 4)));
          active--;
          return i * 2;
        }),
      ),
    );
    assert.deepEqual(results, Array.from({ length: 12 }, (_, i) => i * 2));
    assert.equal(peak, 3);
    assert.deepEqual(started, Array.from({ length: 12 }, (_, i) => i));
  });

  it('passes a failure to its caller and frees the slot', async () => {
    const pool = new JobPool(1);
    await assert.rejects(pool.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await pool.run(() => Promise.resolve('next')), 'next');
    assert.throws(() => new JobPool(0), RangeError);
  });
});
