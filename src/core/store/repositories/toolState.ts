// tool_state: per-tool UI and runtime state, one row per tool id. Every setter creates the row first
// (favourited = 0, like the original's helpers), so callers never need to check for it.
import type { ReadQueries, SqlValue, Store, WriteQueries } from '../types';
import { InvalidValueError } from './errors';
import { fromBool, isPlainObject, parseJson, requireInteger, requireNonEmpty, toBool, toNumber } from './values';

/** Per-tool overrides of tool.json values (stored as overrides_json with the original's snake_case keys). */
export interface ToolOverrides {
  max_memory_mb?: number;
  max_runtime_seconds?: number;
  warm_keep_seconds?: number;
  concurrent?: boolean;
}

const OVERRIDE_RANGES: Record<Exclude<keyof ToolOverrides, 'concurrent'>, [number, number]> = {
  max_memory_mb: [64, 65536],
  max_runtime_seconds: [1, 86400],
  warm_keep_seconds: [0, 86400],
};

/** Workspace id (as text, JSON object keys) → position of the tool inside that workspace. */
export type SortOrderInWorkspace = Record<string, number>;

export interface ToolStateRecord {
  toolId: string;
  lastInputsJson: string | null;
  favourited: boolean;
  sortOrder: number | null;
  overridesJson: string | null;
  /** Parsed overrides_json: only known keys with valid types; {} when absent or unreadable. */
  overrides: ToolOverrides;
  archived: boolean;
  pinned: boolean;
  pinnedWarm: boolean;
  discoveryHash: string | null;
  runCountTotal: number;
  diskBytes: number | null;
  lastDiskAudit: string | null;
  lastRunAt: string | null;
  defaultWarmKeepSeconds: number | null;
  pinnedAt: string | null;
  archivedAt: string | null;
  colour: string | null;
  sortOrderInWorkspaceJson: string | null;
  /** Parsed sort_order_in_workspace_json; {} when absent or unreadable. */
  sortOrderInWorkspace: SortOrderInWorkspace;
}

interface ToolStateRow {
  tool_id: string;
  last_inputs_json: string | null;
  favourited: number;
  sort_order: number | null;
  overrides_json: string | null;
  archived: number;
  pinned: number;
  pinned_warm: number;
  discovery_hash: string | null;
  run_count_total: number;
  disk_bytes: number | null;
  last_disk_audit: string | null;
  last_run_at: string | null;
  default_warm_keep_seconds: number | null;
  pinned_at: string | null;
  archived_at: string | null;
  colour: string | null;
  sort_order_in_workspace_json: string | null;
}

const COLUMNS = `tool_id, last_inputs_json, favourited, sort_order, overrides_json, archived, pinned, pinned_warm,
  discovery_hash, run_count_total, disk_bytes, last_disk_audit, last_run_at, default_warm_keep_seconds, pinned_at,
  archived_at, colour, sort_order_in_workspace_json`;

function readOverrides(text: string | null): ToolOverrides {
  const parsed = parseJson(text);
  const result: ToolOverrides = {};
  if (!isPlainObject(parsed)) return result;
  for (const key of Object.keys(OVERRIDE_RANGES) as Array<keyof typeof OVERRIDE_RANGES>) {
    const value = parsed[key];
    if (typeof value === 'number' && Number.isFinite(value)) result[key] = value;
  }
  if (typeof parsed.concurrent === 'boolean') result.concurrent = parsed.concurrent;
  return result;
}

function readSortOrderInWorkspace(text: string | null): SortOrderInWorkspace {
  const parsed = parseJson(text);
  const result: SortOrderInWorkspace = {};
  if (!isPlainObject(parsed)) return result;
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'number' && Number.isFinite(value)) result[key] = value;
  }
  return result;
}

function toRecord(row: ToolStateRow): ToolStateRecord {
  return {
    toolId: row.tool_id,
    lastInputsJson: row.last_inputs_json,
    favourited: toBool(row.favourited),
    sortOrder: toNumber(row.sort_order),
    overridesJson: row.overrides_json,
    overrides: readOverrides(row.overrides_json),
    archived: toBool(row.archived),
    pinned: toBool(row.pinned),
    pinnedWarm: toBool(row.pinned_warm),
    discoveryHash: row.discovery_hash,
    runCountTotal: Number(row.run_count_total ?? 0),
    diskBytes: toNumber(row.disk_bytes),
    lastDiskAudit: row.last_disk_audit,
    lastRunAt: row.last_run_at,
    defaultWarmKeepSeconds: toNumber(row.default_warm_keep_seconds),
    pinnedAt: row.pinned_at,
    archivedAt: row.archived_at,
    colour: row.colour,
    sortOrderInWorkspaceJson: row.sort_order_in_workspace_json,
    sortOrderInWorkspace: readSortOrderInWorkspace(row.sort_order_in_workspace_json),
  };
}

export function getToolState(q: ReadQueries, toolId: string): ToolStateRecord | undefined {
  const row = q.get<ToolStateRow>(`SELECT ${COLUMNS} FROM tool_state WHERE tool_id = ?`, [toolId]);
  return row ? toRecord(row) : undefined;
}

/** What launching a tool takes from its state (runner/launchSpec.ts). */
export type ToolLaunchState = Pick<ToolStateRecord, 'overrides' | 'defaultWarmKeepSeconds' | 'pinnedWarm'>;

/** getToolState's launch fields only: read on every run, so 3 columns rather than all 18. */
export function getToolLaunchState(q: ReadQueries, toolId: string): ToolLaunchState | undefined {
  const row = q.get<Pick<ToolStateRow, 'overrides_json' | 'default_warm_keep_seconds' | 'pinned_warm'>>(
    'SELECT overrides_json, default_warm_keep_seconds, pinned_warm FROM tool_state WHERE tool_id = ?',
    [toolId],
  );
  if (!row) return undefined;
  return {
    overrides: readOverrides(row.overrides_json),
    defaultWarmKeepSeconds: toNumber(row.default_warm_keep_seconds),
    pinnedWarm: toBool(row.pinned_warm),
  };
}

export function listToolStates(q: ReadQueries): ToolStateRecord[] {
  return q.all<ToolStateRow>(`SELECT ${COLUMNS} FROM tool_state ORDER BY tool_id`).map(toRecord);
}

/** Creates the row with defaults if missing; true when it was created. */
export function ensureToolState(q: WriteQueries, toolId: string): boolean {
  requireNonEmpty(toolId, 'tool id');
  return q.run('INSERT OR IGNORE INTO tool_state(tool_id, favourited) VALUES(?, 0)', [toolId]).changes > 0;
}

/** `column = ?` pairs; column names are fixed strings of this module, never caller input. */
function update(q: WriteQueries, toolId: string, values: Record<string, SqlValue>): void {
  ensureToolState(q, toolId);
  const columns = Object.keys(values);
  q.run(`UPDATE tool_state SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE tool_id = ?`, [
    ...columns.map((c) => values[c] ?? null),
    toolId,
  ]);
}

export function setToolLastInputs(q: WriteQueries, toolId: string, lastInputsJson: string | null): void {
  if (lastInputsJson !== null && parseJson(lastInputsJson) === undefined) {
    throw new InvalidValueError(`tool ${toolId}: last inputs are not valid JSON`);
  }
  update(q, toolId, { last_inputs_json: lastInputsJson });
}

export function setToolFavourited(q: WriteQueries, toolId: string, favourited: boolean): void {
  update(q, toolId, { favourited: fromBool(favourited) });
}

export function setToolSortOrder(q: WriteQueries, toolId: string, sortOrder: number | null): void {
  update(q, toolId, { sort_order: sortOrder === null ? null : requireInteger(sortOrder, 'sort order', -1e9, 1e9) });
}

/** Validates ranges (reference §5.2); an empty object or null clears the overrides. */
export function setToolOverrides(q: WriteQueries, toolId: string, overrides: ToolOverrides | null): void {
  const clean: ToolOverrides = {};
  for (const [key, value] of Object.entries(overrides ?? {}) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    if (key === 'concurrent') {
      if (typeof value !== 'boolean') throw new InvalidValueError(`override concurrent must be true or false`);
      clean.concurrent = value;
    } else if (key in OVERRIDE_RANGES) {
      const [min, max] = OVERRIDE_RANGES[key as keyof typeof OVERRIDE_RANGES];
      if (typeof value !== 'number') throw new InvalidValueError(`override ${key} must be a number`);
      clean[key as keyof typeof OVERRIDE_RANGES] = requireInteger(value, `override ${key}`, min, max);
    } else {
      const known = [...Object.keys(OVERRIDE_RANGES), 'concurrent'].join(', ');
      throw new InvalidValueError(`unknown override ${key} (known: ${known})`);
    }
  }
  update(q, toolId, { overrides_json: Object.keys(clean).length === 0 ? null : JSON.stringify(clean) });
}

/** archived_at records when it was archived; cleared on unarchive. */
export function setToolArchived(q: WriteQueries, toolId: string, archived: boolean, at: string): void {
  update(q, toolId, { archived: fromBool(archived), archived_at: archived ? at : null });
}

export function setToolPinned(q: WriteQueries, toolId: string, pinned: boolean, at: string): void {
  update(q, toolId, { pinned: fromBool(pinned), pinned_at: pinned ? at : null });
}

export function setToolPinnedWarm(q: WriteQueries, toolId: string, pinnedWarm: boolean): void {
  update(q, toolId, { pinned_warm: fromBool(pinnedWarm) });
}

export function setToolDiscoveryHash(q: WriteQueries, toolId: string, hash: string | null): void {
  update(q, toolId, { discovery_hash: hash });
}

export function setToolDiskUsage(q: WriteQueries, toolId: string, diskBytes: number, auditedAt: string): void {
  update(q, toolId, { disk_bytes: requireInteger(diskBytes, 'disk bytes', 0), last_disk_audit: auditedAt });
}

export function setToolDefaultWarmKeepSeconds(q: WriteQueries, toolId: string, seconds: number | null): void {
  update(q, toolId, {
    default_warm_keep_seconds: seconds === null ? null : requireInteger(seconds, 'warm keep seconds', 0, 86400),
  });
}

export function setToolColour(q: WriteQueries, toolId: string, colour: string | null): void {
  update(q, toolId, { colour: colour === null || colour.trim() === '' ? null : colour.trim() });
}

/** Replaces the whole map; null or {} clears it. */
export function setToolSortOrderInWorkspace(q: WriteQueries, toolId: string, order: SortOrderInWorkspace | null): void {
  const entries = Object.entries(order ?? {});
  for (const [workspaceId, position] of entries) {
    requireInteger(position, `sort order in workspace ${workspaceId}`, -1e9, 1e9);
  }
  update(q, toolId, { sort_order_in_workspace_json: entries.length === 0 ? null : JSON.stringify(Object.fromEntries(entries)) });
}

/** One more run: run_count_total + 1 and last_run_at = at. */
export function bumpToolRunCounters(q: WriteQueries, toolId: string, at: string): void {
  ensureToolState(q, toolId);
  q.run('UPDATE tool_state SET run_count_total = COALESCE(run_count_total, 0) + 1, last_run_at = ? WHERE tool_id = ?', [
    at,
    toolId,
  ]);
}

/**
 * What a finished run changes in tool_state, as one statement (the row created if missing): run_count_total + 1,
 * last_run_at = at, and last_inputs_json when given. `lastInputsJson` is the JSON.stringify of the run's inputs
 * (not parsed again here: inputs can be large and this runs at the end of every run).
 */
export function recordToolRun(q: WriteQueries, toolId: string, at: string, lastInputsJson?: string): void {
  requireNonEmpty(toolId, 'tool id');
  requireNonEmpty(at, 'last_run_at');
  if (lastInputsJson === undefined) {
    q.run(
      `INSERT INTO tool_state(tool_id, favourited, run_count_total, last_run_at) VALUES(?, 0, 1, ?)
       ON CONFLICT(tool_id) DO UPDATE SET run_count_total = COALESCE(run_count_total, 0) + 1, last_run_at = excluded.last_run_at`,
      [toolId, at],
    );
    return;
  }
  requireNonEmpty(lastInputsJson, 'last inputs');
  q.run(
    `INSERT INTO tool_state(tool_id, favourited, run_count_total, last_run_at, last_inputs_json) VALUES(?, 0, 1, ?, ?)
     ON CONFLICT(tool_id) DO UPDATE SET run_count_total = COALESCE(run_count_total, 0) + 1, last_run_at = excluded.last_run_at,
       last_inputs_json = excluded.last_inputs_json`,
    [toolId, at, lastInputsJson],
  );
}

export class ToolStateRepository {
  constructor(private readonly store: Store) {}

  get(toolId: string): ToolStateRecord | undefined {
    return this.store.read((q) => getToolState(q, toolId));
  }

  list(): ToolStateRecord[] {
    return this.store.read(listToolStates);
  }

  ensure(toolId: string): Promise<boolean> {
    return this.store.write((q) => ensureToolState(q, toolId));
  }

  setLastInputs(toolId: string, lastInputsJson: string | null): Promise<void> {
    return this.store.write((q) => setToolLastInputs(q, toolId, lastInputsJson));
  }

  setFavourited(toolId: string, favourited: boolean): Promise<void> {
    return this.store.write((q) => setToolFavourited(q, toolId, favourited));
  }

  setSortOrder(toolId: string, sortOrder: number | null): Promise<void> {
    return this.store.write((q) => setToolSortOrder(q, toolId, sortOrder));
  }

  setOverrides(toolId: string, overrides: ToolOverrides | null): Promise<void> {
    return this.store.write((q) => setToolOverrides(q, toolId, overrides));
  }

  setArchived(toolId: string, archived: boolean, at: string): Promise<void> {
    return this.store.write((q) => setToolArchived(q, toolId, archived, at));
  }

  setPinned(toolId: string, pinned: boolean, at: string): Promise<void> {
    return this.store.write((q) => setToolPinned(q, toolId, pinned, at));
  }

  setPinnedWarm(toolId: string, pinnedWarm: boolean): Promise<void> {
    return this.store.write((q) => setToolPinnedWarm(q, toolId, pinnedWarm));
  }

  setDiscoveryHash(toolId: string, hash: string | null): Promise<void> {
    return this.store.write((q) => setToolDiscoveryHash(q, toolId, hash));
  }

  setDiskUsage(toolId: string, diskBytes: number, auditedAt: string): Promise<void> {
    return this.store.write((q) => setToolDiskUsage(q, toolId, diskBytes, auditedAt));
  }

  setDefaultWarmKeepSeconds(toolId: string, seconds: number | null): Promise<void> {
    return this.store.write((q) => setToolDefaultWarmKeepSeconds(q, toolId, seconds));
  }

  setColour(toolId: string, colour: string | null): Promise<void> {
    return this.store.write((q) => setToolColour(q, toolId, colour));
  }

  setSortOrderInWorkspace(toolId: string, order: SortOrderInWorkspace | null): Promise<void> {
    return this.store.write((q) => setToolSortOrderInWorkspace(q, toolId, order));
  }

  bumpRunCounters(toolId: string, at: string): Promise<void> {
    return this.store.write((q) => bumpToolRunCounters(q, toolId, at));
  }
}
