// bench/sweep: a dry run and an apply of `pixie sweep --older-than 30d` over 10k runs with 20k artefacts (small
// files), and how long another process's writes wait for the lock during the apply. Baselines are the targets of
// the retention issue: dry run ≤ 500 ms, apply ≤ 3000 ms, no other writer waiting over 100 ms.
// Run: node --import tsx bench/sweep.ts [--runs N] [--trials N]   → bench/results/sweep.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/core/store/open';
import { initSchema } from '../src/core/store/schema';
import type { SqlJsStore } from '../src/core/store/engine';
import { applyPlan, planManualSweep, type SweeperSettings } from '../src/core/sweeper';
import { startSweeperWorker } from '../test/integration/helpers/sweeperWorkerProcess';
import { formatTable, row, writeResults, type BenchRow } from './lib/results';
import { summarize } from './lib/stats';

function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RUNS = argValue('--runs', 10_000);
const FILES_PER_RUN = 2;
const TRIALS = argValue('--trials', 3);
const TOOLS = ['whisper-transcription', 'image-gen', 'csv-clean', 'summarise', 'chart'];
const OLDER_THAN = 30 * 86_400;

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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

interface Trial {
  dryRunMs: number[];
  dryRunCpuMs: number[];
  applyMs: number;
  applyCpuMs: number;
  maxWaitMs: number;
  waits: number[];
  probeWrites: number;
  bytesReported: number;
  bytesFreed: number;
}

async function trial(): Promise<Trial> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-bench-sweep-'));
  try {
    const dbPath = path.join(dir, 'pixie.db');
    const root = path.join(dir, 'artefacts');
    const settings: SweeperSettings = {
      artefactsRoot: root,
      dbPath,
      toolsDir: path.join(dir, 'tools'),
      retainRuns: 100,
      softDeleteRetentionDays: 7,
      retentionMaxArtefactBytes: 0,
    };
    const seeding = await openStore({ dbPath, idleCheckpointMs: 60_000 });
    await initSchema(seeding);
    const seeded = await seed(seeding, root);
    await seeding.close();

    // As `pixie sweep` does: a fresh process's store, then the plan. Store loading is the store's own cost (its
    // bench); what is measured here is the sweep.
    const store = await openStore({ dbPath, idleCheckpointMs: 60_000, busyTimeoutMs: 30_000 });
    const dryRunMs: number[] = [];
    const dryRunCpuMs: number[] = [];
    let plan = await planManualSweep({ store, settings, olderThanSeconds: OLDER_THAN });
    for (let i = 0; i < 3; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      plan = await planManualSweep({ store, settings, olderThanSeconds: OLDER_THAN });
      dryRunMs.push(performance.now() - started);
      dryRunCpuMs.push(cpuMs(process.cpuUsage(cpu)));
    }
    if (plan.totals.runs !== RUNS || plan.totals.files !== RUNS * FILES_PER_RUN) {
      throw new Error(`unexpected plan: ${JSON.stringify(plan.totals)}`);
    }

    // Another process writing every 20 ms the whole time (a VS Code window recording runs).
    const probe = startSweeperWorker({ mode: 'probe', dbPath, durationMs: 600_000, intervalMs: 20 });
    await probe.waitFor((line) => line.startsWith('wait '));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const applyStart = Date.now();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const fresh = await planManualSweep({ store, settings, olderThanSeconds: OLDER_THAN });
    const result = await applyPlan(fresh, { store, settings });
    const applyMs = performance.now() - started;
    const applyCpuMs = cpuMs(process.cpuUsage(cpu));
    const applyEnd = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    probe.kill('SIGTERM');
    await probe.exited;
    const waits = probe.lines
      .filter((line) => line.startsWith('wait '))
      .map((line) => line.split(' ').map(Number))
      .filter(([, , askedAt]) => askedAt >= applyStart - 50 && askedAt <= applyEnd)
      .map(([, waited]) => waited);
    if (waits.length < 5) throw new Error(`the probe wrote only ${waits.length} times during the apply`);
    const left = store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n);
    const bytesFreed = seeded - bytesOnDisk(root);
    await store.close();
    if (left !== 0 || result.totals.bytes !== bytesFreed) {
      throw new Error(`apply incomplete: ${left} runs left, reported ${result.totals.bytes} B, freed ${bytesFreed} B`);
    }
    return { dryRunMs, dryRunCpuMs, applyMs, applyCpuMs, maxWaitMs: Math.max(...waits), waits, probeWrites: waits.length, bytesReported: result.totals.bytes, bytesFreed };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const trials: Trial[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const result = await trial();
    trials.push(result);
    console.log(
      `trial ${t + 1}: dry run ${result.dryRunMs.map((ms) => ms.toFixed(0)).join('/')} ms (CPU ${result.dryRunCpuMs.map((ms) => ms.toFixed(0)).join('/')}), ` +
        `apply ${result.applyMs.toFixed(0)} ms (CPU ${result.applyCpuMs.toFixed(0)}), ` +
        `max lock wait of the other writer ${result.maxWaitMs.toFixed(1)} ms over ${result.probeWrites} writes, ` +
        `${result.bytesFreed} bytes freed (reported ${result.bytesReported})`,
    );
  }
  const results: BenchRow[] = [
    row(`sweep dry run (plan incl. walk), ${RUNS} runs / ${RUNS * FILES_PER_RUN} artefacts, median`, 'ms', median(trials.flatMap((t) => t.dryRunMs)), 500),
    row(`sweep apply (plan + delete rows and files), ${RUNS} runs / ${RUNS * FILES_PER_RUN} artefacts, median`, 'ms', median(trials.map((t) => t.applyMs)), 3000),
    row('longest lock wait of another writer during the apply, worst trial', 'ms', Math.max(...trials.map((t) => t.maxWaitMs)), 100),
    row('lock wait of another writer during the apply, p99 of all trials', 'ms', summarize(trials.flatMap((t) => t.waits)).p99, 100),
    // CPU time (user + system, all threads) is less distorted than wall time on a shared, loaded machine.
    row('sweep dry run, CPU time, median', 'ms', median(trials.flatMap((t) => t.dryRunCpuMs)), 500),
    row('sweep apply, CPU time, median', 'ms', median(trials.map((t) => t.applyCpuMs)), 3000),
  ];
  const file = writeResults('sweep', results);
  console.log(formatTable(results, 'target'));
  console.log(`written to ${file}; machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
