// Real SQLite (better-sqlite3, a dev dependency) opened READ-ONLY on a file, to prove that what the engine writes
// is a database any SQLite client accepts. Typed here by hand: the package ships no types and we use four calls.
import { createRequire } from 'node:module';

interface Statement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface NativeDatabase {
  prepare(sql: string): Statement;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): void;
}

type NativeDatabaseConstructor = new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => NativeDatabase;

const load = createRequire(__filename);

export function openNativeReadOnly(file: string): NativeDatabase {
  const Database = load('better-sqlite3') as NativeDatabaseConstructor;
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** Runs `fn` on a read-only native connection and always closes it. */
export function withNative<T>(file: string, fn: (db: NativeDatabase) => T): T {
  const db = openNativeReadOnly(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` as real SQLite reports it ('ok' when sound). */
export function nativeIntegrityCheck(file: string): string {
  return withNative(file, (db) => String(db.pragma('integrity_check', { simple: true })));
}
