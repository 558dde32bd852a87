// A pixie.db left by the original (Python) Pixie in WAL mode with rows still in pixie.db-wal: Pixie must not
// write over it (that corrupts it for real SQLite) nor hide those rows. It opens read-only with a folded view,
// and `importSqliteWal` folds the WAL in, removes -wal/-shm and makes the store writable again; while a SQLite
// process still has the database open, the import refuses and names that process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { importSqliteWal, openStore } from '../../src/core/store/open';
import { StoreError, StoreReadOnlyError } from '../../src/core/store/errors';
import { loadSqlJs } from '../../src/core/store/sqljs';
import { nativeIntegrityCheck, withNative } from './helpers/realSqlite';
import { tempDb } from './helpers/storeFiles';

const PYTHON = '/usr/bin/python3';
const missing = fs.existsSync(PYTHON) ? false : `${PYTHON} is not installed; cannot make a WAL database with Python's sqlite3`;

// Like the original Pixie: WAL mode, many small transactions; auto-checkpoint off so the rows stay in the -wal,
// and os._exit() without closing so SQLite never folds or deletes it. "sleep" keeps the connection open.
const PYTHON_WRITER = `
import os, sqlite3, sys, time
db, rows, then = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA wal_autocheckpoint=0")
con.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
con.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, tool_id TEXT NOT NULL, started_at TIMESTAMP NOT NULL, outputs_json TEXT, status TEXT NOT NULL)")
for i in range(rows):
    con.execute("BEGIN")
    con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?)", ("run-%03d" % i, "tool", "2024-01-01T00:00:%02d" % (i % 60), "o" * (i * 97 % 5000), "ok"))
    con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", ("last", "run-%03d" % i))
    con.execute("COMMIT")
con.execute("DELETE FROM runs WHERE id = 'run-000'")
print("ready", flush=True)
if then == "sleep":
    time.sleep(600)
os._exit(0)
`;

const ROWS = 60;

function pythonWrites(dbPath: string): void {
  const result = spawnSync(PYTHON, ['-c', PYTHON_WRITER, dbPath, String(ROWS), 'exit'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

function expectedRunIds(): string[] {
  return Array.from({ length: ROWS - 1 }, (_, i) => `run-${String(i + 1).padStart(3, '0')}`);
}

test('a WAL left by Python sqlite3: read-only folded view, then importSqliteWal makes it ours', { skip: missing, timeout: 30_000 }, async () => {
  const { dbPath, cleanup } = tempDb();
  try {
    pythonWrites(dbPath);
    assert.ok(fs.statSync(`${dbPath}-wal`).size > 0, 'the python writer left its rows in pixie.db-wal');
    assert.ok(fs.existsSync(`${dbPath}-shm`));

    const store = await openStore({ dbPath, log: () => undefined });
    try {
      assert.match(store.readOnlyReason ?? '', /unfolded SQLite write-ahead log \(pixie\.db-wal, \d+ bytes\).*read-only.*Import/s);
      assert.equal(store.info().readOnlyReason, store.readOnlyReason);
      await assert.rejects(store.write((q) => q.run("INSERT INTO settings VALUES ('x', 'y')")), StoreReadOnlyError);
      await assert.rejects(store.checkpoint(), StoreReadOnlyError);
      // The folded view shows every committed row, including the ones only in the -wal.
      const ids = store.read((q) => q.all<{ id: string }>('SELECT id FROM runs ORDER BY id')).map((row) => row.id);
      assert.deepEqual(ids, expectedRunIds());
      assert.equal(store.read((q) => q.get<{ value: string }>("SELECT value FROM settings WHERE key = 'last'"))?.value, `run-0${ROWS - 1}`);
      const walBefore = fs.readFileSync(`${dbPath}-wal`);
      // Without the fold, sql.js would see pixie.db alone: the rows that live only in the -wal would be missing.
      const SQL = await loadSqlJs();
      const bare = new SQL.Database(new Uint8Array(fs.readFileSync(dbPath)));
      let bareRuns = -1;
      try {
        bareRuns = Number(bare.exec('SELECT count(*) FROM runs')[0]?.values[0]?.[0] ?? 0);
      } catch {
        bareRuns = 0; // not even the table is in the main file
      } finally {
        bare.close();
      }
      assert.ok(bareRuns < ROWS - 1, `the main file alone holds ${bareRuns} runs: the test needs rows that live only in the -wal`);

      const result = await importSqliteWal(store);
      assert.ok(result.transactions >= ROWS, `folded ${result.transactions} transactions`);
      assert.equal(fs.existsSync(`${dbPath}-wal`), false);
      assert.equal(fs.existsSync(`${dbPath}-shm`), false);
      assert.ok(walBefore.length > 0);
      assert.equal(store.readOnlyReason, undefined);
      assert.deepEqual(store.read((q) => q.all<{ id: string }>('SELECT id FROM runs ORDER BY id')).map((row) => row.id), expectedRunIds());

      await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('after-import', 'yes')"));
      await store.checkpoint();
    } finally {
      await store.close();
    }
    const header = fs.readFileSync(dbPath).subarray(18, 20);
    assert.deepEqual([...header], [1, 1], 'the imported file is in rollback-journal mode');
    assert.equal(nativeIntegrityCheck(dbPath), 'ok');
    withNative(dbPath, (db) => {
      assert.equal((db.prepare("SELECT value FROM settings WHERE key = 'after-import'").get() as { value: string }).value, 'yes');
      assert.deepEqual(
        (db.prepare('SELECT id FROM runs ORDER BY id').all() as { id: string }[]).map((row) => row.id),
        expectedRunIds(),
      );
    });
    // And a fresh open is a normal writable store.
    const reopened = await openStore({ dbPath });
    assert.equal(reopened.readOnlyReason, undefined);
    await reopened.close();
  } finally {
    cleanup();
  }
});

test('importSqliteWal refuses while a SQLite process still has the database open, and names it', { skip: missing, timeout: 30_000 }, async () => {
  const { dbPath, cleanup } = tempDb();
  const python = spawn(PYTHON, ['-c', PYTHON_WRITER, dbPath, String(ROWS), 'sleep'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => python.on('close', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      python.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      python.on('close', (code) => reject(new Error(`python exited early (${code})`)));
    });
    const store = await openStore({ dbPath, log: () => undefined });
    try {
      assert.ok(store.readOnlyReason);
      assert.equal(store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM runs'))?.n, ROWS - 1);
      await assert.rejects(importSqliteWal(store), (error: Error) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, new RegExp(`python3? \\(pid ${python.pid}\\) still has pixie\\.db open with SQLite\\. Close it, then import again\\.`));
        return true;
      });
      assert.ok(fs.statSync(`${dbPath}-wal`).size > 0, 'nothing was touched');
      assert.equal(store.readOnlyReason !== undefined, true);

      python.kill('SIGKILL');
      await exited;
      const result = await importSqliteWal(store);
      assert.ok(result.transactions >= ROWS);
      await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('k', 'v')"));
    } finally {
      await store.close();
    }
    assert.equal(nativeIntegrityCheck(dbPath), 'ok');
    assert.equal(withNative(dbPath, (db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n), ROWS - 1);
  } finally {
    python.kill('SIGKILL');
    await exited;
    cleanup();
  }
});
