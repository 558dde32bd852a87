// SIGKILL in the middle of `sweep --apply`, then a re-run: the result is consistent (every row has its file, every
// file its row), everything the sweep was meant to delete is gone, and nothing is deleted (or reported) twice.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readLease } from '../../src/core/sweeper/lease';
import { JOURNAL_PREFIX } from '../../src/core/sweeper/journal';
import { applyPlan, planManualSweep } from '../../src/core/sweeper';
import { addArtefact, addRun, ageFile, checkNoOrphans, createSweepFixture, daysAgo, listFiles, seedRuns } from './helpers/sweeperFixture';
import { startSweeperWorker } from './helpers/sweeperWorkerProcess';

/** Kill after this many progress lines plus a random moment (anywhere in the next batch), or exactly between a
 *  batch's commit and its unlinks (the `count`-th durable write, the first being the lease). */
const KILL_POINTS: Array<{ after: 'progress' | 'commit'; count: number }> = [
  { after: 'progress', count: 1 },
  { after: 'progress', count: 9 },
  { after: 'commit', count: 2 },
  { after: 'commit', count: 6 },
];

describe('SIGKILL during a sweep apply, then a re-run', () => {
  for (const { after: killAfter, count } of KILL_POINTS) {
    it(`killed after ${count} ${killAfter === 'progress' ? 'batch(es) (+ a random moment)' : 'commit(s), before the unlinks'}`, async () => {
      const fx = await createSweepFixture({ busyTimeoutMs: 30_000 });
      try {
        const old = await seedRuns(fx, { prefix: 'old', count: 60, daysOld: 40, filesPerRun: 2 });
        const young = await seedRuns(fx, { prefix: 'young', count: 10, daysOld: 1, filesPerRun: 2 });
        // Dedup across the line: a kept run shares a file that lives in an old run's folder.
        await addRun(fx.store, { id: 'keeper', startedAt: daysAgo(1) });
        await addArtefact(fx, { runId: 'keeper', name: 'f0.bin', relPath: `tool-a/${old[5]}/f0.bin`, bytes: 64 + 5 });
        // Housekeeping work too: an expired soft delete and a stale orphan.
        await addArtefact(fx, { runId: young[0], name: 'soft.bin', bytes: 33, deletedAt: daysAgo(20) });
        const orphan = path.join(fx.root, 'tool-a', 'ghost', 'stray.bin');
        fs.mkdirSync(path.dirname(orphan), { recursive: true });
        fs.writeFileSync(orphan, Buffer.alloc(21));
        ageFile(orphan, 5);
        await fx.store.checkpoint();

        const worker = startSweeperWorker({
          mode: 'sweep',
          dbPath: fx.dbPath,
          artefactsRoot: fx.root,
          toolsDir: fx.toolsDir,
          olderThanSeconds: 30 * 86_400,
          runBatchSize: 4,
          pauseAfterWriteMs: killAfter === 'commit' ? 800 : undefined,
        });
        const prefix = killAfter === 'progress' ? 'progress ' : 'committed';
        await worker.waitFor(() => worker.lines.filter((l) => l.startsWith(prefix)).length >= count);
        if (killAfter === 'progress') await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 15)));
        worker.kill('SIGKILL');
        const exit = await worker.exited;
        assert.equal(exit.signal, 'SIGKILL', `the worker finished before the kill (${worker.lines.at(-1)}): pick an earlier point`);

        fx.store.refresh();
        const filesBefore = new Set(listFiles(fx.root));
        assert.ok(fx.store.read(readLease), 'the killed sweeper left its lease behind');
        const result = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 30 * 86_400 }), {
          store: fx.store,
          settings: fx.settings,
        });
        // Nothing deleted twice: every file this run reports was still there, and each is reported once.
        const reported = [...result.files, ...result.recovered].map((f) => f.relPath);
        assert.equal(new Set(reported).size, reported.length, 'a file reported twice');
        for (const rel of reported) assert.ok(filesBefore.has(rel), `${rel} reported but already gone`);
        assert.deepEqual(result.failed, []);
        if (killAfter === 'commit') {
          // Killed right after a batch committed: its files (2 runs × 2) were journaled and not yet unlinked, and
          // (pipelining) the previous batch's unlinks may still have been in flight.
          assert.ok(result.recovered.length >= 4 && result.recovered.length <= 8, JSON.stringify(result.recovered));
        }
        // Everything that had to go is gone; everything else is intact and consistent.
        const runs = new Set(fx.store.read((q) => q.all<{ id: string }>('SELECT id FROM runs')).map((r) => r.id));
        for (const id of old) assert.ok(!runs.has(id), `${id} survived`);
        for (const id of young) assert.ok(runs.has(id), `${id} was lost`);
        assert.ok(runs.has('keeper'));
        assert.deepEqual(checkNoOrphans(fx), { rowsWithoutFile: [], filesWithoutRow: [] });
        assert.ok(fs.existsSync(path.join(fx.root, 'tool-a', old[5], 'f0.bin')), 'the shared file survives with its last row');
        assert.ok(!fs.existsSync(orphan));
        assert.equal(listFiles(fx.root).length, 10 * 2 + 1);
        assert.deepEqual(fx.store.read((q) => q.all(`SELECT key FROM settings WHERE key LIKE '${JOURNAL_PREFIX}%'`)), []);
        assert.equal(fx.store.read(readLease), undefined);
        assert.equal(fx.store.read((q) => q.get<{ v: string }>('PRAGMA integrity_check')?.v ?? 'ok'), 'ok');
      } finally {
        await fx.cleanup();
      }
    });
  }
});
