// Small file-level helpers shared by the store tests: temp workspaces, the items/counter tables, leftovers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openStore } from '../../../src/core/store/open';

export interface TempDb {
  dir: string;
  dbPath: string;
  cleanup(): void;
}

export function tempDb(): TempDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  return { dir, dbPath: path.join(dir, 'pixie.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const ITEMS_TABLE = 'CREATE TABLE items (id TEXT PRIMARY KEY, writer TEXT NOT NULL, payload TEXT NOT NULL)';
export const COUNTER_TABLE = 'CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)';

/** Create the tables with a store of this process, fold them into pixie.db and close. */
export async function createTables(dbPath: string, statements: string[]): Promise<void> {
  const store = await openStore({ dbPath });
  await store.write((q) => {
    for (const sql of statements) q.run(sql);
  });
  await store.close();
}

/** `.pixie.db.tmp-*` files in the folder (left by a process killed inside a checkpoint). */
export function tempLeftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith('.pixie.db.tmp-'));
}

/** The pid of a process that has certainly exited (and been reaped). */
export function deadPid(): number {
  // spawnSync returns after the child exited and was reaped, so nothing can be running under this pid
  // (unless the kernel recycles it at once, which takes a full wrap of the pid space).
  const result = spawnSync(process.execPath, ['-e', '']);
  if (result.pid === undefined || result.pid <= 0) throw new Error(`could not get a dead pid: ${String(result.error)}`);
  return result.pid;
}
