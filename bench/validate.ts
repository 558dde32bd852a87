// Validator benchmark: full validation (all twelve checks, one spawn for checks 6–12) of the Node echo tool, of
// the corpus's good-node tool (every check runs, a reference fixture included; echo stops at output_conforms
// because it omits two declared outputs) and of the Python compound-interest tool, in this process as the
// extension host would run it. Reports the median
// wall time of a full pass and of each check against the original's baseline for a full pass (13 s, its
// tests/perf/baseline.json); target: under 3 s for a Node tool. Writes bench/results/validate.json.
// Run: node --import tsx bench/validate.ts [--runs N]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CHECK_NAMES, validateTool, type CheckName, type ValidationReport } from '../src/core/validator';
import { formatTable, row, writeResults, type BenchRow } from './lib/results';
import { median } from './lib/stats';

const BASELINE_FULL_PASS_MS = 13_000;
const TARGET_NODE_MS = 3_000;
const TOOLS_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'tools');
const GOOD_NODE = path.resolve(__dirname, '..', 'test', 'fixtures', 'broken-tools', 'good-node');
const SETUP_VENVS = path.join(TOOLS_DIR, 'setup-python-venvs.sh');

function runsFromArgs(): number {
  const i = process.argv.indexOf('--runs');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(n) || n < 1) throw new Error('--runs must be a whole number ≥ 1');
  return n;
}

interface Measured {
  totals: number[];
  perCheck: Map<CheckName, number[]>;
  last: ValidationReport;
}

async function measure(dir: string, runs: number): Promise<Measured> {
  // One unmeasured pass first: module loading and the first fetch are not the validator's cost.
  await validateTool({ dir });
  const totals: number[] = [];
  const perCheck = new Map<CheckName, number[]>();
  let last: ValidationReport | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await validateTool({ dir });
    totals.push(performance.now() - started);
    for (const name of CHECK_NAMES) {
      const ms = last.durations_ms[name];
      if (ms !== undefined) perCheck.set(name, [...(perCheck.get(name) ?? []), ms]);
    }
  }
  return { totals, perCheck, last: last as ValidationReport };
}

function rowsFor(label: string, m: Measured): BenchRow[] {
  const rows = [row(`${label}: full pass (overall ${m.last.overall})`, 'ms', median(m.totals), BASELINE_FULL_PASS_MS)];
  for (const name of CHECK_NAMES) {
    const samples = m.perCheck.get(name);
    // The original publishes no per-check baseline: NaN is written as null.
    if (samples) rows.push(row(`${label}: ${name}`, 'ms', median(samples), Number.NaN));
  }
  return rows;
}

async function main(): Promise<void> {
  const runs = runsFromArgs();
  const started = Date.now();
  const rows: BenchRow[] = [];

  const node = await measure(path.join(TOOLS_DIR, 'echo'), runs);
  rows.push(...rowsFor('echo (Node)', node));
  const goodNode = await measure(GOOD_NODE, runs);
  const goodRows = rowsFor('good-node (Node, with fixture)', goodNode);
  rows.push(...goodRows);

  const venv = spawnSync('bash', [SETUP_VENVS], { encoding: 'utf8' });
  let pythonNote = '';
  if (venv.status === 0) {
    const python = await measure(path.join(TOOLS_DIR, 'py-compound-interest'), Math.max(1, Math.min(runs, 3)));
    rows.push(...rowsFor('py-compound-interest (Python)', python));
  } else {
    pythonNote = `Python tool skipped: ${venv.stderr.trim() || `setup-python-venvs.sh exited ${venv.status}`}`;
  }

  const file = writeResults('validate', rows);
  console.log(`\n${formatTable(rows, 'original').replace(/\bNaN×?/g, '–')}\n(median of ${runs} runs after one warm-up; lower is better)\n`);
  if (pythonNote) console.log(pythonNote);
  let met = true;
  for (const full of [rows[0], goodRows[0]]) {
    const ok = full.ours < TARGET_NODE_MS;
    met &&= ok;
    console.log(`target < ${TARGET_NODE_MS} ms for a Node tool — ${full.name}: ${full.ours} ms (original ${BASELINE_FULL_PASS_MS} ms, ${full.ratio}×) → ${ok ? 'MET' : 'NOT MET'}`);
  }
  console.log(`wrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!met) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
