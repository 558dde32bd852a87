// The Python fixture tool (FastAPI + uvicorn in a --system-site-packages venv over Debian's packages) runs
// through the same launcher and client as the Node tools.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Launcher, type ToolProcess } from '../../src/core/runner/launcher';
import { getSchema, postCancel, postRun, ToolHttpError } from '../../src/core/runner/client';
import { ensurePythonVenvs } from '../helpers/pythonTools';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const skip = ensurePythonVenvs();
const marker = newMarker();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-py-'));
const launcher = new Launcher({ artefactsRoot: tmp, extraEnv: { [MARKER_ENV]: marker }, stopGraceMs: 2000 });
const spec = fixtureSpec('py-compound-interest');
let proc: ToolProcess;

before(async () => {
  if (!skip) proc = await launcher.ensureRunning(spec);
});

after(async () => {
  await launcher.dispose();
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

test('spawns with the venv python and serves its tool.json verbatim', { skip }, async () => {
  assert.equal(spec.runtime, 'python');
  assert.equal(spec.entrypoint, 'main.py');
  const cmdline = fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0');
  assert.equal(cmdline[0], path.join(spec.toolDir, '.venv', 'bin', 'python'));
  assert.deepEqual(cmdline.slice(1, 4), ['main.py', '--port', String(proc.port)]);
  const onDisk = JSON.parse(fs.readFileSync(path.join(spec.toolDir, 'tool.json'), 'utf8'));
  assert.deepEqual(await getSchema(proc.baseUrl), onDisk);
  assert.equal(fs.existsSync(path.join(spec.toolDir, '__pycache__')), false, 'PYTHONDONTWRITEBYTECODE keeps the tool folder clean');
});

test('answers /run with the cookbook output shapes; omitted inputs take their defaults', { skip }, async () => {
  const out = await postRun(proc.baseUrl, { runId: 'p-1', inputs: { principal: 1000, annual_rate: 10, years: 2, compounding: 1, monthly_contribution: 0 }, artefactsDir: tmp });
  assert.equal(out.final_value, 1210);
  assert.equal(out.total_contributions, 1000);
  assert.equal(out.total_interest, 210);
  assert.deepEqual(out.growth_chart, { x: [0, 1, 2], series: [{ name: 'Balance', y: [1000, 1100, 1210] }], x_label: 'Year', y_label: 'Balance (£)' });
  const table = out.yearly_breakdown as { columns: unknown[]; rows: { year: number; end_balance: number }[] };
  assert.equal(table.columns.length, 5);
  assert.deepEqual(table.rows.map((r) => [r.year, r.end_balance]), [[1, 1100], [2, 1210]]);
  const defaults = await postRun(proc.baseUrl, { runId: 'p-2', inputs: {}, artefactsDir: tmp });
  assert.equal((defaults.yearly_breakdown as { rows: unknown[] }).rows.length, 10);
});

test("FastAPI's 422 detail list is unwrapped into `loc: msg` lines", { skip }, async () => {
  const error = await postRun(proc.baseUrl, { runId: 'p-3', inputs: { principal: 'lots', years: 'many' }, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(error instanceof ToolHttpError, String(error));
  assert.equal(error.status, 422);
  const lines = error.detail.split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^body\.inputs\.principal: .*float/);
  assert.match(lines[1], /^body\.inputs\.years: .*integer/);
  assert.equal(await postCancel(proc.baseUrl, 'p-3'), true);
});

test('stops cleanly on SIGTERM within the grace period', { skip }, async () => {
  const started = Date.now();
  await launcher.stop(spec.toolId);
  assert.ok(Date.now() - started < 2000);
  assert.ok(proc.exit?.signal === 'SIGTERM' || proc.exit?.code === 0, `exit: ${JSON.stringify(proc.exit)}`);
});
