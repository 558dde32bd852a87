// Starting storeWorker.ts children and following their stdout protocol (ready / ack <id> / done <json>).
// The worker is bundled once per test process with esbuild (as the extension itself is shipped), because
// `node --import tsx` costs ~1 s per start on this machine and the crash test starts over a hundred workers.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { WorkerJob } from './storeWorker';

const WORKER_SOURCE = path.join(__dirname, 'storeWorker.ts');
const REPO_ROOT = path.resolve(__dirname, '../../..');

let bundled: string | undefined;

/** Path of the bundled worker (built on first use, removed when this process exits). */
export function workerScript(): string {
  if (bundled) return bundled;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-worker-'));
  const outfile = path.join(dir, 'storeWorker.js');
  buildSync({
    entryPoints: [WORKER_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  // sqljs.ts looks for the wasm beside the bundle first, exactly as in the shipped extension.
  fs.copyFileSync(path.join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm'), path.join(dir, 'sql-wasm.wasm'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  bundled = outfile;
  return outfile;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningWorker {
  child: ChildProcess;
  pid: number;
  /** Ids the worker acknowledged (complete lines only). */
  acks: string[];
  /** Resolves once the store is open in the child. */
  ready: Promise<void>;
  /** Resolves when the process has exited AND been reaped (its pid is then dead for liveness checks). */
  exited: Promise<WorkerExit>;
  /** The JSON of the worker's final "done" line, once it printed one. */
  done(): unknown;
  /** Resolves once `count` ids were acknowledged (or the worker is gone). */
  acked(count: number): Promise<void>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
}

export interface WorkerOptions {
  /** Extra node flags. `--liftoff-only` skips V8's optimising wasm compile of sql.js: a worker that lives for a
   *  few commits then costs ~0.2 s of CPU instead of ~0.5 s (the crash test starts over a hundred of them). */
  nodeFlags?: string[];
}

export function startWorker(job: WorkerJob, options: WorkerOptions = {}): RunningWorker {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), workerScript(), JSON.stringify(job)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: string[] = [];
  let stderr = '';
  let pending = '';
  let done: unknown;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let ended = false;
  const ackWaiters: { count: number; resolve: () => void }[] = [];
  const wakeAckWaiters = (): void => {
    for (let i = ackWaiters.length - 1; i >= 0; i--) {
      if (ended || acks.length >= ackWaiters[i].count) ackWaiters.splice(i, 1)[0].resolve();
    }
  };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line === 'ready') markReady();
      else if (line.startsWith('done ')) done = JSON.parse(line.slice(5));
      else if (line.startsWith('ack ')) {
        acks.push(line.slice(4));
        wakeAckWaiters();
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<WorkerExit>((resolve, reject) => {
    child.on('error', reject);
    // 'close' comes after the streams are drained, so `acks` is complete by then.
    child.on('close', (code, signal) => {
      markReady(); // never leave a waiter hanging on a worker that died early
      ended = true;
      wakeAckWaiters();
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error('could not start the store worker');
  return {
    child,
    pid: child.pid,
    acks,
    ready,
    exited,
    acked: (count: number) =>
      new Promise<void>((resolve) => {
        ackWaiters.push({ count, resolve });
        wakeAckWaiters();
      }),
    done: () => done,
    stderr: () => stderr,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
