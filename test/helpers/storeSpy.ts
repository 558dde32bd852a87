// Wraps a Store to count write transactions and the statements run in them (e.g. to prove a call wrote nothing).
import type { Store, WriteQueries } from '../../src/core/store/types';

export interface StoreSpy {
  store: Store;
  readonly writes: number;
  readonly statements: string[];
}

export function spyOnStore(inner: Store): StoreSpy {
  let writes = 0;
  const statements: string[] = [];
  const store: Store = {
    read: (fn) => inner.read(fn),
    write: (fn) => {
      writes += 1;
      return inner.write((q) => {
        const spied: WriteQueries = {
          all: (sql, params) => q.all(sql, params),
          get: (sql, params) => q.get(sql, params),
          run: (sql, params) => {
            statements.push(sql);
            return q.run(sql, params);
          },
        };
        return fn(spied);
      });
    },
    checkpoint: () => inner.checkpoint(),
    onDidChange: (listener) => inner.onDidChange(listener),
    refresh: () => inner.refresh(),
    info: () => inner.info(),
    get readOnlyReason() {
      return inner.readOnlyReason;
    },
    close: () => inner.close(),
  };
  return {
    store,
    get writes() {
      return writes;
    },
    statements,
  };
}
