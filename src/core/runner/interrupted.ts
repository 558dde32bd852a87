// Crash safety: runs left `running` by a process that no longer exists are finished as interrupted.
import os from 'node:os';
import type { Store } from '../store/types';
import { finishRun, listRunningRuns } from '../store/repositories/runs';
import { processGone } from '../store/processAlive';

/** Runs without an owner (written by the original Pixie) count as interrupted after this long. */
const OWNERLESS_GRACE_MS = 60 * 60 * 1000;

interface Owner {
  pid: number;
  host: string;
  start: string | null;
}

function ownerOf(metaJson: string | null): Owner | undefined {
  try {
    const meta = JSON.parse(metaJson ?? '{}') as { owner?: Owner };
    return meta.owner && typeof meta.owner.pid === 'number' ? meta.owner : undefined;
  } catch {
    return undefined;
  }
}

function ownerGone(owner: Owner): boolean {
  if (owner.host !== os.hostname()) return false; // another machine's run: we cannot tell
  return processGone(owner.pid, owner.start);
}

/** Mark orphaned `running` rows as `error` with a clear reason; returns their ids. */
export async function recoverInterruptedRuns(store: Store, now: Date = new Date()): Promise<string[]> {
  const candidates = store.read((q) => listRunningRuns(q)).filter((run) => {
    const owner = ownerOf(run.metaJson);
    if (owner) return ownerGone(owner);
    return now.getTime() - Date.parse(run.startedAt) > OWNERLESS_GRACE_MS;
  });
  if (candidates.length === 0) return [];
  const finishedAt = now.toISOString();
  return store.write((q) =>
    candidates
      .filter((run) => {
        const owner = ownerOf(run.metaJson);
        const meta = { ...(JSON.parse(run.metaJson ?? '{}') as Record<string, unknown>), interrupted: true };
        const reason = owner
          ? `interrupted: the process that ran it (pid ${owner.pid} on ${owner.host}) exited before the run finished`
          : 'interrupted: the run never finished (no process is running it any more)';
        return finishRun(q, run.id, { status: 'error', finishedAt, errorText: reason, metaJson: JSON.stringify(meta) });
      })
      .map((run) => run.id),
  );
}
