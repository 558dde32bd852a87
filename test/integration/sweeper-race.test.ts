// A sweep racing with another process that records runs: no recorded run is lost, no run is half-deleted, and the
// recorder never waits long for the writer lock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyPlan, planManualSweep, SweeperBusyError, type SweepResult } from '../../src/core/sweeper';
import { checkNoOrphans, createSweepFixture, seedRuns, type SweepFixture } from './helpers/sweeperFixture';
import { startSweeperWorker } from './helpers/sweeperWorkerProcess';

describe('sweeper racing with a recorder in another process', () => {
  let fx: SweepFixture;
  before(async () => {
    fx = await createSweepFixture({ busyTimeoutMs: 30_000 });
  });
  after(async () => fx.cleanup());

  it('deletes old runs whole while new runs are recorded, losing none of them', async () => {
    const old = await seedRuns(fx, { prefix: 'old', count: 200, daysOld: 40, filesPerRun: 2 });
    const recorder = startSweeperWorker({
      mode: 'record',
      dbPath: fx.dbPath,
      artefactsRoot: fx.root,
      toolId: 'tool-a',
      tag: 'rec',
      count: 60,
      filesPerRun: 2,
      oldEvery: 3, // a third of the recorded runs are "old": a sweep may take them once they are finished
      oldDays: 60,
      pauseMs: 2,
    });
    await recorder.waitFor((line) => line.startsWith('ack '));
    // Sweep repeatedly while the recorder runs, as a CLI would next to a VS Code window.
    const results: SweepResult[] = [];
    while (!recorder.done()) {
      const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 30 * 86_400 });
      try {
        results.push(await applyPlan(plan, { store: fx.store, settings: fx.settings, runBatchSize: 20 }));
      } catch (error) {
        if (!(error instanceof SweeperBusyError)) throw error;
      }
      if (results.length >= 12) break;
    }
    const exit = await recorder.exited;
    assert.equal(exit.code, 0, recorder.stderr());
    // One last sweep after the recorder finished.
    results.push(await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 30 * 86_400 }), {
      store: fx.store,
      settings: fx.settings,
    }));

    fx.store.refresh();
    const acked = recorder.lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4));
    assert.equal(acked.length, 60);
    const present = new Set(fx.store.read((q) => q.all<{ id: string }>('SELECT id FROM runs')).map((r) => r.id));
    const deleted = new Set(results.flatMap((r) => r.runs.map((run) => run.id)));
    // Recent recorded runs: all present. Old recorded runs: either swept (listed by a sweep) or present.
    acked.forEach((id, i) => {
      if (i % 3 !== 0) assert.ok(present.has(id), `recent run ${id} was lost`);
      else assert.ok(present.has(id) !== deleted.has(id), `old run ${id}: present=${present.has(id)} deleted=${deleted.has(id)}`);
    });
    for (const id of old) assert.ok(!present.has(id) && deleted.has(id), `old seeded run ${id} should be gone`);
    assert.ok([...deleted].some((id) => id.startsWith('rec-')), 'the race was real: some recorded runs were swept once finished');
    // No half-deleted run, no orphan file, no row without its file.
    assert.deepEqual(checkNoOrphans(fx), { rowsWithoutFile: [], filesWithoutRow: [] });
    const artefactRuns = fx.store.read((q) => q.all<{ run_id: string; n: number }>('SELECT run_id, COUNT(*) AS n FROM artefacts GROUP BY run_id'));
    for (const row of artefactRuns) assert.equal(row.n, 2, `run ${row.run_id} kept all its artefacts`);
    assert.equal(fx.store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM artefacts a LEFT JOIN runs r ON r.id = a.run_id WHERE r.id IS NULL')?.n), 0);
    assert.equal(fx.store.read((q) => q.get<{ v: string }>('PRAGMA integrity_check')?.v ?? 'ok'), 'ok');
    const { maxWaitMs } = recorder.done() as { maxWaitMs: number };
    // The benchmark holds the 100 ms target; here only a loose bound on a loaded CI machine.
    assert.ok(maxWaitMs < 2_000, `the recorder waited ${maxWaitMs.toFixed(0)} ms for the lock`);
  });
});
