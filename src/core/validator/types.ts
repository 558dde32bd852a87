// The validator's report and options. Report keys stay snake_case like the original Pixie's report
// (reference §6), so a stored report_json reads the same to anyone who knows the original.
import type { Launcher } from '../runner/launcher';
import type { JsonObject, JsonValue } from '../tools/model';

/**
 * The twelve checks, in the order they run. Ten names are the original's; check 4 and 5 cover Node tools
 * too, so they are `project_file_ok` (the original's `pyproject_ok`) and `runtime_present` (`venv_exists`).
 */
export const CHECK_NAMES = [
  'folder_structure',
  'tool_json_parses',
  'schemas_coherent',
  'project_file_ok',
  'runtime_present',
  'tool_spawns',
  'schema_matches_disk',
  'sample_run_succeeds',
  'output_conforms',
  'streaming_check',
  'reference_fixtures_match',
  'clean_shutdown',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
/** `skip` only when the whole tool could not be validated here (untrusted workspace, archived). */
export type Overall = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  /** One sentence a user can act on. */
  message: string;
  details: JsonObject;
}

export interface ValidationReport {
  tool_id: string;
  /** Absolute path of the tool folder. */
  tool_path: string;
  /** ISO-8601 UTC with milliseconds, from the injected clock. */
  timestamp: string;
  overall: Overall;
  runtime: 'python' | 'node' | null;
  /** All twelve checks, in order; checks after a stopping failure are `skip` and say which check stopped them. */
  checks: CheckResult[];
  /** The check whose failure stopped the chain, or null. */
  stopped_at: CheckName | null;
  /** Why the whole tool was skipped, or null. */
  skip_reason: string | null;
  sample_inputs: JsonObject | null;
  sample_output: JsonValue | null;
  /** The spawned process's stderr (ring buffer), '' when nothing was spawned. */
  spawn_log: string;
  /** One line per non-gating problem (every `warn` check). */
  warnings: string[];
  /** Wall time of each check that ran. */
  durations_ms: Partial<Record<CheckName, number>>;
  duration_ms: number;
  discovery_hash: string | null;
  reference_only: boolean;
}

/** Where report timestamps and ids come from; tests inject a fixed one. */
export interface ValidatorClock {
  now(): Date;
  newId(): string;
}

export interface ValidatorTimeouts {
  /** /healthz must answer 200 within this (original: 30 s). */
  healthMs: number;
  /** Pause between /healthz polls; short so a healthy tool is seen at once. */
  healthIntervalMs: number;
  /** `python --version` / `node --version` (original: 5 s). */
  versionMs: number;
  /** GET /schema (original: 5 s). */
  schemaMs: number;
  /** First event from GET /stream (original: 10 s). */
  streamMs: number;
  /** All fixtures together unless the tool sets validator_timeout_override (original: 60 s). */
  referenceBudgetMs: number;
  /** SIGTERM → exit before SIGKILL (original: 5 s). */
  shutdownGraceMs: number;
}

export interface ValidateToolOptions {
  clock?: ValidatorClock;
  /** When given, the process is spawned through `launcher.spawnForValidation` (outside the warm pool). */
  launcher?: Launcher;
  /** PIXIE_ARTEFACTS_ROOT for the spawned tool; default a temp folder removed afterwards. */
  artefactsRoot?: string;
  /** false → the report is `skip`: nothing runs in an untrusted workspace. Default true. */
  trusted?: boolean;
  /** true → the report is `skip` (archived tools are not validated). */
  archived?: boolean;
  referenceOnly?: boolean;
  /** Fixture selection: `basic`, `fixture_basic`, `fixture_basic.json` or a glob such as `fixture_*`. */
  fixtures?: readonly string[];
  /** Only fixtures carrying one of these tags. */
  tags?: readonly string[];
  /** Aborting stops the spawned process and rejects with ValidationCancelledError. */
  signal?: AbortSignal;
  timeouts?: Partial<ValidatorTimeouts>;
  /** Added to the tool's environment (after PIXIE_VALIDATE=true). */
  extraEnv?: Readonly<Record<string, string>>;
  hostEnv?: Readonly<Record<string, string | undefined>>;
  nodePath?: string;
  /** Called as each check finishes (progress for the UI and CLI). */
  onCheck?: (check: CheckResult) => void;
}

/** What validateTool needs to know about the tool; a DiscoveredTool fits. */
export interface ValidationTarget {
  /** The tool folder. */
  dir: string;
  /** Used when tool.json does not parse (default: the folder name). */
  toolId?: string;
  discoveryHash?: string;
}
