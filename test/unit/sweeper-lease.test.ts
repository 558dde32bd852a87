import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { HOSTNAME } from '../../src/core/store/atomicFile';
import { getJsonSetting, setJsonSetting } from '../../src/core/store/repositories/settings';
import { initSchema } from '../../src/core/store/schema';
import { LEASE_KEY, LeaseLostError, readLease, SweeperBusyError, SweeperLease, type LeaseRecord } from '../../src/core/sweeper/lease';
import { createTestStore, type TestStore } from '../helpers/testStore';

/** A pid that certainly does not exist any more: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function foreignLease(overrides: Partial<LeaseRecord> = {}): LeaseRecord {
  const now = Date.now();
  return {
    pid: 1, // init: alive
    host: 'another-host',
    nonce: 'someone-else',
    start: new Date(now - 1000).toISOString(),
    until: new Date(now + 60_000).toISOString(),
    ...overrides,
  };
}

describe('sweeper lease', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore();
    await initSchema(t.store);
  });
  afterEach(async () => t.cleanup());

  it('is taken, renewed and released through settings', async () => {
    const lease = await SweeperLease.acquire(t.store);
    const held = t.store.read(readLease);
    assert.equal(held?.nonce, lease.nonce);
    assert.equal(held?.pid, process.pid);
    assert.ok(Date.parse(held?.until ?? '') > Date.now());
    await t.store.write((q) => lease.renewIn(q));
    await lease.release();
    assert.equal(t.store.read((q) => getJsonSetting(q, LEASE_KEY)), undefined);
    assert.equal(lease.isReleased, true);
  });

  it('refuses a second sweeper while the first holds it, naming the holder', async () => {
    const first = await SweeperLease.acquire(t.store);
    await assert.rejects(SweeperLease.acquire(t.store), (error: unknown) => {
      assert.ok(error instanceof SweeperBusyError);
      assert.equal(error.holder.nonce, first.nonce);
      assert.match(error.message, new RegExp(`pid ${process.pid}`));
      return true;
    });
    await first.release();
    const second = await SweeperLease.acquire(t.store);
    await second.release();
  });

  it('respects a live lease of another host until it expires', async () => {
    await t.store.write((q) => setJsonSetting(q, LEASE_KEY, foreignLease()));
    await assert.rejects(SweeperLease.acquire(t.store), SweeperBusyError);
    await t.store.write((q) => setJsonSetting(q, LEASE_KEY, foreignLease({ until: new Date(Date.now() - 1).toISOString() })));
    const lease = await SweeperLease.acquire(t.store);
    await lease.release();
  });

  it('frees at once a lease whose holder on this host died (SIGKILLed sweeper)', async () => {
    await t.store.write((q) => setJsonSetting(q, LEASE_KEY, foreignLease({ host: HOSTNAME, pid: deadPid() })));
    const lease = await SweeperLease.acquire(t.store);
    assert.equal(t.store.read(readLease)?.nonce, lease.nonce);
    await lease.release();
  });

  it('treats an unreadable lease value as free', async () => {
    await t.store.write((q) => setJsonSetting(q, LEASE_KEY, { nonsense: true }));
    const lease = await SweeperLease.acquire(t.store);
    await lease.release();
  });

  it('fails the batch (rolls back) when the lease was taken over', async () => {
    const lease = await SweeperLease.acquire(t.store);
    await t.store.write((q) => setJsonSetting(q, LEASE_KEY, foreignLease()));
    await assert.rejects(
      t.store.write((q) => {
        q.run("INSERT INTO settings(key, value) VALUES('probe', 'x')");
        lease.renewIn(q);
      }),
      LeaseLostError,
    );
    assert.equal(t.store.read((q) => q.get("SELECT value FROM settings WHERE key = 'probe'")), undefined);
    // Releasing never removes someone else's lease.
    await lease.release();
    assert.equal(t.store.read(readLease)?.nonce, 'someone-else');
  });

  it('renews on its own only when a third of the ttl has passed', async () => {
    let clock = Date.now();
    const lease = await SweeperLease.acquire(t.store, { ttlMs: 3_000, now: () => new Date(clock) });
    const until1 = t.store.read(readLease)?.until;
    clock += 500;
    await lease.renewIfDue();
    assert.equal(t.store.read(readLease)?.until, until1);
    clock += 1_000;
    await lease.renewIfDue();
    assert.notEqual(t.store.read(readLease)?.until, until1);
    await lease.release();
  });
});
