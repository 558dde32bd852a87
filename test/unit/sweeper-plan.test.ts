import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { insertValidationReport } from '../../src/core/store/repositories/validationReports';
import { planManualSweep, planPass, planSweep } from '../../src/core/sweeper';
import { addArtefact, addRun, ageFile, createSweepFixture, daysAgo, insertCraftedArtefact, type SweepFixture } from '../integration/helpers/sweeperFixture';

const MONTH = 30 * 86_400;
const sorted = (values: Iterable<string | number>) => [...values].map(String).sort();

describe('sweep plan', () => {
  let fx: SweepFixture;
  beforeEach(async () => {
    fx = await createSweepFixture();
  });
  afterEach(async () => fx.cleanup());

  it('older-than lists old unprotected runs with their artefacts and files; protected runs stay', async () => {
    await addRun(fx.store, { id: 'old-1', startedAt: daysAgo(40) });
    await addRun(fx.store, { id: 'old-2', startedAt: daysAgo(35), toolId: 'tool-b' });
    await addRun(fx.store, { id: 'recent', startedAt: daysAgo(2) });
    await addRun(fx.store, { id: 'starred', startedAt: daysAgo(40), starred: true });
    await addRun(fx.store, { id: 'labelled', startedAt: daysAgo(40), label: 'baseline' });
    await addRun(fx.store, { id: 'running', startedAt: daysAgo(40), status: 'running' });
    await addRun(fx.store, { id: 'star-art', startedAt: daysAgo(40) });
    await addRun(fx.store, { id: 'label-art', startedAt: daysAgo(40) });
    await addRun(fx.store, { id: 'dead-star-art', startedAt: daysAgo(40) });
    await addArtefact(fx, { runId: 'old-1', name: 'a.png', bytes: 1_000 });
    await addArtefact(fx, { runId: 'old-1', name: 'b.csv', bytes: 24 });
    await addArtefact(fx, { runId: 'old-2', toolId: 'tool-b', name: 'c.txt', bytes: 5 });
    await addArtefact(fx, { runId: 'star-art', name: 'keep.png', starred: true });
    await addArtefact(fx, { runId: 'label-art', name: 'keep.png', label: 'figure 3' });
    // A starred artefact the user deleted protects nothing.
    await addArtefact(fx, { runId: 'dead-star-art', name: 'gone.png', starred: true, deletedAt: daysAgo(1) });

    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    assert.deepEqual(sorted(plan.runs.map((r) => r.id)), ['dead-star-art', 'old-1', 'old-2']);
    assert.deepEqual(plan.runs.map((r) => r.id)[0], 'old-1', 'oldest first');
    assert.ok(plan.runs.every((r) => r.reason === 'older-than'));
    assert.deepEqual(sorted(plan.artefacts.map((a) => a.relPath)), [
      'tool-a/dead-star-art/gone.png',
      'tool-a/old-1/a.png',
      'tool-a/old-1/b.csv',
      'tool-b/old-2/c.txt',
    ]);
    assert.deepEqual(sorted(plan.files.map((f) => f.relPath)), sorted(plan.artefacts.map((a) => a.relPath)));
    assert.equal(plan.totals.bytes, 1_000 + 24 + 5 + 100);
    assert.deepEqual(plan.totals, { runs: 3, artefacts: 4, files: 4, validationReports: 0, bytes: 1_129 });

    const toolB = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH, toolId: 'tool-b' });
    assert.deepEqual(toolB.runs.map((r) => r.id), ['old-2']);
    assert.deepEqual(toolB.files.map((f) => f.relPath), ['tool-b/old-2/c.txt']);
  });

  it('lists a deduplicated file only when its last row goes', async () => {
    await addRun(fx.store, { id: 'first', startedAt: daysAgo(50) });
    await addRun(fx.store, { id: 'second', startedAt: daysAgo(40) });
    await addRun(fx.store, { id: 'third', startedAt: daysAgo(1) });
    await addArtefact(fx, { runId: 'first', name: 'x.bin', bytes: 300 });
    await addArtefact(fx, { runId: 'second', name: 'x.bin', relPath: 'tool-a/first/x.bin', bytes: 300 });
    await addArtefact(fx, { runId: 'third', name: 'y.bin', bytes: 7 });
    await addArtefact(fx, { runId: 'second', name: 'y.bin', relPath: 'tool-a/third/y.bin', bytes: 7 });

    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: MONTH });
    assert.deepEqual(sorted(plan.runs.map((r) => r.id)), ['first', 'second']);
    assert.equal(plan.artefacts.length, 3);
    assert.deepEqual(plan.files.map((f) => f.relPath), ['tool-a/first/x.bin'], 'x.bin once; y.bin is still used by "third"');
    assert.equal(plan.totals.bytes, 300);

    const onlyFirst = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 45 * 86_400 });
    assert.deepEqual(onlyFirst.runs.map((r) => r.id), ['first']);
    assert.deepEqual(onlyFirst.files, [], 'x.bin is still used by "second"');
  });

  it('purges soft-deleted artefacts past their retention, not younger ones nor those of a running run', async () => {
    await addRun(fx.store, { id: 'r', startedAt: daysAgo(3) });
    await addRun(fx.store, { id: 'busy', startedAt: daysAgo(20), status: 'running' });
    const expired = await addArtefact(fx, { runId: 'r', name: 'old-delete.bin', bytes: 50, deletedAt: daysAgo(8) });
    await addArtefact(fx, { runId: 'r', name: 'young-delete.bin', deletedAt: daysAgo(6) });
    await addArtefact(fx, { runId: 'r', name: 'live.bin' });
    await addArtefact(fx, { runId: 'busy', name: 'old-delete.bin', deletedAt: daysAgo(10) });
    const plan = await planPass('artefacts-purge', { store: fx.store, settings: fx.settings });
    assert.deepEqual(plan.runs, []);
    assert.deepEqual(plan.artefacts.map((a) => [a.id, a.reason]), [[expired, 'soft-delete-expired']]);
    assert.deepEqual(plan.files.map((f) => [f.relPath, f.bytes, f.reason]), [['tool-a/r/old-delete.bin', 50, 'last-row']]);
  });

  it('housekeeping finds stale partials, orphan files and rows whose file is gone, and leaves fresh or foreign files', async () => {
    await addRun(fx.store, { id: 'done', startedAt: daysAgo(1) });
    await addRun(fx.store, { id: 'busy', startedAt: daysAgo(1), status: 'running' });
    const missing = await addArtefact(fx, { runId: 'done', name: 'vanished.png', bytes: 10 });
    fs.rmSync(path.join(fx.root, 'tool-a/done/vanished.png'));
    await addArtefact(fx, { runId: 'done', name: 'kept.png', bytes: 10 });
    const put = (rel: string, hoursOld: number, bytes = 3) => {
      const abs = path.join(fx.root, ...rel.split('/'));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, Buffer.alloc(bytes));
      ageFile(abs, hoursOld);
    };
    put('tool-a/done/out.png.partial', 2, 11);
    put('tool-a/done/fresh.partial', 0.5);
    put('tool-a/done/stray.bin', 3, 13);
    put('tool-a/gone-run/left.bin', 5, 17);
    put('tool-a/gone-run/.hidden', 5, 19);
    put('tool-a/busy/writing.bin', 5);
    put('tool-a/busy/writing.bin.partial', 5);
    put('tool-a/done/fresh-orphan.bin', 0.2);
    put('README.txt', 100);
    put('tool-a/.gitkeep', 100);
    put('_quarantine/2025-escape/evil', 100);
    put('_exports/report.zip', 100);

    const plan = await planPass('artefacts-purge', { store: fx.store, settings: fx.settings });
    assert.deepEqual(plan.artefacts.map((a) => [a.id, a.reason]), [[missing, 'missing-file']]);
    assert.deepEqual(
      plan.files.map((f) => [f.relPath, f.reason, f.bytes]).sort(),
      [
        ['tool-a/done/out.png.partial', 'partial', 11],
        ['tool-a/done/stray.bin', 'orphan', 13],
        ['tool-a/gone-run/.hidden', 'orphan', 19],
        ['tool-a/gone-run/left.bin', 'orphan', 17],
      ].sort(),
    );
  });

  it('does not treat rows as missing when their tool folder (or the whole root) is absent', async () => {
    await addRun(fx.store, { id: 'r', startedAt: daysAgo(1) });
    await addRun(fx.store, { id: 's', toolId: 'tool-b', startedAt: daysAgo(1) });
    await addArtefact(fx, { runId: 'r', name: 'a.bin' });
    await addArtefact(fx, { runId: 's', toolId: 'tool-b', name: 'b.bin' });
    fs.rmSync(path.join(fx.root, 'tool-b'), { recursive: true });
    const plan = await planPass('artefacts-purge', { store: fx.store, settings: fx.settings });
    assert.deepEqual(plan.artefacts, []);
    assert.ok(plan.notes.some((n) => n.includes('artefacts/tool-b/ does not exist')), plan.notes.join('\n'));

    fs.rmSync(fx.root, { recursive: true });
    const noRoot = await planPass('artefacts-purge', { store: fx.store, settings: fx.settings });
    assert.deepEqual(noRoot.artefacts, []);
    assert.ok(noRoot.notes.some((n) => n.includes('does not exist: no file checks')), noRoot.notes.join('\n'));
  });

  it('lists the store temp files of dead processes, never a live one', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const deadTemp = path.join(fx.dir, `.pixie.db.tmp-${dead}-abcd1234`);
    const liveTemp = path.join(fx.dir, `.pixie.db.tmp-${process.pid}-abcd1234`);
    const freshTemp = path.join(fx.dir, `.pixie.db.tmp-${dead}-ffff0000`);
    for (const file of [deadTemp, liveTemp, freshTemp]) fs.writeFileSync(file, 'x'.repeat(9));
    ageFile(deadTemp, 2);
    ageFile(liveTemp, 2);
    const plan = await planPass('artefacts-purge', { store: fx.store, settings: fx.settings });
    assert.deepEqual(plan.files, [{ relPath: path.basename(deadTemp), base: 'db', bytes: 9, reason: 'temp' }]);
  });

  it('lists validation reports older than 30 days except each tool’s latest', async () => {
    await fx.store.write((q) => {
      for (const [tool, days] of [['a', 60], ['a', 40], ['a', 1], ['b', 90], ['c', 45], ['c', 31]] as const) {
        insertValidationReport(q, { toolId: tool, timestamp: daysAgo(days), overall: 'pass', reportJson: '{}' });
      }
    });
    const plan = await planPass('runs-prune', { store: fx.store, settings: fx.settings });
    assert.deepEqual(
      plan.validationReports.map((r) => r.toolId),
      ['a', 'a', 'c'],
      'b keeps its only (old) report; c keeps its newest',
    );
  });

  it('runs prune: retain_runs from tool.json per tool, pixie.retainRuns otherwise, and the byte budget', async () => {
    fs.mkdirSync(path.join(fx.toolsDir, 'tool-a'));
    fs.writeFileSync(path.join(fx.toolsDir, 'tool-a', 'tool.json'), JSON.stringify({ id: 'tool-a', name: 'A', retain_runs: 2 }));
    for (let i = 1; i <= 5; i++) await addRun(fx.store, { id: `a${i}`, startedAt: daysAgo(10 - i) });
    for (let i = 1; i <= 4; i++) await addRun(fx.store, { id: `b${i}`, toolId: 'tool-b', startedAt: daysAgo(10 - i) });
    for (let i = 1; i <= 4; i++) await addArtefact(fx, { runId: `b${i}`, toolId: 'tool-b', name: 'f.bin', bytes: 1_000 });
    const settings = { ...fx.settings, retainRuns: 3 };
    const plan = await planPass('runs-prune', { store: fx.store, settings });
    assert.deepEqual(plan.runs.map((r) => [r.id, r.reason]), [['a1', 'retain'], ['b1', 'retain'], ['a2', 'retain'], ['a3', 'retain']]);

    const budget = await planPass('runs-prune', { store: fx.store, settings: { ...settings, retentionMaxArtefactBytes: 1_500 } });
    assert.deepEqual(
      budget.runs.map((r) => [r.id, r.reason]),
      [['a1', 'retain'], ['b1', 'retain'], ['a2', 'retain'], ['a3', 'retain'], ['b2', 'budget'], ['b3', 'budget']],
    );
    assert.equal(budget.totals.bytes, 3_000);
  });

  it('refuses crafted rel_paths and symlinks instead of listing them as files', async () => {
    const outside = path.join(fx.dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    await addRun(fx.store, { id: 'evil', startedAt: daysAgo(40) });
    await insertCraftedArtefact(fx.store, { runId: 'evil', relPath: '../outside/secret.txt' });
    fs.mkdirSync(path.join(fx.root, 'tool-a'), { recursive: true });
    fs.symlinkSync(outside, path.join(fx.root, 'tool-a', 'evil'));
    await addArtefact(fx, { runId: 'evil', name: 'via-link.txt', relPath: 'tool-a/evil/secret.txt', noFile: true });
    const plan = await planSweep(fx.store, {
      kind: 'manual',
      criteria: { olderThan: { cutoff: daysAgo(30), seconds: MONTH }, housekeeping: true },
      artefactsRoot: fx.root,
    });
    assert.deepEqual(plan.runs.map((r) => r.id), ['evil']);
    assert.deepEqual(plan.files, []);
    assert.deepEqual(sorted(plan.refused.map((r) => r.relPath)), ['../outside/secret.txt', 'tool-a/evil/secret.txt']);
    assert.ok(plan.notes.some((n) => n.includes('symlink')));
  });
});
