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

export interface LineChild {
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first line passing `test` (rejects if the child ends first). */
  waitFor(test: (line: string) => boolean): Promise<string>;
  stop(): Promise<void>;
}

/** `node --import tsx <script> ...args`, kept running and read line by line (a probe that reports as it goes). */
export function startLineChild(script: string, args: string[]): LineChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let pending = '';
  let ended = false;
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const found = lines.find(waiters[i].test);
      if (found !== undefined) waiters.splice(i, 1)[0].resolve(found);
      else if (ended) waiters.splice(i, 1)[0].reject(new Error(`${script} ended before the awaited line`));
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      lines.push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    check();
  });
  const exited = new Promise<void>((resolve) => {
    child.on('close', () => {
      ended = true;
      check();
      resolve();
    });
  });
  return {
    lines,
    waitFor: (test) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ test, resolve, reject });
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
