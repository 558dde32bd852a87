import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getArtefact } from '../../src/core/store/repositories/artefacts';
import { getRun } from '../../src/core/store/repositories/runs';
import { SweeperLease } from '../../src/core/sweeper';
import { addArtefact, addRun, createSweepFixture, daysAgo, listFiles, type SweepFixture } from '../integration/helpers/sweeperFixture';
import { runPixie } from '../integration/helpers/sweeperCli';

describe('pixie sweep / runs star… / artefacts delete|restore', () => {
  let fx: SweepFixture;
  let pixie: (...args: string[]) => ReturnType<typeof runPixie>;

  beforeEach(async () => {
    fx = await createSweepFixture();
    pixie = (...args) => runPixie(['--workspace', fx.dir, ...args]);
    await addRun(fx.store, { id: 'aaaaaaaa-0001', startedAt: daysAgo(40) });
    await addRun(fx.store, { id: 'aaaaaaaa-0002', startedAt: daysAgo(10) });
    await addRun(fx.store, { id: 'bbbbbbbb-0001', toolId: 'whisper', startedAt: daysAgo(9) });
    await addArtefact(fx, { runId: 'aaaaaaaa-0001', name: 'big.bin', bytes: 2_048 });
    await addArtefact(fx, { runId: 'aaaaaaaa-0002', name: 'mid.bin', bytes: 512 });
    await addArtefact(fx, { runId: 'bbbbbbbb-0001', toolId: 'whisper', name: 'talk.txt', bytes: 64 });
    // The CLI opens the same files: the fixture's store must have checkpointed/let go of nothing it holds in memory.
    await fx.store.checkpoint();
  });
  afterEach(async () => fx.cleanup());

  it('dry run (default) lists runs, artefacts and bytes and deletes nothing; --apply deletes the same', async () => {
    const dry = await pixie('sweep');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Runs that would be deleted \(1\)/);
    assert.match(dry.stdout, /aaaaaaaa-0001/);
    assert.doesNotMatch(dry.stdout, /aaaaaaaa-0002/);
    assert.match(dry.stdout, /Would delete 1 run, 1 artefact, 1 file, 0 validation reports — 2\.0 KiB reclaimed/);
    assert.equal(listFiles(fx.root).length, 3);

    const json = await pixie('sweep', '--dry-run', '--json');
    const plan = JSON.parse(json.stdout) as { dryRun: boolean; totals: { bytes: number }; runs: { id: string }[] };
    assert.equal(plan.dryRun, true);
    assert.equal(plan.totals.bytes, 2_048);

    const applied = await pixie('sweep', '--apply', '--older-than', '30d', '--json');
    assert.equal(applied.code, 0, applied.stderr);
    const result = JSON.parse(applied.stdout) as { dryRun: boolean; runs: { id: string }[]; totals: { bytes: number } };
    assert.equal(result.dryRun, false);
    assert.deepEqual(result.runs.map((r) => r.id), plan.runs.map((r) => r.id));
    assert.equal(result.totals.bytes, 2_048);
    fx.store.refresh();
    assert.equal(fx.store.read((q) => getRun(q, 'aaaaaaaa-0001')), undefined);
    assert.deepEqual(listFiles(fx.root), ['tool-a/aaaaaaaa-0002/mid.bin', 'whisper/bbbbbbbb-0001/talk.txt']);
  });

  it('--tool limits the sweep to one tool; --older-than takes s m h d w', async () => {
    const out = await pixie('sweep', '--apply', '--tool', 'whisper', '--older-than', '1w');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Deleted 1 run, 1 artefact, 1 file/);
    fx.store.refresh();
    assert.equal(fx.store.read((q) => getRun(q, 'bbbbbbbb-0001')), undefined);
    assert.ok(fx.store.read((q) => getRun(q, 'aaaaaaaa-0001')), 'other tools untouched');
  });

  it('star / label protect a run from the sweep; unstar / unlabel give it back (prefix ids accepted)', async () => {
    const star = await pixie('runs', 'star', 'aaaaaaaa-0001', '--json');
    assert.equal(star.code, 0, star.stderr);
    assert.deepEqual(JSON.parse(star.stdout), { id: 'aaaaaaaa-0001', toolId: 'tool-a', starred: true, label: null, protected: true });
    assert.match((await pixie('sweep')).stdout, /Nothing to sweep/);
    assert.equal((await pixie('runs', 'unstar', 'aaaaaaaa-0001')).code, 0);
    const label = await pixie('runs', 'label', 'aaaaaaaa-0001', '  baseline  ');
    assert.equal(label.code, 0, label.stderr);
    assert.match(label.stdout, /labelled run aaaaaaaa-0001 "baseline" \(protected from sweeps\)/);
    assert.match((await pixie('sweep')).stdout, /Nothing to sweep/);
    const unlabel = await pixie('runs', 'unlabel', 'aaaaaaaa-0001');
    assert.match(unlabel.stdout, /no longer protected/);
    assert.match((await pixie('sweep')).stdout, /Runs that would be deleted \(1\)/);
    assert.equal((await pixie('runs', 'star', 'bbbbbbbb')).code, 0, 'a unique prefix of 6+ characters');
    fx.store.refresh();
    assert.equal(fx.store.read((q) => getRun(q, 'bbbbbbbb-0001'))?.starred, true);
  });

  it('artefacts delete / restore soft-delete and bring back; the purge honours the retention', async () => {
    const id = String(fx.store.read((q) => q.get<{ id: number }>("SELECT id FROM artefacts WHERE filename = 'mid.bin'"))?.id);
    const del = await pixie('artefacts', 'delete', id);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /restorable for 7 days/);
    assert.match((await pixie('artefacts', 'delete', id)).stdout, /already deleted/);
    fx.store.refresh();
    assert.ok(fx.store.read((q) => getArtefact(q, Number(id)))?.deletedAt);
    const restore = await pixie('artefacts', 'restore', id, '--json');
    assert.equal(restore.code, 0);
    assert.equal((JSON.parse(restore.stdout) as { deletedAt: string | null }).deletedAt, null);
    assert.match((await pixie('artefacts', 'restore', id)).stdout, /was not deleted/);
  });

  it('exit code 2 for bad usage, with a message', async () => {
    const cases: string[][] = [
      ['sweep', '--older-than', '30x'],
      ['sweep', '--older-than', '-1d'],
      ['sweep', '--dry-run', '--apply'],
      ['sweep', '--tool', 'no-such-tool'],
      ['sweep', '--bogus'],
      ['runs', 'star', 'nope'],
      ['runs', 'star', 'aaaaaaaa'],
      ['runs', 'label', 'aaaaaaaa-0001', '   '],
      ['runs', 'label', 'aaaaaaaa-0001'],
      ['artefacts', 'delete', 'abc'],
      ['artefacts', 'delete', '0'],
      ['artefacts', 'restore', '999'],
    ];
    for (const args of cases) {
      const out = await pixie(...args);
      assert.equal(out.code, 2, `${args.join(' ')} → ${out.code}: ${out.stderr}`);
      assert.notEqual(out.stderr.trim(), '', args.join(' '));
    }
    assert.match((await pixie('runs', 'star', 'aaaaaaaa')).stderr, /ambiguous: aaaaaaaa-0001, aaaaaaaa-0002/);
  });

  it('exit code 1 when another sweep is running or there is no database', async () => {
    const other = await SweeperLease.acquire(fx.store);
    const busy = await pixie('sweep', '--apply');
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /another sweep is running/);
    assert.equal((await pixie('sweep')).code, 0, 'a dry run needs no lease');
    await other.release();
    const empty = fs.mkdtempSync(path.join(fx.dir, 'empty-'));
    const missing = await runPixie(['--workspace', empty, 'sweep']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No Pixie database/);
  });

  it('every verb has --help (exit 0)', async () => {
    for (const args of [['sweep'], ['runs', 'star'], ['runs', 'unstar'], ['runs', 'label'], ['runs', 'unlabel'], ['artefacts', 'delete'], ['artefacts', 'restore']]) {
      const out = await pixie(...args, '--help');
      assert.equal(out.code, 0, args.join(' '));
      assert.match(out.stdout, /Usage: pixie/, args.join(' '));
      assert.match(out.stdout, /--json/, args.join(' '));
    }
    assert.match((await pixie('sweep', '--help')).stdout, /--older-than <duration>[\s\S]*default: "30d"[\s\S]*Exit codes/);
  });
});
