// The writer lock taken by hard-linking a ticket file (lockTicket.ts): the lock is the ticket's inode while held; an
// O_EXCL lock file (older versions, file systems without hard links) excludes it and is excluded by it; tickets of
// dead processes are cleared; without hard links the lock falls back to O_EXCL; close() removes the ticket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { WriterLock } from '../../src/core/store/writerLock';
import { removeDeadTickets, ticketPrefix } from '../../src/core/store/lockTicket';
import { HOSTNAME } from '../../src/core/store/atomicFile';
import { withTemp } from '../integration/helpers/storeFiles';

function tempLock(): { dir: string; lockPath: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-ticket-'));
  return { dir, lockPath: path.join(dir, 'pixie.db.lck'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const tickets = (dir: string, lockPath: string) => fs.readdirSync(dir).filter((name) => name.startsWith(ticketPrefix(lockPath)));

/** A pid that no longer runs (a child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('while held, the lock is a hard link of the ticket (same inode, two names) holding our pid; close removes the ticket', async () => {
  await withTemp(async ({ dir, dbPath }, open) => {
    const store = await open();
    let during: { lockIno: bigint; ticketIno: bigint; nlink: bigint; pid: number } | undefined;
    await store.write((q) => {
      q.run('CREATE TABLE t (x INTEGER)');
      const [ticket] = tickets(dir, store.lockPath);
      const lock = fs.statSync(store.lockPath, { bigint: true });
      during = {
        lockIno: lock.ino,
        ticketIno: fs.statSync(path.join(dir, ticket), { bigint: true }).ino,
        nlink: lock.nlink,
        pid: (JSON.parse(fs.readFileSync(store.lockPath, 'utf8')) as { pid: number }).pid,
      };
    });
    assert.ok(during);
    assert.equal(during.lockIno, during.ticketIno);
    assert.equal(during.nlink, 2n);
    assert.equal(during.pid, process.pid);
    assert.equal(fs.existsSync(store.lockPath), false, 'released: the lock name is gone');
    assert.equal(tickets(dir, store.lockPath).length, 1, 'the ticket stays for the next commit');
    await store.close();
    assert.deepEqual(tickets(dir, `${dbPath}.lck`), [], 'close() removed the ticket');
  });
});

test('an O_EXCL lock file and a linked lock exclude each other', () => {
  const { lockPath, cleanup } = tempLock();
  try {
    fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: HOSTNAME, nonce: 'old-style', time: new Date().toISOString() }), { flag: 'wx' });
    const linked = new WriterLock(lockPath, 100);
    assert.equal(linked.tryAcquire(), false, 'an O_EXCL lock file blocks the link');
    fs.rmSync(lockPath);
    assert.equal(linked.tryAcquire(), true);
    assert.throws(() => fs.writeFileSync(lockPath, 'x', { flag: 'wx' }), /EEXIST/, 'the linked lock blocks O_EXCL');
    linked.release();
    assert.equal(fs.existsSync(lockPath), false);
    linked.dispose();
  } finally {
    cleanup();
  }
});

test("tickets of dead processes on this host are cleared; live ones, other hosts' and our own stay", () => {
  const { dir, lockPath, cleanup } = tempLock();
  try {
    const write = (name: string, body: unknown) => fs.writeFileSync(path.join(dir, `${ticketPrefix(lockPath)}${name}`), JSON.stringify(body));
    write('dead', { pid: deadPid(), host: HOSTNAME, nonce: 'a' });
    write('live', { pid: process.pid, host: HOSTNAME, nonce: 'b' });
    write('elsewhere', { pid: deadPid(), host: `${HOSTNAME}-other`, nonce: 'c' });
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'kept');
    const lock = new WriterLock(lockPath, 100);
    assert.equal(lock.tryAcquire(), true); // the first ticket of this lock object clears the dead ones
    const left = tickets(dir, lockPath).map((name) => name.slice(ticketPrefix(lockPath).length));
    assert.ok(!left.includes('dead'), `dead ticket removed: ${left.join(', ')}`);
    assert.ok(left.includes('live') && left.includes('elsewhere'));
    assert.equal(left.length, 3, 'plus our own');
    assert.ok(fs.existsSync(path.join(dir, 'unrelated.txt')));
    lock.release();
    lock.dispose();
    assert.equal(removeDeadTickets(lockPath), 0, 'nothing dead left');
  } finally {
    cleanup();
  }
});

test('without hard links (EPERM from link) the lock falls back to O_EXCL and leaves no ticket', () => {
  const { dir, lockPath, cleanup } = tempLock();
  const original = fs.linkSync;
  (fs as unknown as { linkSync: () => never }).linkSync = () => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
  };
  try {
    const lock = new WriterLock(lockPath, 100);
    assert.equal(lock.tryAcquire(), true);
    assert.equal(fs.statSync(lockPath).nlink, 1, 'a file of its own, created with O_EXCL');
    assert.deepEqual(tickets(dir, lockPath), []);
    assert.equal(new WriterLock(lockPath, 100).tryAcquire(), false, 'still exclusive');
    lock.release();
    assert.equal(fs.existsSync(lockPath), false);
    assert.equal(lock.tryAcquire(), true, 'and again');
    lock.release();
  } finally {
    (fs as unknown as { linkSync: typeof original }).linkSync = original;
    cleanup();
  }
});
