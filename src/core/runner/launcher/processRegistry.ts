// Tools lead their own process groups and stay warm for minutes, so a host killed with SIGKILL (a crashed
// extension host, `kill -9` of the CLI) leaves them running: no exit handler runs then. Each host therefore lists
// the tool processes it started in a small file of its own, in a folder every Pixie process on the same workspace and
// machine finds from pixie.db's path, so the next one can find and stop them (orphanReaper.ts). A plain file, not a
// row in pixie.db: spawning a tool must not wait for a commit, and a file per host means no two processes ever write
// the same file. The folder is private to the user, under the OS temp folder: pids mean something on this machine
// only, the files never show up in the user's workspace, and they go away with a reboot (as the processes do).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { startTimeOf } from './processIdentity';

/** Prefix of the per-workspace folder (under the user's private folder in the OS temp dir). */
export const REGISTRY_DIR_NAME = 'tool-processes';
export const REGISTRY_FORMAT = 'pixie-tool-processes';
export const REGISTRY_VERSION = 1;

/** `<hostPid>-<nonce>.json`, and `<…>.json.tmp` while one is being rewritten. */
export const REGISTRY_FILE_PATTERN = /^\d+-[0-9a-f]+\.json$/;
export const REGISTRY_TEMP_PATTERN = /^\d+-[0-9a-f]+\.json\.tmp$/;

export interface RegistryHost {
  pid: number;
  /** See processIdentity.ts; absent where the platform cannot tell. */
  startTime?: string;
  hostname: string;
}

export interface RegisteredTool {
  toolId: string;
  /** The tool's process-group leader. */
  pid: number;
  startTime?: string;
  port: number;
}

export interface RegistryFile {
  format: typeof REGISTRY_FORMAT;
  version: typeof REGISTRY_VERSION;
  host: RegistryHost;
  tools: RegisteredTool[];
}

export type ParsedRegistry =
  | { ok: true; file: RegistryFile }
  /** `newer`: written by a later Pixie whose format this one does not know, so it must not be touched. */
  | { ok: false; reason: 'corrupt' | 'newer' };

/** The user's private folder for Pixie's runtime files: `<tmp>/pixie-<uid>` (or the user name where there is no uid). */
export function userRuntimeRoot(tmpDir: string = os.tmpdir()): string {
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username.replace(/[^\w.-]/g, '_');
  return path.join(tmpDir, `pixie-${user}`);
}

/** The registry folder of the workspace whose database is `dbPath`: named after a hash of its absolute path. */
export function registryDirFor(dbPath: string, tmpDir?: string): string {
  const key = createHash('sha256').update(path.resolve(dbPath)).digest('hex').slice(0, 16);
  return path.join(userRuntimeRoot(tmpDir), `${REGISTRY_DIR_NAME}-${key}`);
}

/**
 * Makes `dir` (and its parent, the user's runtime folder) if missing, 0700, and checks that both are real folders
 * owned by this user that nobody else can write: a folder another user planted in the shared temp dir must never
 * decide which processes Pixie stops. Throws when they are not.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 }); // the folders it makes are 0700; existing ones are checked:
  for (const folder of [path.dirname(dir), dir]) assertPrivateDir(folder);
}

function removeIfEmpty(folder: string): void {
  try {
    fs.rmdirSync(folder);
  } catch {
    // not empty, or already gone
  }
}

/** Throws unless `folder` is a real folder (not a symlink) of this user, not writable by group or others. */
export function assertPrivateDir(folder: string): void {
  const stat = fs.lstatSync(folder);
  if (!stat.isDirectory()) throw new Error(`${folder} is not a folder (a symlink or a file is there)`);
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return; // per-user temp dir there
  if (stat.uid !== process.getuid()) throw new Error(`${folder} belongs to another user (uid ${stat.uid})`);
  if ((stat.mode & 0o022) !== 0) throw new Error(`${folder} is writable by other users (mode ${(stat.mode & 0o777).toString(8)})`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPid(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function parseTool(value: unknown): RegisteredTool | undefined {
  if (!isRecord(value)) return undefined;
  const { toolId, pid, startTime, port } = value;
  if (typeof toolId !== 'string' || !isPid(pid) || !optionalString(startTime)) return undefined;
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535) return undefined;
  return { toolId, pid, port: port as number, ...(startTime === undefined ? {} : { startTime }) };
}

export function parseRegistryFile(text: string): ParsedRegistry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  if (!isRecord(json) || json.format !== REGISTRY_FORMAT || !Number.isInteger(json.version)) return { ok: false, reason: 'corrupt' };
  if ((json.version as number) > REGISTRY_VERSION) return { ok: false, reason: 'newer' };
  if (json.version !== REGISTRY_VERSION) return { ok: false, reason: 'corrupt' };
  const host = json.host;
  if (!isRecord(host) || !isPid(host.pid) || typeof host.hostname !== 'string' || !optionalString(host.startTime)) {
    return { ok: false, reason: 'corrupt' };
  }
  if (!Array.isArray(json.tools)) return { ok: false, reason: 'corrupt' };
  const tools: RegisteredTool[] = [];
  for (const entry of json.tools) {
    const tool = parseTool(entry);
    if (!tool) return { ok: false, reason: 'corrupt' };
    tools.push(tool);
  }
  const parsedHost: RegistryHost = { pid: host.pid, hostname: host.hostname, ...(host.startTime === undefined ? {} : { startTime: host.startTime }) };
  return { ok: true, file: { format: REGISTRY_FORMAT, version: REGISTRY_VERSION, host: parsedHost, tools } };
}

/** What the registry needs of a ToolProcess (kept structural so tests can pass plain objects). */
export interface TrackableProcess {
  readonly toolId: string;
  readonly pid: number;
  readonly port: number;
  readonly exited: Promise<unknown>;
}

export interface ProcessRegistryOptions {
  /** A failed write never fails a spawn; it is reported here (for the log). */
  onError?: (error: Error) => void;
}

/**
 * This host's registry file: rewritten (temp file + rename) whenever a tool process starts or exits, absent while
 * no tool runs. Writes are synchronous so the file is up to date before the spawning code goes on.
 */
export class ProcessRegistry {
  readonly filePath: string;
  private readonly host: RegistryHost;
  private readonly tools = new Map<number, RegisteredTool>();

  constructor(readonly dir: string, private readonly options: ProcessRegistryOptions = {}) {
    this.filePath = path.join(dir, `${process.pid}-${randomBytes(6).toString('hex')}.json`);
    const startTime = startTimeOf(process.pid);
    this.host = { pid: process.pid, hostname: os.hostname(), ...(startTime === undefined ? {} : { startTime }) };
  }

  /** Lists the process now and drops it once it has exited. */
  track(proc: TrackableProcess): void {
    const entry = this.add(proc);
    void proc.exited.then(() => {
      if (this.tools.get(proc.pid) === entry) this.remove(proc.pid);
    });
  }

  add(proc: Pick<TrackableProcess, 'toolId' | 'pid' | 'port'>): RegisteredTool {
    const startTime = startTimeOf(proc.pid);
    const entry: RegisteredTool = { toolId: proc.toolId, pid: proc.pid, port: proc.port, ...(startTime === undefined ? {} : { startTime }) };
    this.tools.set(proc.pid, entry);
    this.write();
    return entry;
  }

  remove(pid: number): void {
    if (this.tools.delete(pid)) this.write();
  }

  get entries(): RegisteredTool[] {
    return [...this.tools.values()];
  }

  /** Forgets every process and removes the file (the launcher has stopped them). */
  close(): void {
    this.tools.clear();
    this.write();
  }

  private write(): void {
    try {
      if (this.tools.size === 0) {
        fs.rmSync(this.filePath, { force: true });
        removeIfEmpty(this.dir); // other hosts' files keep it
        return;
      }
      this.ensureDir();
      const file: RegistryFile = { format: REGISTRY_FORMAT, version: REGISTRY_VERSION, host: this.host, tools: this.entries };
      const temp = `${this.filePath}.tmp`;
      // No fsync: the file guards against a killed process, not a machine crash (which takes the tools with it).
      fs.writeFileSync(temp, `${JSON.stringify(file)}\n`, { mode: 0o600 });
      try {
        fs.renameSync(temp, this.filePath);
      } catch (error) {
        fs.rmSync(temp, { force: true });
        throw error;
      }
    } catch (error) {
      this.options.onError?.(error as Error);
    }
  }

  private ensureDir(): void {
    ensurePrivateDir(this.dir);
  }
}
