// Starting sweeperWorker.ts children (bundled once with esbuild, as workerProcess.ts does for the store worker:
// `node --import tsx` costs seconds per start on a loaded machine) and following their line protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { SweeperWorkerJob } from './sweeperWorker';

const REPO_ROOT = path.resolve(__dirname, '../../..');
let bundled: string | undefined;

export function sweeperWorkerScript(): string {
  if (bundled) return bundled;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-sweeper-worker-'));
  const outfile = path.join(dir, 'sweeperWorker.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'sweeperWorker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's "main" is a UMD build with dynamic requires esbuild cannot follow; its ESM build bundles.
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  fs.copyFileSync(path.join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm'), path.join(dir, 'sql-wasm.wasm'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  bundled = outfile;
  return outfile;
}

export interface SweeperWorker {
  child: ChildProcess;
  lines: string[];
  /** Resolves when a line matching `test` arrived (or the worker ended: then rejects). */
  waitFor(test: (line: string, index: number) => boolean): Promise<string>;
  /** The parsed `done` payload once finished. */
  done(): unknown;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
}

export function startSweeperWorker(job: SweeperWorkerJob): SweeperWorker {
  const child = spawn(process.execPath, [sweeperWorkerScript(), JSON.stringify(job)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let pending = '';
  let stderr = '';
  let ended = false;
  const waiters: Array<{ test: (line: string, index: number) => boolean; resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  const check = () => {
    for (let w = waiters.length - 1; w >= 0; w--) {
      const index = lines.findIndex((line, i) => waiters[w].test(line, i));
      if (index >= 0) waiters.splice(w, 1)[0].resolve(lines[index]);
      else if (ended) waiters.splice(w, 1)[0].reject(new Error(`worker ended first; stderr:\n${stderr}`));
    }
  };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      lines.push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    check();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      check();
      resolve({ code, signal });
    });
  });
  return {
    child,
    lines,
    waitFor: (test) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ test, resolve, reject });
        check();
      }),
    done: () => {
      const line = lines.find((l) => l.startsWith('done '));
      return line === undefined ? undefined : (JSON.parse(line.slice(5)) as unknown);
    },
    exited,
    stderr: () => stderr,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
