// Effective settings: explicit overrides (VS Code settings or CLI flags) > PIXIE_<KEY> environment > defaults.
// Keys and defaults follow the original Pixie's config (reference §7) plus our retention keys.
import path from 'node:path';

export interface PixieConfig {
  /** Workspace root: where pixie.db, tools/ and artefacts/ live by default. */
  workspaceRoot: string;
  toolsDir: string;
  dbPath: string;
  artefactsRoot: string;
  warmKeepSeconds: number;
  warmKeepMax: number;
  maxArtefactBytesPerRun: number;
  maxArtefactsPerRun: number;
  dedupArtefacts: boolean;
  inlineOutputMaxBytes: number;
  sweeperIntervalSeconds: number;
  runsSweepIntervalSeconds: number;
  softDeleteRetentionDays: number;
  retainRuns: number;
  /** 0 = no byte budget. */
  retentionMaxArtefactBytes: number;
  busyTimeoutMs: number;
}

type NumberKey = {
  [K in keyof PixieConfig]: PixieConfig[K] extends number ? K : never;
}[keyof PixieConfig];
type BoolKey = { [K in keyof PixieConfig]: PixieConfig[K] extends boolean ? K : never }[keyof PixieConfig];
type PathKey = 'toolsDir' | 'dbPath' | 'artefactsRoot';

interface NumberSpec {
  env: string;
  default: number;
  min: number;
  max: number;
  integer: boolean;
}

const GIB = 1024 ** 3;

export const NUMBER_KEYS: Record<NumberKey, NumberSpec> = {
  warmKeepSeconds: { env: 'PIXIE_WARM_KEEP_SECONDS', default: 300, min: 0, max: 86_400, integer: true },
  warmKeepMax: { env: 'PIXIE_WARM_KEEP_MAX', default: 5, min: 1, max: 64, integer: true },
  maxArtefactBytesPerRun: { env: 'PIXIE_MAX_ARTEFACT_BYTES_PER_RUN', default: 10 * GIB, min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  maxArtefactsPerRun: { env: 'PIXIE_MAX_ARTEFACTS_PER_RUN', default: 10_000, min: 1, max: 10_000_000, integer: true },
  inlineOutputMaxBytes: { env: 'PIXIE_INLINE_OUTPUT_MAX_BYTES', default: 65_536, min: 0, max: 1_000_000_000, integer: true },
  sweeperIntervalSeconds: { env: 'PIXIE_SWEEPER_INTERVAL_SECONDS', default: 21_600, min: 60, max: 31_536_000, integer: true },
  runsSweepIntervalSeconds: { env: 'PIXIE_RUNS_SWEEP_INTERVAL_SECONDS', default: 21_600, min: 60, max: 31_536_000, integer: true },
  softDeleteRetentionDays: { env: 'PIXIE_SOFT_DELETE_RETENTION_DAYS', default: 7, min: 0, max: 36_500, integer: false },
  retainRuns: { env: 'PIXIE_RETAIN_RUNS', default: 100, min: 1, max: 10_000_000, integer: true },
  retentionMaxArtefactBytes: { env: 'PIXIE_RETENTION_MAX_ARTEFACT_BYTES', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
  busyTimeoutMs: { env: 'PIXIE_BUSY_TIMEOUT_MS', default: 5_000, min: 100, max: 600_000, integer: true },
};

export const BOOL_KEYS: Record<BoolKey, { env: string; default: boolean }> = {
  dedupArtefacts: { env: 'PIXIE_DEDUP_ARTEFACTS', default: false },
};

export const PATH_KEYS: Record<PathKey, { env: string; defaultName: string }> = {
  toolsDir: { env: 'PIXIE_TOOLS_DIR', defaultName: 'tools' },
  dbPath: { env: 'PIXIE_DB_PATH', defaultName: 'pixie.db' },
  artefactsRoot: { env: 'PIXIE_ARTEFACTS_ROOT', defaultName: 'artefacts' },
};

/** A setting has a value Pixie cannot use; the message names the key and the accepted range. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type ConfigOverrides = Partial<Omit<PixieConfig, 'workspaceRoot'>>;
type Env = Readonly<Record<string, string | undefined>>;

function parseNumber(key: NumberKey, raw: unknown, source: string): number {
  const spec = NUMBER_KEYS[key];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
    throw new ConfigError(
      `${source} = ${JSON.stringify(raw)} is not valid: expected ${spec.integer ? 'an integer' : 'a number'} ` +
        `from ${spec.min} to ${spec.max} (default ${spec.default}).`,
    );
  }
  return value;
}

function parseBool(raw: unknown, source: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(text)) return false;
  throw new ConfigError(`${source} = ${JSON.stringify(raw)} is not valid: expected true/false (or 1/0).`);
}

/** Resolve the effective configuration. Relative paths are taken from the workspace root. */
export function resolveConfig(workspaceRoot: string, overrides: ConfigOverrides = {}, env: Env = process.env): PixieConfig {
  const root = path.resolve(workspaceRoot);
  const config = { workspaceRoot: root } as PixieConfig;
  for (const key of Object.keys(NUMBER_KEYS) as NumberKey[]) {
    const spec = NUMBER_KEYS[key];
    const override = overrides[key];
    const fromEnv = env[spec.env];
    config[key] =
      override !== undefined
        ? parseNumber(key, override, `setting ${key}`)
        : fromEnv !== undefined && fromEnv !== ''
          ? parseNumber(key, fromEnv, spec.env)
          : spec.default;
  }
  for (const key of Object.keys(BOOL_KEYS) as BoolKey[]) {
    const spec = BOOL_KEYS[key];
    const override = overrides[key];
    const fromEnv = env[spec.env];
    config[key] =
      override !== undefined ? parseBool(override, `setting ${key}`) : fromEnv !== undefined ? parseBool(fromEnv, spec.env) : spec.default;
  }
  for (const key of Object.keys(PATH_KEYS) as PathKey[]) {
    const spec = PATH_KEYS[key];
    const chosen = overrides[key] || env[spec.env] || spec.defaultName;
    config[key] = path.resolve(root, chosen);
  }
  return config;
}
