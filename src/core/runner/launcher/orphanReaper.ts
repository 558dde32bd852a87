// At start-up, stop the tool processes that a killed Pixie host left behind (see processRegistry.ts).
// Only a registry file whose host is provably gone is acted on, and only a tool whose group leader is provably the
// process that host started (same pid AND same start time) is killed: a live VS Code window, a CLI run on the same
// workspace, another machine sharing the folder and a recycled pid are all left alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTimeOf } from './processIdentity';
import { isPidAlive, killProcessTree, type KillTreeResult } from './processTree';
import { assertPrivateDir, parseRegistryFile, REGISTRY_FILE_PATTERN, REGISTRY_TEMP_PATTERN, type RegisteredTool, type RegistryHost } from './processRegistry';

/** How the reaper sees processes (replaceable in tests). */
export interface ProcessProbe {
  /** Running and not a zombie. */
  isAlive(pid: number): boolean;
  startTime(pid: number): string | undefined;
}

export interface ReapOptions {
  /** Grace after SIGTERM before the tree is SIGKILLed (default 2000 ms). */
  graceMs?: number;
  /** Wait for the tree to vanish after SIGKILL (default 2000 ms). */
  killWaitMs?: number;
  /** An unreadable or half-written file older than this is removed; a younger one may still be being written (default 60 000 ms). */
  staleAfterMs?: number;
  /** This machine's name (default os.hostname()); files of other machines are never touched. */
  hostname?: string;
  probe?: ProcessProbe;
  killTree?: (pid: number) => Promise<KillTreeResult>;
  now?: () => number;
}

export interface ReapedTool {
  toolId: string;
  pid: number;
  port: number;
  /** The dead host that had started it. */
  hostPid: number;
  /** It ignored SIGTERM and had to be SIGKILLed. */
  forced: boolean;
}

export interface LeftAlone {
  toolId: string;
  pid: number;
  file: string;
}

export interface ReapReport {
  killed: ReapedTool[];
  /** Pids still alive after the kill (permission denied): their files are kept for the next attempt. */
  survivors: number[];
  /** The pid is alive but is another process now (start time differs): not ours to kill. */
  recycled: LeftAlone[];
  /** No start time was recorded or can be read here, so the process cannot be proven ours: not killed. */
  unverified: LeftAlone[];
  /** Registry files of dead hosts, removed once handled. */
  removedFiles: string[];
  /** Unreadable or half-written files older than staleAfterMs, removed. */
  removedJunk: string[];
  /** Files left as they are: a live host, another machine, a newer format, or too young to judge. */
  liveHosts: string[];
  otherMachines: string[];
  skipped: string[];
  /** Files that could not be read or removed (with the reason). */
  errors: string[];
}

const defaultProbe: ProcessProbe = { isAlive: isPidAlive, startTime: (pid) => startTimeOf(pid) };

function emptyReport(): ReapReport {
  return { killed: [], survivors: [], recycled: [], unverified: [], removedFiles: [], removedJunk: [], liveHosts: [], otherMachines: [], skipped: [], errors: [] };
}

/** Dead if its pid is gone or now belongs to a process that started at another time. Unknown → alive. */
function hostIsAlive(host: RegistryHost, probe: ProcessProbe): boolean {
  if (!probe.isAlive(host.pid)) return false;
  if (host.startTime === undefined) return true;
  const current = probe.startTime(host.pid);
  return current === undefined || current === host.startTime;
}

type ToolVerdict = 'gone' | 'recycled' | 'unverified' | 'ours';

function judgeTool(tool: RegisteredTool, probe: ProcessProbe): ToolVerdict {
  if (!probe.isAlive(tool.pid)) return 'gone';
  if (tool.startTime === undefined) return 'unverified';
  const current = probe.startTime(tool.pid);
  if (current === undefined) return probe.isAlive(tool.pid) ? 'unverified' : 'gone';
  return current === tool.startTime ? 'ours' : 'recycled';
}

function removeFile(file: string, list: string[], report: ReapReport): void {
  try {
    fs.rmSync(file, { force: true });
    list.push(file);
  } catch (error) {
    report.errors.push(`${file}: ${(error as Error).message}`);
  }
}

/**
 * Stops the tool processes listed by registry files of dead hosts on this machine and removes those files.
 * Never throws; a missing folder is simply nothing to do. Safe to run in several processes at once.
 */
export async function reapOrphanedTools(runtimeDir: string, options: ReapOptions = {}): Promise<ReapReport> {
  const report = emptyReport();
  const probe = options.probe ?? defaultProbe;
  const hostname = options.hostname ?? os.hostname();
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const killTree = options.killTree ?? ((pid: number) => killProcessTree(pid, { graceMs: options.graceMs ?? 2000, killWaitMs: options.killWaitMs ?? 2000 }));

  let names: string[];
  try {
    // Only a folder that is this user's alone is trusted to say which processes to stop.
    for (const folder of [path.dirname(runtimeDir), runtimeDir]) assertPrivateDir(folder);
    names = fs.readdirSync(runtimeDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report.errors.push(`${runtimeDir}: ${(error as Error).message}`);
    return report;
  }

  const isStale = (file: string): boolean => {
    try {
      return now() - fs.statSync(file).mtimeMs > staleAfterMs;
    } catch {
      return false; // gone meanwhile (renamed over, or removed by another reaper)
    }
  };

  const pending: Promise<void>[] = [];
  for (const name of names.sort()) {
    const file = path.join(runtimeDir, name);
    if (REGISTRY_TEMP_PATTERN.test(name)) {
      // A rewrite in progress, or one interrupted by the kill: only an old one is junk.
      if (isStale(file)) removeFile(file, report.removedJunk, report);
      continue;
    }
    if (!REGISTRY_FILE_PATTERN.test(name)) continue; // not ours (.gitignore, anything a user put here)
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report.errors.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    const parsed = parseRegistryFile(text);
    if (!parsed.ok) {
      if (parsed.reason === 'corrupt' && isStale(file)) removeFile(file, report.removedJunk, report);
      else report.skipped.push(file);
      continue;
    }
    const { host, tools } = parsed.file;
    if (host.hostname !== hostname) {
      report.otherMachines.push(file);
      continue;
    }
    if (hostIsAlive(host, probe)) {
      report.liveHosts.push(file);
      continue;
    }
    pending.push(reapFile(file, host, tools, probe, killTree, report));
  }
  await Promise.all(pending);
  return report;
}

async function reapFile(
  file: string,
  host: RegistryHost,
  tools: readonly RegisteredTool[],
  probe: ProcessProbe,
  killTree: (pid: number) => Promise<KillTreeResult>,
  report: ReapReport,
): Promise<void> {
  let survived = false;
  await Promise.all(
    tools.map(async (tool) => {
      const verdict = judgeTool(tool, probe);
      if (verdict === 'recycled' || verdict === 'unverified') report[verdict].push({ toolId: tool.toolId, pid: tool.pid, file });
      if (verdict !== 'ours') return;
      let result: KillTreeResult;
      try {
        result = await killTree(tool.pid);
      } catch (error) {
        survived = true;
        report.errors.push(`${tool.toolId} (pid ${tool.pid}): ${(error as Error).message}`);
        return;
      }
      report.killed.push({ toolId: tool.toolId, pid: tool.pid, port: tool.port, hostPid: host.pid, forced: result.forced });
      if (result.survivors.length > 0) {
        survived = true;
        report.survivors.push(...result.survivors);
      }
    }),
  );
  if (!survived) removeFile(file, report.removedFiles, report);
}

/** One line for the log: what was stopped, what was left alone and why. */
export function summarizeReap(report: ReapReport): string {
  const parts: string[] = [];
  if (report.killed.length > 0) {
    const hosts = new Set(report.killed.map((k) => k.hostPid)).size;
    const names = report.killed.map((k) => `${k.toolId} (pid ${k.pid}${k.forced ? ', SIGKILL' : ''})`).join(', ');
    parts.push(`stopped ${report.killed.length} tool process${report.killed.length === 1 ? '' : 'es'} left by ${hosts} killed Pixie host${hosts === 1 ? '' : 's'}: ${names}`);
  } else {
    parts.push('no tool processes left by killed Pixie hosts');
  }
  if (report.survivors.length > 0) parts.push(`still alive: ${report.survivors.join(', ')}`);
  if (report.recycled.length > 0) parts.push(`${report.recycled.length} recorded pid(s) now belong to other processes (left alone)`);
  if (report.unverified.length > 0) parts.push(`${report.unverified.length} process(es) could not be verified (left alone)`);
  const files = report.removedFiles.length + report.removedJunk.length;
  if (files > 0) parts.push(`${files} registry file${files === 1 ? '' : 's'} removed`);
  if (report.errors.length > 0) parts.push(`errors: ${report.errors.join('; ')}`);
  return parts.join('; ');
}
