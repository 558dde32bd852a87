// Liveness of a local process, with its start time so a recycled pid is not mistaken for the original holder.
import fs from 'node:fs';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the local process `pid` that recorded `recordedStart` (its processStartTime) is gone: not running, or its
 * pid now belongs to a process started at another time. Without a recorded start, a running pid counts as alive.
 */
export function processGone(pid: number, recordedStart: string | null | undefined): boolean {
  if (!isProcessAlive(pid)) return true;
  const start = processStartTime(pid);
  return recordedStart !== undefined && recordedStart !== null && start !== undefined && start !== recordedStart;
}

/** Process start time in clock ticks since boot (Linux /proc), or undefined where unavailable. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall: starttime
  } catch {
    return undefined;
  }
}
