// Runs the UI test files (test/e2e/*.e2e.ts, or the files given as arguments) one after another
// with node's test runner, prints its spec report and ends with the line `N passed, N failed` that
// CI reads. Each file runs in its own process with this process's --import tsx. Exit code 1 if any
// test failed or none ran.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { REPO_ROOT } from './harness-lib';

interface TestEventData {
  name: string;
  file?: string;
  skip?: boolean | string;
  todo?: boolean | string;
  details?: { type?: string };
}

function e2eFiles(args: string[]): string[] {
  if (args.length > 0) return args.map((file) => path.resolve(file));
  const dir = path.join(REPO_ROOT, 'test', 'e2e');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.e2e.ts'))
    .sort()
    .map((name) => path.join(dir, name));
}

async function main(): Promise<number> {
  const started = Date.now();
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const stream = run({ files: e2eFiles(process.argv.slice(2)), concurrency: 1 });
  // Suites report too; only tests count (a failed suite's failed tests are already counted, and a
  // file that crashes before its tests is reported as one failed test).
  stream.on('test:pass', (data: TestEventData) => {
    // A file with no tests is reported as one passing "test" named after the file: not a test.
    if (data.details?.type === 'suite' || data.name === data.file) return;
    if (data.skip || data.todo) counts.skipped++;
    else counts.passed++;
  });
  stream.on('test:fail', (data: TestEventData) => {
    if (data.details?.type !== 'suite') counts.failed++;
  });
  const report = stream.compose(new spec());
  report.pipe(process.stdout, { end: false });
  await new Promise<void>((resolve, reject) => report.on('end', resolve).on('error', reject));
  const total = counts.passed + counts.failed;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n[e2e] wall time ${seconds}s\n`);
  process.stdout.write(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}\n`);
  return counts.failed > 0 || total === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
