// Prepared statements kept per SQL text for the current in-memory image. Compiling a statement costs more than
// running a one-row insert, and the repositories run the same few dozen statements all the time.
import type { SqlJsDatabase } from './sqljs';
import type { SqlParams } from './types';

type Statement = ReturnType<SqlJsDatabase['prepare']>;
type BindValues = (string | number | null | Uint8Array)[];

/** Beyond this many distinct texts (ad-hoc SQL from the CLI, say) the cache starts over instead of growing. */
const MAX_STATEMENTS = 256;

export class StatementCache {
  private readonly statements = new Map<string, Statement>();
  private db: SqlJsDatabase | undefined;

  /** Use `db` from now on; statements of the previous image are freed. Call before export() too (it frees them). */
  reset(db?: SqlJsDatabase): void {
    for (const statement of this.statements.values()) {
      try {
        statement.free();
      } catch {
        // Already freed with its database.
      }
    }
    this.statements.clear();
    if (db) this.db = db;
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (!this.db) throw new Error('statement cache used before a database was set');
      if (this.statements.size >= MAX_STATEMENTS) this.reset();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all<T extends object>(sql: string, params: SqlParams): T[] {
    const statement = this.prepared(sql);
    try {
      statement.bind(params as BindValues);
      const rows: T[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as T);
      return rows;
    } finally {
      statement.reset();
    }
  }

  run(sql: string, params: SqlParams): void {
    const statement = this.prepared(sql);
    try {
      statement.bind(params as BindValues);
      statement.step();
    } finally {
      statement.reset();
    }
  }
}
