// pixie.db schema: the nine tables of the seed (storage-and-runs.md), details from the original Pixie's db.py
// (reference §5.2) so a file stays readable and writable by both. Tables are created in their BASE shape and
// later columns are added with ALTER TABLE, exactly how a db made by an older version gets upgraded.
// Unknown tables (the original's `archive_log`, the engine's `pixie_meta`) are never touched, and an existing
// table is never rebuilt: the newest original's artefacts table (UNIQUE(rel_path), ON DELETE CASCADE) stays as is.
import type { ReadQueries, Store, WriteQueries } from './types';

/** One column as `PRAGMA table_info` reports it. `dflt` is the default's SQL text (e.g. `'0'`), or null. */
export interface ColumnInfo {
  name: string;
  type: string;
  notnull: boolean;
  dflt: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
}

export const TABLE_NAMES = [
  'settings',
  'runs',
  'validation_reports',
  'tool_state',
  'artefacts',
  'workspaces',
  'tool_workspaces',
  'tool_tags',
  'validate_jobs',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

const BASE_TABLES: Record<TableName, string> = {
  settings: `CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
)`,
  runs: `CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  tool_id TEXT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  inputs_json TEXT NOT NULL,
  outputs_json TEXT,
  error_text TEXT,
  status TEXT NOT NULL
)`,
  validation_reports: `CREATE TABLE IF NOT EXISTS validation_reports (
  tool_id TEXT NOT NULL,
  timestamp TIMESTAMP NOT NULL,
  overall TEXT NOT NULL,
  report_json TEXT NOT NULL,
  PRIMARY KEY (tool_id, timestamp)
)`,
  tool_state: `CREATE TABLE IF NOT EXISTS tool_state (
  tool_id TEXT PRIMARY KEY,
  last_inputs_json TEXT,
  favourited INTEGER NOT NULL DEFAULT 0,
  sort_order INTEGER
)`,
  // The seed's shape: no UNIQUE(rel_path) (with dedup several rows share one file) and no cascade
  // (deleting a run deletes its artefact rows explicitly, see repositories/runs.ts).
  artefacts: `CREATE TABLE IF NOT EXISTS artefacts (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  tool_id TEXT NOT NULL,
  output_key TEXT NOT NULL,
  rel_path TEXT NOT NULL,
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  starred INTEGER NOT NULL DEFAULT 0,
  label TEXT,
  tags TEXT,
  thumb_path TEXT,
  deleted_at TIMESTAMP,
  FOREIGN KEY (run_id) REFERENCES runs(id)
)`,
  workspaces: `CREATE TABLE IF NOT EXISTS workspaces (
  id INTEGER PRIMARY KEY,
  name TEXT UNIQUE NOT NULL,
  colour TEXT,
  sort_order INTEGER NOT NULL DEFAULT 0,
  collapsed INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL
)`,
  tool_workspaces: `CREATE TABLE IF NOT EXISTS tool_workspaces (
  tool_id TEXT NOT NULL,
  workspace_id INTEGER NOT NULL,
  added_at TIMESTAMP NOT NULL,
  PRIMARY KEY (tool_id, workspace_id),
  FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
)`,
  tool_tags: `CREATE TABLE IF NOT EXISTS tool_tags (
  tool_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (tool_id, tag)
)`,
  validate_jobs: `CREATE TABLE IF NOT EXISTS validate_jobs (
  id TEXT PRIMARY KEY,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status TEXT NOT NULL,
  total INTEGER NOT NULL,
  completed INTEGER NOT NULL DEFAULT 0,
  passed INTEGER NOT NULL DEFAULT 0,
  warned INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  details_json TEXT
)`,
};

/** Columns added after the first release, in the order the original applies them. */
const MIGRATED_COLUMNS: ReadonlyArray<{ table: TableName; column: string; definition: string }> = [
  { table: 'tool_state', column: 'overrides_json', definition: 'TEXT' },
  { table: 'tool_state', column: 'archived', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'tool_state', column: 'pinned', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'tool_state', column: 'pinned_warm', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'tool_state', column: 'discovery_hash', definition: 'TEXT' },
  { table: 'tool_state', column: 'run_count_total', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'tool_state', column: 'disk_bytes', definition: 'INTEGER' },
  { table: 'tool_state', column: 'last_disk_audit', definition: 'TIMESTAMP' },
  { table: 'tool_state', column: 'last_run_at', definition: 'TIMESTAMP' },
  { table: 'tool_state', column: 'default_warm_keep_seconds', definition: 'INTEGER' },
  { table: 'tool_state', column: 'pinned_at', definition: 'TIMESTAMP' },
  { table: 'tool_state', column: 'archived_at', definition: 'TIMESTAMP' },
  { table: 'tool_state', column: 'colour', definition: 'TEXT' },
  { table: 'tool_state', column: 'sort_order_in_workspace_json', definition: 'TEXT' },
  { table: 'runs', column: 'starred', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'runs', column: 'label', definition: 'TEXT' },
  { table: 'runs', column: 'total_artefact_bytes', definition: 'INTEGER NOT NULL DEFAULT 0' },
  { table: 'runs', column: 'meta_json', definition: 'TEXT' },
];

/** Indexes of reference §5.2 (newest original included) plus two of ours. Created after the migrations: some use
 *  migrated columns. */
const INDEXES: ReadonlyArray<{ name: string; table: TableName; sql: string }> = [
  { name: 'idx_runs_tool', table: 'runs', sql: 'CREATE INDEX IF NOT EXISTS idx_runs_tool ON runs(tool_id, started_at DESC)' },
  { name: 'idx_runs_started', table: 'runs', sql: 'CREATE INDEX IF NOT EXISTS idx_runs_started ON runs(started_at DESC)' },
  { name: 'idx_runs_status', table: 'runs', sql: 'CREATE INDEX IF NOT EXISTS idx_runs_status ON runs(status)' },
  {
    name: 'idx_runs_starred',
    table: 'runs',
    sql: 'CREATE INDEX IF NOT EXISTS idx_runs_starred ON runs(starred) WHERE starred = 1',
  },
  {
    name: 'idx_runs_label',
    table: 'runs',
    sql: 'CREATE INDEX IF NOT EXISTS idx_runs_label ON runs(label) WHERE label IS NOT NULL',
  },
  {
    name: 'idx_validation_latest',
    table: 'validation_reports',
    sql: 'CREATE INDEX IF NOT EXISTS idx_validation_latest ON validation_reports(tool_id, timestamp DESC)',
  },
  {
    name: 'idx_tool_state_archived',
    table: 'tool_state',
    sql: 'CREATE INDEX IF NOT EXISTS idx_tool_state_archived ON tool_state(archived)',
  },
  {
    name: 'idx_tool_state_pinned',
    table: 'tool_state',
    sql: 'CREATE INDEX IF NOT EXISTS idx_tool_state_pinned ON tool_state(pinned)',
  },
  { name: 'idx_artefacts_run', table: 'artefacts', sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_run ON artefacts(run_id)' },
  {
    name: 'idx_artefacts_tool',
    table: 'artefacts',
    sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_tool ON artefacts(tool_id, created_at DESC)',
  },
  {
    name: 'idx_artefacts_starred',
    table: 'artefacts',
    sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_starred ON artefacts(starred) WHERE starred = 1',
  },
  {
    name: 'idx_artefacts_deleted',
    table: 'artefacts',
    sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_deleted ON artefacts(deleted_at)',
  },
  { name: 'idx_artefacts_label', table: 'artefacts', sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_label ON artefacts(label)' },
  // Ours, not the original's: the sweeper asks "is this file still referenced?" for every purged row, and the
  // artefact browser lists newest first across tools; without these both scan the whole table (~10 ms and ~60 ms
  // at 24k rows). The original ignores indexes it does not know.
  {
    name: 'idx_artefacts_rel_path',
    table: 'artefacts',
    sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_rel_path ON artefacts(rel_path)',
  },
  {
    name: 'idx_artefacts_created',
    table: 'artefacts',
    sql: 'CREATE INDEX IF NOT EXISTS idx_artefacts_created ON artefacts(created_at DESC)',
  },
  { name: 'idx_tool_tags_tag', table: 'tool_tags', sql: 'CREATE INDEX IF NOT EXISTS idx_tool_tags_tag ON tool_tags(tag)' },
  {
    name: 'idx_validate_jobs_status',
    table: 'validate_jobs',
    sql: 'CREATE INDEX IF NOT EXISTS idx_validate_jobs_status ON validate_jobs(status)',
  },
];

export const INDEX_NAMES: readonly string[] = INDEXES.map((index) => index.name);

const col = (name: string, type: string, notnull: boolean, dflt: string | null, pk = 0): ColumnInfo => ({
  name,
  type,
  notnull,
  dflt,
  pk,
});

/** The full shape after migrations, written from the seed and §5.2 (independently of the DDL above, so tests
 *  comparing `PRAGMA table_info` against it catch a typo in either). Column order = a fresh db's order. */
export const EXPECTED_COLUMNS: Readonly<Record<TableName, readonly ColumnInfo[]>> = {
  settings: [col('key', 'TEXT', false, null, 1), col('value', 'TEXT', true, null)],
  runs: [
    col('id', 'TEXT', false, null, 1),
    col('tool_id', 'TEXT', true, null),
    col('started_at', 'TIMESTAMP', true, null),
    col('finished_at', 'TIMESTAMP', false, null),
    col('inputs_json', 'TEXT', true, null),
    col('outputs_json', 'TEXT', false, null),
    col('error_text', 'TEXT', false, null),
    col('status', 'TEXT', true, null),
    col('starred', 'INTEGER', true, '0'),
    col('label', 'TEXT', false, null),
    col('total_artefact_bytes', 'INTEGER', true, '0'),
    col('meta_json', 'TEXT', false, null),
  ],
  validation_reports: [
    col('tool_id', 'TEXT', true, null, 1),
    col('timestamp', 'TIMESTAMP', true, null, 2),
    col('overall', 'TEXT', true, null),
    col('report_json', 'TEXT', true, null),
  ],
  tool_state: [
    col('tool_id', 'TEXT', false, null, 1),
    col('last_inputs_json', 'TEXT', false, null),
    col('favourited', 'INTEGER', true, '0'),
    col('sort_order', 'INTEGER', false, null),
    col('overrides_json', 'TEXT', false, null),
    col('archived', 'INTEGER', true, '0'),
    col('pinned', 'INTEGER', true, '0'),
    col('pinned_warm', 'INTEGER', true, '0'),
    col('discovery_hash', 'TEXT', false, null),
    col('run_count_total', 'INTEGER', true, '0'),
    col('disk_bytes', 'INTEGER', false, null),
    col('last_disk_audit', 'TIMESTAMP', false, null),
    col('last_run_at', 'TIMESTAMP', false, null),
    col('default_warm_keep_seconds', 'INTEGER', false, null),
    col('pinned_at', 'TIMESTAMP', false, null),
    col('archived_at', 'TIMESTAMP', false, null),
    col('colour', 'TEXT', false, null),
    col('sort_order_in_workspace_json', 'TEXT', false, null),
  ],
  artefacts: [
    col('id', 'INTEGER', false, null, 1),
    col('run_id', 'TEXT', true, null),
    col('tool_id', 'TEXT', true, null),
    col('output_key', 'TEXT', true, null),
    col('rel_path', 'TEXT', true, null),
    col('filename', 'TEXT', true, null),
    col('mime', 'TEXT', true, null),
    col('size_bytes', 'INTEGER', true, null),
    col('sha256', 'TEXT', true, null),
    col('created_at', 'TIMESTAMP', true, null),
    col('starred', 'INTEGER', true, '0'),
    col('label', 'TEXT', false, null),
    col('tags', 'TEXT', false, null),
    col('thumb_path', 'TEXT', false, null),
    col('deleted_at', 'TIMESTAMP', false, null),
  ],
  workspaces: [
    col('id', 'INTEGER', false, null, 1),
    col('name', 'TEXT', true, null),
    col('colour', 'TEXT', false, null),
    col('sort_order', 'INTEGER', true, '0'),
    col('collapsed', 'INTEGER', true, '0'),
    col('created_at', 'TIMESTAMP', true, null),
  ],
  tool_workspaces: [
    col('tool_id', 'TEXT', true, null, 1),
    col('workspace_id', 'INTEGER', true, null, 2),
    col('added_at', 'TIMESTAMP', true, null),
  ],
  tool_tags: [col('tool_id', 'TEXT', true, null, 1), col('tag', 'TEXT', true, null, 2)],
  validate_jobs: [
    col('id', 'TEXT', false, null, 1),
    col('started_at', 'TIMESTAMP', true, null),
    col('finished_at', 'TIMESTAMP', false, null),
    col('status', 'TEXT', true, null),
    col('total', 'INTEGER', true, null),
    col('completed', 'INTEGER', true, '0'),
    col('passed', 'INTEGER', true, '0'),
    col('warned', 'INTEGER', true, '0'),
    col('failed', 'INTEGER', true, '0'),
    col('details_json', 'TEXT', false, null),
  ],
};

/** What `applySchema` would do on this db; all empty = the schema is complete. */
export interface SchemaPlan {
  missingTables: TableName[];
  /** `table.column`, in migration order. */
  missingColumns: string[];
  missingIndexes: string[];
}

export interface SchemaInitResult {
  /** Tables and indexes created (index names start with `idx_`). */
  created: string[];
  /** Columns added, as `table.column`. */
  addedColumns: string[];
}

interface TableInfoRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

/** `PRAGMA table_info` of one table, [] when it does not exist. */
export function readTableColumns(q: ReadQueries, table: string): ColumnInfo[] {
  const rows = q.all<TableInfoRow>(
    'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid',
    [table],
  );
  return rows.map((row) => col(row.name, row.type, row.notnull === 1, row.dflt_value, row.pk));
}

/** Read-only: compare the db with the expected schema. */
export function planSchema(q: ReadQueries): SchemaPlan {
  const objects = q.all<{ type: string; name: string }>(
    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')",
  );
  const tables = new Set(objects.filter((o) => o.type === 'table').map((o) => o.name));
  const indexes = new Set(objects.filter((o) => o.type === 'index').map((o) => o.name));

  const missingTables = TABLE_NAMES.filter((table) => !tables.has(table));
  const columnsByTable = new Map<string, Set<string>>();
  const missingColumns: string[] = [];
  for (const migration of MIGRATED_COLUMNS) {
    let present = columnsByTable.get(migration.table);
    if (!present) {
      present = new Set(readTableColumns(q, migration.table).map((c) => c.name));
      columnsByTable.set(migration.table, present);
    }
    if (!present.has(migration.column)) missingColumns.push(`${migration.table}.${migration.column}`);
  }
  const missingIndexes = INDEXES.filter((index) => !indexes.has(index.name)).map((index) => index.name);
  return { missingTables, missingColumns, missingIndexes };
}

function isEmptyPlan(plan: SchemaPlan): boolean {
  return plan.missingTables.length === 0 && plan.missingColumns.length === 0 && plan.missingIndexes.length === 0;
}

function isDuplicateColumnError(error: unknown): boolean {
  return error instanceof Error && /duplicate column name/i.test(error.message);
}

/** Synchronous, inside a write transaction: create what is missing, in the order base tables → migrated
 *  columns → indexes. Re-plans inside the transaction, so statements are issued only for what is missing now. */
export function applySchema(q: WriteQueries): SchemaInitResult {
  const plan = planSchema(q);
  const created: string[] = [];
  const addedColumns: string[] = [];
  for (const table of plan.missingTables) {
    q.run(BASE_TABLES[table]);
    created.push(table);
  }
  const missingColumns = new Set(plan.missingColumns);
  // A table created just now has only its base columns: every migration for it applies.
  for (const migration of MIGRATED_COLUMNS) {
    const key = `${migration.table}.${migration.column}`;
    if (!missingColumns.has(key)) continue;
    try {
      q.run(`ALTER TABLE ${migration.table} ADD COLUMN ${migration.column} ${migration.definition}`);
      addedColumns.push(key);
    } catch (error) {
      // Another writer may have added it between our read and this statement; anything else is real.
      if (!isDuplicateColumnError(error)) throw error;
    }
  }
  const missingIndexes = new Set(plan.missingIndexes);
  for (const index of INDEXES) {
    if (!missingIndexes.has(index.name)) continue;
    q.run(index.sql);
    created.push(index.name);
  }
  return { created, addedColumns };
}

/** Bring the db up to the current schema. Writes nothing (no transaction at all) when it is already complete. */
export async function initSchema(store: Store): Promise<SchemaInitResult> {
  const plan = store.read(planSchema);
  if (isEmptyPlan(plan)) return { created: [], addedColumns: [] };
  return store.write(applySchema);
}
