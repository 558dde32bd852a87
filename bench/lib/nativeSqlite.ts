// better-sqlite3 (a dev dependency) for benchmark baselines only: native SQLite, typed by hand for the calls used.
import { createRequire } from 'node:module';

export interface NativeStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface NativeDatabase {
  prepare(sql: string): NativeStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

export interface NativeOpenOptions {
  readonly?: boolean;
  /** Busy timeout in ms (how long a writer waits for another's lock). */
  timeout?: number;
}

type NativeDatabaseConstructor = new (file: string, options?: NativeOpenOptions) => NativeDatabase;

const load = createRequire(__filename);

/** Loading the native addon is part of a cold start, so callers can time it. */
export function loadNativeSqlite(): NativeDatabaseConstructor {
  return load('better-sqlite3') as NativeDatabaseConstructor;
}
