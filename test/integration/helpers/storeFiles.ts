// Small file-level helpers shared by the store tests: temp workspaces, the items/counter tables, leftovers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openStore } from '../../../src/core/store/open';
import type { EngineOptions, SqlJsStore } from '../../../src/core/store/engine';

export interface TempDb {
  dir: string;
  dbPath: string;
  cleanup(): void;
}

export function tempDb(): TempDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  return { dir, dbPath: path.join(dir, 'pixie.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` with a temp folder, closing every store it opened and removing the folder afterwards. */
export async function withTemp(fn: (db: TempDb, open: (options?: Partial<EngineOptions>) => Promise<SqlJsStore>) => Promise<void>): Promise<void> {
  const db = tempDb();
  const stores: SqlJsStore[] = [];
  const open = async (options: Partial<EngineOptions> = {}): Promise<SqlJsStore> => {
    const store = await openStore({ dbPath: db.dbPath, idleCheckpointMs: 60_000, ...options });
    stores.push(store);
    return store;
  };
  try {
    await fn(db, open);
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
    db.cleanup();
  }
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
