// Opening pixie.db: normal (writable) or, when a real SQLite client left an unfolded WAL beside it, read-only
// with the WAL's committed rows folded in memory so nothing is hidden; `importSqliteWal` then makes it ours.
import fs from 'node:fs';
import { SqlJsStore, type EngineOptions } from './engine';
import { foldWal } from './walFold';
import { processesWithFileOpen } from './openFiles';
import { StoreCorruptError, StoreError } from './errors';
import { loadSqlJs } from './sqljs';

export type OpenStoreOptions = Omit<EngineOptions, 'readOnlyReason' | 'initialImage'>;

export interface SqliteCompanions {
  walPath: string;
  shmPath: string;
  walBytes: number;
  shmExists: boolean;
}

export function sqliteCompanions(dbPath: string): SqliteCompanions {
  const walPath = `${dbPath}-wal`;
  const shmPath = `${dbPath}-shm`;
  let walBytes = 0;
  try {
    walBytes = fs.statSync(walPath).size;
  } catch {
    walBytes = 0;
  }
  return { walPath, shmPath, walBytes, shmExists: fs.existsSync(shmPath) };
}

/** True when real SQLite may hold data (or a live connection) that sql.js cannot see. */
export function needsWalImport(companions: SqliteCompanions): boolean {
  return companions.walBytes > 0 || companions.shmExists;
}

function readOnlyReasonFor(companions: SqliteCompanions): string {
  const what = companions.walBytes > 0 ? `an unfolded SQLite write-ahead log (pixie.db-wal, ${companions.walBytes} bytes)` : 'a SQLite shared-memory file (pixie.db-shm)';
  return (
    `${what} was left by another SQLite program (the original Pixie?). Writing now could corrupt the database, ` +
    `so Pixie opened it read-only. Close that program, then run "Pixie: Import Database from SQLite WAL" ` +
    `(or \`pixie db import-wal\`) to fold the log in and continue normally.`
  );
}

export async function openStore(options: OpenStoreOptions): Promise<SqlJsStore> {
  const companions = sqliteCompanions(options.dbPath);
  if (!needsWalImport(companions)) return SqlJsStore.open(options);
  const readOnlyReason = readOnlyReasonFor(companions);
  let initialImage: Uint8Array | undefined;
  try {
    const base = fs.existsSync(options.dbPath) ? fs.readFileSync(options.dbPath) : new Uint8Array();
    const wal = companions.walBytes > 0 ? fs.readFileSync(companions.walPath) : new Uint8Array();
    initialImage = foldWal(base, wal).image;
  } catch (error) {
    options.log?.('warn', `could not fold ${companions.walPath} for viewing: ${(error as Error).message}`);
    initialImage = undefined;
  }
  return SqlJsStore.open({ ...options, readOnlyReason, initialImage, watch: false });
}

export interface WalImportResult {
  framesApplied: number;
  framesIgnored: number;
  transactions: number;
  fileBytes: number;
}

/**
 * Fold a real SQLite WAL into pixie.db and remove pixie.db-wal / -shm. Refuses while another process has them
 * open (folding under a live SQLite writer would lose its next commits). The result is checked with
 * `PRAGMA integrity_check` before anything is written.
 */
export async function importSqliteWal(store: SqlJsStore): Promise<WalImportResult> {
  const companions = sqliteCompanions(store.dbPath);
  if (!needsWalImport(companions)) {
    throw new StoreError(`there is no SQLite WAL to import beside ${store.dbPath}.`);
  }
  const users = [
    ...(processesWithFileOpen(store.dbPath) ?? []),
    ...(processesWithFileOpen(companions.walPath) ?? []),
    ...(processesWithFileOpen(companions.shmPath) ?? []),
  ];
  if (users.length > 0) {
    const list = [...new Map(users.map((user) => [user.pid, user])).values()].map((user) => `${user.command || 'process'} (pid ${user.pid})`);
    throw new StoreError(`${list.join(', ')} still has pixie.db open with SQLite. Close it, then import again.`);
  }
  const base = fs.existsSync(store.dbPath) ? fs.readFileSync(store.dbPath) : new Uint8Array();
  const wal = companions.walBytes > 0 ? fs.readFileSync(companions.walPath) : new Uint8Array();
  const folded = foldWal(base, wal);
  const SQL = await loadSqlJs();
  const probe = new SQL.Database(new Uint8Array(folded.image));
  try {
    const verdict = String(probe.exec('PRAGMA integrity_check')[0]?.values[0]?.[0] ?? '');
    if (verdict !== 'ok') {
      throw new StoreCorruptError(`the database folded from pixie.db-wal fails SQLite's integrity check (${verdict}); nothing was changed.`);
    }
  } finally {
    probe.close();
  }
  const result = await store.adoptImage(folded.image, () => {
    fs.rmSync(companions.walPath, { force: true });
    fs.rmSync(companions.shmPath, { force: true });
  });
  return {
    framesApplied: folded.framesApplied,
    framesIgnored: folded.framesIgnored,
    transactions: folded.transactions,
    fileBytes: result.fileBytes,
  };
}
