import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getJsonSetting, setJsonSetting, setSetting } from '../../src/core/store/repositories/settings';
import { getRun, setRunStarred } from '../../src/core/store/repositories/runs';
import { getArtefact, insertArtefact, restoreArtefact } from '../../src/core/store/repositories/artefacts';
import { insertValidationReport } from '../../src/core/store/repositories/validationReports';
import {
  applyPlan,
  LEASE_KEY,
  PASS_RECORD_KEYS,
  planManualSweep,
  planPass,
  SweeperBusyError,
  SweeperLease,
  type SweepProgress,
} from '../../src/core/sweeper';
import { journalKey, JOURNAL_PREFIX } from '../../src/core/sweeper/journal';
import {
  addArtefact,
  addRun,
  ageFile,
  bytesUnder,
  checkNoOrphans,
  createSweepFixture,
  daysAgo,
  listFiles,
  type SweepFixture,
} from '../integration/helpers/sweeperFixture';

const MONTH = 30 * 86_400;

describe('sweep apply', () => {
  let fx: SweepFixture;
  beforeEach(async () => {
    fx = await createSweepFixture();
  });
  afterEach(async () => fx.cleanup());

  async function seedOldAndNew(count = 6): Promise<void> {
    for (let i = 0; i < count; i++) {
      await addRun(fx.store, { id: `old-${i}`, startedAt: daysAgo(40 + i) });
      await addArtefact(fx, { runId: `old-${i}`, name: 'out.bin', bytes: 100 + i });
      await addArtefact(fx, { runId: `old-${i}`, name: 'log.txt', bytes: 10 });
    }
    await addRun(fx.store, { id: 'new', startedAt: daysAgo(1) });
    await addArtefact(fx, { runId: 'new', name: 'out.bin', bytes: 1 });
  }

  it('deletes exactly the plan — rows, files and emptied run folders — and reports the bytes freed on disk', async () => {
    await seedOldAndNew();
    const before = bytesUnder(fx.root);
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    const progress: SweepProgress[] = [];
    const result = await applyPlan(plan, { store: fx.store, settings: fx.settings, runBatchSize: 2, onProgress: (p) => progress.push(p) });
    assert.deepEqual(result.runs.map((r) => r.id), plan.runs.map((r) => r.id));
    assert.deepEqual(result.artefacts.map((a) => a.id).sort(), plan.artefacts.map((a) => a.id).sort());
    assert.deepEqual(result.files.map((f) => f.relPath).sort(), plan.files.map((f) => f.relPath).sort());
    assert.equal(result.totals.bytes, before - bytesUnder(fx.root), 'reported bytes = bytes gone from disk');
    assert.equal(result.totals.bytes, plan.totals.bytes);
    assert.deepEqual(listFiles(fx.root), ['tool-a/new/out.bin']);
    assert.deepEqual(fs.readdirSync(path.join(fx.root, 'tool-a')), ['new'], 'empty run folders removed');
    assert.equal(fx.store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n), 1);
    assert.equal(fx.store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM artefacts')?.n), 1);
    assert.deepEqual(progress.filter((p) => p.phase === 'runs').map((p) => p.done), [2, 4, 6]);
    // The pass is recorded, the lease and the journal are gone.
    const record = fx.store.read((q) => getJsonSetting(q, PASS_RECORD_KEYS.manual)) as Record<string, unknown>;
    assert.equal(record.runs, 6);
    assert.equal(record.bytes, result.totals.bytes);
    assert.equal(fx.store.read((q) => getJsonSetting(q, LEASE_KEY)), undefined);
    assert.deepEqual(fx.store.read((q) => q.all("SELECT key FROM settings WHERE key LIKE 'sweeper.unlink.%'")), []);
  });

  it('re-checks every entry: a run starred, an artefact restored or an orphan registered meanwhile is kept', async () => {
    await seedOldAndNew(3);
    await addRun(fx.store, { id: 'purge-me', startedAt: daysAgo(2) });
    const softId = await addArtefact(fx, { runId: 'purge-me', name: 'del.bin', deletedAt: daysAgo(9) });
    const stray = path.join(fx.root, 'tool-a', 'purge-me', 'stray.bin');
    fs.writeFileSync(stray, 'x');
    ageFile(stray, 3);
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    assert.equal(plan.runs.length, 3);
    assert.ok(plan.artefacts.some((a) => a.id === softId));
    assert.ok(plan.files.some((f) => f.relPath === 'tool-a/purge-me/stray.bin'));

    await fx.store.write((q) => {
      setRunStarred(q, 'old-1', true);
      restoreArtefact(q, softId);
      insertArtefact(q, {
        runId: 'purge-me', toolId: 'tool-a', outputKey: 'o', relPath: 'tool-a/purge-me/stray.bin', filename: 'stray.bin',
        mime: 'application/octet-stream', sizeBytes: 1, sha256: 's', createdAt: daysAgo(0),
      });
    });
    const result = await applyPlan(plan, { store: fx.store, settings: fx.settings });
    assert.deepEqual(result.runs.map((r) => r.id).sort(), ['old-0', 'old-2']);
    assert.ok(fx.store.read((q) => getRun(q, 'old-1')), 'the starred run survived');
    assert.ok(fx.store.read((q) => getArtefact(q, softId)), 'the restored artefact survived');
    assert.ok(fs.existsSync(stray), 'the now-registered file survived');
    assert.ok(fs.existsSync(path.join(fx.root, 'tool-a/old-1/out.bin')));
    const skipped = result.skipped.map((s) => `${s.id}: ${s.reason}`).join('\n');
    assert.match(skipped, /old-1: run is starred/);
    assert.match(skipped, new RegExp(`${softId}: artefact was restored`));
    assert.match(skipped, /stray\.bin: a row points at this file now/);
  });

  it('with dedup removes a shared file only when its last row goes', async () => {
    await addRun(fx.store, { id: 'a', startedAt: daysAgo(60) });
    await addRun(fx.store, { id: 'b', startedAt: daysAgo(45) });
    await addArtefact(fx, { runId: 'a', name: 'x.bin', bytes: 64 });
    await addArtefact(fx, { runId: 'b', name: 'x.bin', relPath: 'tool-a/a/x.bin', bytes: 64 });
    const first = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 50 * 86_400 }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.deepEqual(first.runs.map((r) => r.id), ['a']);
    assert.deepEqual(first.files, []);
    assert.ok(fs.existsSync(path.join(fx.root, 'tool-a/a/x.bin')), 'still used by b');
    const second = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.deepEqual(second.runs.map((r) => r.id), ['b']);
    assert.deepEqual(second.files.map((f) => [f.relPath, f.bytes]), [['tool-a/a/x.bin', 64]]);
    assert.deepEqual(listFiles(fx.root), []);
  });

  it('purges expired soft deletes and lowers the run’s artefact total; repairs rows whose file is gone', async () => {
    await addRun(fx.store, { id: 'r', startedAt: daysAgo(1) });
    await addArtefact(fx, { runId: 'r', name: 'keep.bin', bytes: 40 });
    await addArtefact(fx, { runId: 'r', name: 'old.bin', bytes: 30, deletedAt: daysAgo(10) });
    const lost = await addArtefact(fx, { runId: 'r', name: 'lost.bin', bytes: 20 });
    fs.rmSync(path.join(fx.root, 'tool-a/r/lost.bin'));
    assert.equal(fx.store.read((q) => getRun(q, 'r'))?.totalArtefactBytes, 90);
    const result = await applyPlan(await planPass('artefacts-purge', { store: fx.store, settings: fx.settings }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.deepEqual(result.artefacts.map((a) => a.reason).sort(), ['missing-file', 'soft-delete-expired']);
    assert.equal(fx.store.read((q) => getArtefact(q, lost)), undefined);
    assert.deepEqual(listFiles(fx.root), ['tool-a/r/keep.bin']);
    assert.equal(fx.store.read((q) => getRun(q, 'r'))?.totalArtefactBytes, 40);
    assert.equal(result.totals.bytes, 30);
    assert.ok(fx.store.read((q) => getJsonSetting(q, PASS_RECORD_KEYS['artefacts-purge'])));
  });

  it('prunes validation reports but never a tool’s latest', async () => {
    await fx.store.write((q) => {
      for (const days of [90, 60, 45]) insertValidationReport(q, { toolId: 't', timestamp: daysAgo(days), overall: 'fail', reportJson: '{}' });
    });
    const plan = await planPass('runs-prune', { store: fx.store, settings: fx.settings });
    assert.equal(plan.validationReports.length, 2);
    // The latest report disappears between plan and apply: the 60-day one is now the latest and must stay.
    await fx.store.write((q) => q.run('DELETE FROM validation_reports WHERE timestamp = (SELECT MAX(timestamp) FROM validation_reports)'));
    const result = await applyPlan(plan, { store: fx.store, settings: fx.settings });
    assert.equal(result.validationReports.length, 1);
    assert.match(result.skipped.map((s) => s.reason).join(), /latest/);
    assert.equal(fx.store.read((q) => q.all('SELECT timestamp FROM validation_reports')).length, 1);
  });

  it('finishes the files an interrupted apply had journaled (rows already gone), once', async () => {
    await addRun(fx.store, { id: 'keep', startedAt: daysAgo(1) });
    await addArtefact(fx, { runId: 'keep', name: 'shared.bin', bytes: 5 });
    const orphan = path.join(fx.root, 'tool-a', 'killed-run', 'out.bin');
    fs.mkdirSync(path.dirname(orphan), { recursive: true });
    fs.writeFileSync(orphan, Buffer.alloc(77));
    // As left by a sweeper SIGKILLed after its batch committed: rows gone, files journaled, some maybe unlinked.
    await fx.store.write((q) =>
      setJsonSetting(q, journalKey('deadbeefdeadbeef', 3), {
        files: ['tool-a/killed-run/out.bin', 'tool-a/killed-run/already-gone.bin', 'tool-a/keep/shared.bin'],
      }),
    );
    const result = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.deepEqual(result.recovered.map((f) => [f.relPath, f.bytes]), [['tool-a/killed-run/out.bin', 77]]);
    assert.equal(result.totals.bytes, 77);
    assert.ok(fs.existsSync(path.join(fx.root, 'tool-a/keep/shared.bin')), 'a file a row points at is never deleted');
    assert.ok(!fs.existsSync(path.dirname(orphan)), 'its emptied folder went too');
    assert.deepEqual(fx.store.read((q) => q.all(`SELECT key FROM settings WHERE key LIKE '${JOURNAL_PREFIX}%'`)), []);
    const again = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.deepEqual(again.recovered, []);
    assert.equal(again.totals.bytes, 0);
  });

  it('refuses to start while another sweeper holds the lease, deleting nothing', async () => {
    await seedOldAndNew(2);
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    const other = await SweeperLease.acquire(fx.store);
    await assert.rejects(applyPlan(plan, { store: fx.store, settings: fx.settings }), SweeperBusyError);
    assert.equal(listFiles(fx.root).length, 5);
    await other.release();
  });

  it('stops between batches when aborted, leaving a consistent state the next sweep completes', async () => {
    await seedOldAndNew(6);
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    const controller = new AbortController();
    const result = await applyPlan(plan, {
      store: fx.store,
      settings: fx.settings,
      runBatchSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'runs' && p.done === 2) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    // Pipelined: the batch after the one that reported may already be committed; it is finished, nothing more.
    assert.ok(result.runs.length === 2 || result.runs.length === 4, String(result.runs.length));
    assert.deepEqual(result.runs.map((r) => r.id), plan.runs.slice(0, result.runs.length).map((r) => r.id), 'oldest first');
    assert.equal(listFiles(fx.root).length, 1 + (6 - result.runs.length) * 2, 'the deleted runs lost their files, nothing else');
    assert.deepEqual(checkNoOrphans(fx), { rowsWithoutFile: [], filesWithoutRow: [] });
    assert.equal((fx.store.read((q) => getJsonSetting(q, PASS_RECORD_KEYS.manual)) as { cancelled: boolean }).cancelled, true);
    const rest = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.equal(rest.runs.length, 6 - result.runs.length);
    assert.deepEqual(listFiles(fx.root), ['tool-a/new/out.bin']);
  });

  it('rolls a batch back when the lease was taken over, and stops', async () => {
    await seedOldAndNew(4);
    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    let stolen = false;
    await assert.rejects(
      applyPlan(plan, {
        store: fx.store,
        settings: fx.settings,
        runBatchSize: 1,
        onProgress: () => {
          if (stolen) return;
          stolen = true;
          void fx.store.write((q) =>
            setSetting(q, LEASE_KEY, JSON.stringify({ pid: 1, host: 'elsewhere', nonce: 'thief', start: daysAgo(0), until: new Date(Date.now() + 60_000).toISOString() })),
          );
        },
      }),
      /taken over/,
    );
    const left = fx.store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n) ?? 0;
    assert.ok(left >= 3 && left <= 4, `one or two batches went before the takeover (${left} runs left)`);
    assert.deepEqual(checkNoOrphans(fx), { rowsWithoutFile: [], filesWithoutRow: [] }, 'committed batches finished their files');
  });
});
