// The seed's promise: pixie.db is readable by any SQLite client. The `sqlite3` CLI reads every table in a loop
// while a worker process commits and checkpoints often; every read must succeed and no count may go backwards
// (it sees the state as of the last checkpoint, which only ever moves forward).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startWorker } from './helpers/workerProcess';
import { COUNTER_TABLE, ITEMS_TABLE, createTables, tempDb } from './helpers/storeFiles';

const SQLITE3 = '/usr/bin/sqlite3';
const run = promisify(execFile);
const missing = fs.existsSync(SQLITE3) ? false : `${SQLITE3} is not installed (Debian package "sqlite3"); the CLI interop test cannot run`;

interface CliRead {
  items: number;
  counter: number;
  journalMode: string;
  check: string | undefined;
}

/** One CLI session, as a user would start it: `sqlite3 pixie.db` (read-write open, reads only). */
async function cliRead(dbPath: string, withIntegrityCheck: boolean): Promise<CliRead> {
  const sql = [
    'PRAGMA journal_mode;',
    'SELECT count(*) FROM items;',
    'SELECT value FROM counter WHERE id = 1;',
    'SELECT count(*) FROM pixie_meta;',
    'SELECT count(*) FROM sqlite_master;',
    ...(withIntegrityCheck ? ['PRAGMA integrity_check;'] : []),
  ].join('\n');
  const { stdout, stderr } = await run(SQLITE3, ['-batch', '-bail', dbPath, sql], { timeout: 10_000 });
  assert.equal(stderr, '', `sqlite3 wrote to stderr: ${stderr}`);
  const lines = stdout.trim().split('\n');
  return {
    journalMode: lines[0],
    items: Number(lines[1]),
    counter: Number(lines[2]),
    check: withIntegrityCheck ? lines[5] : undefined,
  };
}

test('the sqlite3 CLI reads every table at any moment while another process writes and checkpoints', { skip: missing, timeout: 60_000 }, async () => {
  const { dbPath, cleanup } = tempDb();
  try {
    await createTables(dbPath, [ITEMS_TABLE, COUNTER_TABLE, 'INSERT INTO counter (id, value) VALUES (1, 0)']);
    const worker = startWorker({ mode: 'append', dbPath, tag: 'w', count: 400, payloadBytes: 300, checkpointMaxRecords: 4, alsoCount: true, pauseMs: 1 });
    await worker.ready;
    let reads = 0;
    let readsWhileWriting = 0;
    const countsSeen = new Set<number>();
    let last: CliRead = { items: 0, counter: 0, journalMode: '', check: undefined };
    let running = true;
    void worker.exited.then(() => {
      running = false;
    });
    while (running || reads < 20) {
      const writing = running;
      const read = await cliRead(dbPath, reads % 5 === 0);
      reads += 1;
      if (writing) {
        readsWhileWriting += 1;
        countsSeen.add(read.items);
      }
      assert.equal(read.journalMode, 'delete', 'pixie.db must be a rollback-journal database (never WAL) for other clients');
      if (read.check !== undefined) assert.equal(read.check, 'ok');
      assert.ok(read.items >= last.items, `items went backwards: ${last.items} → ${read.items}`);
      assert.ok(read.counter >= last.counter, `counter went backwards: ${last.counter} → ${read.counter}`);
      assert.equal(read.counter, read.items, 'each checkpoint is one consistent snapshot');
      last = read;
    }
    const exit = await worker.exited;
    assert.equal(exit.code, 0, worker.stderr());
    const final = await cliRead(dbPath, true);
    assert.equal(final.items, 400, 'after the worker closed (checkpoint on close) the CLI sees everything');
    assert.equal(final.check, 'ok');
    assert.ok(readsWhileWriting >= 20, `only ${readsWhileWriting} reads while the worker wrote`);
    assert.ok(countsSeen.size >= 3, 'the reads saw the data grow (they really ran during the writes)');
    console.log(`sqlite3 CLI: ${readsWhileWriting} reads while writing (${countsSeen.size} distinct row counts), all ok`);
  } finally {
    cleanup();
  }
});
