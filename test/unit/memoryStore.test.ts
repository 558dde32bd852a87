// The in-memory Store used by unit tests elsewhere: it must behave like the engine where tests depend on it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { StoreChange } from '../../src/core/store/types';
import { createMemoryStore, type MemoryStore } from '../helpers/memoryStore';
import { createTestStore } from '../helpers/testStore';

describe('memoryStore', () => {
  let store: MemoryStore;
  let changes: StoreChange[];
  beforeEach(async () => {
    store = await createMemoryStore();
    changes = [];
    store.onDidChange((c) => changes.push(c));
    await store.write((q) => {
      q.run('CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE)');
      q.run('CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE)');
    });
  });
  afterEach(async () => {
    await store.close();
  });

  it('reports changes and lastInsertRowid; DDL reports 0 changes', async () => {
    const result = await store.write((q) => {
      const first = q.run("INSERT INTO parent(name) VALUES ('a')");
      const second = q.run("INSERT INTO parent(name) VALUES ('b')");
      const both = q.run("UPDATE parent SET name = name || '!'");
      const ddl = q.run('CREATE INDEX idx_parent_name ON parent(name)');
      const none = q.run("DELETE FROM parent WHERE name = 'zzz'");
      return { first, second, both, ddl, none };
    });
    assert.deepEqual(result.first, { changes: 1, lastInsertRowid: 1 });
    assert.deepEqual(result.second, { changes: 1, lastInsertRowid: 2 });
    assert.equal(result.both.changes, 2);
    assert.equal(result.ddl.changes, 0);
    assert.equal(result.none.changes, 0);
    assert.deepEqual(store.read((q) => q.all('SELECT name FROM parent ORDER BY id')), [{ name: 'a!' }, { name: 'b!' }]);
    assert.equal(store.read((q) => q.get('SELECT name FROM parent WHERE id = 99')), undefined);
  });

  it('enforces foreign keys and rolls the whole transaction back when fn throws', async () => {
    await assert.rejects(
      store.write((q) => {
        q.run("INSERT INTO parent(name) VALUES ('kept?')");
        q.run('INSERT INTO child(parent_id) VALUES (42)');
      }),
      /FOREIGN KEY constraint failed/,
    );
    await assert.rejects(
      store.write((q) => {
        q.run("INSERT INTO parent(name) VALUES ('kept?')");
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM parent'))?.n, 0);
    assert.equal(store.stats.rollbacks, 2);
    // Still usable after a rollback.
    await store.write((q) => q.run("INSERT INTO parent(name) VALUES ('ok')"));
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM parent'))?.n, 1);
  });

  it('names every table a commit touched, cascades and DELETE without WHERE included; no event on rollback', async () => {
    changes.length = 0;
    await store.write((q) => {
      q.run("INSERT INTO parent(name) VALUES ('p')");
      q.run('INSERT INTO child(parent_id) VALUES (1)');
    });
    await store.write((q) => q.run('DELETE FROM parent WHERE id = 1'));
    await store.write((q) => q.run('DELETE FROM child'));
    await assert.rejects(store.write(() => {
      throw new Error('x');
    }));
    assert.deepEqual(changes.map((c) => [...c.tables].sort()), [['child', 'parent'], ['child', 'parent'], ['child']]);
    assert.ok(changes.every((c) => !c.external));
  });

  it('refuses nested writes, async fns and use after close', async () => {
    let inner: Promise<number> | undefined;
    await store.write(() => {
      inner = store.write(() => 1);
    });
    await assert.rejects(inner ?? Promise.resolve(0), /inside another write/);
    await assert.rejects(store.write(async () => 1), /synchronous/);
    let leaked: Parameters<Parameters<MemoryStore['write']>[0]>[0] | undefined;
    await store.write((q) => {
      leaked = q;
    });
    assert.throws(() => leaked?.run('SELECT 1'), /after its write/);
    await store.close();
    assert.throws(() => store.read(() => 1), /closed/);
  });

  it('exports an image that reopens with the data and foreign keys on', async () => {
    await store.write((q) => q.run("INSERT INTO parent(name) VALUES ('saved')"));
    const copy = await createMemoryStore(store.exportImage());
    try {
      assert.deepEqual(copy.read((q) => q.all('SELECT name FROM parent')), [{ name: 'saved' }]);
      await assert.rejects(copy.write((q) => q.run('INSERT INTO child(parent_id) VALUES (7)')), /FOREIGN KEY/);
    } finally {
      await copy.close();
    }
  });
});

describe('createTestStore', () => {
  it('gives a working store of the kind it says, and cleans up', async () => {
    const ts = await createTestStore();
    try {
      assert.ok(ts.kind === 'engine' || ts.kind === 'memory');
      await ts.store.write((q) => q.run('CREATE TABLE t (x INTEGER)'));
      assert.deepEqual(ts.store.read((q) => q.all('SELECT COUNT(*) AS n FROM t')), [{ n: 0 }]);
    } finally {
      await ts.cleanup();
    }
  });
});
