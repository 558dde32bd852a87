#!/usr/bin/env node
// Runs every test tier this machine can run, one after another, streams their output, and ends with one line
// the CI reads: "N passed, N failed" (summed over the tiers). Tiers: unit, integration (node:test), and, when the
// VS Code harness is installed, host (mocha in the real extension host) and e2e (the real UI in Chromium).
//   node scripts/run-tests.mjs            all tiers
//   node scripts/run-tests.mjs unit integration
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Node 20's test runner takes no glob patterns: list `*.test.ts` files under a folder ourselves. */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const NODE_TEST = ['--import', 'tsx', '--test', '--test-reporter=spec'];
const tiers = {
  unit: { cmd: process.execPath, args: [...NODE_TEST, ...testFiles('test/unit')] },
  integration: { cmd: process.execPath, args: [...NODE_TEST, '--test-concurrency=1', ...testFiles('test/integration')] },
  host: { cmd: 'npm', args: ['run', '--silent', 'test:host'], needsHarness: true },
  e2e: { cmd: 'npm', args: ['run', '--silent', 'test:e2e'], needsHarness: true },
};

const harnessHome = process.env.PIXIE_HARNESS_HOME ?? '/opt/pixie-vscode-harness';
const harnessReady = existsSync(`${harnessHome}/env.sh`);
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(tiers);

let passed = 0;
let failed = 0;
let skipped = 0;
const results = [];

function countsFrom(output) {
  // node:test spec reporter: "ℹ pass 12" / "ℹ fail 0" / "ℹ skipped 1"; our mocha runners: "N passed, N failed".
  const pick = (re) => [...output.matchAll(re)].map((m) => Number(m[1])).pop();
  const nodePass = pick(/^ℹ pass (\d+)$/gm);
  if (nodePass !== undefined) {
    return { pass: nodePass, fail: pick(/^ℹ fail (\d+)$/gm) ?? 0, skip: (pick(/^ℹ skipped (\d+)$/gm) ?? 0) + (pick(/^ℹ todo (\d+)$/gm) ?? 0) };
  }
  const plain = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  if (plain) return { pass: Number(plain[1]), fail: Number(plain[2]), skip: Number(plain[3] ?? 0) };
  return undefined;
}

for (const name of wanted) {
  const tier = tiers[name];
  if (!tier) {
    console.error(`unknown tier "${name}" (known: ${Object.keys(tiers).join(', ')})`);
    process.exit(2);
  }
  if (tier.needsHarness && !harnessReady) {
    console.log(`\n=== ${name}: skipped — the VS Code harness is not installed (npm run harness:install) ===`);
    results.push(`${name}: skipped (no harness)`);
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const output = await new Promise((resolve) => {
    let text = '';
    const child = spawn(tier.cmd, tier.args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      text += chunk;
    });
    child.on('close', (code) => resolve({ text, code }));
  });
  const counts = countsFrom(output.text);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!counts) {
    failed += 1;
    results.push(`${name}: no test summary found (exit ${output.code}) — counted as 1 failure [${seconds} s]`);
    continue;
  }
  // A tier that exits non-zero without reporting a failure (e.g. a crash after the summary) still fails.
  const extra = output.code !== 0 && counts.fail === 0 ? 1 : 0;
  passed += counts.pass;
  failed += counts.fail + extra;
  skipped += counts.skip;
  results.push(`${name}: ${counts.pass} passed, ${counts.fail + extra} failed, ${counts.skip} skipped [${seconds} s]`);
}

console.log('\n=== summary ===');
for (const line of results) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
