import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finishRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import { RunsBadgeCounter, type RunStateRow } from '../../src/vscode/trees/runsBadgeModel';
import { runsForBadge } from '../../src/vscode/trees/viewQueries';
import { createMemoryStore, type MemoryStore } from '../helpers/memoryStore';

const T0 = Date.UTC(2025, 4, 10, 12, 0, 0);
const at = (ms: number): string => new Date(T0 + ms).toISOString();

/** A fake runs table: what the counter's query would select from it, as runsForBadge does in SQL. */
class FakeRuns {
  rows = new Map<string, RunStateRow>();
  put(id: string, status: string, startedAtMs: number): void {
    this.rows.set(id, { id, status, startedAt: at(startedAtMs) });
  }
  select(query: { startedSince: string; ids: readonly string[] }): RunStateRow[] {
    return [...this.rows.values()].filter((r) => r.status === 'running' || r.startedAt >= query.startedSince || query.ids.includes(r.id));
  }
}

function setup(windowMs = 60_000): { counter: RunsBadgeCounter; runs: FakeRuns; clock: { ms: number }; observe: () => boolean } {
  const clock = { ms: 0 };
  const counter = new RunsBadgeCounter({ now: () => T0 + clock.ms, windowMs });
  const runs = new FakeRuns();
  return { counter, runs, clock, observe: () => counter.observe(runs.select(counter.nextQuery())) };
}

describe('RunsBadgeCounter', () => {
  it('the first observation is the baseline: runs that finished before are not new', () => {
    const { counter, runs, observe } = setup();
    runs.put('old-ok', 'ok', -10_000);
    runs.put('old-err', 'error', -5_000);
    assert.equal(observe(), false);
    assert.equal(counter.total, 0);
    assert.equal(counter.badge(), undefined, 'no badge when nothing is new');
  });

  it('counts a run running at the baseline once it finishes, even one that started long ago', () => {
    const { counter, runs, clock, observe } = setup();
    runs.put('long', 'running', -3_600_000);
    observe();
    assert.deepEqual(counter.nextQuery().ids, ['long'], 'the running run is asked for by id');
    clock.ms = 10_000;
    runs.put('long', 'ok', -3_600_000);
    assert.equal(observe(), true);
    assert.equal(counter.total, 1);
    assert.deepEqual(counter.badge(), { value: 1, tooltip: '1 new run finished' });
  });

  it('counts a quick run that started and finished between two observations', () => {
    const { counter, runs, clock, observe } = setup();
    observe();
    clock.ms = 30_000;
    runs.put('quick', 'error', 29_000);
    assert.equal(observe(), true);
    assert.equal(counter.failed, 1);
  });

  it('counts each run once, however often it is observed', () => {
    const { counter, runs, clock, observe } = setup();
    observe();
    runs.put('a', 'ok', 1_000);
    for (let i = 1; i <= 5; i++) {
      clock.ms = i * 1_000;
      observe();
    }
    assert.equal(counter.total, 1);
  });

  it('ok and failed runs are counted; cancelled ones (the user’s own doing) are not; the tooltip names the failures', () => {
    const { counter, runs, clock, observe } = setup();
    observe();
    clock.ms = 5_000;
    runs.put('a', 'ok', 1_000);
    runs.put('b', 'ok', 2_000);
    runs.put('c', 'error', 3_000);
    runs.put('d', 'cancelled', 4_000);
    observe();
    assert.deepEqual([counter.succeeded, counter.failed, counter.total], [2, 1, 3]);
    assert.deepEqual(counter.badge(), { value: 3, tooltip: '3 new runs finished, 1 failed' });
  });

  it('while the view is visible nothing is counted; becoming visible clears; hidden again counts anew', () => {
    const { counter, runs, clock, observe } = setup();
    observe();
    clock.ms = 1_000;
    runs.put('a', 'ok', 500);
    observe();
    assert.equal(counter.total, 1);
    assert.equal(counter.setVisible(true), true, 'clearing changed the badge');
    assert.equal(counter.total, 0);
    clock.ms = 2_000;
    runs.put('b', 'error', 1_500);
    assert.equal(observe(), false, 'seen while visible: not new');
    assert.equal(counter.setVisible(false), false);
    clock.ms = 3_000;
    observe();
    assert.equal(counter.total, 0, 'b was seen while the view was visible');
    runs.put('c', 'ok', 2_500);
    clock.ms = 4_000;
    observe();
    assert.equal(counter.total, 1);
  });

  it('asks for runs started since the window before the last observation, and forgets runs older than it', () => {
    const { counter, runs, clock, observe } = setup(60_000);
    observe();
    assert.equal(counter.nextQuery().startedSince, at(-60_000));
    clock.ms = 10_000;
    runs.put('a', 'ok', 9_000);
    observe();
    assert.equal(counter.nextQuery().startedSince, at(10_000 - 60_000));
    // Much later, 'a' is outside the window: the query no longer selects it and it is not counted again.
    clock.ms = 600_000;
    observe();
    clock.ms = 601_000;
    assert.equal(runs.select(counter.nextQuery()).some((r) => r.id === 'a'), false);
    observe();
    assert.equal(counter.total, 1);
  });

  it('a run deleted while running is dropped without being counted', () => {
    const { counter, runs, clock, observe } = setup();
    runs.put('x', 'running', -3_600_000);
    observe();
    runs.rows.delete('x');
    clock.ms = 1_000;
    observe();
    assert.deepEqual(counter.nextQuery().ids, []);
    assert.equal(counter.total, 0);
  });

  it('clear() reports whether there was anything to clear', () => {
    const { counter, runs, clock, observe } = setup();
    observe();
    assert.equal(counter.clear(), false);
    clock.ms = 1_000;
    runs.put('a', 'ok', 500);
    observe();
    assert.equal(counter.clear(), true);
    assert.equal(counter.badge(), undefined);
  });
});

describe('runsForBadge over the real schema', () => {
  let store: MemoryStore;
  before(async () => {
    store = await createMemoryStore();
    await initSchema(store);
    await store.write((q) => {
      for (let i = 0; i < 300; i++) {
        const id = `old-${String(i).padStart(4, '0')}`;
        insertStartedRun(q, { id, toolId: 'echo', startedAt: at(-86_400_000 + i * 1_000), inputsJson: '{}' });
        finishRun(q, id, { status: 'ok', finishedAt: at(-86_400_000 + i * 1_000 + 500) });
      }
      insertStartedRun(q, { id: 'long', toolId: 'echo', startedAt: at(-7_200_000), inputsJson: '{}' });
      insertStartedRun(q, { id: 'recent', toolId: 'echo', startedAt: at(-1_000), inputsJson: '{}' });
    });
  });
  after(() => store.close());

  it('selects running, recent and asked-for runs only', () => {
    const rows = store.read((q) => runsForBadge(q, { startedSince: at(-60_000), ids: ['old-0007'] }));
    assert.deepEqual(rows.map((r) => r.id).sort(), ['long', 'old-0007', 'recent']);
    assert.deepEqual(rows.find((r) => r.id === 'old-0007'), { id: 'old-0007', status: 'ok', startedAt: at(-86_400_000 + 7_000) });
  });

  it('uses indexes, never a scan of the runs table', () => {
    const plan = store.read((q) =>
      q.all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT id, status, started_at FROM runs WHERE status = 'running' OR started_at >= ? OR id IN (?)", [at(0), 'x']),
    );
    const details = plan.map((p) => p.detail).join('\n');
    assert.doesNotMatch(details, /^SCAN runs$/m, details);
    assert.match(details, /MULTI-INDEX OR/, details);
  });

  it('end to end with the counter: a run finished by another writer is counted once', async () => {
    const counter = new RunsBadgeCounter({ now: () => T0 });
    counter.observe(store.read((q) => runsForBadge(q, counter.nextQuery())));
    assert.equal(counter.total, 0, 'baseline');
    await store.write((q) => finishRun(q, 'long', { status: 'error', finishedAt: at(0), errorText: 'boom' }));
    counter.observe(store.read((q) => runsForBadge(q, counter.nextQuery())));
    counter.observe(store.read((q) => runsForBadge(q, counter.nextQuery())));
    assert.deepEqual(counter.badge(), { value: 1, tooltip: '1 new run finished, 1 failed' });
  });
});
