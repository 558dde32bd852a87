// The environment a tool process gets: a scrubbed copy of ours (no secrets or PIXIE_* settings of the host
// leak into tools), then the tool's own .env, then the variables Pixie sets, then the caller's extras.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { RunContext } from './types';

/** The only host variables a tool inherits (same list as the original Pixie). */
export const INHERITED_ENV_KEYS: readonly string[] = [
  'PATH', 'HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'SYSTEMROOT', 'SYSTEMDRIVE',
  'TEMP', 'TMP', 'LANG', 'LC_ALL', 'LC_CTYPE', 'PYTHONHOME',
];

export interface ChildEnvOptions {
  toolId: string;
  toolDir: string;
  /** Absolute artefacts root (PIXIE_ARTEFACTS_ROOT). */
  artefactsRoot: string;
  /** Set only when the process is spawned for one run. */
  run?: RunContext;
  /** Applied last, e.g. `{ PIXIE_VALIDATE: 'true' }` for validator spawns. */
  extraEnv?: Readonly<Record<string, string>>;
  /** The environment to scrub; defaults to process.env. */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  /** Windows variable names are case-insensitive (`Path`); defaults to process.platform. */
  platform?: NodeJS.Platform;
}

/** Keys and values of `<toolDir>/.env`; {} when there is none. Unreadable files throw with the path. */
export function readToolDotenv(toolDir: string): Record<string, string> {
  const file = path.join(toolDir, '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseDotenv(text);
}

export function scrubHostEnv(
  hostEnv: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): Record<string, string> {
  const allowed = new Set(INHERITED_ENV_KEYS);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(hostEnv)) {
    if (value === undefined) continue;
    const lookup = platform === 'win32' ? key.toUpperCase() : key;
    if (allowed.has(lookup)) out[key] = value;
  }
  return out;
}

export function buildChildEnv(options: ChildEnvOptions): Record<string, string> {
  const platform = options.platform ?? process.platform;
  const env = scrubHostEnv(options.hostEnv ?? process.env, platform);
  const set = (key: string, value: string): void => {
    if (platform === 'win32') {
      // Drop a differently-cased twin so the child does not see two PATHs.
      for (const existing of Object.keys(env)) {
        if (existing !== key && existing.toUpperCase() === key.toUpperCase()) delete env[existing];
      }
    }
    env[key] = value;
  };
  for (const [key, value] of Object.entries(readToolDotenv(options.toolDir))) set(key, value);
  // Pixie's own variables come after .env so a tool's .env cannot spoof them.
  set('PYTHONUNBUFFERED', '1');
  set('PYTHONDONTWRITEBYTECODE', '1');
  set('PIXIE_TOOL_ID', options.toolId);
  set('PIXIE_ARTEFACTS_ROOT', path.resolve(options.artefactsRoot));
  if (options.run) {
    set('PIXIE_RUN_ID', options.run.runId);
    set('PIXIE_RUN_ARTEFACTS_DIR', path.resolve(options.run.artefactsDir));
  }
  for (const [key, value] of Object.entries(options.extraEnv ?? {})) set(key, value);
  return env;
}
