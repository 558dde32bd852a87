// Loads sql.js once per process. In the bundles the .wasm sits next to the bundle (esbuild.mjs copies it);
// from source (tests, tsx) it is resolved from node_modules.
import { existsSync } from 'node:fs';
import path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

function locateWasm(file: string): string {
  const besideBundle = path.join(__dirname, file);
  if (existsSync(besideBundle)) return besideBundle;
  return require.resolve(`sql.js/dist/${file}`);
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: locateWasm });
  return loading;
}

export type { Database as SqlJsDatabase, SqlJsStatic } from 'sql.js';
