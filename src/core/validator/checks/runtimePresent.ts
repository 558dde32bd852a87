// Check 5: the program that will run the tool answers `--version` within 5 s — the tool's venv Python
// (never the system one: the tool's dependencies live in its venv) or Node for Node tools.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { venvPythonPath } from '../../runner/launcher';
import { fail, pass, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

interface VersionResult {
  ok: boolean;
  output: string;
  why?: string;
}

function runVersion(command: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal | undefined): Promise<VersionResult> {
  return new Promise((resolve) => {
    execFile(command, ['--version'], { timeout: timeoutMs, env, signal, windowsHide: true }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (!error) return resolve({ ok: true, output });
      const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
      if (e.killed || e.code === 'ETIMEDOUT') return resolve({ ok: false, output, why: `did not answer within ${timeoutMs / 1000} s` });
      if (typeof e.code === 'number') return resolve({ ok: false, output, why: `exited with code ${e.code}` });
      resolve({ ok: false, output, why: e.message });
    });
  });
}

export interface RuntimeOptions {
  nodePath?: string;
}

export function runtimePresentCheck(options: RuntimeOptions): CheckDefinition {
  async function run(ctx: ValidationContext): Promise<CheckOutcome> {
    const timeoutMs = ctx.timeouts.versionMs;
    if (ctx.runtime === 'node') {
      const node = options.nodePath ?? process.execPath;
      // Inside VS Code the host binary is Electron; this makes it behave as Node (as the launcher does).
      const env = options.nodePath === undefined && process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
      const r = await runVersion(node, env, timeoutMs, ctx.signal);
      if (!r.ok) return fail(`Node (${node}) cannot run: \`--version\` ${r.why}.`, { command: node, output: r.output });
      return pass(`Node ${r.output} is available.`, { command: node, version: r.output });
    }
    const python = venvPythonPath(ctx.dir);
    const link = await fs.lstat(python).catch(() => undefined);
    if (!link) {
      return fail(
        `The tool has no virtual environment: ${python} is missing. Create it in the tool folder with \`uv sync\` ` +
          '(or `python3 -m venv .venv && .venv/bin/pip install fastapi uvicorn`).',
        { command: python },
      );
    }
    const target = await fs.stat(python).catch(() => undefined);
    if (!target) {
      return fail(`${python} points to a Python that no longer exists: delete .venv and rebuild it with \`uv sync\`.`, { command: python });
    }
    const r = await runVersion(python, { PATH: process.env.PATH ?? '' }, timeoutMs, ctx.signal);
    if (!r.ok) {
      return fail(`The venv's Python cannot run: \`${python} --version\` ${r.why}. Rebuild .venv with \`uv sync\`.`, { command: python, output: r.output });
    }
    return pass(`${r.output} in .venv answers.`, { command: python, version: r.output });
  }
  return { name: 'runtime_present', gating: true, needsProcess: false, run };
}
