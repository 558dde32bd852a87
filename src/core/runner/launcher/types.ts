// What the launcher needs to know about a tool. Built by the caller from tool.json plus the user's
// effective settings; the launcher never reads tool.json itself.

export type ToolRuntime = 'python' | 'node';

export interface LaunchSpec {
  toolId: string;
  /** Absolute path of the tool folder; the process runs with this as its cwd. */
  toolDir: string;
  /** Relative to toolDir; tool.json's `entrypoint`, default 'main.py'. */
  entrypoint: string;
  runtime: ToolRuntime;
  /**
   * Soft memory hint. Node tools get it as V8's `--max-old-space-size`; Python tools get no limit.
   * We deliberately do not set RLIMIT_AS / RLIMIT_CPU as the original does: an address-space cap breaks
   * numpy/torch imports (they reserve far more virtual memory than they use) and RLIMIT_CPU counts CPU
   * over the whole life of a warm process, so a warm tool dies after enough runs.
   */
  maxMemoryMb?: number;
  /** How long an idle process stays warm (the caller passes the effective per-tool value). */
  warmKeepSeconds: number;
  pinnedWarm: boolean;
  concurrent: boolean;
}

/** Node entry points run with Node; everything else with the tool's venv Python. */
export function runtimeForEntrypoint(entrypoint: string): ToolRuntime {
  return /\.(?:m|c)?js$/i.test(entrypoint) ? 'node' : 'python';
}

/** Run identity exported to a process spawned for one specific run (PIXIE_RUN_ID, PIXIE_RUN_ARTEFACTS_DIR). */
export interface RunContext {
  runId: string;
  artefactsDir: string;
}
