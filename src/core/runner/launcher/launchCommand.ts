// Which program runs a tool: its venv's Python for main.py tools (as the original does), Node for .js/.mjs/.cjs.
import fs from 'node:fs';
import path from 'node:path';
import { LaunchError } from './errors';
import type { LaunchSpec } from './types';

export interface LaunchCommand {
  command: string;
  /** Arguments before `--port <port>`. */
  args: string[];
  /** Added to the child env (e.g. ELECTRON_RUN_AS_NODE when the host is Electron). */
  env: Record<string, string>;
}

export interface LaunchCommandOptions {
  platform?: NodeJS.Platform;
  /** Node binary for Node tools; default: this process's binary. */
  nodePath?: string;
}

export function venvPythonPath(toolDir: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32'
    ? path.join(toolDir, '.venv', 'Scripts', 'python.exe')
    : path.join(toolDir, '.venv', 'bin', 'python');
}

function entrypointPath(spec: LaunchSpec): string {
  const entry = spec.entrypoint || 'main.py';
  const full = path.resolve(spec.toolDir, entry);
  const rel = path.relative(spec.toolDir, full);
  if (path.isAbsolute(entry) || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new LaunchError('spawn', `Tool '${spec.toolId}': entrypoint "${entry}" must be a path inside the tool folder.`, {
      toolId: spec.toolId,
    });
  }
  if (!fs.existsSync(full)) {
    throw new LaunchError('spawn', `Tool '${spec.toolId}': entrypoint ${full} does not exist (tool.json "entrypoint", default main.py).`, {
      toolId: spec.toolId,
    });
  }
  return entry;
}

export function resolveLaunchCommand(spec: LaunchSpec, options: LaunchCommandOptions = {}): LaunchCommand {
  const platform = options.platform ?? process.platform;
  if (!path.isAbsolute(spec.toolDir) || !fs.existsSync(spec.toolDir)) {
    throw new LaunchError('spawn', `Tool '${spec.toolId}': tool folder ${spec.toolDir} does not exist (it must be an absolute path).`, {
      toolId: spec.toolId,
    });
  }
  if (spec.runtime === 'node') {
    const entry = entrypointPath(spec);
    // Inside VS Code process.execPath is Electron; ELECTRON_RUN_AS_NODE makes it behave as plain Node.
    const electron = options.nodePath === undefined && process.versions.electron !== undefined;
    const heap = spec.maxMemoryMb && spec.maxMemoryMb > 0 ? [`--max-old-space-size=${Math.floor(spec.maxMemoryMb)}`] : [];
    return {
      command: options.nodePath ?? process.execPath,
      args: [...heap, entry],
      env: electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    };
  }
  const python = venvPythonPath(spec.toolDir, platform);
  if (!fs.existsSync(python)) {
    const pip = platform === 'win32' ? '.venv\\Scripts\\pip' : '.venv/bin/pip';
    throw new LaunchError(
      'venv',
      `Tool '${spec.toolId}' has no virtual environment: ${python} is missing (or points to a Python that is gone). ` +
        `Create it in ${spec.toolDir} with \`uv sync\`, or \`python3 -m venv .venv && ${pip} install fastapi uvicorn\`.`,
      { toolId: spec.toolId },
    );
  }
  return { command: python, args: [entrypointPath(spec)], env: {} };
}
