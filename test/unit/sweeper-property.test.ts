// Property: on any workspace, the apply deletes exactly what the dry run with the same arguments lists (runs, rows,
// files, reports), and the bytes it reports are the bytes that left the disk. Random workspaces from a seeded PRNG
// (the seed is in the test name, so a failure can be replayed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { insertArtefact } from '../../src/core/store/repositories/artefacts';
import { finishRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import { insertValidationReport } from '../../src/core/store/repositories/validationReports';
import { applyPlan, planSweep, type SweepCriteria, type SweepPlan, type SweepResult } from '../../src/core/sweeper';
import { cutoffBefore } from '../../src/core/sweeper/durations';
import { ageFile, bytesUnder, createSweepFixture, type SweepFixture } from '../integration/helpers/sweeperFixture';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

async function randomWorkspace(fx: SweepFixture, rand: () => number, now: number): Promise<void> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const tools = ['alpha', 'beta', 'gamma'];
  const runCount = 10 + Math.floor(rand() * 30);
  const files: Array<{ rel: string; bytes: number }> = [];
  await fx.store.write((q) => {
    for (let i = 0; i < runCount; i++) {
      const id = `run-${i}`;
      const toolId = pick(tools);
      const startedAt = new Date(now - Math.floor(rand() * 60) * DAY - 1000).toISOString();
      insertStartedRun(q, { id, toolId, startedAt, inputsJson: '{}' });
      const status = rand() < 0.1 ? 'running' : 'ok';
      if (status === 'ok') finishRun(q, id, { status: 'ok', finishedAt: startedAt });
      if (rand() < 0.15) q.run('UPDATE runs SET starred = 1 WHERE id = ?', [id]);
      if (rand() < 0.1) q.run("UPDATE runs SET label = 'keep' WHERE id = ?", [id]);
      const artefactCount = Math.floor(rand() * 4);
      for (let k = 0; k < artefactCount; k++) {
        let rel = `${toolId}/${id}/f${k}.bin`;
        let bytes = 1 + Math.floor(rand() * 5000);
        const dedup = files.length > 0 && rand() < 0.2;
        if (dedup) ({ rel, bytes } = pick(files));
        else files.push({ rel, bytes });
        const artefactId = insertArtefact(q, {
          runId: id, toolId, outputKey: 'o', relPath: rel, filename: path.basename(rel), mime: 'application/octet-stream',
          sizeBytes: bytes, sha256: rel, createdAt: startedAt,
        });
        if (rand() < 0.1) q.run('UPDATE artefacts SET starred = 1 WHERE id = ?', [artefactId]);
        if (rand() < 0.2) q.run('UPDATE artefacts SET deleted_at = ? WHERE id = ?', [new Date(now - Math.floor(rand() * 14) * DAY).toISOString(), artefactId]);
      }
    }
    for (const tool of tools) {
      for (let r = 0; r < 3; r++) {
        insertValidationReport(q, { toolId: tool, timestamp: new Date(now - Math.floor(rand() * 90) * DAY - r).toISOString(), overall: 'pass', reportJson: '{}' });
      }
    }
  });
  for (const file of files) {
    if (rand() < 0.1) continue; // a row whose file is gone
    const abs = path.join(fx.root, ...file.rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.alloc(file.bytes, 1));
  }
  // Orphans and partials, some stale, some fresh; some in folders of runs that do not exist.
  for (let i = 0; i < 6; i++) {
    const folder = rand() < 0.5 ? `${pick(tools)}/run-${Math.floor(rand() * runCount)}` : `${pick(tools)}/ghost-${i}`;
    const abs = path.join(fx.root, ...folder.split('/'), rand() < 0.5 ? `stray-${i}.bin` : `half-${i}.bin.partial`);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.alloc(1 + Math.floor(rand() * 300), 2));
    ageFile(abs, rand() < 0.7 ? 3 : 0);
  }
}

function randomCriteria(rand: () => number, now: Date): SweepCriteria {
  const days = Math.floor(rand() * 50);
  const toolId = rand() < 0.3 ? ['alpha', 'beta', 'gamma'][Math.floor(rand() * 3)] : undefined;
  const criteria: SweepCriteria = { toolId, housekeeping: rand() < 0.8 };
  if (rand() < 0.6) criteria.olderThan = { cutoff: cutoffBefore(now, days * 86_400), seconds: days * 86_400 };
  else criteria.retain = { byTool: { alpha: Math.floor(rand() * 5) }, defaultKeep: 1 + Math.floor(rand() * 5), skipTools: rand() < 0.3 ? ['beta'] : [] };
  if (rand() < 0.4) criteria.maxArtefactBytes = 1 + Math.floor(rand() * 40_000);
  if (rand() < 0.7) criteria.softDeleteCutoff = cutoffBefore(now, 7 * 86_400);
  if (rand() < 0.5) criteria.reportsCutoff = cutoffBefore(now, 30 * 86_400);
  return criteria;
}

const key = (plan: SweepPlan | SweepResult) => ({
  runs: plan.runs.map((r) => `${r.id}:${r.reason}`).sort(),
  artefacts: plan.artefacts.map((a) => `${a.id}:${a.reason}`).sort(),
  files: plan.files.map((f) => `${f.base}:${f.relPath}:${f.reason}`).sort(),
  reports: plan.validationReports.map((r) => `${r.toolId}@${r.timestamp}`).sort(),
  refused: plan.refused.map((r) => r.relPath).sort(),
});

describe('sweeper property: dry run ≡ apply', () => {
  for (const seed of [1, 2, 3, 13, 34, 55, 89, 144]) {
    it(`seed ${seed}`, async () => {
      const fx = await createSweepFixture();
      try {
        const rand = prng(seed);
        const now = new Date();
        await randomWorkspace(fx, rand, now.getTime());
        const criteria = randomCriteria(rand, now);
        const options = { kind: 'manual' as const, criteria, artefactsRoot: fx.root, dbPath: fx.dbPath, now };
        const plan = await planSweep(fx.store, options);
        const again = await planSweep(fx.store, options);
        assert.deepEqual(key(again), key(plan), 'a dry run changes nothing');
        const before = bytesUnder(fx.root);
        const result = await applyPlan(plan, { store: fx.store, settings: fx.settings, runBatchSize: 1 + Math.floor(rand() * 7), rowBatchSize: 3 });
        assert.deepEqual(result.skipped, []);
        assert.deepEqual(result.failed, []);
        assert.deepEqual(key(result), key(plan));
        assert.equal(result.totals.bytes, before - bytesUnder(fx.root), 'reported bytes = bytes freed on disk');
        assert.equal(result.totals.bytes, plan.totals.bytes, 'the dry run announced the same bytes');
        // Nothing the plan did not list is left half-done: every remaining row's file is where it was.
        const after = await planSweep(fx.store, { ...options, criteria: { housekeeping: true } });
        assert.deepEqual(after.artefacts.filter((a) => a.reason === 'missing-file').map((a) => a.id).sort(), [
          ...new Set(
            fx.store
              .read((q) => q.all<{ id: number; rel_path: string }>('SELECT id, rel_path FROM artefacts'))
              .filter((row) => !fs.existsSync(path.join(fx.root, ...row.rel_path.split('/'))))
              .filter((row) => !fx.store.read((q) => q.get("SELECT 1 AS x FROM runs r JOIN artefacts a ON a.run_id = r.id WHERE a.id = ? AND r.status = 'running'", [row.id])))
              .map((row) => row.id),
          ),
        ].sort());
      } finally {
        await fx.cleanup();
      }
    });
  }
});
