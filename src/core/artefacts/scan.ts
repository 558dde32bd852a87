// Registers the files a tool wrote into its run folder (reference §4.3): recursive; symlinks, dotfiles and
// `*.partial` skipped; symlinks that lead outside the artefacts root moved to `_quarantine/<UTC>-path-escape/`;
// secret-looking names redacted; a cap on files per run; output key inferred from the path. Idempotent on rel_path,
// so files spilled by spillOutputs (or registered by an earlier scan) are not registered twice; a registered file
// whose size changed since (a scan during streaming saw it half-written) gets its row's size and hash refreshed.
import fs from 'node:fs';
import path from 'node:path';
import {
  getArtefact,
  listArtefactsByRun,
  updateArtefactContent,
  type ArtefactRecord,
  type NewArtefact,
} from '../store/repositories/artefacts';
import { adjustRunArtefactBytes } from '../store/repositories/runs';
import type { Store } from '../store/types';
import { hashFile, type FileDigest } from './hash';
import { mimeForFilename } from './mime';
import { isInside, runFolderRel, safeJoin } from './paths';
import { RUN_OUTPUTS_KEY } from './reference';
import { pickFreeName } from './files';
import { insertRunArtefacts } from './registry';
import { isSecretLookingName, redactName } from './secretNames';

export interface ScanOptions {
  store: Store;
  artefactsRoot: string;
  toolId: string;
  runId: string;
  /** Declared output keys, for inferring which output a file belongs to. */
  outputKeys: readonly string[];
  /** max_artefacts_per_run: live rows of the run, spilled ones included, never exceed it. */
  maxFiles: number;
  /** ISO-8601 UTC timestamp: created_at, and the quarantine folder's name. */
  now: string;
}

export type ScanSkipReason =
  | 'hidden'
  | 'partial'
  | 'symlink'
  | 'special'
  | 'bad_name'
  | 'already_registered'
  | 'over_cap'
  | 'vanished';

export interface QuarantinedEntry {
  /** Where it was, relative to the artefacts root. */
  relPath: string;
  /** Where it is now, relative to the artefacts root. */
  quarantinedTo: string;
  /** The symlink's target as written. */
  target: string;
  reason: string;
}

export interface RedactedEntry {
  originalName: string;
  /** rel_path of the renamed file. */
  relPath: string;
}

export interface ScanResult {
  registered: ArtefactRecord[];
  /** Rows of files registered earlier whose size changed since; they now hold the new size and hash. */
  refreshed: ArtefactRecord[];
  quarantined: QuarantinedEntry[];
  redacted: RedactedEntry[];
  skipped: Record<ScanSkipReason, number>;
  /** Net change of runs.total_artefact_bytes (already applied in the store); negative if a file shrank. */
  bytesAdded: number;
}

interface Candidate {
  abs: string;
  /** Relative to the run folder, forward slashes. */
  rel: string;
}

/** `2025-01-01T00:00:00.000Z` → `20250101T000000Z`. */
function compactUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO-8601 timestamp: ${iso}`);
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The declared output a file belongs to: its first folder, else its stem, equal to a key; '' when none. */
export function inferOutputKey(relInRun: string, outputKeys: readonly string[]): string {
  const segments = relInRun.split('/');
  const keys = new Set(outputKeys.filter((k) => k !== RUN_OUTPUTS_KEY));
  if (segments.length > 1 && keys.has(segments[0])) return segments[0];
  const base = segments[segments.length - 1];
  const stem = base.slice(0, base.length - path.extname(base).length);
  return keys.has(stem) ? stem : '';
}

class Scanner {
  readonly result: ScanResult = {
    registered: [],
    refreshed: [],
    quarantined: [],
    redacted: [],
    skipped: { hidden: 0, partial: 0, symlink: 0, special: 0, bad_name: 0, already_registered: 0, over_cap: 0, vanished: 0 },
    bytesAdded: 0,
  };
  readonly candidates: Candidate[] = [];
  private quarantineDir: string | undefined;

  constructor(
    private readonly options: ScanOptions,
    private readonly runRel: string,
  ) {}

  async walk(dir: string, relPrefix: string): Promise<void> {
    let entries: fs.Dirent[];
    try {
      // The run folder itself is read synchronously: after most runs it is empty or nearly, and a trip through the
      // thread pool costs far more than that one small read. Subfolders (trees can be big) are read in the background.
      entries = relPrefix === '' ? fs.readdirSync(dir, { withFileTypes: true }) : await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      const rel = relPrefix === '' ? entry.name : `${relPrefix}/${entry.name}`;
      // Symlinks first: even a hidden one that leads out of the root must not stay where it is.
      if (entry.isSymbolicLink()) {
        await this.symlink(abs, rel);
        continue;
      }
      if (entry.name.startsWith('.')) {
        this.result.skipped.hidden++;
        continue;
      }
      if (entry.name.includes('\\')) {
        this.result.skipped.bad_name++;
        continue;
      }
      if (entry.isDirectory()) {
        await this.walk(abs, rel);
      } else if (entry.name.endsWith('.partial')) {
        this.result.skipped.partial++;
      } else if (entry.isFile()) {
        this.candidates.push({ abs, rel });
      } else {
        this.result.skipped.special++;
      }
    }
  }

  /** A symlink is never followed: skipped, or quarantined when its target lies outside the artefacts root. */
  private async symlink(abs: string, rel: string): Promise<void> {
    let target = '';
    let escapes: boolean;
    try {
      target = await fs.promises.readlink(abs);
      escapes = !isInside(this.options.artefactsRoot, await fs.promises.realpath(abs));
    } catch {
      // Dangling or looping: not followable, so it leads nowhere; an absolute target outside still counts.
      escapes = target !== '' && !isInside(this.options.artefactsRoot, path.resolve(path.dirname(abs), target));
    }
    if (!escapes) {
      this.result.skipped.symlink++;
      return;
    }
    this.quarantine(abs, rel, target, 'symlink leads outside the artefacts root');
  }

  /** Moves an entry (the link itself, never its target) into `_quarantine/<UTC>-path-escape/<tool>/<run>/…`. */
  quarantine(abs: string, rel: string, target: string, reason: string): void {
    const { artefactsRoot, now } = this.options;
    this.quarantineDir ??= `_quarantine/${compactUtc(now)}-path-escape/${this.runRel}`;
    const relDir = path.posix.dirname(`${this.quarantineDir}/${rel}`);
    const destDir = safeJoin(artefactsRoot, relDir);
    fs.mkdirSync(destDir, { recursive: true, mode: 0o700 });
    const name = pickFreeName(destDir, path.basename(abs));
    fs.renameSync(abs, path.join(destDir, name));
    this.result.quarantined.push({
      relPath: `${this.runRel}/${rel}`,
      quarantinedTo: `${relDir}/${name}`,
      target,
      reason,
    });
  }
}

/** Renames a secret-looking file in place; returns its new path relative to the run folder. */
function redactOnDisk(candidate: Candidate): { rel: string; abs: string; tags: string[]; originalName: string } {
  const originalName = path.basename(candidate.abs);
  const { name, tags } = redactName(originalName);
  const dir = path.dirname(candidate.abs);
  const chosen = pickFreeName(dir, name);
  const abs = path.join(dir, chosen);
  fs.renameSync(candidate.abs, abs);
  const relDir = path.posix.dirname(candidate.rel);
  return { rel: relDir === '.' ? chosen : `${relDir}/${chosen}`, abs, tags, originalName };
}

export async function scanRunFolder(options: ScanOptions): Promise<ScanResult> {
  const { store, artefactsRoot, toolId, runId, outputKeys, maxFiles, now } = options;
  if (!Number.isSafeInteger(maxFiles) || maxFiles < 0) throw new RangeError(`maxFiles must be a non-negative integer, got ${maxFiles}`);
  const runRel = runFolderRel(toolId, runId);
  // Throws when the run folder (or the tool folder) is a symlink: nothing is scanned then. Without symlinks and `..`
  // (runFolderRel refuses both in the ids), the folder is inside the root.
  const runDir = safeJoin(artefactsRoot, runRel);
  const scanner = new Scanner(options, runRel);
  await scanner.walk(runDir, '');
  const result = scanner.result;
  // Nothing to register or refresh (an empty folder, after most runs): no need to read the run's rows.
  if (scanner.candidates.length === 0) return result;

  const known = store.read((q) => listArtefactsByRun(q, runId, true));
  const registeredPaths = new Map(known.map((a) => [a.relPath, a]));
  let room = Math.max(0, maxFiles - known.filter((a) => a.deletedAt === null).length);

  interface Hashed {
    rel: string;
    filename: string;
    outputKey: string;
    tags: string[];
    digest: FileDigest;
  }
  const hashed: Hashed[] = [];
  const changed: { id: number; digest: FileDigest }[] = [];
  for (const candidate of scanner.candidates) {
    const existing = registeredPaths.get(`${runRel}/${candidate.rel}`);
    if (existing) {
      const digest = existing.deletedAt === null ? await digestIfResized(candidate.abs, existing.sizeBytes) : undefined;
      if (digest) changed.push({ id: existing.id, digest });
      else result.skipped.already_registered++;
      continue;
    }
    if (room === 0) {
      result.skipped.over_cap++;
      continue;
    }
    try {
      // The real path is checked again right before reading: a folder swapped for a symlink mid-walk is caught here.
      if (!isInside(runDir, await fs.promises.realpath(candidate.abs))) {
        scanner.quarantine(candidate.abs, candidate.rel, '', 'resolves outside the run folder');
        continue;
      }
      let { rel, abs } = candidate;
      let tags: string[] = [];
      const originalName = path.basename(abs);
      if (isSecretLookingName(originalName)) {
        ({ rel, abs, tags } = redactOnDisk(candidate));
        result.redacted.push({ originalName, relPath: `${runRel}/${rel}` });
      }
      hashed.push({
        rel,
        filename: path.basename(abs),
        outputKey: inferOutputKey(candidate.rel, outputKeys),
        tags,
        digest: await hashFile(abs),
      });
      room--;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') {
        result.skipped.vanished++;
        continue;
      }
      throw error;
    }
  }
  if (hashed.length === 0 && changed.length === 0) return result;

  let delta = 0;
  const records = await store.write((q) => {
    for (const { id, digest } of changed) {
      const row = getArtefact(q, id);
      if (!row || row.deletedAt !== null || (row.sizeBytes === digest.size && row.sha256 === digest.sha256)) continue;
      updateArtefactContent(q, id, { sizeBytes: digest.size, sha256: digest.sha256 });
      adjustRunArtefactBytes(q, runId, digest.size - row.sizeBytes);
      delta += digest.size - row.sizeBytes;
      const updated = getArtefact(q, id);
      if (updated) result.refreshed.push(updated);
    }
    // Again inside the transaction: another scan of the same run may have registered some of these meanwhile.
    const current = listArtefactsByRun(q, runId, true);
    const taken = new Set(current.map((a) => a.relPath));
    let space = maxFiles - current.filter((a) => a.deletedAt === null).length;
    const rows: NewArtefact[] = [];
    for (const file of hashed) {
      const relPath = `${runRel}/${file.rel}`;
      if (taken.has(relPath)) {
        result.skipped.already_registered++;
        continue;
      }
      if (space <= 0) {
        result.skipped.over_cap++;
        continue;
      }
      space--;
      rows.push({
        runId,
        toolId,
        outputKey: file.outputKey,
        relPath,
        filename: file.filename,
        mime: mimeForFilename(file.filename),
        sizeBytes: file.digest.size,
        sha256: file.digest.sha256,
        createdAt: now,
        tags: file.tags,
      });
    }
    return insertRunArtefacts(q, runId, rows);
  });
  result.registered = records;
  result.bytesAdded = delta + records.reduce((sum, r) => sum + r.sizeBytes, 0);
  return result;
}

/** The new digest of a registered file whose size is no longer `recordedSize`; undefined if unchanged or gone. */
async function digestIfResized(abs: string, recordedSize: number): Promise<FileDigest | undefined> {
  try {
    const stat = await fs.promises.lstat(abs);
    if (!stat.isFile() || stat.size === recordedSize) return undefined;
    return await hashFile(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
