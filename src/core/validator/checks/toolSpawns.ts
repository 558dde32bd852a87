// Check 6: the tool starts (with PIXIE_VALIDATE=true) and answers GET /healthz with 200. When it does
// not, the message explains the most likely cause from how it failed and what it wrote to stderr.
import { LaunchError, type LaunchSpec, type ToolProcess } from '../../runner/launcher';
import { fail, keyStderrLine, pass, tail, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

export type Spawner = (spec: LaunchSpec, signal: AbortSignal | undefined) => Promise<ToolProcess>;

/** A hint from the shape of an early exit; undefined when nothing specific applies. */
export function spawnHint(runtime: 'python' | 'node', entrypoint: string, error: LaunchError): string | undefined {
  const stderr = error.stderr;
  const module = /ModuleNotFoundError: No module named '([^']+)'/.exec(stderr);
  if (module) {
    return `the tool's .venv lacks the Python package "${module[1]}": add it to pyproject.toml and run \`uv sync\` in the tool folder`;
  }
  const nodeModule = /Cannot find (?:module|package) '([^']+)'/.exec(stderr);
  if (nodeModule) return `Node cannot find "${nodeModule[1]}": run \`npm install\` in the tool folder, or fix the import path`;
  if (/EADDRINUSE|address already in use/i.test(stderr)) {
    return 'the port was taken: the tool must listen on the port Pixie passes as --port, not on a fixed one';
  }
  if (/SyntaxError/.test(stderr)) return `${entrypoint} has a syntax error (see the stderr below)`;
  // A server never ends by itself with success and nothing to say: the entry script just returned.
  if (error.kind === 'exit' && error.exitCode === 0 && stderr.trim() === '') {
    return runtime === 'python'
      ? `${entrypoint} returned at once without starting a server: is the \`if __name__ == "__main__":\` block that calls uvicorn.run(app, host="127.0.0.1", port=args.port) missing?`
      : `${entrypoint} returned at once without starting a server: it must keep an HTTP server listening on 127.0.0.1 at the port given by --port`;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

export function toolSpawnsCheck(spawn: Spawner): CheckDefinition {
  async function run(ctx: ValidationContext): Promise<CheckOutcome> {
    const spec = ctx.spec;
    if (!spec) return fail('tool.json was not parsed, so the tool cannot be started.');
    const launch: LaunchSpec = {
      toolId: spec.id,
      toolDir: ctx.dir,
      entrypoint: spec.entrypoint,
      runtime: ctx.runtime,
      maxMemoryMb: spec.max_memory_mb,
      warmKeepSeconds: spec.warm_keep_seconds,
      pinnedWarm: false,
      concurrent: spec.concurrent,
    };
    const started = performance.now();
    try {
      ctx.proc = await spawn(launch, ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      const elapsed = Math.round(performance.now() - started);
      if (!(error instanceof LaunchError)) {
        return fail(`The tool could not be started: ${(error as Error).message}`, { elapsed_ms: elapsed });
      }
      const hint = spawnHint(ctx.runtime, spec.entrypoint, error);
      const details = {
        kind: error.kind,
        exit_code: error.exitCode,
        signal: error.signal,
        elapsed_ms: elapsed,
        stderr: tail(error.stderr),
      };
      const what = firstLine(error.message);
      const key = keyStderrLine(error.stderr);
      const said = key ? ` Its stderr says: "${key.length > 300 ? `${key.slice(0, 300)}…` : key}".` : '';
      return fail(`${what}${hint ? ` Likely cause: ${hint}.` : ''}${said}`, details);
    }
    const proc = ctx.proc;
    const elapsed = Math.round(performance.now() - started);
    return pass(`Started and answered GET /healthz in ${elapsed} ms (pid ${proc.pid}, port ${proc.port}).`, {
      pid: proc.pid,
      port: proc.port,
      elapsed_ms: elapsed,
    });
  }
  return { name: 'tool_spawns', gating: true, needsProcess: true, run };
}
