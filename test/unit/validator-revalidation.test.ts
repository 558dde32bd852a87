import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RevalidationScheduler, type RevalidationTool } from '../../src/core/validator/revalidation';
import { ValidationCancelledError } from '../../src/core/validator/validateTool';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tool = (toolId: string, discoveryHash: string): RevalidationTool => ({ toolId, dir: `/tools/${toolId}`, discoveryHash });

interface Harness {
  scheduler: RevalidationScheduler;
  calls: string[];
  stored: Map<string, string>;
  maxParallel: () => number;
  release: () => void;
  trusted: { value: boolean };
  archived: Set<string>;
  errors: string[];
}

/** Validations block until `release()` when `hold` is set, so tests can observe concurrency. */
function harness(options: { hold?: boolean; debounceMs?: number; fail?: string } = {}): Harness {
  const calls: string[] = [];
  const stored = new Map<string, string>();
  const trusted = { value: true };
  const archived = new Set<string>();
  const errors: string[] = [];
  let active = 0;
  let peak = 0;
  let gate: Promise<void> = options.hold ? new Promise(() => undefined) : Promise.resolve();
  let open: () => void = () => undefined;
  if (options.hold) gate = new Promise((r) => { open = r; });
  const scheduler = new RevalidationScheduler({
    debounceMs: options.debounceMs ?? 20,
    isTrusted: () => trusted.value,
    isArchived: (id) => archived.has(id),
    storedHash: (id) => stored.get(id),
    onError: (id) => errors.push(id),
    async validate(t, signal) {
      calls.push(`${t.toolId}@${t.discoveryHash}`);
      active++;
      peak = Math.max(peak, active);
      try {
        await Promise.race([gate, new Promise((_, reject) => signal.addEventListener('abort', () => reject(new ValidationCancelledError(t.toolId))))]);
        if (t.toolId === options.fail) throw new Error('boom');
        stored.set(t.toolId, t.discoveryHash);
      } finally {
        active--;
      }
    },
  });
  return { scheduler, calls, stored, maxParallel: () => peak, release: () => open(), trusted, archived, errors };
}

describe('RevalidationScheduler', () => {
  it('validates tools whose hash changed (or that were never validated), not the others', async () => {
    const h = harness();
    h.stored.set('same', 'h1');
    const scheduled = h.scheduler.update([tool('same', 'h1'), tool('changed', 'h2'), tool('new', 'h1')]);
    assert.deepEqual(scheduled.sort(), ['changed', 'new']);
    await h.scheduler.whenIdle();
    assert.deepEqual(h.calls.sort(), ['changed@h2', 'new@h1']);
    // Once validated, the same hashes schedule nothing.
    assert.deepEqual(h.scheduler.update([tool('same', 'h1'), tool('changed', 'h2'), tool('new', 'h1')]), []);
  });

  it('debounces: a burst of changes to one tool gives one validation of the last version', async () => {
    const h = harness({ debounceMs: 40 });
    for (const hash of ['a', 'b', 'c', 'd']) {
      h.scheduler.update([tool('t', hash)]);
      await sleep(10);
    }
    assert.deepEqual(h.calls, []);
    await h.scheduler.whenIdle();
    assert.deepEqual(h.calls, ['t@d']);
  });

  it('runs at most two validations at a time', async () => {
    const h = harness({ hold: true });
    h.scheduler.update(['a', 'b', 'c', 'd', 'e'].map((id) => tool(id, 'h')));
    await sleep(60);
    assert.equal(h.scheduler.running.length, 2);
    assert.equal(h.scheduler.pending.length, 3);
    h.release();
    await h.scheduler.whenIdle();
    assert.equal(h.maxParallel(), 2);
    assert.equal(h.calls.length, 5);
  });

  it('queues one more run when a tool changes while it is being validated', async () => {
    const h = harness({ hold: true });
    h.scheduler.update([tool('t', 'v1')]);
    await sleep(40);
    assert.deepEqual(h.scheduler.running, ['t']);
    assert.deepEqual(h.scheduler.update([tool('t', 'v1')]), [], 'the running hash is not scheduled again');
    assert.deepEqual(h.scheduler.update([tool('t', 'v2')]), ['t']);
    await sleep(40);
    assert.deepEqual(h.scheduler.running, ['t'], 'never two validations of one tool at once');
    h.release();
    await h.scheduler.whenIdle();
    assert.deepEqual(h.calls, ['t@v1', 't@v2']);
  });

  it('does nothing in an untrusted workspace and skips archived tools', async () => {
    const h = harness();
    h.trusted.value = false;
    assert.deepEqual(h.scheduler.update([tool('a', 'h')]), []);
    h.scheduler.request(tool('a', 'h'));
    h.trusted.value = true;
    h.archived.add('b');
    assert.deepEqual(h.scheduler.update([tool('a', 'h'), tool('b', 'h')]), ['a']);
    await h.scheduler.whenIdle();
    assert.deepEqual(h.calls, ['a@h']);
  });

  it('reports failures, keeps going, and retries the tool on its next change', async () => {
    const h = harness({ fail: 'bad' });
    h.scheduler.update([tool('bad', 'h1'), tool('good', 'h1')]);
    await h.scheduler.whenIdle();
    assert.deepEqual(h.errors, ['bad']);
    assert.equal(h.stored.get('good'), 'h1');
    assert.deepEqual(h.scheduler.update([tool('bad', 'h1')]), ['bad'], 'a failed validation is not recorded as done');
    await h.scheduler.whenIdle();
  });

  it('dispose() clears timers and aborts running validations', async () => {
    const h = harness({ hold: true });
    h.scheduler.update([tool('a', 'h'), tool('b', 'h'), tool('c', 'h')]);
    await sleep(40);
    h.scheduler.dispose();
    await h.scheduler.whenIdle();
    assert.deepEqual(h.errors, [], 'a cancelled validation is not an error');
    assert.deepEqual(h.scheduler.update([tool('d', 'h')]), []);
  });
});
