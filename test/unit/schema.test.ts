import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  EXPECTED_COLUMNS,
  INDEX_NAMES,
  TABLE_NAMES,
  applySchema,
  initSchema,
  planSchema,
  type ColumnInfo,
} from '../../src/core/store/schema';
import { artefactRelPathIsUnique, deleteRun } from '../../src/core/store/repositories';
import type { ReadQueries, Row, Store, WriteQueries } from '../../src/core/store/types';
import { spyOnStore } from '../helpers/storeSpy';
import { createTestStore, type TestStore } from '../helpers/testStore';

interface PragmaColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

function pragmaColumns(q: ReadQueries, table: string): ColumnInfo[] {
  return q.all<PragmaColumn>(`PRAGMA table_info(${table})`).map((c) => ({
    name: c.name,
    type: c.type,
    notnull: c.notnull === 1,
    dflt: c.dflt_value,
    pk: c.pk,
  }));
}

function schemaObjects(store: Store): Row[] {
  return store.read((q) => q.all('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name'));
}

function dump(store: Store, table: string): Row[] {
  return store.read((q) => q.all(`SELECT * FROM ${table} ORDER BY rowid`));
}

// Shapes written by older versions of the original Pixie: base tables only (the seed's CREATE statements).
const OLD_RUNS = `CREATE TABLE runs (id TEXT PRIMARY KEY, tool_id TEXT NOT NULL, started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP, inputs_json TEXT NOT NULL, outputs_json TEXT, error_text TEXT, status TEXT NOT NULL)`;
const OLD_TOOL_STATE = `CREATE TABLE tool_state (tool_id TEXT PRIMARY KEY, last_inputs_json TEXT,
  favourited INTEGER NOT NULL DEFAULT 0, sort_order INTEGER)`;
const OLD_SETTINGS = 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

// The newest original: artefacts rebuilt with UNIQUE(rel_path) + ON DELETE CASCADE, plus archive_log.
const NEWEST_ARTEFACTS = `CREATE TABLE artefacts (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, tool_id TEXT NOT NULL,
  output_key TEXT NOT NULL, rel_path TEXT NOT NULL UNIQUE, filename TEXT NOT NULL, mime TEXT NOT NULL,
  size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at TIMESTAMP NOT NULL, starred INTEGER NOT NULL DEFAULT 0,
  label TEXT, tags TEXT, thumb_path TEXT, deleted_at TIMESTAMP,
  FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE)`;
const ARCHIVE_LOG = `CREATE TABLE archive_log (id INTEGER PRIMARY KEY AUTOINCREMENT, tool_id TEXT NOT NULL,
  archived_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, source TEXT CHECK(source IN ('cli','api','test')))`;

describe('schema', () => {
  let ts: TestStore;
  beforeEach(async () => {
    ts = await createTestStore();
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  it('creates the nine tables column for column as the seed and reference §5.2 describe', async () => {
    const result = await initSchema(ts.store);
    assert.deepEqual(result.created.filter((n) => !n.startsWith('idx_')), [...TABLE_NAMES]);
    assert.equal(result.addedColumns.length, 18);
    ts.store.read((q) => {
      for (const table of TABLE_NAMES) {
        assert.deepEqual(pragmaColumns(q, table), EXPECTED_COLUMNS[table], `columns of ${table}`);
      }
    });
  });

  it('EXPECTED_COLUMNS holds what the seed spells out (spot checks against the seed text)', () => {
    const names = (t: keyof typeof EXPECTED_COLUMNS) => EXPECTED_COLUMNS[t].map((c) => c.name);
    assert.equal(TABLE_NAMES.length, 9);
    assert.deepEqual(names('runs').slice(8), ['starred', 'label', 'total_artefact_bytes', 'meta_json']);
    assert.deepEqual(names('tool_state').slice(4), [
      'overrides_json', 'archived', 'pinned', 'pinned_warm', 'discovery_hash', 'run_count_total', 'disk_bytes',
      'last_disk_audit', 'last_run_at', 'default_warm_keep_seconds', 'pinned_at', 'archived_at', 'colour',
      'sort_order_in_workspace_json',
    ]);
    assert.deepEqual(
      EXPECTED_COLUMNS.validation_reports.filter((c) => c.pk > 0).map((c) => c.name),
      ['tool_id', 'timestamp'],
    );
    const starred = EXPECTED_COLUMNS.runs.find((c) => c.name === 'starred');
    assert.deepEqual(starred, { name: 'starred', type: 'INTEGER', notnull: true, dflt: '0', pk: 0 });
  });

  it('a fresh artefacts table lets dedup rows share a rel_path', async () => {
    await initSchema(ts.store);
    assert.equal(ts.store.read(artefactRelPathIsUnique), false);
  });

  it('declares the foreign keys: artefacts.run_id → runs (no cascade), tool_workspaces → workspaces ON DELETE CASCADE', async () => {
    await initSchema(ts.store);
    ts.store.read((q) => {
      const fks = (table: string) =>
        q.all<{ table: string; from: string; to: string; on_delete: string }>(`PRAGMA foreign_key_list(${table})`)
          .map((fk) => ({ table: fk.table, from: fk.from, to: fk.to, on_delete: fk.on_delete }));
      assert.deepEqual(fks('artefacts'), [{ table: 'runs', from: 'run_id', to: 'id', on_delete: 'NO ACTION' }]);
      assert.deepEqual(fks('tool_workspaces'), [
        { table: 'workspaces', from: 'workspace_id', to: 'id', on_delete: 'CASCADE' },
      ]);
      for (const table of TABLE_NAMES.filter((t) => t !== 'artefacts' && t !== 'tool_workspaces')) {
        assert.deepEqual(fks(table), [], `${table} has no foreign keys`);
      }
      // The seed's artefacts table has no UNIQUE(rel_path): dedup rows share a file.
      const uniques = q.all<{ unique: number; origin: string }>('PRAGMA index_list(artefacts)').filter((i) => i.unique === 1);
      assert.deepEqual(uniques, []);
      const workspaceUnique = q.all<{ unique: number; origin: string }>('PRAGMA index_list(workspaces)');
      assert.ok(workspaceUnique.some((i) => i.unique === 1 && i.origin === 'u'), 'workspaces.name is UNIQUE');
    });
  });

  it('creates every index of §5.2, partial ones with their WHERE clause', async () => {
    await initSchema(ts.store);
    const indexes = ts.store.read((q) =>
      q.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"),
    );
    const byName = new Map(indexes.map((i) => [i.name, i.sql]));
    for (const name of [
      'idx_runs_tool', 'idx_runs_started', 'idx_runs_status', 'idx_runs_starred', 'idx_runs_label',
      'idx_validation_latest', 'idx_tool_state_archived', 'idx_tool_state_pinned', 'idx_artefacts_run',
      'idx_artefacts_tool', 'idx_artefacts_starred', 'idx_artefacts_deleted', 'idx_artefacts_label',
      'idx_tool_tags_tag', 'idx_validate_jobs_status',
    ]) {
      assert.ok(byName.has(name), `index ${name}`);
    }
    assert.match(byName.get('idx_runs_starred') ?? '', /WHERE starred = 1$/);
    assert.match(byName.get('idx_runs_label') ?? '', /WHERE label IS NOT NULL$/);
    assert.match(byName.get('idx_artefacts_starred') ?? '', /WHERE starred = 1$/);
    assert.deepEqual([...byName.keys()].filter((n) => n.startsWith('idx_')).sort(), [...INDEX_NAMES].sort());
  });

  it('is a no-op the second time: no write transaction at all, schema unchanged', async () => {
    await initSchema(ts.store);
    const before = schemaObjects(ts.store);
    const spy = spyOnStore(ts.store);
    const again = await initSchema(spy.store);
    assert.deepEqual(again, { created: [], addedColumns: [] });
    assert.equal(spy.writes, 0);
    assert.deepEqual(schemaObjects(ts.store), before);
    assert.deepEqual(ts.store.read(planSchema), { missingTables: [], missingColumns: [], missingIndexes: [] });
  });

  it('recreates a dropped table and a dropped index, and only those', async () => {
    await initSchema(ts.store);
    await ts.store.write((q) => {
      q.run('DROP TABLE tool_tags');
      q.run('DROP INDEX idx_runs_status');
    });
    const spy = spyOnStore(ts.store);
    const result = await initSchema(spy.store);
    assert.deepEqual(result, { created: ['tool_tags', 'idx_runs_status', 'idx_tool_tags_tag'], addedColumns: [] });
    assert.equal(spy.writes, 1);
    assert.equal(spy.statements.length, 3);
  });

  it('upgrades an old-shape db: rows intact, migrated columns added in the seed order with their defaults', async () => {
    await ts.store.write((q) => {
      q.run(OLD_RUNS);
      q.run(OLD_TOOL_STATE);
      q.run(OLD_SETTINGS);
      q.run("INSERT INTO runs VALUES ('r1', 'echo', '2024-05-01T10:00:00+00:00', NULL, '{\"inputs\":{}}', NULL, NULL, 'running')");
      q.run(
        "INSERT INTO runs VALUES ('r2', 'echo', '2024-05-01T11:00:00+00:00', '2024-05-01T11:00:01+00:00', '{}', '{\"a\":1}', NULL, 'ok')",
      );
      q.run("INSERT INTO tool_state VALUES ('echo', '{\"text\":\"hi\"}', 1, 3)");
      q.run("INSERT INTO settings VALUES ('theme', 'dark')");
    });
    const runsBefore = dump(ts.store, 'runs');
    const result = await initSchema(ts.store);
    assert.deepEqual(
      result.addedColumns,
      [
        ...EXPECTED_COLUMNS.tool_state.slice(4).map((c) => `tool_state.${c.name}`),
        ...EXPECTED_COLUMNS.runs.slice(8).map((c) => `runs.${c.name}`),
      ],
    );
    assert.ok(!result.created.includes('runs') && !result.created.includes('settings'));
    ts.store.read((q) => {
      for (const table of TABLE_NAMES) assert.deepEqual(pragmaColumns(q, table), EXPECTED_COLUMNS[table], table);
    });
    const runsAfter = dump(ts.store, 'runs');
    assert.equal(runsAfter.length, 2);
    runsAfter.forEach((row, i) => {
      for (const [key, value] of Object.entries(runsBefore[i] ?? {})) assert.equal(row[key], value, `runs.${key}`);
      assert.equal(row.starred, 0);
      assert.equal(row.total_artefact_bytes, 0);
      assert.equal(row.label, null);
      assert.equal(row.meta_json, null);
    });
    const state = dump(ts.store, 'tool_state')[0];
    assert.equal(state?.last_inputs_json, '{"text":"hi"}');
    assert.equal(state?.favourited, 1);
    assert.equal(state?.sort_order, 3);
    assert.equal(state?.archived, 0);
    assert.equal(state?.run_count_total, 0);
    assert.equal(state?.colour, null);
    assert.deepEqual(dump(ts.store, 'settings'), [{ key: 'theme', value: 'dark' }]);
  });

  it('finishes a half-migrated db (some columns already there) without touching those', async () => {
    await ts.store.write((q) => {
      q.run(OLD_TOOL_STATE);
      q.run('ALTER TABLE tool_state ADD COLUMN overrides_json TEXT');
      q.run('ALTER TABLE tool_state ADD COLUMN archived INTEGER NOT NULL DEFAULT 0');
      q.run(OLD_RUNS);
      q.run('ALTER TABLE runs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0');
      q.run("INSERT INTO tool_state(tool_id, archived) VALUES ('t', 1)");
    });
    const result = await initSchema(ts.store);
    assert.ok(!result.addedColumns.includes('tool_state.archived'));
    assert.ok(!result.addedColumns.includes('runs.starred'));
    assert.ok(result.addedColumns.includes('tool_state.pinned'));
    assert.ok(result.addedColumns.includes('runs.meta_json'));
    assert.equal(dump(ts.store, 'tool_state')[0]?.archived, 1);
    ts.store.read((q) => assert.deepEqual(pragmaColumns(q, 'tool_state'), EXPECTED_COLUMNS.tool_state));
  });

  it('opens a db shaped like the newest original (archive_log, UNIQUE/CASCADE artefacts) with rows and DDL intact', async () => {
    await ts.store.write((q) => {
      q.run(OLD_RUNS);
      for (const [column, definition] of [
        ['starred', 'INTEGER NOT NULL DEFAULT 0'],
        ['label', 'TEXT'],
        ['total_artefact_bytes', 'INTEGER NOT NULL DEFAULT 0'],
        ['meta_json', 'TEXT'],
      ]) {
        q.run(`ALTER TABLE runs ADD COLUMN ${column} ${definition}`);
      }
      q.run(NEWEST_ARTEFACTS);
      q.run(ARCHIVE_LOG);
      q.run('CREATE INDEX idx_archive_log_tool_id ON archive_log(tool_id)');
      q.run('CREATE INDEX idx_artefacts_label ON artefacts(label)');
      q.run(
        "INSERT INTO runs VALUES ('r1', 'img', '2024-06-01T00:00:00+00:00', '2024-06-01T00:00:02+00:00', '{}', '{}', NULL, 'ok', 1, 'keep', 15, NULL)",
      );
      q.run(
        `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, tags)
         VALUES ('r1', 'img', 'chart', 'img/2024-06-01/r1/chart.png', 'chart.png', 'image/png', 10, 'ab', '2024-06-01T00:00:01+00:00', '["x"]')`,
      );
      q.run("INSERT INTO archive_log(tool_id, archived_at, source) VALUES ('old-tool', '2024-06-02 10:00:00', 'cli')");
      if (ts.kind === 'memory') {
        // The engine owns pixie_meta; here we fake one to prove the schema code leaves it alone.
        q.run('CREATE TABLE pixie_meta (key TEXT PRIMARY KEY, value TEXT)');
        q.run("INSERT INTO pixie_meta VALUES ('lsn', '42')");
      }
    });
    const foreign = ts.kind === 'memory' ? ['archive_log', 'pixie_meta'] : ['archive_log'];
    const before = Object.fromEntries(['runs', 'artefacts', ...foreign].map((t) => [t, dump(ts.store, t)]));
    const ddlBefore = schemaObjects(ts.store).filter((o) => o.tbl_name === 'artefacts' || foreign.includes(String(o.tbl_name)));

    await initSchema(ts.store);

    for (const [table, rows] of Object.entries(before)) assert.deepEqual(dump(ts.store, table), rows, table);
    const ddlAfter = schemaObjects(ts.store).filter((o) => o.tbl_name === 'artefacts' || foreign.includes(String(o.tbl_name)));
    // Only our new artefacts indexes were added; the table itself (UNIQUE, CASCADE) and archive_log are untouched.
    assert.deepEqual(
      ddlAfter.filter((o) => !ddlBefore.some((b) => b.name === o.name)).map((o) => o.name).sort(),
      INDEX_NAMES.filter((n) => n.startsWith('idx_artefacts_') && n !== 'idx_artefacts_label').sort(),
    );
    for (const object of ddlBefore) assert.deepEqual(ddlAfter.find((o) => o.name === object.name), object);
    ts.store.read((q) => {
      assert.deepEqual(pragmaColumns(q, 'artefacts'), EXPECTED_COLUMNS.artefacts);
      assert.deepEqual(pragmaColumns(q, 'runs'), EXPECTED_COLUMNS.runs);
    });
    assert.equal(ts.store.read(artefactRelPathIsUnique), true, 'dedup must know it cannot share rel_path here');
    // Deleting a run still works there (rows first, then the run; the cascade finds nothing left).
    assert.deepEqual(
      (await ts.store.write((q) => deleteRun(q, 'r1'))).artefacts.map((a) => a.relPath),
      ['img/2024-06-01/r1/chart.png'],
    );
    // And it stays idempotent on that shape.
    const spy = spyOnStore(ts.store);
    await initSchema(spy.store);
    assert.equal(spy.writes, 0);
  });

  it('enforces foreign keys: an artefact with an unknown run_id and a membership of an unknown workspace are rejected', async () => {
    await initSchema(ts.store);
    await assert.rejects(
      ts.store.write((q) =>
        q.run(
          `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at)
           VALUES ('nope', 't', 'k', 't/x', 'x', 'text/plain', 1, 'aa', '2025-01-01T00:00:00.000Z')`,
        ),
      ),
      /FOREIGN KEY constraint failed/,
    );
    await assert.rejects(
      ts.store.write((q) =>
        q.run("INSERT INTO tool_workspaces(tool_id, workspace_id, added_at) VALUES ('t', 99, '2025-01-01T00:00:00.000Z')"),
      ),
      /FOREIGN KEY constraint failed/,
    );
    assert.equal(dump(ts.store, 'artefacts').length, 0);
  });

  it('rethrows migration errors other than "duplicate column" and commits nothing', async () => {
    await ts.store.write((q) => {
      q.run(OLD_RUNS);
      // A view where a table is expected: ALTER TABLE fails with a real error.
      q.run('CREATE VIEW tool_state AS SELECT 1 AS tool_id');
    });
    await assert.rejects(initSchema(ts.store), /view/i);
    ts.store.read((q) => {
      assert.deepEqual(
        pragmaColumns(q, 'runs').map((c) => c.name),
        EXPECTED_COLUMNS.runs.slice(0, 8).map((c) => c.name),
        'the failed transaction rolled back',
      );
    });
  });

  it('swallows "duplicate column name" when a column appears between planning and ALTER', async () => {
    await initSchema(ts.store);
    // Planning sees runs without `starred` (as if another writer added it in between); the ALTER then hits the real column.
    const result = await ts.store.write((q) => {
      const stale: WriteQueries = {
        run: (sql, params) => q.run(sql, params),
        get: (sql, params) => q.get(sql, params),
        all: <T extends object>(sql: string, params?: readonly (string | number | null)[]): T[] => {
          const rows = q.all<T>(sql, params);
          return sql.includes('pragma_table_info') && params?.[0] === 'runs'
            ? rows.filter((r) => (r as { name?: string }).name !== 'starred')
            : rows;
        },
      };
      return applySchema(stale);
    });
    assert.deepEqual(result, { created: [], addedColumns: [] });
  });
});
