// Store benchmark: our engine (sql.js image + fdatasync'd redo log + checkpoints) against native SQLite in WAL
// mode with synchronous=FULL (better-sqlite3, the baseline only), on the same disk in the same run, with 1k and
// 10k rows shaped like `runs` (~2 KiB outputs_json each). Measures durable commit latency (p50/p99) and
// commits/s over 1,200 commits (ours includes its one threshold checkpoint), cold open in fresh processes,
// peak RSS and file size. Prints a table and writes bench/results/store.json. Run: node --import tsx bench/store.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/core/store/open';
import { loadSqlJs } from '../src/core/store/sqljs';
import type { SqlValue } from '../src/core/store/types';
import { loadNativeSqlite, type NativeDatabase } from './lib/nativeSqlite';
import { peakRssMiB, reportToParent, runChild } from './lib/process';
import { formatTable, row, writeResults, type BenchRow } from './lib/results';
import { median, summarize } from './lib/stats';

type Engine = 'ours' | 'native';
const ENGINES: readonly Engine[] = ['ours', 'native'];

type ChildJob =
  | { kind: 'prepare'; engine: Engine; dbPath: string; runs: number }
  | { kind: 'open'; engine: Engine; dbPath: string }
  | { kind: 'rss'; engine: Engine; dbPath: string; index: number }
  | { kind: 'commit'; dbPaths: Record<Engine, string>; commits: number; firstIndex: number };

interface OpenResult {
  /** Loading the engine: sql.js wasm compile and instantiation / the native addon. */
  initMs: number;
  /** First open in a fresh process until the first query returned (includes sql.js's first-use warm-up). */
  openMs: number;
  /** The same open again in that process (a window reloading after another one's checkpoint does this). */
  reopenMs: number;
  rows: number;
  rssMiB: number;
}

interface CommitResult {
  latenciesMs: Record<Engine, number[]>;
}

const SIZES = [1_000, 10_000];
const COMMITS = 1_200;
const OPEN_SAMPLES = 3;
const TARGET_COMMIT_RATIO = 2;
const TARGET_OPEN_MS = 250;

const RUNS_TABLE = [
  `CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  tool_id TEXT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  inputs_json TEXT NOT NULL,
  outputs_json TEXT,
  error_text TEXT,
  status TEXT NOT NULL
)`,
  'CREATE INDEX idx_runs_tool ON runs(tool_id, started_at DESC)',
  'CREATE INDEX idx_runs_started ON runs(started_at DESC)',
];
const INSERT_RUN =
  'INSERT INTO runs (id, tool_id, started_at, finished_at, inputs_json, outputs_json, error_text, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const FIRST_QUERY = 'SELECT id, tool_id, started_at, status FROM runs ORDER BY started_at DESC LIMIT 50';
const COUNT_RUNS = 'SELECT count(*) AS n FROM runs';

/** A run row with ~2 KiB of outputs_json; deterministic, ids and times from the caller (as the engine requires). */
function runRow(index: number): SqlValue[] {
  const started = new Date(Date.UTC(2025, 0, 1) + index * 61_000);
  const outputs = {
    summary: `run ${index} finished`,
    text: `line ${index}: ${'the quick brown fox jumps over the lazy dog '.repeat(44)}`.slice(0, 1_950),
    count: index,
  };
  return [
    `run-${String(index).padStart(8, '0')}`,
    `tool-${index % 12}`,
    started.toISOString(),
    new Date(started.getTime() + 1_500).toISOString(),
    JSON.stringify({ prompt: `input ${index}`, temperature: 0.2 }),
    JSON.stringify(outputs),
    null,
    'succeeded',
  ];
}

/** Native SQLite as the seed configures it: WAL, synchronous=FULL, 5 s busy timeout, foreign keys on. */
function openNative(dbPath: string): NativeDatabase {
  const Database = loadNativeSqlite();
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

// ---------------------------------------------------------------- child jobs (each in a fresh process)

async function prepare(job: Extract<ChildJob, { kind: 'prepare' }>): Promise<{ fileBytes: number }> {
  if (job.engine === 'ours') {
    const store = await openStore({ dbPath: job.dbPath });
    await store.write((q) => {
      for (const sql of RUNS_TABLE) q.run(sql);
    });
    for (let start = 0; start < job.runs; start += 1_000) {
      await store.write((q) => {
        for (let i = start; i < Math.min(job.runs, start + 1_000); i++) q.run(INSERT_RUN, runRow(i));
      });
    }
    await store.close(); // folds everything into pixie.db
  } else {
    const db = openNative(job.dbPath);
    for (const sql of RUNS_TABLE) db.exec(sql);
    const insert = db.prepare(INSERT_RUN);
    db.transaction(() => {
      for (let i = 0; i < job.runs; i++) insert.run(...runRow(i));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  return { fileBytes: fs.statSync(job.dbPath).size };
}

/** Open until the first query answered; returns the row count. */
async function openOnce(engine: Engine, dbPath: string): Promise<number> {
  if (engine === 'ours') {
    const store = await openStore({ dbPath });
    const rows = store.read((q) => {
      q.all(FIRST_QUERY);
      return q.get<{ n: number }>(COUNT_RUNS)?.n ?? 0;
    });
    await store.close();
    return rows;
  }
  const db = openNative(dbPath);
  db.prepare(FIRST_QUERY).get();
  const rows = (db.prepare(COUNT_RUNS).get() as { n: number }).n;
  db.close();
  return rows;
}

async function open(job: Extract<ChildJob, { kind: 'open' }>): Promise<OpenResult> {
  const t0 = performance.now();
  if (job.engine === 'ours') await loadSqlJs();
  else loadNativeSqlite();
  const t1 = performance.now();
  const rows = await openOnce(job.engine, job.dbPath);
  const t2 = performance.now();
  await openOnce(job.engine, job.dbPath);
  const t3 = performance.now();
  return { initMs: t1 - t0, openMs: t2 - t1, reopenMs: t3 - t2, rows, rssMiB: peakRssMiB() };
}

/** Peak memory of a process that opens the database, commits once and checkpoints (export is the peak for ours). */
async function rss(job: Extract<ChildJob, { kind: 'rss' }>): Promise<{ rssMiB: number }> {
  if (job.engine === 'ours') {
    const store = await openStore({ dbPath: job.dbPath });
    await store.write((q) => q.run(INSERT_RUN, runRow(job.index)));
    await store.checkpoint();
    await store.close();
  } else {
    const db = openNative(job.dbPath);
    db.prepare(INSERT_RUN).run(...runRow(job.index));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  return { rssMiB: peakRssMiB() };
}

/**
 * Both engines in one process, commits alternating (ours, native, ours, …) so that the disk's mood on this
 * shared machine hits both alike. Ours keeps its default thresholds: the 1,000th commit runs a checkpoint.
 */
async function commit(job: Extract<ChildJob, { kind: 'commit' }>): Promise<CommitResult> {
  const store = await openStore({ dbPath: job.dbPaths.ours });
  const native = openNative(job.dbPaths.native);
  const insert = native.prepare(INSERT_RUN);
  const latenciesMs: Record<Engine, number[]> = { ours: [], native: [] };
  for (let i = 0; i < job.commits; i++) {
    const values = runRow(job.firstIndex + i);
    let t = performance.now();
    await store.write((q) => q.run(INSERT_RUN, values));
    latenciesMs.ours.push(performance.now() - t);
    t = performance.now();
    insert.run(...values); // autocommit: one durable transaction
    latenciesMs.native.push(performance.now() - t);
  }
  await store.close();
  native.close();
  return { latenciesMs };
}

async function runJob(job: ChildJob): Promise<unknown> {
  if (job.kind === 'prepare') return prepare(job);
  if (job.kind === 'open') return open(job);
  if (job.kind === 'rss') return rss(job);
  return commit(job);
}

// ---------------------------------------------------------------- orchestration

function child<T>(job: ChildJob): Promise<T> {
  return runChild<T>(__filename, ['--child', JSON.stringify(job)]);
}

interface SizeResult {
  runs: number;
  fileMiB: Record<Engine, number>;
  open: Record<Engine, OpenResult>;
  rssMiB: Record<Engine, number>;
  commit: CommitResult;
}

function medianOpen(samples: OpenResult[]): OpenResult {
  return {
    initMs: median(samples.map((sample) => sample.initMs)),
    openMs: median(samples.map((sample) => sample.openMs)),
    reopenMs: median(samples.map((sample) => sample.reopenMs)),
    rows: samples[0].rows,
    rssMiB: Math.max(...samples.map((sample) => sample.rssMiB)),
  };
}

async function measureSize(runs: number, dir: string): Promise<SizeResult> {
  const dbPaths: Record<Engine, string> = { ours: path.join(dir, `ours-${runs}`, 'pixie.db'), native: path.join(dir, `native-${runs}`, 'native.db') };
  const fileMiB = { ours: 0, native: 0 };
  for (const engine of ENGINES) {
    fs.mkdirSync(path.dirname(dbPaths[engine]), { recursive: true });
    const prepared = await child<{ fileBytes: number }>({ kind: 'prepare', engine, dbPath: dbPaths[engine], runs });
    fileMiB[engine] = prepared.fileBytes / 2 ** 20;
  }
  process.stdout.write(`  prepared (ours ${fileMiB.ours.toFixed(1)} MiB, native ${fileMiB.native.toFixed(1)} MiB); cold opens… `);
  const samples: Record<Engine, OpenResult[]> = { ours: [], native: [] };
  for (let i = 0; i < OPEN_SAMPLES; i++) {
    for (const engine of ENGINES) samples[engine].push(await child<OpenResult>({ kind: 'open', engine, dbPath: dbPaths[engine] }));
  }
  for (const engine of ENGINES) {
    if (samples[engine].some((sample) => sample.rows !== runs)) throw new Error(`${engine} opened with the wrong row count`);
  }
  process.stdout.write('memory… ');
  const rssMiB = { ours: 0, native: 0 };
  for (const engine of ENGINES) rssMiB[engine] = (await child<{ rssMiB: number }>({ kind: 'rss', engine, dbPath: dbPaths[engine], index: runs })).rssMiB;
  process.stdout.write(`${COMMITS} commits each… `);
  const commitResult = await child<CommitResult>({ kind: 'commit', dbPaths, commits: COMMITS, firstIndex: runs + 1 });
  process.stdout.write('done\n');
  return { runs, fileMiB, open: { ours: medianOpen(samples.ours), native: medianOpen(samples.native) }, rssMiB, commit: commitResult };
}

function rowsFor(size: SizeResult): BenchRow[] {
  const label = `${size.runs / 1_000}k runs`;
  const latency = { ours: summarize(size.commit.latenciesMs.ours), native: summarize(size.commit.latenciesMs.native) };
  // Time spent inside commits only (the two engines alternate, so wall time would mix them).
  const perSecond = (samples: number[]) => (samples.length / samples.reduce((sum, ms) => sum + ms, 0)) * 1_000;
  return [
    row(`commit p50 @${label}`, 'ms', latency.ours.p50, latency.native.p50),
    row(`commit p99 @${label}`, 'ms', latency.ours.p99, latency.native.p99),
    row(`commit max (ours: the checkpoint) @${label}`, 'ms', latency.ours.max, latency.native.max),
    row(`commits/s (${COMMITS}, incl. checkpoint) @${label}`, 'commits/s', perSecond(size.commit.latenciesMs.ours), perSecond(size.commit.latenciesMs.native)),
    row(`cold open to first query @${label}`, 'ms', size.open.ours.openMs, size.open.native.openMs),
    row(`reload in a running process @${label}`, 'ms', size.open.ours.reopenMs, size.open.native.reopenMs),
    row(`engine load (sql.js wasm / native addon) @${label}`, 'ms', size.open.ours.initMs, size.open.native.initMs),
    row(`peak RSS, open @${label}`, 'MiB', size.open.ours.rssMiB, size.open.native.rssMiB),
    row(`peak RSS, open + commit + checkpoint @${label}`, 'MiB', size.rssMiB.ours, size.rssMiB.native),
    row(`file size @${label}`, 'MiB', size.fileMiB.ours, size.fileMiB.native),
  ];
}

/** The disk's floor for one durable commit: p50 of append 2.6 KB + fdatasync (this shared machine's disk varies a lot). */
function fdatasyncFloorMs(dir: string): number {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  const record = Buffer.alloc(2_600, 0x61);
  const samples: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      fs.writeSync(fd, record);
      fs.fdatasyncSync(fd);
      samples.push(performance.now() - t);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  return median(samples);
}

async function main(): Promise<void> {
  const probe = new (loadNativeSqlite())(':memory:');
  const sqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  console.log(
    `store bench: node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}, ` +
      `baseline SQLite ${sqliteVersion} (better-sqlite3, WAL, synchronous=FULL)`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-bench-store-'));
  const started = Date.now();
  const rows: BenchRow[] = [];
  try {
    const floorBefore = fdatasyncFloorMs(dir);
    for (const runs of SIZES) {
      console.log(`${runs} runs:`);
      rows.push(...rowsFor(await measureSize(runs, dir)));
    }
    const floorAfter = fdatasyncFloorMs(dir);
    console.log(`disk floor (append 2.6 KB + fdatasync, p50): ${floorBefore.toFixed(2)} ms before, ${floorAfter.toFixed(2)} ms after; load ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${formatTable(rows, 'native')}\n(commits/s: higher is better; everything else: lower is better)\n`);
  const at10k = (name: string) => rows.find((candidate) => candidate.name === `${name} @10k runs`);
  const commitP50 = at10k('commit p50');
  const openRow = at10k('cold open to first query');
  const reopenRow = at10k('reload in a running process');
  if (commitP50) {
    const pass = commitP50.ratio <= TARGET_COMMIT_RATIO;
    console.log(`target commit p50 ≤ ${TARGET_COMMIT_RATIO}× native at 10k runs: ${commitP50.ours} ms vs ${commitP50.baseline} ms = ${commitP50.ratio}× → ${pass ? 'MET' : 'NOT MET'}`);
  }
  if (openRow) {
    const pass = openRow.ours <= TARGET_OPEN_MS;
    console.log(
      `target open ≤ ${TARGET_OPEN_MS} ms at 10k runs: ${openRow.ours} ms in a fresh process → ${pass ? 'MET' : 'NOT MET'}` +
        (reopenRow ? `; a reload in a running process (after another window's checkpoint) took ${reopenRow.ours} ms` : ''),
    );
  }
  const file = writeResults('store', rows);
  console.log(`wrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  runJob(JSON.parse(process.argv[childIndex + 1]) as ChildJob)
    .then(reportToParent)
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
