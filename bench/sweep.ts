// bench/sweep: `pixie sweep --older-than 30d` over 10k runs with 20k artefacts (small files): the dry run, the apply,
// and how long another process's writes wait for the lock during the apply. Each measure runs side by side, in the same
// process and on an identical copy of the workspace, with a baseline that does the same deletion the plain native way:
//   dry run  — one better-sqlite3 query of the same candidate set (old, not starred/labelled/running, no pinned
//              artefact; their artefact rows) plus a plain recursive readdir of artefacts/;
//   apply    — that query, one better-sqlite3 transaction deleting the same rows, then fs.rm of the same files and
//              rmdir of the same run folders (32 at a time, as ours);
//   lock     — another process writing every 20 ms through native SQLite (BEGIN IMMEDIATE) during the native apply.
//   floor    — only the unlink of the same files and rmdir of the same folders (32 in flight, no db, no checks), on a
//              third identical copy: what this disk allows at all. Every copy is written back (sync) before the
//              applies, as 30-day-old runs are: deleting a file whose blocks are on disk costs several times more
//              (freeing the blocks; with `-o discard` a discard each) than deleting one still in the page cache.
// The baseline skips what the sweep must do besides: re-checking every run inside each transaction, the unlink journal,
// the lease, refusing symlinks and paths outside artefacts/ (an lstat per folder and file), dedup reference counts,
// and housekeeping (the dry run also lists orphans and rows whose file is gone). The targets (dry run ≤ 500 ms,
// apply ≤ 3 s, no wait over 100 ms) are printed beside the baseline.
// Run: node --import tsx bench/sweep.ts [--runs N] [--trials N] [--no-save]   → bench/results/sweep.json
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/core/store/open';
import { initSchema } from '../src/core/store/schema';
import type { SqlJsStore } from '../src/core/store/engine';
import { applyPlan, planManualSweep, type SweeperSettings, type SweepPlan } from '../src/core/sweeper';
import { mapConcurrent } from '../src/core/sweeper/fileRemoval';
import { startSweeperWorker } from '../test/integration/helpers/sweeperWorkerProcess';
import { loadNativeSqlite, type NativeDatabase } from './lib/nativeSqlite';
import { startLineChild } from './lib/process';
import { formatTable, row, writeResults, type BenchRow } from './lib/results';
import { median, summarize } from './lib/stats';

function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RUNS = argValue('--runs', 10_000);
const FILES_PER_RUN = 2;
const TRIALS = argValue('--trials', 3);
const DRY_RUN_REPEATS = 3;
const TOOLS = ['whisper-transcription', 'image-gen', 'csv-clean', 'summarise', 'chart'];
const OLDER_THAN = 30 * 86_400;
const PROBE_INTERVAL_MS = 20;
/** Files (and then folders) in flight at once in the baseline apply: the sweep's own FILE_CONCURRENCY. */
const BASELINE_FS_CONCURRENCY = 32;
const TARGETS = { dryRunMs: 500, applyMs: 3_000, lockWaitMs: 100 };
const Native = loadNativeSqlite();

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall and CPU (all threads of this process: libuv's pool included) of `fn`. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started, cpuMs: cpuMs(process.cpuUsage(cpu)) };
}

/** 10k finished runs 31–38 days old, two small files each, written as the runner would leave them. */
async function seed(store: SqlJsStore, root: string): Promise<number> {
  const base = Date.now() - 31 * 86_400_000;
  let bytes = 0;
  const chunk = 1_000;
  for (let start = 0; start < RUNS; start += chunk) {
    const rows: Array<{ id: string; tool: string; startedAt: string; files: Array<{ rel: string; size: number }> }> = [];
    for (let i = start; i < Math.min(RUNS, start + chunk); i++) {
      const tool = TOOLS[i % TOOLS.length];
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const dir = path.join(root, tool, id);
      fs.mkdirSync(dir, { recursive: true });
      const files = [];
      for (let f = 0; f < FILES_PER_RUN; f++) {
        const size = 100 + ((i * 31 + f * 17) % 400);
        const name = f === 0 ? 'output.json' : 'chart.png';
        fs.writeFileSync(path.join(dir, name), Buffer.alloc(size, 1));
        files.push({ rel: `${tool}/${id}/${name}`, size });
        bytes += size;
      }
      rows.push({ id, tool, startedAt: new Date(base - i * 60_000).toISOString(), files });
    }
    await store.write((q) => {
      for (const row of rows) {
        const total = row.files.reduce((sum, f) => sum + f.size, 0);
        q.run(
          `INSERT INTO runs(id, tool_id, started_at, finished_at, inputs_json, outputs_json, status, starred, total_artefact_bytes)
           VALUES(?, ?, ?, ?, ?, ?, 'ok', 0, ?)`,
          [row.id, row.tool, row.startedAt, row.startedAt, '{"run_id":"x","inputs":{"prompt":"a short prompt"}}', '{"ok":true}', total],
        );
        for (const file of row.files) {
          q.run(
            `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, starred)
             VALUES(?, ?, 'out', ?, ?, 'application/octet-stream', ?, ?, ?, 0)`,
            [row.id, row.tool, file.rel, path.basename(file.rel), file.size, file.rel, row.startedAt],
          );
        }
      }
    });
  }
  // Folded into pixie.db, so native SQLite (the baseline) sees every row.
  await store.checkpoint();
  return bytes;
}

function bytesOnDisk(dir: string): number {
  let total = 0;
  const walk = (abs: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) total += fs.statSync(child).size;
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return total;
}

interface Candidates {
  runs: Array<{ id: string; tool_id: string }>;
  files: Array<{ rel_path: string; size_bytes: number }>;
}

/** The sweep's candidate set in plain SQL: old runs, not running/starred/labelled, holding no live pinned artefact. */
const CANDIDATE_RUNS = `SELECT r.id, r.tool_id FROM runs r WHERE r.started_at < ? AND r.status <> 'running' AND r.starred = 0
  AND r.label IS NULL AND NOT EXISTS (SELECT 1 FROM artefacts a WHERE a.run_id = r.id AND a.deleted_at IS NULL
  AND (a.starred = 1 OR a.label IS NOT NULL))`;

function nativeCandidates(db: NativeDatabase, cutoff: string): Candidates {
  const runs = db.prepare(CANDIDATE_RUNS).all(cutoff) as Candidates['runs'];
  const files = db
    .prepare(`SELECT a.rel_path, a.size_bytes FROM artefacts a WHERE a.run_id IN (SELECT r.id FROM (${CANDIDATE_RUNS}) r)`)
    .all(cutoff) as Candidates['files'];
  return { runs, files };
}

/** Baseline dry run: the candidate query and a plain recursive readdir of the artefacts folder. */
function nativeDryRun(db: NativeDatabase, root: string, cutoff: string): { candidates: Candidates; walked: number } {
  const candidates = nativeCandidates(db, cutoff);
  const walked = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  return { candidates, walked };
}

/** Baseline apply: the candidate query, one native transaction deleting the rows, then fs.rm of files and folders. */
async function nativeApply(dbPath: string, root: string, cutoff: string): Promise<{ runs: number; bytes: number }> {
  const db = new Native(dbPath, { timeout: 30_000 });
  try {
    const { runs, files } = nativeCandidates(db, cutoff);
    const ids = JSON.stringify(runs.map((run) => run.id));
    db.transaction(() => {
      db.prepare('DELETE FROM artefacts WHERE run_id IN (SELECT value FROM json_each(?))').run(ids);
      db.prepare('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))').run(ids);
    })();
    await mapConcurrent(files, BASELINE_FS_CONCURRENCY, (file) => fs.promises.rm(path.join(root, file.rel_path)));
    await mapConcurrent(runs, BASELINE_FS_CONCURRENCY, (run) => fs.promises.rmdir(path.join(root, run.tool_id, run.id)));
    return { runs: runs.length, bytes: files.reduce((sum, file) => sum + file.size_bytes, 0) };
  } finally {
    db.close();
  }
}

/** Every file and folder under `root`, deepest folders last (listed outside the timed part). */
function listTree(root: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const abs = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) dirs.push(abs);
    else files.push(abs);
  }
  dirs.sort((a, b) => b.split(path.sep).length - a.split(path.sep).length);
  return { files, dirs };
}

const unlinkCallback = (abs: string) => new Promise<void>((resolve, reject) => fs.unlink(abs, (e) => (e ? reject(e) : resolve())));
const rmdirCallback = (abs: string) => new Promise<void>((resolve, reject) => fs.rmdir(abs, (e) => (e ? reject(e) : resolve())));

/** The floor: the run folders' files unlinked and the run folders removed, nothing else (tool folders stay). */
async function floorApply(root: string): Promise<number> {
  const { files, dirs } = listTree(root);
  const runDirs = dirs.filter((dir) => path.dirname(path.dirname(dir)) === root);
  const { ms } = await timed(async () => {
    await mapConcurrent(files, BASELINE_FS_CONCURRENCY, unlinkCallback);
    await mapConcurrent(runDirs, BASELINE_FS_CONCURRENCY, rmdirCallback);
  });
  if (files.length !== RUNS * FILES_PER_RUN || runDirs.length !== RUNS) throw new Error(`floor: ${files.length} files, ${runDirs.length} run folders`);
  return ms;
}

/** The "wait <ms> <asked at>" lines of a probe, for writes asked for during [from, to]. */
function waitsBetween(lines: readonly string[], from: number, to: number): number[] {
  return lines
    .filter((line) => line.startsWith('wait '))
    .map((line) => line.split(' ').map(Number))
    .filter(([, , askedAt]) => askedAt >= from - 50 && askedAt <= to)
    .map(([, waited]) => waited);
}

interface Side {
  dryRunMs: number[];
  dryRunCpuMs: number[];
  applyMs: number;
  applyCpuMs: number;
  waits: number[];
}

interface Trial {
  ours: Side & { batches: number; bytesReported: number; bytesFreed: number };
  base: Side;
  floorMs: number;
}

function sameCandidates(plan: SweepPlan, native: Candidates): void {
  const ours = plan.runs.map((run) => run.id).sort();
  const theirs = native.runs.map((run) => run.id).sort();
  const files = new Set(plan.files.map((file) => file.relPath));
  if (ours.length !== theirs.length || ours.some((id, i) => id !== theirs[i]) || native.files.some((file) => !files.has(file.rel_path))) {
    throw new Error(`the baseline's candidate set differs from the plan (${theirs.length} vs ${ours.length} runs)`);
  }
}

type ApplySide = Pick<Side, 'applyMs' | 'applyCpuMs' | 'waits'>;

async function oursApply(
  store: SqlJsStore,
  settings: SweeperSettings,
  seeded: number,
): Promise<ApplySide & Pick<Trial['ours'], 'batches' | 'bytesReported' | 'bytesFreed'>> {
  // Another process writing every 20 ms the whole time (a VS Code window recording runs).
  const probe = startSweeperWorker({ mode: 'probe', dbPath: settings.dbPath, durationMs: 600_000, intervalMs: PROBE_INTERVAL_MS });
  await probe.waitFor((line) => line.startsWith('wait '));
  await sleep(200);
  const from = Date.now();
  let batches = 0;
  const run = await timed(async () => {
    const plan = await planManualSweep({ store, settings, olderThanSeconds: OLDER_THAN });
    return applyPlan(plan, { store, settings, onProgress: (p) => (batches += p.phase === 'runs' ? 1 : 0) });
  });
  const to = Date.now();
  await sleep(200);
  probe.kill('SIGTERM');
  await probe.exited;
  const waits = waitsBetween(probe.lines, from, to);
  if (waits.length < 5) throw new Error(`the probe wrote only ${waits.length} times during the apply`);
  const left = store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n) ?? -1;
  const bytesFreed = seeded - bytesOnDisk(settings.artefactsRoot);
  if (left !== 0 || run.value.totals.bytes !== bytesFreed) {
    throw new Error(`apply incomplete: ${left} runs left, reported ${run.value.totals.bytes} B, freed ${bytesFreed} B`);
  }
  return { applyMs: run.ms, applyCpuMs: run.cpuMs, waits, batches, bytesReported: run.value.totals.bytes, bytesFreed };
}

async function baseApply(dbPath: string, root: string, seeded: number): Promise<ApplySide> {
  const probe = startLineChild(path.join(__dirname, 'lib/nativeWriteProbe.ts'), [dbPath, '600000', String(PROBE_INTERVAL_MS)]);
  await probe.waitFor((line) => line.startsWith('wait '));
  await sleep(200);
  const from = Date.now();
  const run = await timed(() => nativeApply(dbPath, root, new Date(Date.now() - OLDER_THAN * 1000).toISOString()));
  const to = Date.now();
  await sleep(200);
  await probe.stop();
  const waits = waitsBetween(probe.lines, from, to);
  if (waits.length < 2) throw new Error(`the native probe wrote only ${waits.length} times during the baseline apply`);
  if (run.value.runs !== RUNS || run.value.bytes !== seeded || bytesOnDisk(root) !== 0) throw new Error('baseline apply incomplete');
  return { applyMs: run.ms, applyCpuMs: run.cpuMs, waits };
}

async function trial(index: number): Promise<Trial> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-bench-sweep-'));
  try {
    const ws = (name: string) => ({ dbPath: path.join(dir, name, 'pixie.db'), root: path.join(dir, name, 'artefacts') });
    const a = ws('ours');
    const b = ws('baseline');
    const settings: SweeperSettings = {
      artefactsRoot: a.root,
      dbPath: a.dbPath,
      toolsDir: path.join(dir, 'tools'),
      retainRuns: 100,
      softDeleteRetentionDays: 7,
      retentionMaxArtefactBytes: 0,
    };
    fs.mkdirSync(path.dirname(a.dbPath), { recursive: true });
    const seeding = await openStore({ dbPath: a.dbPath, idleCheckpointMs: 60_000 });
    await initSchema(seeding);
    const seeded = await seed(seeding, a.root);
    await seeding.close();
    // The baseline's workspace: an identical copy (db and files).
    fs.cpSync(path.join(dir, 'ours'), path.join(dir, 'baseline'), { recursive: true });
    fs.cpSync(path.join(dir, 'ours', 'artefacts'), path.join(dir, 'floor'), { recursive: true });
    execFileSync('sync');

    // Dry runs, alternating ours and the baseline on workspace A, after one warm-up each. As `pixie sweep` does: an
    // open store, then the plan (loading the store is the store's own cost, in its bench).
    const store = await openStore({ dbPath: a.dbPath, idleCheckpointMs: 60_000, busyTimeoutMs: 30_000 });
    const native = new Native(a.dbPath, { readonly: true });
    const ours: Trial['ours'] = { dryRunMs: [], dryRunCpuMs: [], applyMs: 0, applyCpuMs: 0, waits: [], batches: 0, bytesReported: 0, bytesFreed: 0 };
    const base: Side = { dryRunMs: [], dryRunCpuMs: [], applyMs: 0, applyCpuMs: 0, waits: [] };
    try {
      const cutoff = () => new Date(Date.now() - OLDER_THAN * 1000).toISOString();
      sameCandidates(await planManualSweep({ store, settings, olderThanSeconds: OLDER_THAN }), nativeDryRun(native, a.root, cutoff()).candidates);
      for (let i = 0; i < DRY_RUN_REPEATS; i++) {
        const plan = await timed(() => planManualSweep({ store, settings, olderThanSeconds: OLDER_THAN }));
        const baseline = await timed(() => nativeDryRun(native, a.root, cutoff()));
        if (plan.value.totals.runs !== RUNS || plan.value.totals.files !== RUNS * FILES_PER_RUN || baseline.value.walked !== RUNS * FILES_PER_RUN) {
          throw new Error(`unexpected plan: ${JSON.stringify(plan.value.totals)}; baseline walked ${baseline.value.walked} files`);
        }
        ours.dryRunMs.push(plan.ms);
        ours.dryRunCpuMs.push(plan.cpuMs);
        base.dryRunMs.push(baseline.ms);
        base.dryRunCpuMs.push(baseline.cpuMs);
      }
    } finally {
      native.close();
    }

    // The applies, one after the other (each with its own other writer); which goes first alternates by trial.
    const runOurs = async () => Object.assign(ours, await oursApply(store, settings, seeded));
    const runBase = async () => Object.assign(base, await baseApply(b.dbPath, b.root, seeded));
    if (index % 2 === 0) {
      await runOurs();
      await runBase();
    } else {
      await runBase();
      await runOurs();
    }
    const floorMs = await floorApply(path.join(dir, 'floor'));
    await store.close();
    return { ours, base, floorMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (values: number[]) => values.map((ms) => ms.toFixed(0)).join('/');

async function main(): Promise<void> {
  const trials: Trial[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const result = await trial(t);
    const { ours, base } = result;
    trials.push(result);
    console.log(
      `trial ${t + 1}: dry run ${fmt(ours.dryRunMs)} ms (CPU ${fmt(ours.dryRunCpuMs)}) vs baseline ${fmt(base.dryRunMs)} (CPU ${fmt(base.dryRunCpuMs)}); ` +
        `apply ${ours.applyMs.toFixed(0)} ms (CPU ${ours.applyCpuMs.toFixed(0)}, ${ours.batches} run batches) vs baseline ${base.applyMs.toFixed(0)} (CPU ${base.applyCpuMs.toFixed(0)}); ` +
        `other writer's longest wait ${Math.max(...ours.waits).toFixed(1)} ms over ${ours.waits.length} writes vs baseline ${Math.max(...base.waits).toFixed(1)} over ${base.waits.length}; ` +
        `${ours.bytesFreed} bytes freed (reported ${ours.bytesReported}); floor (bare unlink + rmdir) ${result.floorMs.toFixed(0)} ms`,
    );
  }
  const all = <K extends keyof Side>(side: 'ours' | 'base', key: K) => trials.map((t) => t[side][key]);
  const flat = (side: 'ours' | 'base', key: 'dryRunMs' | 'dryRunCpuMs' | 'waits') => trials.flatMap((t) => t[side][key]);
  const scale = `${RUNS} runs / ${RUNS * FILES_PER_RUN} artefacts`;
  const results: BenchRow[] = [
    row(`sweep dry run (plan incl. walk) vs native query + recursive readdir, ${scale}, median`, 'ms', median(flat('ours', 'dryRunMs')), median(flat('base', 'dryRunMs')), TARGETS.dryRunMs),
    row(`sweep apply (plan + delete rows and files) vs native query + 1 transaction + fs.rm, ${scale}, median`, 'ms', median(all('ours', 'applyMs')), median(all('base', 'applyMs')), TARGETS.applyMs),
    row(`sweep apply vs the floor: bare unlink + rmdir of the same files and folders, no db, ${scale}, median`, 'ms', median(all('ours', 'applyMs')), median(trials.map((t) => t.floorMs)), TARGETS.applyMs),
    row('longest lock wait of another writer during the apply (worst trial) vs during the native apply', 'ms', Math.max(...flat('ours', 'waits')), Math.max(...flat('base', 'waits')), TARGETS.lockWaitMs),
    row('lock wait of another writer during the apply, p99 of all trials, vs during the native apply', 'ms', summarize(flat('ours', 'waits')).p99, summarize(flat('base', 'waits')).p99, TARGETS.lockWaitMs),
    // CPU time (user + system, all threads of the process) is less distorted than wall time on a shared, loaded machine.
    row('sweep dry run, CPU time, median, vs the native dry run', 'ms', median(flat('ours', 'dryRunCpuMs')), median(flat('base', 'dryRunCpuMs'))),
    row('sweep apply, CPU time, median, vs the native apply', 'ms', median(all('ours', 'applyCpuMs')), median(all('base', 'applyCpuMs'))),
  ];
  console.log(formatTable(results, 'baseline'));
  const file = process.argv.includes('--no-save') ? 'nowhere (--no-save)' : writeResults('sweep', results);
  console.log(`written to ${file}; machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
