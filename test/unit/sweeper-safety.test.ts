// A crafted pixie.db (or symlinks planted inside artefacts/) must never make the sweeper delete a file elsewhere.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setJsonSetting } from '../../src/core/store/repositories/settings';
import { applyPlan, planManualSweep, planPass } from '../../src/core/sweeper';
import { journalKey } from '../../src/core/sweeper/journal';
import {
  addArtefact,
  addRun,
  ageFile,
  createSweepFixture,
  daysAgo,
  insertCraftedArtefact,
  listFiles,
  type SweepFixture,
} from '../integration/helpers/sweeperFixture';

describe('sweeper path safety', () => {
  let fx: SweepFixture;
  let outside: string;
  let home: string;

  beforeEach(async () => {
    fx = await createSweepFixture();
    // Stand-ins for ~/.ssh and friends: beside the workspace and one level up.
    outside = path.join(fx.dir, 'outside');
    home = path.join(fx.dir, 'home', '.ssh');
    fs.mkdirSync(outside);
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(outside, 'thumb.webp'), 'thumb');
    fs.writeFileSync(path.join(home, 'id_rsa'), 'PRIVATE KEY');
    for (const f of ['secret.txt', 'thumb.webp']) ageFile(path.join(outside, f), 48);
    ageFile(path.join(home, 'id_rsa'), 48);
  });
  afterEach(async () => fx.cleanup());

  const snapshotOutside = () => ({
    outside: listFiles(outside).map((f) => [f, fs.readFileSync(path.join(outside, f), 'utf8')]),
    home: fs.readFileSync(path.join(home, 'id_rsa'), 'utf8'),
  });

  it('never deletes through .., absolute paths, backslashes, symlinked folders or symlinked files', async () => {
    const before = snapshotOutside();
    await addRun(fx.store, { id: 'evil', startedAt: daysAgo(90) });
    await addRun(fx.store, { id: 'linkrun', startedAt: daysAgo(90) });
    await addRun(fx.store, { id: 'leaf', startedAt: daysAgo(90) });
    const crafted = [
      '../home/.ssh/id_rsa',
      '../../home/.ssh/id_rsa',
      'tool-a/../../outside/secret.txt',
      path.join(outside, 'secret.txt'),
      '..\\outside\\secret.txt',
      'tool-a/evil/\0/x',
    ];
    for (const rel of crafted) await insertCraftedArtefact(fx.store, { runId: 'evil', relPath: rel, thumbPath: '../outside/thumb.webp' });
    // A run folder that is a symlink to a folder outside, and a file that is a symlink to a file outside.
    fs.mkdirSync(path.join(fx.root, 'tool-a', 'leaf'), { recursive: true });
    fs.symlinkSync(outside, path.join(fx.root, 'tool-a', 'linkrun'));
    fs.symlinkSync(path.join(home, 'id_rsa'), path.join(fx.root, 'tool-a', 'leaf', 'key.txt'));
    await addArtefact(fx, { runId: 'linkrun', name: 'secret.txt', noFile: true });
    await addArtefact(fx, { runId: 'leaf', name: 'key.txt', noFile: true });
    // A symlinked tool folder full of "old orphans", and an expired soft-deleted crafted row.
    fs.symlinkSync(outside, path.join(fx.root, 'tool-z'));
    await addRun(fx.store, { id: 'alive', startedAt: daysAgo(0.1) });
    await insertCraftedArtefact(fx.store, { runId: 'alive', relPath: '../outside/secret.txt', deletedAt: daysAgo(30) });
    // A crafted journal, as if an interrupted sweep had promised to unlink these.
    await fx.store.write((q) =>
      setJsonSetting(q, journalKey('0000000000000000', 1), { files: ['../outside/secret.txt', path.join(home, 'id_rsa'), 'tool-a/linkrun/secret.txt'] }),
    );

    const plan = await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 86_400 });
    assert.deepEqual(plan.runs.map((r) => r.id).sort(), ['evil', 'leaf', 'linkrun']);
    assert.deepEqual(plan.files, [], 'nothing outside (or through a link) is ever listed as a file to delete');
    assert.ok(plan.refused.length >= 4, JSON.stringify(plan.refused, null, 1));

    const result = await applyPlan(plan, { store: fx.store, settings: fx.settings });
    assert.deepEqual(snapshotOutside(), before, 'every file outside the artefacts root is intact');
    assert.deepEqual(result.files, []);
    assert.deepEqual(result.recovered, []);
    assert.ok(fs.lstatSync(path.join(fx.root, 'tool-a', 'leaf', 'key.txt')).isSymbolicLink(), 'the planted link itself is left for the user');
    // The runs' rows are gone all the same: only their files were refused.
    assert.equal(fx.store.read((q) => q.get<{ n: number }>("SELECT COUNT(*) AS n FROM runs WHERE id IN ('evil', 'linkrun', 'leaf')")?.n), 0);
    assert.equal(fx.store.read((q) => q.get<{ n: number }>("SELECT COUNT(*) AS n FROM artefacts WHERE run_id <> 'alive'")?.n), 0);
  });

  it('housekeeping never follows a symlink out of the root, whatever its age', async () => {
    const before = snapshotOutside();
    fs.symlinkSync(outside, path.join(fx.root, 'tool-z'));
    fs.mkdirSync(path.join(fx.root, 'tool-a', 'r'), { recursive: true });
    fs.symlinkSync(outside, path.join(fx.root, 'tool-a', 'r', 'nested-link'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(fx.root, 'tool-a', 'r', 'file-link.partial'));
    const plan = await planPass('artefacts-purge', { store: fx.store, settings: fx.settings });
    assert.deepEqual(plan.files, []);
    await applyPlan(plan, { store: fx.store, settings: fx.settings });
    assert.deepEqual(snapshotOutside(), before);
  });

  it('a swapped artefacts root (the root itself a symlink) still stays inside its target', async () => {
    const realRoot = path.join(fx.dir, 'real-artefacts');
    fs.renameSync(fx.root, realRoot);
    fs.symlinkSync(realRoot, fx.root);
    await addRun(fx.store, { id: 'old', startedAt: daysAgo(90) });
    await addArtefact(fx, { runId: 'old', name: 'a.bin', bytes: 12 });
    await insertCraftedArtefact(fx.store, { runId: 'old', relPath: '../outside/secret.txt' });
    const before = snapshotOutside();
    const result = await applyPlan(await planManualSweep({ store: fx.store, settings: fx.settings, olderThanSeconds: 86_400 }), {
      store: fx.store,
      settings: fx.settings,
    });
    assert.deepEqual(result.files.map((f) => f.relPath), ['tool-a/old/a.bin']);
    assert.deepEqual(snapshotOutside(), before);
  });
});
