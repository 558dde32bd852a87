// A workspace for sweeper tests: a real store (pixie.db in a temp dir), an artefacts folder, and helpers that add
// runs and artefacts the way the runner does (file first, then the row with the run's byte total).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/core/store/open';
import type { SqlJsStore } from '../../../src/core/store/engine';
import { initSchema } from '../../../src/core/store/schema';
import { addRunArtefactBytes, finishRun, insertStartedRun, setRunLabel, setRunStarred } from '../../../src/core/store/repositories/runs';
import { insertArtefact, setArtefactLabel, setArtefactStarred, softDeleteArtefact } from '../../../src/core/store/repositories/artefacts';
import type { SweeperSettings } from '../../../src/core/sweeper';

export interface SweepFixture {
  dir: string;
  dbPath: string;
  root: string;
  toolsDir: string;
  store: SqlJsStore;
  settings: SweeperSettings;
  cleanup(): Promise<void>;
}

export async function createSweepFixture(options: { busyTimeoutMs?: number } = {}): Promise<SweepFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-sweep-'));
  const dbPath = path.join(dir, 'pixie.db');
  const root = path.join(dir, 'artefacts');
  const toolsDir = path.join(dir, 'tools');
  fs.mkdirSync(root);
  fs.mkdirSync(toolsDir);
  const store = await openStore({ dbPath, idleCheckpointMs: 60_000, busyTimeoutMs: options.busyTimeoutMs });
  await initSchema(store);
  return {
    dir,
    dbPath,
    root,
    toolsDir,
    store,
    settings: { artefactsRoot: root, dbPath, toolsDir, retainRuns: 100, softDeleteRetentionDays: 7, retentionMaxArtefactBytes: 0 },
    cleanup: async () => {
      try {
        await store.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface RunSpec {
  id: string;
  toolId?: string;
  startedAt: string;
  status?: 'running' | 'ok' | 'error' | 'cancelled';
  starred?: boolean;
  label?: string;
}

export async function addRun(store: SqlJsStore, spec: RunSpec): Promise<void> {
  await store.write((q) => {
    insertStartedRun(q, { id: spec.id, toolId: spec.toolId ?? 'tool-a', startedAt: spec.startedAt, inputsJson: '{"x":1}' });
    const status = spec.status ?? 'ok';
    if (status !== 'running') finishRun(q, spec.id, { status, finishedAt: spec.startedAt });
    if (spec.starred) setRunStarred(q, spec.id, true);
    if (spec.label !== undefined) setRunLabel(q, spec.id, spec.label);
  });
}

export interface ArtefactSpec {
  runId: string;
  toolId?: string;
  name: string;
  bytes?: number;
  /** Point at this rel_path instead of `<tool>/<run>/<name>` (dedup, crafted rows). */
  relPath?: string;
  /** Do not create the file. */
  noFile?: boolean;
  deletedAt?: string;
  starred?: boolean;
  label?: string;
  thumbPath?: string;
  createdAt?: string;
}

/** Writes the file (unless noFile or it exists) and inserts the row; returns the artefact id. */
export async function addArtefact(fx: SweepFixture, spec: ArtefactSpec): Promise<number> {
  const toolId = spec.toolId ?? 'tool-a';
  const relPath = spec.relPath ?? `${toolId}/${spec.runId}/${spec.name}`;
  const bytes = spec.bytes ?? 100;
  if (!spec.noFile && spec.relPath === undefined) {
    const abs = path.join(fx.root, ...relPath.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.alloc(bytes, 7));
  }
  return fx.store.write((q) => {
    const id = insertArtefact(q, {
      runId: spec.runId,
      toolId,
      outputKey: 'out',
      relPath,
      filename: spec.name,
      mime: 'application/octet-stream',
      sizeBytes: bytes,
      sha256: `sha-${relPath}`,
      createdAt: spec.createdAt ?? '2025-01-01T00:00:00.000Z',
      thumbPath: spec.thumbPath ?? null,
    });
    addRunArtefactBytes(q, spec.runId, bytes);
    if (spec.starred) setArtefactStarred(q, id, true);
    if (spec.label !== undefined) setArtefactLabel(q, id, spec.label);
    if (spec.deletedAt !== undefined) softDeleteArtefact(q, id, spec.deletedAt);
    return id;
  });
}

/** ISO time `days` before now. */
export function daysAgo(days: number, from = Date.now()): string {
  return new Date(from - days * 86_400_000).toISOString();
}

/** Makes a file look `hours` old. */
export function ageFile(abs: string, hours: number): void {
  const when = new Date(Date.now() - hours * 3_600_000);
  fs.utimesSync(abs, when, when);
}

/** Every regular file under `dir` (relative, forward slashes), sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else out.push(childRel);
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out.sort();
}

/** Sum of the sizes of every regular file under `dir`. */
export function bytesUnder(dir: string): number {
  let total = 0;
  for (const rel of listFiles(dir)) {
    const stat = fs.lstatSync(path.join(dir, ...rel.split('/')));
    if (stat.isFile()) total += stat.size;
  }
  return total;
}

/** A row written by something other than Pixie (a crafted pixie.db): raw SQL, no validation of rel_path. */
export async function insertCraftedArtefact(
  store: SqlJsStore,
  row: { runId: string; toolId?: string; relPath: string; sizeBytes?: number; thumbPath?: string | null; deletedAt?: string | null },
): Promise<number> {
  return store.write(
    (q) =>
      q.run(
        `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, starred,
           thumb_path, deleted_at) VALUES(?, ?, 'out', ?, 'f', 'application/octet-stream', ?, 'x', '2025-01-01T00:00:00Z', 0, ?, ?)`,
        [row.runId, row.toolId ?? 'tool-a', row.relPath, row.sizeBytes ?? 1, row.thumbPath ?? null, row.deletedAt ?? null],
      ).lastInsertRowid,
  );
}

export interface SeedSpec {
  prefix: string;
  count: number;
  toolId?: string;
  /** Age of the newest run; each further run is one minute older. */
  daysOld: number;
  filesPerRun: number;
  bytes?: (runIndex: number, fileIndex: number) => number;
  /** Rows per transaction. */
  chunk?: number;
}

/** Many finished runs with their files, in a few big transactions (fast setup for the multi-process tests). */
export async function seedRuns(fx: Pick<SweepFixture, 'store' | 'root'>, spec: SeedSpec): Promise<string[]> {
  const toolId = spec.toolId ?? 'tool-a';
  const ids = Array.from({ length: spec.count }, (_, i) => `${spec.prefix}-${String(i).padStart(6, '0')}`);
  const size = spec.bytes ?? ((i: number, f: number) => 64 + ((i + f) % 64));
  const chunk = spec.chunk ?? 500;
  const base = Date.now() - spec.daysOld * 86_400_000;
  for (let start = 0; start < ids.length; start += chunk) {
    const part = ids.slice(start, start + chunk);
    for (let k = 0; k < part.length; k++) {
      const i = start + k;
      const dir = path.join(fx.root, toolId, ids[i]);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < spec.filesPerRun; f++) fs.writeFileSync(path.join(dir, `f${f}.bin`), Buffer.alloc(size(i, f), 5));
    }
    await fx.store.write((q) => {
      for (let k = 0; k < part.length; k++) {
        const i = start + k;
        const id = ids[i];
        const startedAt = new Date(base - i * 60_000).toISOString();
        q.run(
          `INSERT INTO runs(id, tool_id, started_at, finished_at, inputs_json, status, starred, total_artefact_bytes)
           VALUES(?, ?, ?, ?, '{"n":1}', 'ok', 0, 0)`,
          [id, toolId, startedAt, startedAt],
        );
        let total = 0;
        for (let f = 0; f < spec.filesPerRun; f++) {
          const rel = `${toolId}/${id}/f${f}.bin`;
          total += size(i, f);
          q.run(
            `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, starred)
             VALUES(?, ?, 'out', ?, ?, 'application/octet-stream', ?, ?, ?, 0)`,
            [id, toolId, rel, `f${f}.bin`, size(i, f), rel, startedAt],
          );
        }
        q.run('UPDATE runs SET total_artefact_bytes = ? WHERE id = ?', [total, id]);
      }
    });
  }
  return ids;
}

/** The consistency every sweep must leave: each row's file exists, each file under a tool folder has a row. */
export function checkNoOrphans(fx: Pick<SweepFixture, 'store' | 'root'>): { rowsWithoutFile: string[]; filesWithoutRow: string[] } {
  fx.store.refresh();
  const rels = new Set(fx.store.read((q) => q.all<{ rel_path: string }>('SELECT rel_path FROM artefacts')).map((r) => r.rel_path));
  const files = listFiles(fx.root);
  return {
    rowsWithoutFile: [...rels].filter((rel) => !fs.existsSync(path.join(fx.root, ...rel.split('/')))).sort(),
    filesWithoutRow: files.filter((rel) => !rels.has(rel)),
  };
}
