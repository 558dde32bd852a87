// A `Store` over a plain in-memory sql.js database: same transaction semantics as the real engine
// (foreign keys on, one BEGIN/COMMIT per write, ROLLBACK when fn throws, change events with table names),
// but no files, no lock and no redo log. For fast unit tests of anything written against `Store`.
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue as SqlJsValue } from 'sql.js';
import type {
  CheckpointResult,
  Disposable,
  ReadQueries,
  Row,
  RunResult,
  SqlParams,
  SqlValue,
  Store,
  StoreChange,
  StoreInfo,
  WriteQueries,
} from '../../src/core/store/types';

let sqlJs: Promise<SqlJsStatic> | undefined;
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

function toSqlValue(value: SqlJsValue): SqlValue {
  if (value instanceof Uint8Array) throw new Error('memoryStore: BLOB values are not part of the Store API');
  return value;
}

// Tables named by DML/DDL statements; the update hook misses DDL, `DELETE` without WHERE and REPLACE deletes.
const STATEMENT_VERBS = [
  String.raw`INSERT(?:\s+OR\s+\w+)?\s+INTO`,
  String.raw`REPLACE\s+INTO`,
  String.raw`UPDATE(?:\s+OR\s+\w+)?`,
  String.raw`DELETE\s+FROM`,
  String.raw`CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?`,
  String.raw`ALTER\s+TABLE`,
  String.raw`DROP\s+TABLE(?:\s+IF\s+EXISTS)?`,
];
const STATEMENT_TABLE = new RegExp(String.raw`^\s*(?:${STATEMENT_VERBS.join('|')})\s+["\x60[]?(\w+)`, 'i');
const INDEX_TABLE = /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+["`[]?(\w+)/i;

export interface MemoryStoreStats {
  /** Committed write transactions. */
  commits: number;
  /** Write transactions rolled back because fn threw. */
  rollbacks: number;
  /** `q.run` statements executed (committed or not). */
  statements: number;
}

export class MemoryStore implements Store {
  readonly readOnlyReason: string | undefined = undefined;
  readonly stats: MemoryStoreStats = { commits: 0, rollbacks: 0, statements: 0 };
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private writing = false;
  private closed = false;
  private lsn = 0;
  private touched = new Set<string>();

  constructor(private readonly db: Database) {
    db.run('PRAGMA foreign_keys = ON');
    db.updateHook((_op, _dbName, table) => {
      this.touched.add(table);
    });
  }

  read<T>(fn: (q: ReadQueries) => T): T {
    this.assertOpen();
    return fn(this.readQueries());
  }

  async write<T>(fn: (q: WriteQueries) => T): Promise<T> {
    this.assertOpen();
    // fn is synchronous, so the only way to nest is calling write from inside fn: refuse it like the engine would deadlock.
    if (this.writing) throw new Error('memoryStore: write() called inside another write()');
    this.writing = true;
    this.touched = new Set();
    this.db.run('BEGIN');
    let result: T;
    try {
      result = fn(this.writeQueries());
      if (result instanceof Promise) {
        result.catch(() => undefined); // its outcome no longer matters; don't let it surface as unhandled
        throw new Error('memoryStore: write fn must be synchronous');
      }
      this.db.run('COMMIT');
    } catch (error) {
      this.db.run('ROLLBACK');
      this.stats.rollbacks += 1;
      this.writing = false;
      throw error;
    }
    this.writing = false;
    this.stats.commits += 1;
    this.lsn += 1;
    const change: StoreChange = { tables: new Set(this.touched), external: false };
    for (const listener of [...this.listeners]) listener(change);
    return result;
  }

  async checkpoint(): Promise<CheckpointResult> {
    this.assertOpen();
    return { foldedRecords: 0, lsn: this.lsn, fileBytes: this.db.export().length };
  }

  onDidChange(listener: (change: StoreChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  refresh(): void {
    // Nothing external can change an in-memory database.
  }

  info(): StoreInfo {
    return {
      dbPath: ':memory:',
      logPath: '',
      lockPath: '',
      fileBytes: 0,
      logBytes: 0,
      pendingLogRecords: 0,
      lsn: this.lsn,
      checkpointLsn: this.lsn,
      checkpointId: 'memory',
      readOnlyReason: undefined,
      lockHolder: undefined,
    };
  }

  /** The database image, e.g. to reopen it in another MemoryStore. Keeps foreign_keys (sql.js ≥ 1.16). */
  exportImage(): Uint8Array {
    this.assertOpen();
    return this.db.export();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('memoryStore: the store is closed');
  }

  private scalar(sql: string): number {
    return Number(this.db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  }

  private readQueries(): ReadQueries {
    const db = this.db;
    const all = <T extends object = Row>(sql: string, params: SqlParams = []): T[] => {
      const statement = db.prepare(sql);
      try {
        statement.bind([...params]);
        const rows: T[] = [];
        while (statement.step()) {
          const raw = statement.getAsObject();
          const row: Row = {};
          for (const [key, value] of Object.entries(raw)) row[key] = toSqlValue(value);
          rows.push(row as T);
        }
        return rows;
      } finally {
        statement.free();
      }
    };
    const get = <T extends object = Row>(sql: string, params?: SqlParams): T | undefined => {
      const rows: T[] = all<T>(sql, params);
      return rows[0];
    };
    return { all, get };
  }

  private writeQueries(): WriteQueries {
    const reads = this.readQueries();
    const run = (sql: string, params: SqlParams = []): RunResult => {
      if (!this.writing) throw new Error('memoryStore: q.run used after its write() returned');
      this.stats.statements += 1;
      const before = this.scalar('SELECT total_changes()');
      this.db.run(sql, [...params]);
      // sqlite3_changes() keeps the previous DML's count across DDL; report 0 when this statement changed nothing.
      const changes = this.scalar('SELECT total_changes()') === before ? 0 : this.db.getRowsModified();
      const lastInsertRowid = this.scalar('SELECT last_insert_rowid()');
      const named = STATEMENT_TABLE.exec(sql) ?? INDEX_TABLE.exec(sql);
      if (named?.[1]) this.touched.add(named[1]);
      return { changes, lastInsertRowid };
    };
    return { ...reads, run };
  }
}

/** A fresh store; `image` = bytes of an existing SQLite database to start from (e.g. a fixture file). */
export async function createMemoryStore(image?: Uint8Array): Promise<MemoryStore> {
  const SQL = await loadSqlJs();
  return new MemoryStore(new SQL.Database(image));
}
