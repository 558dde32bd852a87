// Benchmarks measure in child processes (a fresh process for a cold open, its own peak RSS per engine);
// a child prints one JSON line prefixed with RESULT_PREFIX as its last word.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const RESULT_PREFIX = 'BENCH-RESULT ';
const REPO_ROOT = path.resolve(__dirname, '../..');

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

/** Print the child's result for `runChild`. */
export function reportToParent(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Run `node --import tsx <script> ...args` and return the JSON it reported; stderr is passed through. */
export function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`bench child ${args.join(' ')} failed (exit ${code}): ${stdout.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}
