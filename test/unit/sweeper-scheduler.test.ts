import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { getJsonSetting, setJsonSetting } from '../../src/core/store/repositories/settings';
import type { Store } from '../../src/core/store/types';
import {
  PASS_RECORD_KEYS,
  SweeperBusyError,
  SweeperLease,
  SweeperScheduler,
  type SchedulerConfig,
  type SweeperEvent,
} from '../../src/core/sweeper';
import { addArtefact, addRun, createSweepFixture, daysAgo, listFiles, type SweepFixture } from '../integration/helpers/sweeperFixture';

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('sweeper scheduler', () => {
  let fx: SweepFixture;
  let config: SchedulerConfig;
  let scheduler: SweeperScheduler | undefined;
  let events: SweeperEvent[];

  beforeEach(async () => {
    fx = await createSweepFixture();
    config = { ...fx.settings, retainRuns: 1, runsSweepIntervalSeconds: 3_600, sweeperIntervalSeconds: 7_200 };
    events = [];
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await fx.cleanup();
  });

  function start(options: Partial<ConstructorParameters<typeof SweeperScheduler>[0]> = {}): SweeperScheduler {
    scheduler = new SweeperScheduler({ store: fx.store, config, firstPassDelayMs: 20, ...options });
    scheduler.onEvent((event) => events.push(event));
    scheduler.start();
    return scheduler;
  }

  it('runs both passes shortly after start, records them, and schedules the next by the intervals', async () => {
    for (let i = 0; i < 3; i++) {
      await addRun(fx.store, { id: `r${i}`, startedAt: daysAgo(3 - i) });
      await addArtefact(fx, { runId: `r${i}`, name: 'x.bin' });
    }
    await addRun(fx.store, { id: 'soft', toolId: 'tool-b', startedAt: daysAgo(0.1) });
    await addArtefact(fx, { runId: 'soft', toolId: 'tool-b', name: 'gone.bin', deletedAt: daysAgo(30) });
    const s = start();
    await until(() => events.filter((e) => e.type === 'finished').length === 2);
    const finished = events.filter((e): e is Extract<SweeperEvent, { type: 'finished' }> => e.type === 'finished');
    const prune = finished.find((e) => e.pass === 'runs-prune');
    const purge = finished.find((e) => e.pass === 'artefacts-purge');
    assert.deepEqual(prune?.result.runs.map((r) => r.id), ['r0', 'r1'], 'retainRuns 1 keeps the newest unprotected run of tool-a');
    assert.equal(purge?.result.artefacts.length, 1);
    assert.deepEqual(listFiles(fx.root), ['tool-a/r2/x.bin']);
    assert.ok(!fs.existsSync(path.join(fx.root, 'tool-b/soft/gone.bin')));
    assert.ok(events.some((e) => e.type === 'started'));
    const record = fx.store.read((q) => getJsonSetting(q, PASS_RECORD_KEYS['runs-prune'])) as { at: string; runs: number };
    assert.equal(record.runs, 2);
    const next = Date.parse(s.nextRunAt('runs-prune') ?? '');
    assert.ok(Math.abs(next - (Date.parse(record.at) + 3_600_000)) < 1_000, 'next prune one interval after this one');
    assert.ok(Date.parse(s.nextRunAt('artefacts-purge') ?? '') - Date.now() > 7_000_000);
  });

  it('does not sweep again after a restart when another process swept recently (settings), and re-arms on new intervals', async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    await fx.store.write((q) => {
      setJsonSetting(q, PASS_RECORD_KEYS['runs-prune'], { at, finishedAt: at, runs: 0, cancelled: false });
      setJsonSetting(q, PASS_RECORD_KEYS['artefacts-purge'], { at, finishedAt: at, runs: 0, cancelled: false });
    });
    const s = start();
    await sleep(200);
    assert.deepEqual(events, []);
    assert.equal(s.nextRunAt('runs-prune'), new Date(Date.parse(at) + 3_600_000).toISOString());
    s.updateConfig({ ...config, runsSweepIntervalSeconds: 600 });
    assert.equal(s.nextRunAt('runs-prune'), new Date(Date.parse(at) + 600_000).toISOString());
  });

  it('skips (and retries later) while another process holds the lease; runNow reports the busy sweeper', async () => {
    const other = await SweeperLease.acquire(fx.store);
    const s = start({ retryDelayMs: 50_000 });
    await until(() => events.filter((e) => e.type === 'skipped').length === 2);
    const skipped = events.find((e) => e.type === 'skipped') as Extract<SweeperEvent, { type: 'skipped' }>;
    assert.match(skipped.reason, /another sweep is running/);
    assert.ok(Math.abs(Date.parse(skipped.nextAt) - (Date.now() + 50_000)) < 2_000);
    await assert.rejects(s.runNow('runs-prune'), SweeperBusyError);
    await other.release();
    const result = await s.runNow('artefacts-purge');
    assert.equal(result.cancelled, false);
  });

  it('stop() cancels a pass in progress (after its current batch) and waits for it', async () => {
    for (let i = 0; i < 20; i++) await addRun(fx.store, { id: `r${String(i).padStart(2, '0')}`, startedAt: daysAgo(40 - i) });
    const s = start({ firstPassDelayMs: 0, batching: { runBatchSize: 4 } });
    let stopping: Promise<void> | undefined;
    s.onEvent((event) => {
      if (event.type === 'progress' && !stopping) stopping = s.stop();
    });
    await until(() => stopping !== undefined);
    await stopping;
    const finished = events.find((e) => e.type === 'finished') as Extract<SweeperEvent, { type: 'finished' }>;
    assert.equal(finished.pass, 'runs-prune');
    assert.equal(finished.result.cancelled, true);
    // Stopped after the batch in flight: 4 runs, or 8 when the next batch was already committed (pipelining).
    const gone = finished.result.runs.map((r) => r.id);
    assert.ok(gone.length === 4 || gone.length === 8, gone.join());
    assert.deepEqual(gone, ['r00', 'r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07'].slice(0, gone.length));
    assert.equal(fx.store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n), 20 - gone.length);
    assert.equal(s.running, undefined);
    assert.equal(s.nextRunAt('runs-prune'), undefined);
    assert.ok(!events.some((e) => e.type === 'started' && e.pass === 'artefacts-purge'), 'no pass starts after stop()');
  });

  it('keeps no timer referenced (an idle scheduler never holds a process open)', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const s = start({ firstPassDelayMs: 60_000 });
    assert.ok(s.nextRunAt('runs-prune'));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    assert.equal(after, before);
  });

  it('reports a failing pass and schedules a retry', async () => {
    const real = fx.store;
    const failing: Store = {
      read: (fn) => real.read(fn),
      write: () => Promise.reject(new Error('disk full')),
      checkpoint: () => real.checkpoint(),
      onDidChange: (listener) => real.onDidChange(listener),
      refresh: () => real.refresh(),
      info: () => real.info(),
      get readOnlyReason() {
        return real.readOnlyReason;
      },
      close: () => real.close(),
    };
    const s = new SweeperScheduler({ store: failing, config, firstPassDelayMs: 0, retryDelayMs: 30_000 });
    scheduler = s;
    s.onEvent((event) => events.push(event));
    s.start();
    await until(() => events.filter((e) => e.type === 'failed').length === 2);
    const failed = events.find((e) => e.type === 'failed') as Extract<SweeperEvent, { type: 'failed' }>;
    assert.match(failed.error.message, /disk full/);
    assert.ok(Math.abs(Date.parse(failed.nextAt) - (Date.now() + 30_000)) < 2_000);
    assert.ok(s.nextRunAt('runs-prune'));
  });
});
