// Helpers for tests that run the fixture tools: their LaunchSpec (read from tool.json here, without the
// tool.json model), and a /proc scan for every process carrying a per-test-file marker in its environment,
// so a test can assert it left no process behind (grandchildren included).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { runtimeForEntrypoint, type LaunchSpec } from '../../src/core/runner/launcher';

export const FIXTURE_TOOLS_DIR = path.resolve(__dirname, '..', 'fixtures', 'tools');
export const MARKER_ENV = 'PIXIE_TEST_MARKER';

export function newMarker(): string {
  return randomUUID();
}

export function fixtureSpec(toolId: string, overrides: Partial<LaunchSpec> = {}): LaunchSpec {
  const toolDir = path.join(FIXTURE_TOOLS_DIR, toolId);
  const json = JSON.parse(fs.readFileSync(path.join(toolDir, 'tool.json'), 'utf8')) as Record<string, unknown>;
  const entrypoint = typeof json.entrypoint === 'string' ? json.entrypoint : 'main.py';
  return {
    toolId: typeof json.id === 'string' ? json.id : toolId,
    toolDir,
    entrypoint,
    runtime: runtimeForEntrypoint(entrypoint),
    maxMemoryMb: typeof json.max_memory_mb === 'number' ? json.max_memory_mb : undefined,
    warmKeepSeconds: typeof json.warm_keep_seconds === 'number' ? json.warm_keep_seconds : 300,
    pinnedWarm: false,
    concurrent: json.concurrent !== false,
    ...overrides,
  };
}

function isLive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Live pids whose environment contains MARKER_ENV=<marker> (Linux /proc). */
export function pidsWithMarker(marker: string): number[] {
  const needle = `${MARKER_ENV}=${marker}`;
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${name}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(needle) && isLive(Number(name))) found.push(Number(name));
  }
  return found;
}

export function pidAlive(pid: number): boolean {
  return isLive(pid);
}

export async function waitFor(check: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** SIGKILLs whatever a failed test left behind, then reports what it had to kill. */
export function killLeftovers(marker: string): number[] {
  const left = pidsWithMarker(marker);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return left;
}
