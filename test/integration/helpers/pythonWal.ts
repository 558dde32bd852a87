// A database left in WAL mode by real SQLite (Python's sqlite3 module, as the original Pixie uses), with its
// rows still in pixie.db-wal: auto-checkpoint off and os._exit() so SQLite never folds or removes the WAL.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';
export const pythonMissing: string | false = fs.existsSync(PYTHON) ? false : `${PYTHON} is not installed; cannot make a WAL database with Python's sqlite3`;

// Transaction k (1..rows) inserts row k with a body of (k * 300) % 5000 bytes (some span overflow pages);
// then one transaction updates row 1 and a last one deletes row 2.
const SCRIPT = `
import os, sqlite3, sys
db, rows = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA wal_autocheckpoint=0")
con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
for k in range(1, rows + 1):
    con.execute("BEGIN")
    con.execute("INSERT INTO t (id, body) VALUES (?, ?)", (k, "b" * ((k * 300) % 5000)))
    con.execute("COMMIT")
con.execute("UPDATE t SET body = 'updated' WHERE id = 1")
con.execute("DELETE FROM t WHERE id = 2")
os._exit(0)
`;

export interface WalFixture {
  db: Buffer;
  wal: Buffer;
}

/** Creates `dbPath` (+ -wal, -shm) with Python and returns the main file and WAL bytes. */
export function makeWalDatabase(dbPath: string, rows: number): WalFixture {
  const result = spawnSync(PYTHON, ['-c', SCRIPT, dbPath, String(rows)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return { db: fs.readFileSync(dbPath), wal: fs.readFileSync(`${dbPath}-wal`) };
}

/** Rows the fixture holds after its first `transactions` row-inserting transactions plus the update/delete steps. */
export function expectedRows(rows: number, upTo: { inserts: number; updated: boolean; deleted: boolean }): { id: number; body: string }[] {
  const result: { id: number; body: string }[] = [];
  for (let k = 1; k <= Math.min(rows, upTo.inserts); k++) {
    if (k === 2 && upTo.deleted) continue;
    result.push({ id: k, body: k === 1 && upTo.updated ? 'updated' : 'b'.repeat((k * 300) % 5000) });
  }
  return result;
}
