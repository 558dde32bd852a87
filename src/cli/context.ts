// What every verb needs: the effective configuration (flags > PIXIE_* env > defaults) and the store.
import fs from 'node:fs';
import type { Command } from 'commander';
import { resolveConfig, ConfigError, type PixieConfig, type ConfigOverrides } from '../core/config';
import { openStore } from '../core/store/open';
import type { SqlJsStore } from '../core/store/engine';
import { initSchema } from '../core/store/schema';
import { CliFailure, UsageError } from './errors';

export interface GlobalOptions {
  workspace?: string;
  db?: string;
  toolsDir?: string;
}

export function configFrom(command: Command): PixieConfig {
  const options = command.optsWithGlobals<GlobalOptions>();
  const overrides: ConfigOverrides = {};
  if (options.db) overrides.dbPath = options.db;
  if (options.toolsDir) overrides.toolsDir = options.toolsDir;
  const workspace = options.workspace ?? process.env.PIXIE_WORKSPACE ?? process.cwd();
  if (options.workspace && !fs.existsSync(options.workspace)) {
    throw new UsageError(`--workspace ${options.workspace}: no such folder.`);
  }
  try {
    return resolveConfig(workspace, overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function storeExists(dbPath: string): boolean {
  return fs.existsSync(dbPath) || fs.existsSync(`${dbPath}.redo`);
}

/** Open for reading; a missing database is an error that says how to create one. */
export async function openForRead(config: PixieConfig): Promise<SqlJsStore> {
  if (!storeExists(config.dbPath)) {
    throw new CliFailure(`No Pixie database at ${config.dbPath}. Run \`pixie init\` in the workspace, or point at one with --db PATH / --workspace DIR.`);
  }
  const store = await openStore({ dbPath: config.dbPath, busyTimeoutMs: config.busyTimeoutMs, idleCheckpointMs: 60_000 });
  if (store.readOnlyReason) process.stderr.write(`pixie: note: ${store.readOnlyReason}\n`);
  // An older database (or one from the original Pixie) may lack migrated columns; add them (a no-op when current).
  else await initSchema(store);
  return store;
}

/** Open for writing: creates pixie.db if needed and brings its schema up to date. */
export async function openForWrite(config: PixieConfig, applySchema = true): Promise<SqlJsStore> {
  const store = await openStore({ dbPath: config.dbPath, busyTimeoutMs: config.busyTimeoutMs, idleCheckpointMs: 60_000 });
  if (store.readOnlyReason) {
    await store.close();
    throw new CliFailure(`pixie.db is open read-only: ${store.readOnlyReason}`);
  }
  if (applySchema) await initSchema(store);
  return store;
}

/** Run `fn` with a store and always close it (closing folds the log into pixie.db). */
export async function withStore<T>(open: Promise<SqlJsStore>, fn: (store: SqlJsStore) => Promise<T> | T): Promise<T> {
  const store = await open;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
