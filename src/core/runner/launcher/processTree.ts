// Stopping a tool means stopping everything it started: SIGTERM to its process group, a grace period,
// then SIGKILL to the group and to every descendant that left the group (setsid, double fork).
// Descendants are listed BEFORE the first signal, because once a middle process dies its children are
// re-parented and can no longer be found from the tool's pid.
import { execFile } from 'node:child_process';
import fs from 'node:fs';

export interface KillTreeOptions {
  /** How long the tree may take to exit after SIGTERM (default 5000 ms). */
  graceMs?: number;
  /** How long to wait for the tree to vanish after SIGKILL (default 2000 ms). */
  killWaitMs?: number;
  pollMs?: number;
}

export interface KillTreeResult {
  /** SIGKILL had to be sent. */
  forced: boolean;
  /** Pids still alive at the end (should be empty; non-empty means we lacked permission). */
  survivors: number[];
}

interface ProcIdentity {
  pid: number;
  startTime: string | undefined;
}

/** Linux /proc/<pid>/stat fields after the command name: state, ppid, pgrp, …, starttime. */
function readStat(pid: number): { state: string; ppid: number; pgrp: number; startTime: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; the fixed fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

const hasProcfs = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/** Alive and not a zombie (zombies can linger when pid 1 does not reap, as in some containers). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!hasProcfs) return true;
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

function sameProcess(identity: ProcIdentity): boolean {
  if (!isPidAlive(identity.pid)) return false;
  if (!hasProcfs || identity.startTime === undefined) return true;
  return readStat(identity.pid)?.startTime === identity.startTime;
}

/** Live (non-zombie) members of a process group; on systems without /proc, [pgid] if the group exists. */
export function processGroupMembers(pgid: number): number[] {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return [];
  }
  if (!hasProcfs) return [pgid];
  const members: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(Number(name));
  }
  return members;
}

/** Every descendant of the given roots (children, grandchildren, …), roots excluded. Errors → []. */
export async function listDescendants(roots: readonly number[]): Promise<number[]> {
  let pairs: { pid: number; ppid: number }[];
  try {
    const { default: pidtree } = await import('pidtree');
    pairs = await pidtree(-1, { advanced: true });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of pairs) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const parent = queue.pop() as number;
    for (const child of children.get(parent) ?? []) {
      if (found.has(child) || roots.includes(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return [...found];
}

/**
 * Synchronous variant for the host's 'exit' handler, where nothing async can run: reads /proc on Linux,
 * returns [] elsewhere.
 */
export function listDescendantsSync(roots: readonly number[]): number[] {
  if (!hasProcfs || roots.length === 0) return [];
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat) continue;
    const list = children.get(stat.ppid);
    if (list) list.push(Number(name));
    else children.set(stat.ppid, [Number(name)]);
  }
  const found = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop() as number) ?? []) {
      if (!found.has(child) && !roots.includes(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return [...found];
}

function signalQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // Already gone (ESRCH) or not ours (EPERM): nothing more we can do here.
  }
}

function identify(pids: readonly number[]): ProcIdentity[] {
  return pids.map((pid) => ({ pid, startTime: hasProcfs ? readStat(pid)?.startTime : undefined }));
}

function aliveIn(groupLeader: number, escaped: readonly ProcIdentity[]): number[] {
  const alive = new Set(processGroupMembers(groupLeader));
  for (const identity of escaped) if (sameProcess(identity)) alive.add(identity.pid);
  return [...alive];
}

async function waitUntilGone(leader: number, escaped: readonly ProcIdentity[], ms: number, pollMs: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = aliveIn(leader, escaped);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Stops the process group led by `pid` and all its descendants. Tolerates a tree that is already gone.
 * `pid` must lead its own process group (spawned with `detached: true`).
 */
export async function killProcessTree(pid: number, options: KillTreeOptions = {}): Promise<KillTreeResult> {
  const graceMs = options.graceMs ?? 5000;
  const killWaitMs = options.killWaitMs ?? 2000;
  const pollMs = options.pollMs ?? 25;
  if (process.platform === 'win32') return killWindowsTree(pid, graceMs, killWaitMs, pollMs);

  const known = identify(await listDescendants([pid]));
  // Spawned with setsid, the tool leads its session and group for life, so -pid always reaches it.
  signalQuietly(-pid, 'SIGTERM');
  for (const identity of known) if (sameProcess(identity)) signalQuietly(identity.pid, 'SIGTERM');

  let alive = await waitUntilGone(pid, known, graceMs, pollMs);
  if (alive.length === 0) return { forced: false, survivors: [] };

  // Anything started during the grace period is a descendant of a process still alive.
  const roots = [pid, ...alive].filter((p) => isPidAlive(p));
  const late = identify((await listDescendants(roots)).filter((p) => !known.some((k) => k.pid === p)));
  const everyone = [...known, ...late];
  signalQuietly(-pid, 'SIGKILL');
  for (const identity of everyone) if (sameProcess(identity)) signalQuietly(identity.pid, 'SIGKILL');
  alive = await waitUntilGone(pid, everyone, killWaitMs, pollMs);
  return { forced: true, survivors: alive };
}

function taskkill(pid: number, force: boolean): Promise<void> {
  const args = ['/pid', String(pid), '/T', ...(force ? ['/F'] : [])];
  return new Promise((resolve) => execFile('taskkill', args, { windowsHide: true }, () => resolve()));
}

async function killWindowsTree(pid: number, graceMs: number, killWaitMs: number, pollMs: number): Promise<KillTreeResult> {
  const known = identify(await listDescendants([pid]));
  const waitAll = async (ms: number): Promise<number[]> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const alive = [pid, ...known.map((k) => k.pid)].filter((p) => isPidAlive(p));
      if (alive.length === 0 || Date.now() >= deadline) return alive;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  await taskkill(pid, false);
  if ((await waitAll(graceMs)).length === 0) return { forced: false, survivors: [] };
  await taskkill(pid, true);
  for (const identity of known) if (isPidAlive(identity.pid)) signalQuietly(identity.pid, 'SIGKILL');
  return { forced: true, survivors: await waitAll(killWaitMs) };
}
