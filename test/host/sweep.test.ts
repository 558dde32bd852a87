// The retention commands' non-UI steps inside the extension host, on the window's own store: a dry run deletes
// nothing and renders the runs; applying removes old unprotected runs (rows and files) and keeps a starred one and one
// starred after the plan; another sweeper's lease gives the "try again" error; the purge removes an artefact
// soft-deleted past the restore period. Runs use a tool id of their own so the other suites' rows are not touched.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getArtefact, insertArtefact, softDeleteArtefact } from '../../src/core/store/repositories/artefacts';
import { finishRun, getRun, insertStartedRun, setRunStarred } from '../../src/core/store/repositories/runs';
import { SweeperLease, SweeperScheduler } from '../../src/core/sweeper';
import type { SidebarHandle } from '../../src/vscode/commands';
import { applySweep, previewSweep, purgeDeletedNow, SweepBusyError } from '../../src/vscode/commands/sweepCommands';
import { pixieSidebar } from './trees.test';

const TOOL = 'sweep-host';
const DAY_MS = 86_400_000;
const OLDER_THAN_30D = 30 * 86_400;

/** A finished run started `daysAgo` days ago with one artefact file on disk; returns the file's path. */
async function oldRun(sidebar: SidebarHandle, id: string, daysAgo: number, options: { starred?: boolean; text?: string } = {}): Promise<string> {
  const root = sidebar.deps.config().artefactsRoot;
  const relPath = `${TOOL}/${id}/out.txt`;
  const file = path.join(root, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `output of ${id}\n`);
  const size = fs.statSync(file).size;
  const startedAt = new Date(Date.now() - daysAgo * DAY_MS).toISOString();
  await sidebar.deps.store.write((q) => {
    insertStartedRun(q, { id, toolId: TOOL, startedAt, inputsJson: JSON.stringify({ run_id: id, inputs: { text: options.text ?? id } }) });
    finishRun(q, id, { status: 'ok', finishedAt: new Date(Date.parse(startedAt) + 1000).toISOString(), outputsJson: '{}', totalArtefactBytes: size });
    insertArtefact(q, {
      runId: id,
      toolId: TOOL,
      outputKey: 'out',
      relPath,
      filename: 'out.txt',
      mime: 'text/plain',
      sizeBytes: size,
      sha256: 'a'.repeat(64),
      createdAt: startedAt,
    });
    if (options.starred) setRunStarred(q, id, true);
  });
  return file;
}

export function declareSweepSuite(): void {
  suite('Pixie retention commands', () => {
    let sidebar: SidebarHandle;
    const deps = () => ({ store: sidebar.deps.store, config: sidebar.deps.config });

    suiteSetup(async () => {
      sidebar = await pixieSidebar();
    });

    test('dry run lists the old unprotected runs, renders them, and deletes nothing', async () => {
      const fileA = await oldRun(sidebar, 'sweep-host-dry-a', 40, { text: 'alpha input' });
      await oldRun(sidebar, 'sweep-host-dry-recent', 2);
      const preview = await previewSweep(deps(), { olderThanSeconds: OLDER_THAN_30D, toolId: TOOL });
      const ids = preview.plan.runs.map((r) => r.id);
      assert.ok(ids.includes('sweep-host-dry-a'), JSON.stringify(ids));
      assert.ok(!ids.includes('sweep-host-dry-recent'), 'a 2-day-old run is not older than 30 days');
      assert.match(preview.markdown, /Runs older than 30 days, tool sweep-host/);
      assert.match(preview.markdown, /\| sweep-host \| .* \| ok \| 1 \| text: alpha input \|/);
      assert.ok(sidebar.deps.store.read((q) => getRun(q, 'sweep-host-dry-a')), 'the row is still there');
      assert.ok(fs.existsSync(fileA), 'the file is still there');
    });

    test('apply removes old runs (rows and files), keeps the starred one and one starred after the plan', async () => {
      const gone = await oldRun(sidebar, 'sweep-host-a', 40);
      const alsoGone = await oldRun(sidebar, 'sweep-host-b', 41);
      const starred = await oldRun(sidebar, 'sweep-host-starred', 42, { starred: true });
      const late = await oldRun(sidebar, 'sweep-host-late', 43);
      const { plan } = await previewSweep(deps(), { olderThanSeconds: OLDER_THAN_30D, toolId: TOOL });
      const planned = plan.runs.map((r) => r.id);
      assert.ok(!planned.includes('sweep-host-starred'), 'starred runs are never planned');
      assert.ok(planned.includes('sweep-host-late'));
      await sidebar.deps.store.write((q) => setRunStarred(q, 'sweep-host-late', true));

      const phases = new Set<string>();
      const result = await applySweep(deps(), plan, { onProgress: (p) => phases.add(p.phase) });
      assert.equal(result.cancelled, false);
      const swept = result.runs.map((r) => r.id);
      for (const id of ['sweep-host-a', 'sweep-host-b', 'sweep-host-dry-a']) assert.ok(swept.includes(id), `${id} swept: ${JSON.stringify(swept)}`);
      assert.ok(result.skipped.some((s) => s.id === 'sweep-host-late'), 'starred after the plan: skipped');
      assert.ok(result.totals.bytes > 0, 'bytes reclaimed');
      assert.ok(phases.has('runs'), `progress reported: ${[...phases].join(',')}`);

      const rows = sidebar.deps.store.read((q) => ['sweep-host-a', 'sweep-host-b', 'sweep-host-starred', 'sweep-host-late', 'sweep-host-dry-recent'].map((id) => getRun(q, id)));
      assert.deepEqual(rows.map((r) => r !== undefined), [false, false, true, true, true]);
      assert.equal(fs.existsSync(gone), false);
      assert.equal(fs.existsSync(alsoGone), false);
      assert.equal(fs.existsSync(path.dirname(gone)), false, 'the emptied run folder went too');
      assert.equal(fs.existsSync(starred), true);
      assert.equal(fs.existsSync(late), true);
    });

    test('another sweeper holding the lease: SweepBusyError with the "try again" message, nothing deleted', async () => {
      const file = await oldRun(sidebar, 'sweep-host-busy', 50);
      const { plan } = await previewSweep(deps(), { olderThanSeconds: OLDER_THAN_30D, toolId: TOOL });
      const lease = await SweeperLease.acquire(sidebar.deps.store);
      try {
        await assert.rejects(applySweep(deps(), plan), (error: Error) => error instanceof SweepBusyError && /try again in a minute/.test(error.message));
      } finally {
        await lease.release();
      }
      assert.ok(sidebar.deps.store.read((q) => getRun(q, 'sweep-host-busy')));
      assert.equal(fs.existsSync(file), true);
      await applySweep(deps(), plan);
      assert.equal(sidebar.deps.store.read((q) => getRun(q, 'sweep-host-busy')), undefined, 'swept once the lease is free');
    });

    test('purge now removes an artefact soft-deleted past the restore period (row and file), keeps a recent one', async () => {
      const root = sidebar.deps.config().artefactsRoot;
      await oldRun(sidebar, 'sweep-host-purge', 1, { starred: true });
      const make = async (name: string, deletedDaysAgo: number): Promise<{ id: number; file: string }> => {
        const relPath = `${TOOL}/sweep-host-purge/${name}`;
        const file = path.join(root, relPath);
        fs.writeFileSync(file, name);
        const id = await sidebar.deps.store.write((q) => {
          const artefactId = insertArtefact(q, {
            runId: 'sweep-host-purge',
            toolId: TOOL,
            outputKey: name,
            relPath,
            filename: name,
            mime: 'text/plain',
            sizeBytes: name.length,
            sha256: 'b'.repeat(64),
            createdAt: new Date().toISOString(),
          });
          softDeleteArtefact(q, artefactId, new Date(Date.now() - deletedDaysAgo * DAY_MS).toISOString());
          return artefactId;
        });
        return { id, file };
      };
      const expired = await make('expired.txt', sidebar.deps.config().softDeleteRetentionDays + 3);
      const recent = await make('recent.txt', 1);
      const scheduler = new SweeperScheduler({ store: sidebar.deps.store, config: sidebar.deps.config() });
      try {
        const result = await purgeDeletedNow({ store: sidebar.deps.store, scheduler });
        assert.ok(result.artefacts.some((a) => a.id === expired.id), JSON.stringify(result.artefacts));
        assert.ok(!result.artefacts.some((a) => a.id === recent.id));
      } finally {
        await scheduler.stop();
      }
      assert.equal(sidebar.deps.store.read((q) => getArtefact(q, expired.id)), undefined);
      assert.equal(fs.existsSync(expired.file), false);
      assert.ok(sidebar.deps.store.read((q) => getArtefact(q, recent.id)), 'restorable one kept');
      assert.equal(fs.existsSync(recent.file), true);
    });
  });
}
