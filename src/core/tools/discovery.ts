// Finds the tools of a workspace: every direct subfolder of tools/ (skipping `.x` and `_x`), each
// parsed from its tool.json. Broken tools are listed too, with their errors, so the tree can show them.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ToolJsonError, ToolSpec } from './model';
import { errorAtPath, parseToolJson } from './parse';

export type ToolRuntime = 'python' | 'node';

export interface DiscoveredTool {
  /** `spec.id` when tool.json parses, else the folder name. */
  toolId: string;
  folderName: string;
  dir: string;
  toolJsonPath: string;
  spec: ToolSpec | undefined;
  /** Empty when the tool is usable. A duplicate id leaves `spec` set but adds an error here. */
  errors: ToolJsonError[];
  runtime: ToolRuntime;
  entrypointPath: string;
  hasVenv: boolean;
  venvPython: string;
  hasReferenceFixtures: boolean;
  discoveryHash: string;
}

const DEFAULT_ENTRYPOINT = 'main.py';
const PARALLEL_READS = 8;

export function runtimeFor(entrypoint: string): ToolRuntime {
  return /\.(?:js|mjs|cjs)$/i.test(entrypoint) ? 'node' : 'python';
}

export function venvPythonPath(dir: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32'
    ? path.win32.join(dir, '.venv', 'Scripts', 'python.exe')
    : path.join(dir, '.venv', 'bin', 'python');
}

/** A tool can be started only when its spec parsed and nothing else is wrong with it. */
export function isUsable(tool: DiscoveredTool): tool is DiscoveredTool & { spec: ToolSpec } {
  return tool.spec !== undefined && tool.errors.length === 0;
}

export async function discoverTools(toolsDir: string, platform: NodeJS.Platform = process.platform): Promise<DiscoveredTool[]> {
  let names: string[];
  try {
    names = await fs.readdir(toolsDir);
  } catch {
    return [];
  }
  const candidates = names.filter((n) => !n.startsWith('.') && !n.startsWith('_')).sort(compareCodeUnits);
  const folders: string[] = [];
  for (const name of candidates) {
    // stat (not lstat) so a symlinked tool folder counts as a folder.
    const st = await fs.stat(path.join(toolsDir, name)).catch(() => undefined);
    if (st?.isDirectory()) folders.push(name);
  }
  const loaded = await mapLimited(folders, PARALLEL_READS, (name) => loadTool(path.join(toolsDir, name), name, platform));
  markDuplicateIds(loaded);
  return loaded.map((l) => l.tool);
}

interface Loaded {
  tool: DiscoveredTool;
  text: string | undefined;
}

async function loadTool(dir: string, folderName: string, platform: NodeJS.Platform): Promise<Loaded> {
  const toolJsonPath = path.join(dir, 'tool.json');
  const errors: ToolJsonError[] = [];
  let text: string | undefined;
  let spec: ToolSpec | undefined;
  let entrypoint = DEFAULT_ENTRYPOINT;
  try {
    text = await fs.readFile(toolJsonPath, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    errors.push({
      message: missing ? 'tool.json missing' : `could not read tool.json: ${(err as Error).message}`,
      path: '',
      line: 1,
      column: 1,
      file: toolJsonPath,
    });
  }
  if (text !== undefined) {
    const parsed = parseToolJson(text, toolJsonPath);
    if (parsed.ok) {
      spec = parsed.spec;
      entrypoint = spec.entrypoint;
    } else {
      errors.push(...parsed.errors);
      // Best effort: a schema-broken file may still name its entrypoint, which decides the runtime.
      const raw = parsed.raw;
      if (raw && typeof raw === 'object' && !Array.isArray(raw) && typeof raw.entrypoint === 'string' && raw.entrypoint) {
        entrypoint = raw.entrypoint;
      }
    }
  }
  const entrypointPath = path.resolve(dir, entrypoint);
  if (text !== undefined && !isInside(dir, entrypointPath)) {
    errors.push(errorAtPath(text, 'entrypoint', `"${entrypoint}" is outside the tool folder`, toolJsonPath));
  }
  const venvPython = venvPythonPath(dir, platform);
  const [hasVenv, hasReferenceFixtures, discoveryHash] = await Promise.all([
    isFile(venvPython),
    hasFixtures(dir),
    computeDiscoveryHash(dir, { entrypoint }),
  ]);
  return {
    text,
    tool: {
      toolId: spec?.id ?? folderName,
      folderName,
      dir,
      toolJsonPath,
      spec,
      errors,
      runtime: runtimeFor(entrypoint),
      entrypointPath,
      hasVenv,
      venvPython,
      hasReferenceFixtures,
      discoveryHash,
    },
  };
}

function markDuplicateIds(loaded: Loaded[]): void {
  const owners = new Map<string, string>();
  for (const { tool, text } of loaded) {
    const other = owners.get(tool.toolId);
    if (other === undefined) {
      owners.set(tool.toolId, tool.folderName);
      continue;
    }
    const problem = `duplicate tool id "${tool.toolId}": also declared by tools/${other}`;
    tool.errors.push(
      text !== undefined && tool.spec
        ? errorAtPath(text, 'id', problem, tool.toolJsonPath)
        : { message: problem, path: '', line: 1, column: 1, file: tool.toolJsonPath },
    );
  }
}

/**
 * SHA-256 over the files that define a tool: tool.json, the entrypoint, and pyproject.toml (Python)
 * or package.json (Node). Each contributes its name, size and content hash, so touching a file without
 * changing it keeps the hash (and skips revalidation); a missing file contributes `name:missing`.
 */
export async function computeDiscoveryHash(dir: string, spec?: Pick<ToolSpec, 'entrypoint'>): Promise<string> {
  const entrypoint = spec?.entrypoint ?? DEFAULT_ENTRYPOINT;
  const manifest = runtimeFor(entrypoint) === 'node' ? 'package.json' : 'pyproject.toml';
  const digest = createHash('sha256');
  for (const name of ['tool.json', entrypoint, manifest]) {
    const content = await fs.readFile(path.resolve(dir, name)).catch(() => undefined);
    if (content === undefined) {
      digest.update(`${name}:missing\n`);
    } else {
      const contentHash = createHash('sha256').update(content).digest('hex');
      digest.update(`${name}:${content.length}:${contentHash}\n`);
    }
  }
  return digest.digest('hex');
}

async function hasFixtures(dir: string): Promise<boolean> {
  const names = await fs.readdir(path.join(dir, 'reference')).catch(() => [] as string[]);
  return names.some((n) => n.startsWith('fixture_') && n.endsWith('.json'));
}

async function isFile(p: string): Promise<boolean> {
  const st = await fs.stat(p).catch(() => undefined);
  return st?.isFile() ?? false;
}

function isInside(dir: string, target: string): boolean {
  const rel = path.relative(path.resolve(dir), target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
