// A real run path for the run-* integration tests: a temp workspace with pixie.db on disk (the real engine, schema
// applied), the real Launcher (tools marked with a per-file marker so leftovers can be found) and a RunService over
// the fixture tools, plus raw-row readers so tests assert the columns exactly as stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig, type ConfigOverrides, type PixieConfig } from '../../../src/core/config';
import { openStore } from '../../../src/core/store/open';
import type { SqlJsStore } from '../../../src/core/store/engine';
import { initSchema } from '../../../src/core/store/schema';
import { Launcher, type LauncherOptions } from '../../../src/core/runner/launcher';
import { RunService, type RunServiceOptions } from '../../../src/core/runner/runService';
import { discoverTools, type DiscoveredTool } from '../../../src/core/tools/discovery';
import { FIXTURE_TOOLS_DIR, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../../helpers/toolProcesses';

export { FIXTURE_TOOLS_DIR };

export interface RunRow {
  id: string;
  tool_id: string;
  started_at: string;
  finished_at: string | null;
  inputs_json: string;
  outputs_json: string | null;
  error_text: string | null;
  status: string;
  starred: number;
  label: string | null;
  total_artefact_bytes: number;
  meta_json: string | null;
}

export interface ArtefactRow {
  id: number;
  run_id: string;
  tool_id: string;
  output_key: string;
  rel_path: string;
  filename: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  tags: string | null;
  deleted_at: string | null;
}

export interface ToolStateRow {
  tool_id: string;
  last_inputs_json: string | null;
  run_count_total: number;
  last_run_at: string | null;
}

export interface HarnessOptions {
  config?: ConfigOverrides;
  launcher?: Partial<LauncherOptions>;
  service?: Partial<Omit<RunServiceOptions, 'store' | 'launcher' | 'config'>>;
  /** Tools folder (default: the fixture tools). */
  toolsDir?: string;
}

export interface RunHarness {
  workspace: string;
  config: PixieConfig;
  store: SqlJsStore;
  launcher: Launcher;
  service: RunService;
  marker: string;
  tool(id: string): DiscoveredTool;
  runRow(runId: string): RunRow | undefined;
  runRows(): RunRow[];
  artefactRows(runId: string): ArtefactRow[];
  toolState(toolId: string): ToolStateRow | undefined;
  meta(runId: string): Record<string, unknown>;
  /** The run's folder under the artefacts root. */
  runDir(toolId: string, runId: string): string;
  /** Stops every tool, closes the store, removes the workspace; fails if a marked process outlived the launcher. */
  close(): Promise<void>;
}

/** A temp tools folder holding copies of fixture tools (with the shared _lib), each tool.json edited by `edit`. */
export function copyTools(ids: readonly string[], edit: (id: string, json: Record<string, unknown>) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-tools-'));
  fs.cpSync(path.join(FIXTURE_TOOLS_DIR, '_lib'), path.join(dir, '_lib'), { recursive: true });
  for (const id of ids) {
    const dest = path.join(dir, id);
    fs.cpSync(path.join(FIXTURE_TOOLS_DIR, id), dest, { recursive: true, filter: (src) => !src.includes(`${path.sep}.venv`) });
    const jsonPath = path.join(dest, 'tool.json');
    const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
    edit(id, json);
    fs.writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  }
  return dir;
}

export async function createRunHarness(options: HarnessOptions = {}): Promise<RunHarness> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-run-'));
  const toolsDir = options.toolsDir ?? FIXTURE_TOOLS_DIR;
  // An empty environment: the PIXIE_* variables of whoever runs the tests must not change what is asserted.
  const config = resolveConfig(workspace, { toolsDir, ...options.config }, {});
  const store = await openStore({ dbPath: config.dbPath, busyTimeoutMs: config.busyTimeoutMs });
  await initSchema(store);
  const marker = newMarker();
  const launcher = new Launcher({
    artefactsRoot: config.artefactsRoot,
    warmKeepMax: config.warmKeepMax,
    extraEnv: { [MARKER_ENV]: marker },
    stopGraceMs: 1000,
    evictGraceMs: 1000,
    ...options.launcher,
  });
  const service = new RunService({ store, launcher, config, ...options.service });
  const tools = new Map((await discoverTools(toolsDir)).map((t) => [t.toolId, t]));

  const meta = (runId: string): Record<string, unknown> => JSON.parse(harness.runRow(runId)?.meta_json ?? '{}') as Record<string, unknown>;
  const harness: RunHarness = {
    workspace,
    config,
    store,
    launcher,
    service,
    marker,
    tool(id) {
      const found = tools.get(id);
      if (!found) throw new Error(`no fixture tool ${id} in ${toolsDir}`);
      return found;
    },
    runRow: (runId) => store.read((q) => q.get<RunRow>('SELECT * FROM runs WHERE id = ?', [runId])),
    runRows: () => store.read((q) => q.all<RunRow>('SELECT * FROM runs ORDER BY started_at, id')),
    artefactRows: (runId) =>
      store.read((q) =>
        q.all<ArtefactRow>(
          'SELECT id, run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, tags, deleted_at FROM artefacts WHERE run_id = ? ORDER BY id',
          [runId],
        ),
      ),
    toolState: (toolId) =>
      store.read((q) =>
        q.get<ToolStateRow>('SELECT tool_id, last_inputs_json, run_count_total, last_run_at FROM tool_state WHERE tool_id = ?', [toolId]),
      ),
    meta,
    runDir: (toolId, runId) => path.join(config.artefactsRoot, toolId, runId),
    async close() {
      await launcher.dispose();
      const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 5000);
      const leftovers = killLeftovers(marker);
      await store.close();
      fs.rmSync(workspace, { recursive: true, force: true });
      if (!gone) throw new Error(`processes left behind after the launcher stopped: ${leftovers.join(', ')}`);
    },
  };
  return harness;
}

/** Waits until `check` holds (polling), failing with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  if (!(await waitFor(check, timeoutMs, 20))) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Writes a tool folder (tool.json + main.mjs) under `toolsDir`; for tools a test needs that no fixture is. */
export function writeTool(toolsDir: string, id: string, toolJson: Record<string, unknown> | string, mainSource: string): string {
  const dir = path.join(toolsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tool.json'), typeof toolJson === 'string' ? toolJson : `${JSON.stringify(toolJson, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'main.mjs'), mainSource);
  return dir;
}

/** A minimal tool server answering /healthz and /run with `{ raw: <the request body exactly as received> }`. */
export const RAW_BODY_TOOL_SOURCE = `
import http from 'node:http';
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
http.createServer((req, res) => {
  if (req.url === '/healthz') { res.writeHead(200); res.end('{}'); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.stringify({ raw: Buffer.concat(chunks).toString('utf8'), content_type: req.headers['content-type'] ?? null });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
`;

/** Live marked processes running in a tool's folder (tools run with their folder as cwd). */
export function toolPids(marker: string, toolDir: string): number[] {
  return pidsWithMarker(marker).filter((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`) === toolDir;
    } catch {
      return false;
    }
  });
}
