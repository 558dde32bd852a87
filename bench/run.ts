// Run-path benchmark (issue 3), each against a baseline measured side by side on this machine:
//  (a) warm run overhead: RunService.run on a warm echo tool (validation, the `running` row, run folder, quota
//      watchdog, POST /run, spill/scan, the finished row + tool_state) vs a direct POST /run to the same process,
//      interleaved; split into store commits, store reads, HTTP and the rest; the same runs on an in-memory store
//      show what is left without the two durable commits. Target: ≤ +3 ms at p50.
//  (b) cold spawn of a Node tool to healthy (GET /healthz 200) vs `node -e ""` start+exit. Target: ≤ 300 ms.
//  (c) spill of a 50 MB output (file + SHA-256 + row + reference + outputs.json) vs copyFile + SHA-256 of the same
//      bytes (and vs the same made durable with fdatasync, as spill is). Target: ≥ 0.8× the baseline's throughput.
// Writes bench/results/run.json. Run: node --import tsx bench/run.ts [--runs N]
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig, type PixieConfig } from '../src/core/config';
import { openStore } from '../src/core/store/open';
import { initSchema } from '../src/core/store/schema';
import type { ReadQueries, Store, WriteOptions, WriteQueries } from '../src/core/store/types';
import { insertStartedRun } from '../src/core/store/repositories/runs';
import { Launcher, ToolProcess } from '../src/core/runner/launcher';
import { postRun } from '../src/core/runner/client';
import { RunService } from '../src/core/runner/runService';
import { launchSpecFor } from '../src/core/runner/launchSpec';
import { discoverTools, type DiscoveredTool } from '../src/core/tools/discovery';
import type { ToolSpec } from '../src/core/tools/model';
import { runFolder, spillOutputs } from '../src/core/artefacts';
import { createMemoryStore } from '../test/helpers/memoryStore';
import { formatTable, row, writeResults, type BenchRow } from './lib/results';
import { median, summarize } from './lib/stats';

const TOOLS_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'tools');
const TARGET_OVERHEAD_MS = 3;
const TARGET_COLD_MS = 300;
const SPILL_BYTES = 50 * 1024 * 1024;

function runsFromArgs(): number {
  const i = process.argv.indexOf('--runs');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 300;
  if (!Number.isInteger(n) || n < 10) throw new Error('--runs must be a whole number ≥ 10');
  return n;
}

/** Time spent inside store.write / store.read, per call, for the split of a run's overhead. */
class TimedStore implements Store {
  writeMs = 0;
  readMs = 0;
  writes = 0;
  constructor(private readonly inner: Store) {}
  get readOnlyReason(): string | undefined {
    return this.inner.readOnlyReason;
  }
  reset(): void {
    this.writeMs = 0;
    this.readMs = 0;
    this.writes = 0;
  }
  read<T>(fn: (q: ReadQueries) => T): T {
    const started = performance.now();
    try {
      return this.inner.read(fn);
    } finally {
      this.readMs += performance.now() - started;
    }
  }
  async write<T>(fn: (q: WriteQueries) => T, options?: WriteOptions): Promise<T> {
    const started = performance.now();
    try {
      return await this.inner.write(fn, options);
    } finally {
      this.writeMs += performance.now() - started;
      this.writes++;
    }
  }
  checkpoint: Store['checkpoint'] = () => this.inner.checkpoint();
  onDidChange: Store['onDidChange'] = (listener) => this.inner.onDidChange(listener);
  refresh: Store['refresh'] = () => this.inner.refresh();
  info: Store['info'] = () => this.inner.info();
  close: Store['close'] = () => this.inner.close();
}

interface Workspace {
  dir: string;
  config: PixieConfig;
  echo: DiscoveredTool & { spec: ToolSpec };
}

async function workspace(): Promise<Workspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-bench-run-'));
  const config = resolveConfig(dir, { toolsDir: TOOLS_DIR }, {});
  const echo = (await discoverTools(TOOLS_DIR)).find((t) => t.toolId === 'echo');
  if (!echo?.spec) throw new Error('the echo fixture tool did not load');
  return { dir, config, echo: echo as DiscoveredTool & { spec: ToolSpec } };
}

interface WarmResult {
  ours: number[];
  direct: number[];
  memory: number[];
  writeMs: number[];
  readMs: number[];
  writesPerRun: number;
  commit: number[];
  fdatasync: number[];
}

async function warmRuns(ws: Workspace, runs: number): Promise<WarmResult> {
  const disk = await openStore({ dbPath: ws.config.dbPath, busyTimeoutMs: ws.config.busyTimeoutMs });
  await initSchema(disk);
  const store = new TimedStore(disk);
  const memory = await createMemoryStore();
  await initSchema(memory);
  const launcher = new Launcher({ artefactsRoot: ws.config.artefactsRoot });
  const service = new RunService({ store, launcher, config: ws.config });
  const memoryService = new RunService({ store: memory, launcher, config: ws.config });
  const result: WarmResult = { ours: [], direct: [], memory: [], writeMs: [], readMs: [], writesPerRun: 0, commit: [], fdatasync: [] };
  try {
    const inputs = { text: 'hello' };
    const check = await service.run(ws.echo, inputs);
    if (check.status !== 'ok') throw new Error(`echo failed: ${check.errorText}`);
    const proc = launcher.get('echo');
    if (!proc) throw new Error('echo is not warm');
    const artefactsDir = runFolder(ws.config.artefactsRoot, 'echo', 'bench-direct');
    const direct = async (): Promise<number> => {
      const started = performance.now();
      await postRun(proc.baseUrl, { runId: randomUUID(), inputs: { text: 'hello', show_env: false, fail_with: 'none', spawn_orphan: false }, artefactsDir });
      return performance.now() - started;
    };
    // Warm-up: JIT, the fetch connection pool, the store's statement caches.
    for (let i = 0; i < 30; i++) {
      await service.run(ws.echo, inputs);
      await memoryService.run(ws.echo, inputs);
      await direct();
    }
    // Ours and the direct POST interleaved, so load on the machine hits both alike.
    for (let i = 0; i < runs; i++) {
      store.reset();
      const started = performance.now();
      const outcome = await service.run(ws.echo, inputs);
      result.ours.push(performance.now() - started);
      if (outcome.status !== 'ok') throw new Error(`run ${i} failed: ${outcome.errorText}`);
      result.writeMs.push(store.writeMs);
      result.readMs.push(store.readMs);
      result.writesPerRun = store.writes;
      result.direct.push(await direct());
    }
    // The same run path on the in-memory test store, in a loop of its own (interleaved with the direct POST too,
    // which is not counted again): what is left without the durable commits. Kept out of the loop above so that
    // its slow test store does not stand between our runs and their baseline.
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await memoryService.run(ws.echo, inputs);
      result.memory.push(performance.now() - started);
      await direct();
    }
    // One durable commit alone, and the raw fdatasync floor under it.
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await disk.write((q) => q.run('INSERT OR REPLACE INTO settings(key, value) VALUES(?, ?)', ['bench', String(i)]));
      result.commit.push(performance.now() - started);
    }
    const probe = path.join(ws.dir, 'fsync-probe');
    const fd = fs.openSync(probe, 'a');
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      fs.writeSync(fd, Buffer.alloc(200, 0x61));
      fs.fdatasyncSync(fd);
      result.fdatasync.push(performance.now() - started);
    }
    fs.closeSync(fd);
  } finally {
    await launcher.dispose();
    await disk.close();
    await memory.close();
  }
  return result;
}

/** Spawn and wait for exit. */
function nodeStartExit(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

async function coldSpawns(ws: Workspace, runs: number): Promise<{ ours: number[]; baseline: number[] }> {
  const spec = launchSpecFor(ws.echo, undefined, ws.config);
  const ours: number[] = [];
  const baseline: number[] = [];
  await nodeStartExit();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const proc = await ToolProcess.start(spec, { artefactsRoot: ws.config.artefactsRoot });
    ours.push(performance.now() - started);
    await proc.stop({ graceMs: 2000 });
    baseline.push(await nodeStartExit());
  }
  return { ours, baseline };
}

interface SpillResult {
  ours: number[];
  copyHash: number[];
  copyHashSync: number[];
  files: number;
}

async function spills(ws: Workspace, runs: number): Promise<SpillResult> {
  const store = await openStore({ dbPath: path.join(ws.dir, 'spill.db') });
  await initSchema(store);
  // Text the way a tool's JSON arrives: one 50 MB string value.
  const line = 'line 0000000 lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum\n';
  const text = line.repeat(Math.ceil(SPILL_BYTES / line.length)).slice(0, SPILL_BYTES);
  const bytes = Buffer.from(text, 'utf8');
  const source = path.join(ws.dir, 'source.bin');
  fs.writeFileSync(source, bytes);
  const result: SpillResult = { ours: [], copyHash: [], copyHashSync: [], files: 0 };
  try {
    for (let i = 0; i < runs; i++) {
      const runId = `spill-${i}`;
      await store.write((q) => insertStartedRun(q, { id: runId, toolId: 'big-output', startedAt: new Date().toISOString(), inputsJson: '{}' }));
      runFolder(ws.config.artefactsRoot, 'big-output', runId);
      let started = performance.now();
      const spilled = await spillOutputs({
        store,
        artefactsRoot: ws.config.artefactsRoot,
        toolId: 'big-output',
        runId,
        outputSpecs: [{ key: 'text', type: 'text' }, { key: 'size', type: 'number' }],
        outputs: { text, size: SPILL_BYTES },
        inlineMaxBytes: 65_536,
        dedup: false,
        now: new Date().toISOString(),
      });
      result.ours.push(performance.now() - started);
      result.files = spilled.artefacts.length;
      if (spilled.artefacts[0]?.sizeBytes !== SPILL_BYTES) throw new Error('spill did not write the 50 MB value');
      // Removed like the baselines' copies below, so every round of both writes into blocks freed the round before
      // (on this VM's disk writing never-used blocks costs ~50% more, which would count against the spill only).
      fs.rmSync(runFolder(ws.config.artefactsRoot, 'big-output', runId), { recursive: true, force: true });

      const target = path.join(ws.dir, `copy-${i}.bin`);
      started = performance.now();
      await fs.promises.copyFile(source, target);
      createHash('sha256').update(bytes).digest('hex');
      result.copyHash.push(performance.now() - started);
      fs.rmSync(target);

      started = performance.now();
      await fs.promises.copyFile(source, target);
      const handle = await fs.promises.open(target, 'r+');
      await handle.datasync();
      await handle.close();
      createHash('sha256').update(bytes).digest('hex');
      result.copyHashSync.push(performance.now() - started);
      fs.rmSync(target);
    }
  } finally {
    await store.close();
  }
  return result;
}

const ROUNDS = 5;

/** The same pairs cut into consecutive rounds: how much the overhead drifts with this VM's speed over a bench run
 *  (a slow spell stretches ours and the direct POST alike, and the difference with them). */
function overheadSpreadRow(warm: WarmResult): BenchRow {
  const size = Math.floor(warm.ours.length / ROUNDS);
  const overheads: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const slice = (values: number[]): number[] => values.slice(i * size, (i + 1) * size);
    overheads.push(median(slice(warm.ours)) - median(slice(warm.direct)));
  }
  const sorted = [...overheads].sort((a, b) => a - b);
  const range = `${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}`;
  return row(`warm run p50 overhead, median of ${ROUNDS} rounds of ${size} pairs (range ${range} ms) vs target`, 'ms', median(overheads), TARGET_OVERHEAD_MS);
}

const mbPerS = (ms: number): number => SPILL_BYTES / (1024 * 1024) / (ms / 1000);

async function main(): Promise<void> {
  const runs = runsFromArgs();
  const ws = await workspace();
  const rows: BenchRow[] = [];
  try {
    console.log(`machine: ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const warm = await warmRuns(ws, runs);
    const ours = summarize(warm.ours);
    const direct = summarize(warm.direct);
    const inMemory = summarize(warm.memory);
    const writeP50 = median(warm.writeMs);
    const readP50 = median(warm.readMs);
    rows.push(
      row(`warm run p50: RunService.run (echo, pixie.db on disk) vs direct POST /run`, 'ms', ours.p50, direct.p50),
      row(`warm run p99: RunService.run vs direct POST /run`, 'ms', ours.p99, direct.p99),
      row(`warm run p50 overhead (ours − direct) vs target ${TARGET_OVERHEAD_MS} ms`, 'ms', ours.p50 - direct.p50, TARGET_OVERHEAD_MS),
      overheadSpreadRow(warm),
      row(`warm run p50, in-memory store (no durable commits) vs direct`, 'ms', inMemory.p50, direct.p50),
      row(`warm run p50 overhead without durable commits (memory − direct) vs target`, 'ms', inMemory.p50 - direct.p50, TARGET_OVERHEAD_MS),
      row(`split p50: time in store.write per run (${warm.writesPerRun} commits) vs run p50`, 'ms', writeP50, ours.p50),
      row(`split p50: time in store.read per run vs run p50`, 'ms', readP50, ours.p50),
      row(`split p50: rest (run − store − direct HTTP) vs run p50`, 'ms', Math.max(0, ours.p50 - writeP50 - readP50 - direct.p50), ours.p50),
      row(`one durable commit p50 vs raw 200-byte append + fdatasync p50`, 'ms', median(warm.commit), median(warm.fdatasync)),
    );
    const cold = await coldSpawns(ws, 10);
    rows.push(
      row(`cold spawn to healthy p50 (Node echo tool) vs node -e "" start+exit`, 'ms', median(cold.ours), median(cold.baseline)),
      row(`cold spawn to healthy p50 vs target ${TARGET_COLD_MS} ms`, 'ms', median(cold.ours), TARGET_COLD_MS),
    );
    const spill = await spills(ws, 5);
    rows.push(
      row(`spill 50 MB output throughput (${spill.files} files, durable) vs copyFile + SHA-256`, 'MB/s', mbPerS(median(spill.ours)), mbPerS(median(spill.copyHash))),
      row(`spill 50 MB output throughput vs copyFile + fdatasync + SHA-256`, 'MB/s', mbPerS(median(spill.ours)), mbPerS(median(spill.copyHashSync))),
    );
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
  console.log(formatTable(rows, 'baseline'));
  console.log(`wrote ${writeResults('run', rows)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
