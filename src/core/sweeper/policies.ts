// Which runs a sweep may delete. One protection rule for every policy (the original had three that disagreed):
// a run is never deleted while it is running, starred, labelled, or holds a live starred or labelled artefact.
import { promises as fs } from 'node:fs';
import { discoverTools } from '../tools/discovery';
import { parseToolJson } from '../tools/parse';
import type { FileRefCounts } from './refCounts';
import type { SnapshotArtefact, SnapshotRun, SweepSnapshot } from './snapshot';
import type { RetainPolicy, RunProtection } from './types';

export function protectionOf(run: SnapshotRun, pinnedByArtefact: ReadonlyMap<string, RunProtection>): RunProtection | undefined {
  if (run.status === 'running') return 'running';
  if (run.starred) return 'starred';
  // Any label protects, even one another writer stored blank: the original also tests `label IS NULL`.
  if (run.label !== null) return 'labelled';
  return pinnedByArtefact.get(run.id);
}

const oldestFirst = (a: SnapshotRun, b: SnapshotRun): number =>
  a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Unprotected runs (of one tool, if given) started before the cutoff, oldest first. */
export function selectOlderThan(snapshot: SweepSnapshot, cutoffMs: number, toolId?: string): SnapshotRun[] {
  return snapshot.runs
    .filter(
      (run) =>
        (toolId === undefined || run.toolId === toolId) &&
        Number.isFinite(run.startedMs) &&
        run.startedMs < cutoffMs &&
        protectionOf(run, snapshot.pinnedByArtefact) === undefined,
    )
    .sort(oldestFirst);
}

/** retain_runs of a tool: its tool.json value, else the default; undefined = leave the tool alone. */
export function keepFor(policy: RetainPolicy, toolId: string): number | undefined {
  if (policy.skipTools.includes(toolId)) return undefined;
  return policy.byTool[toolId] ?? policy.defaultKeep;
}

/**
 * For each tool, the unprotected runs beyond its newest `keep` unprotected ones, oldest first. Protected runs do not
 * use up `keep` (as the original's star-aware prune): starring old runs never costs you recent history.
 */
export function selectBeyondRetain(snapshot: SweepSnapshot, policy: RetainPolicy, toolId?: string): SnapshotRun[] {
  const byTool = new Map<string, SnapshotRun[]>();
  for (const run of snapshot.runs) {
    if (toolId !== undefined && run.toolId !== toolId) continue;
    if (protectionOf(run, snapshot.pinnedByArtefact) !== undefined) continue;
    const list = byTool.get(run.toolId);
    if (list) list.push(run);
    else byTool.set(run.toolId, [run]);
  }
  const selected: SnapshotRun[] = [];
  for (const [tool, runs] of byTool) {
    const keep = keepFor(policy, tool);
    if (keep === undefined) continue;
    // Newest first, then everything past `keep`.
    runs.sort((a, b) => oldestFirst(b, a));
    selected.push(...runs.slice(keep));
  }
  return selected.sort(oldestFirst);
}

/**
 * The byte budget: with the runs already chosen gone, the oldest unprotected runs (any tool) until the files still
 * referenced fit in `maxBytes`. Runs without artefact rows are skipped (deleting them never frees a byte); a run
 * whose files are shared (dedup) still goes in its turn, since the file is freed once its last run goes.
 * `refs` must already reflect the chosen runs' removal; it is updated.
 */
export function selectForBudget(
  snapshot: SweepSnapshot,
  chosen: ReadonlySet<string>,
  artefactsByRun: ReadonlyMap<string, SnapshotArtefact[]>,
  refs: FileRefCounts,
  maxBytes: number,
): SnapshotRun[] {
  if (!(maxBytes > 0) || refs.totalBytes <= maxBytes) return [];
  const candidates = snapshot.runs
    .filter((run) => !chosen.has(run.id) && protectionOf(run, snapshot.pinnedByArtefact) === undefined)
    .sort(oldestFirst);
  const selected: SnapshotRun[] = [];
  for (const run of candidates) {
    if (refs.totalBytes <= maxBytes) break;
    const rows = artefactsByRun.get(run.id) ?? [];
    if (rows.length === 0) continue;
    refs.remove(rows);
    selected.push(run);
  }
  return selected;
}

/** Reads retain_runs from every tool.json (a missing key means the default). */
export async function loadRetainPolicy(toolsDir: string, defaultKeep: number): Promise<RetainPolicy> {
  const byTool: Record<string, number> = {};
  const skipTools: string[] = [];
  for (const tool of await discoverTools(toolsDir)) {
    let text: string;
    try {
      text = await fs.readFile(tool.toolJsonPath, 'utf8');
    } catch (error) {
      // No tool.json: not a tool, its old runs (if any) follow the default. Unreadable: leave them alone.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') skipTools.push(tool.toolId);
      continue;
    }
    // The parsed spec fills in 100 for a missing retain_runs; the raw JSON tells "absent" from "100".
    const raw = parseToolJson(text, tool.toolJsonPath).raw;
    if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      skipTools.push(tool.toolId);
      continue;
    }
    const value = (raw as Record<string, unknown>).retain_runs;
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) byTool[tool.toolId] = value;
    else skipTools.push(tool.toolId); // a broken value: do not guess
  }
  return { byTool, defaultKeep, skipTools };
}
