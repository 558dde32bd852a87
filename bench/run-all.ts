// Runs every bench/*.ts benchmark (each in its own process, one after another) and reports which failed.
// `npm run bench`. Each bench prints its own table and writes bench/results/<name>.json.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const benchDir = __dirname;
const benches = fs
  .readdirSync(benchDir)
  .filter((name) => name.endsWith('.ts') && name !== path.basename(__filename))
  .sort();

const failed: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, bench)], { stdio: 'inherit', cwd: path.resolve(benchDir, '..') });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status === 0) console.log(`=== ${bench}: done in ${seconds} s ===`);
  else {
    failed.push(bench);
    console.log(`=== ${bench}: FAILED (exit ${result.status ?? result.signal}) after ${seconds} s ===`);
  }
}
console.log(`\n${benches.length - failed.length} of ${benches.length} benchmarks finished${failed.length ? `; failed: ${failed.join(', ')}` : ''}.`);
process.exit(failed.length ? 1 : 0);
