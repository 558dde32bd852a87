// Bench results: one row per measurement, ours against the baseline, printed as a table and written to
// bench/results/<bench>.json as [{name, unit, ours, baseline, ratio, target?}] with ratio = ours ÷ baseline. A row may
// also carry the target the issue set for that measure (same unit): it is printed beside the baseline, never
// instead of it.
import fs from 'node:fs';
import path from 'node:path';

export interface BenchRow {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  /** ours ÷ baseline (for latencies and sizes lower is better; for throughput higher is better). */
  ratio: number;
  /** The goal for `ours`, when the issue names one. */
  target?: number;
}

export const RESULTS_DIR = path.resolve(__dirname, '../results');

export function row(name: string, unit: string, ours: number, baseline: number, target?: number): BenchRow {
  const out: BenchRow = { name, unit, ours: round(ours), baseline: round(baseline), ratio: baseline === 0 ? Number.NaN : round(ours / baseline) };
  if (target !== undefined) out.target = round(target);
  return out;
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return Number(value.toFixed(digits));
}

/** Written atomically (temp + rename) so a reader never sees half a file. */
export function writeResults(bench: string, rows: readonly BenchRow[]): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${bench}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(rows, null, 2)}\n`);
  fs.renameSync(temp, file);
  return file;
}

/** The table; with a `target` column (and whether ours meets it) when any row has a target. */
export function formatTable(rows: readonly BenchRow[], baselineName: string): string {
  const withTargets = rows.some((r) => r.target !== undefined);
  const header = ['measurement', 'unit', 'ours', baselineName, 'ours/base', ...(withTargets ? ['target', 'met'] : [])];
  const body = rows.map((r) => [
    r.name,
    r.unit,
    String(r.ours),
    String(r.baseline),
    Number.isFinite(r.ratio) ? `${r.ratio}×` : '–',
    ...(withTargets ? (r.target === undefined ? ['', ''] : [String(r.target), r.ours <= r.target ? 'yes' : 'no']) : []),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}
