// Tools lead their own process groups and stay warm for minutes, so a host killed with SIGKILL (a crashed
// extension host, `kill -9` of the CLI) leaves them running: no exit handler runs then. Each host therefore lists
// the tool processes it started in a small file of its own, next to pixie.db, so the next Pixie process on the
// workspace can find and stop them (orphanReaper.ts). A plain file, not a row in pixie.db: spawning a tool must not
// wait for a commit, and a file per host means no two processes ever write the same file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTimeOf } from './processIdentity';

/** The folder, beside pixie.db, that holds one registry file per running Pixie host. */
export const REGISTRY_DIR_NAME = '.pixie-run';
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

/** The registry folder of the workspace whose database is `dbPath`. */
export function registryDirFor(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), REGISTRY_DIR_NAME);
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
    fs.mkdirSync(this.dir, { recursive: true });
    // The folder sits in the user's workspace, usually a git repository: keep it out of `git status`.
    const ignore = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Pixie: tool processes of running hosts (see docs/RUNNER.md)\n*\n');
  }
}
