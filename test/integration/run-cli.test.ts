// The CLI verbs `pixie tools`, `pixie run` and `pixie artefacts` against a temp workspace: output, --json, exit codes
// (0 ok / 1 failure / 2 bad usage), what they record in pixie.db, no tool process left behind, and Ctrl-C.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { registryDirFor } from '../../src/core/runner/launcher';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program';
import { openStore } from '../../src/core/store/open';
import { insertStartedRun } from '../../src/core/store/repositories/runs';
import { insertValidationReport } from '../../src/core/store/repositories/validationReports';
import type { ReadQueries } from '../../src/core/store/types';
import { copyTools, eventually, writeTool, type ArtefactRow, type RunRow } from './helpers/runHarness';

const REPO = path.resolve(__dirname, '..', '..');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-cli-run-'));
const dbPath = path.join(workspace, 'pixie.db');
let toolsDir: string;

before(() => {
  toolsDir = copyTools(['echo', 'all-shapes', 'slow', 'big-output']);
  // Invalid JSON at line 3: listed with its position, refused by `run`.
  writeTool(toolsDir, 'broken', '{\n  "id": "broken",\n  "name": \n}\n', '');
});

after(() => {
  const left = pidsIn(toolsDir);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  fs.rmSync(toolsDir, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
  assert.deepEqual(left, [], 'tool processes left behind');
});

/** Live processes whose working folder is inside `dir` (every tool runs with its folder as cwd). */
function pidsIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && state !== 'Z') found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * runCli in this process with its stdout/stderr captured; exitCode reset so one verb's failure does not leak.
 * Only string writes are captured: the test runner reports to its parent through stdout in binary chunks.
 */
async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (original: typeof process.stdout.write, append: (text: string) => void): typeof process.stdout.write =>
    function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
      if (typeof chunk === 'string') {
        append(chunk);
        return true;
      }
      return (original as (chunk: Uint8Array, ...rest: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stdout.write;
  process.stdout.write = capture(out, (text) => (stdout += text));
  process.stderr.write = capture(err, (text) => (stderr += text));
  try {
    const code = await runCli(['--workspace', workspace, ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

async function withDb<T>(fn: (q: ReadQueries) => T): Promise<T> {
  const store = await openStore({ dbPath });
  try {
    return store.read(fn);
  } finally {
    await store.close();
  }
}

const runRows = (): Promise<RunRow[]> => withDb((q) => q.all<RunRow>('SELECT * FROM runs ORDER BY started_at, id'));

interface ToolJson {
  id: string;
  name: string | null;
  errors: { message: string; line: number; column: number }[];
  validation: string;
  process: string;
  runCount: number;
  lastRunAt: string | null;
}

test('pixie tools: every tool with parse errors (line:col), validation, dormant, run counters; no database needed', async () => {
  const listed = await cli('tools', '--tools-dir', toolsDir, '--json');
  assert.equal(listed.code, 0, listed.stderr);
  const tools = JSON.parse(listed.stdout) as ToolJson[];
  assert.deepEqual(tools.map((t) => t.id), ['all-shapes', 'big-output', 'broken', 'echo', 'slow']);
  const echo = tools.find((t) => t.id === 'echo');
  assert.deepEqual(
    { name: echo?.name, errors: echo?.errors, validation: echo?.validation, process: echo?.process, runCount: echo?.runCount, lastRunAt: echo?.lastRunAt },
    { name: 'Echo', errors: [], validation: 'unchecked', process: 'dormant', runCount: 0, lastRunAt: null },
  );
  const broken = tools.find((t) => t.id === 'broken');
  assert.equal(broken?.name, null);
  assert.ok(broken && broken.errors.length > 0);
  assert.equal(broken.errors[0].line, 4);
  assert.match(broken.errors[0].message, /invalid JSON/);
  assert.equal(fs.existsSync(dbPath), false, 'listing tools does not create pixie.db');

  const text = await cli('tools', '--tools-dir', toolsDir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^id +name +tool\.json +validation +process +runs +last run$/m);
  assert.match(text.stdout, /^echo +Echo +ok +unchecked +dormant +0$/m);
  assert.match(text.stdout, /^broken +1 error +unchecked +dormant +0$/m);
  assert.match(text.stdout, new RegExp(`^broken \\(${toolsDir}/broken/tool\\.json\\):\\n {2}4:1 {2}invalid JSON`, 'm'));

  const missing = await cli('tools', '--tools-dir', path.join(workspace, 'nope'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No tools folder at .*nope/);
});

test('pixie run: ok run printed, recorded, counted by `pixie tools`; no process left', async () => {
  const result = await cli('run', 'echo', '--tools-dir', toolsDir, '--input', 'text=hi there', '--json');
  assert.equal(result.code, 0, result.stderr);
  const outcome = JSON.parse(result.stdout) as { runId: string; status: string; outputs: { echo: string }; errorText: null; artefacts: unknown[] };
  assert.equal(outcome.status, 'ok');
  assert.equal(outcome.outputs.echo, 'hi there');
  assert.equal(outcome.errorText, null);
  assert.deepEqual(pidsIn(toolsDir), [], 'the launcher was disposed');
  const registry = registryDirFor(dbPath);
  assert.equal(fs.existsSync(registry) && fs.readdirSync(registry).some((name) => name.endsWith('.json')), false, 'unlisted once stopped');
  assert.equal(fs.readdirSync(workspace).some((name) => name.startsWith('.pixie')), false, 'nothing of it in the workspace');
  const [row] = await runRows();
  assert.equal(row.id, outcome.runId);
  assert.equal(row.status, 'ok');
  assert.deepEqual(JSON.parse(row.inputs_json).inputs, { text: 'hi there', show_env: false, fail_with: 'none', spawn_orphan: false });

  const text = await cli('run', 'echo', '--tools-dir', toolsDir, '--input', 'text=plain');
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^Run [0-9a-f-]{36} of echo: ok \(\d+(\.\d)? m?s\)\n {2}echo +plain\n(?: {2}\w+ +.*\n)* {2}request +\{"run_id":/);
  assert.match(text.stderr, /pixie: run [0-9a-f-]{36} of echo started\npixie: starting the echo process…/);

  const store = await openStore({ dbPath });
  await store.write((q) => insertValidationReport(q, { toolId: 'echo', timestamp: '2026-01-01T00:00:00.000Z', overall: 'warn', reportJson: '{}' }));
  await store.close();
  const tools = JSON.parse((await cli('tools', '--tools-dir', toolsDir, '--json')).stdout) as ToolJson[];
  const echo = tools.find((t) => t.id === 'echo');
  const rows = await runRows();
  assert.equal(echo?.runCount, 2);
  assert.equal(echo?.lastRunAt, rows.at(-1)?.finished_at);
  assert.equal(echo?.validation, 'warn');
});

test('pixie run: artefact references are shown as absolute paths; oversize outputs say where they went', async () => {
  const shapes = await cli('run', 'all-shapes', '--tools-dir', toolsDir);
  assert.equal(shapes.code, 0, shapes.stderr);
  const image = /^ {2}image +(\/\S+\/image\.png) \((\d+) B, image\/png\)$/m.exec(shapes.stdout);
  assert.ok(image, shapes.stdout);
  assert.ok(image[1].startsWith(path.join(workspace, 'artefacts', 'all-shapes')));
  assert.equal(fs.statSync(image[1]).size, Number(image[2]));
  assert.match(shapes.stdout, /^ {2}file +\/\S+\/file\.csv \(25 B, text\/csv\)$/m);

  const inputsFile = path.join(workspace, 'big.json');
  fs.writeFileSync(inputsFile, JSON.stringify({ size: 100_000 }));
  const big = await cli('run', 'big-output', '--tools-dir', toolsDir, '--inputs', inputsFile, '--json');
  assert.equal(big.code, 0, big.stderr);
  const outcome = JSON.parse(big.stdout) as { meta: { outputs_oversize: boolean }; artefacts: { outputKey: string; path: string; size: number }[] };
  assert.equal(outcome.meta.outputs_oversize, true);
  const text = outcome.artefacts.find((a) => a.outputKey === 'text');
  assert.equal(text?.size, 100_000);
  assert.equal(fs.statSync(text?.path ?? '').size, 100_000);
});

test('pixie run: a failed run exits 1 with the error; bad usage exits 2 and records nothing', async () => {
  const failed = await cli('run', 'echo', '--tools-dir', toolsDir, '--input', 'text=x', '--input', 'fail_with=detail-string');
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /^Run [0-9a-f-]{36} of echo: error .*\ntool 'echo' returned 400: cannot echo "x"\n$/);
  const rowsBefore = (await runRows()).length;

  const unknown = await cli('run', 'ech', '--tools-dir', toolsDir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown tool "ech" in .* \(did you mean "echo"\?\)\. Known tools: all-shapes, big-output, broken, echo, slow\./);

  const invalid = await cli('run', 'echo', '--tools-dir', toolsDir, '--input', 'fail_with=nope', '--input', 'colour=red');
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /Some inputs of echo are not valid:\n {2}colour: not an input of this tool\n {2}fail_with: must be one of/);

  const noEquals = await cli('run', 'echo', '--tools-dir', toolsDir, '--input', 'text');
  assert.equal(noEquals.code, 2);
  assert.match(noEquals.stderr, /--input "text": expected KEY=VALUE/);
  const twice = await cli('run', 'echo', '--tools-dir', toolsDir, '--input', 'text=a', '--input', 'text=b');
  assert.equal(twice.code, 2);

  const list = path.join(workspace, 'list.json');
  fs.writeFileSync(list, '[1, 2]');
  assert.equal((await cli('run', 'echo', '--tools-dir', toolsDir, '--inputs', list)).code, 2);
  assert.equal((await cli('run', 'echo', '--tools-dir', toolsDir, '--inputs', path.join(workspace, 'missing.json'))).code, 2);
  const notJson = path.join(workspace, 'bad.json');
  fs.writeFileSync(notJson, '{text:');
  const bad = await cli('run', 'echo', '--tools-dir', toolsDir, '--inputs', notJson);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not valid JSON/);

  const broken = await cli('run', 'broken', '--tools-dir', toolsDir);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /broken cannot run: invalid JSON.*\(tool\.json 4:1\)/);

  assert.equal((await runRows()).length, rowsBefore);
  assert.deepEqual(pidsIn(toolsDir), []);
});

test('pixie run: --inputs file and --input combine (--input wins); interrupted runs are recovered first', async () => {
  // A run left `running` by a process that no longer exists.
  const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
  const store = await openStore({ dbPath });
  await store.write((q) => {
    insertStartedRun(q, { id: 'orphaned-run', toolId: 'echo', startedAt: '2026-01-01T00:00:00.000Z', inputsJson: '{}' });
    q.run('UPDATE runs SET meta_json = ? WHERE id = ?', [JSON.stringify({ owner: { pid: dead, host: os.hostname(), start: null } }), 'orphaned-run']);
  });
  await store.close();

  const file = path.join(workspace, 'inputs.json');
  fs.writeFileSync(file, JSON.stringify({ text: 'from file', show_env: 'false' }));
  const result = await cli('run', 'echo', '--tools-dir', toolsDir, '--inputs', file, '--input', 'text=from flag', '--json');
  assert.equal(result.code, 0, result.stderr);
  assert.equal((JSON.parse(result.stdout) as { outputs: { echo: string } }).outputs.echo, 'from flag');
  assert.match(result.stderr, /1 run\(s\) left running by a process that exited were marked interrupted/);
  const orphan = (await runRows()).find((r) => r.id === 'orphaned-run');
  assert.equal(orphan?.status, 'error');
  assert.match(orphan?.error_text ?? '', /^interrupted: /);
});

test('pixie artefacts: rows with absolute paths, filters, --json, bad --limit', async () => {
  const all = await cli('artefacts', '--json');
  assert.equal(all.code, 0, all.stderr);
  const items = JSON.parse(all.stdout) as { id: number; runId: string; toolId: string; outputKey: string; filename: string; size: number; mime: string; path: string; starred: boolean; label: null }[];
  const rows = await withDb((q) => q.all<ArtefactRow>('SELECT * FROM artefacts ORDER BY created_at DESC, id DESC'));
  assert.deepEqual(items.map((i) => i.id), rows.map((r) => r.id));
  for (const item of items) {
    const row = rows.find((r) => r.id === item.id);
    assert.equal(item.path, path.join(workspace, 'artefacts', row?.rel_path ?? ''));
    assert.equal(fs.statSync(item.path).size, item.size);
  }
  const shapesRun = items.find((i) => i.toolId === 'all-shapes')?.runId as string;
  const byRun = JSON.parse((await cli('artefacts', '--run', shapesRun, '--json')).stdout) as typeof items;
  assert.deepEqual(byRun.map((i) => [i.outputKey, i.filename, i.mime]).sort(), [['file', 'scores.csv', 'text/csv'], ['image', 'image.png', 'image/png']]);
  assert.deepEqual(JSON.parse((await cli('artefacts', '--tool', 'echo', '--json')).stdout), []);
  assert.equal(JSON.parse((await cli('artefacts', '--limit', '1', '--json')).stdout).length, 1);

  const text = await cli('artefacts', '--tool', 'all-shapes');
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^id +run +output +filename +size +mime +★\/label +path$/m);
  assert.match(text.stdout, new RegExp(`^\\d+ +${shapesRun} +image +image\\.png +\\d+ B +image/png +${workspace}/artefacts/all-shapes/${shapesRun}/image\\.png$`, 'm'));
  assert.equal((await cli('artefacts', '--tool', 'nobody')).stdout, 'No artefacts.\n');
  assert.equal((await cli('artefacts', '--limit', '0')).code, 2);
});

test('--help of each verb exits 0 and documents its options', async () => {
  for (const [verb, options] of [
    ['tools', ['--tools-dir', '--json']],
    ['run', ['--input', '--inputs', '--tools-dir', '--json']],
    ['artefacts', ['--tool', '--run', '--deleted', '--limit', '--json']],
  ] as const) {
    const help = await cli(verb, '--help');
    assert.equal(help.code, 0);
    for (const option of options) assert.ok(help.stdout.includes(option), `${verb} --help mentions ${option}`);
  }
  assert.equal((await cli('run')).code, 2, 'a missing TOOL argument is bad usage');
});

test('pixie run: Ctrl-C cancels the run cleanly (row `cancelled`), stops the tool, exits 1', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', '--workspace', workspace, 'run', 'slow', '--tools-dir', toolsDir, '--input', 'seconds=60'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Wait until the tool process (running in the slow tool's folder) answers /healthz on the port it was given, then
  // give the CLI's launcher a moment to see it healthy and send the request, so the cancel reaches a running request.
  await eventually(() => /started/.test(stderr) && pidsIn(path.join(toolsDir, 'slow')).length > 0, 30_000, `the run to start (${stderr})`);
  const [toolPid] = pidsIn(path.join(toolsDir, 'slow'));
  const argv = fs.readFileSync(`/proc/${toolPid}/cmdline`, 'utf8').split('\0');
  const port = argv[argv.indexOf('--port') + 1];
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
    assert.ok(Date.now() < deadline, 'the slow tool never became healthy');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // (The CLI's own health poll can lag well behind ours on a busy machine: a cold fetch stack, 100 ms polls.)
  await new Promise((resolve) => setTimeout(resolve, 2000));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 1, `stdout: ${stdout}\nstderr: ${stderr}`);
  assert.match(stderr, /cancelling the run/);
  assert.match(stdout, /^Run ([0-9a-f-]{36}) of slow: cancelled/);
  const runId = /^Run ([0-9a-f-]{36})/.exec(stdout)?.[1];
  const row = (await runRows()).find((r) => r.id === runId);
  assert.equal(row?.status, 'cancelled');
  assert.equal(row?.error_text, 'cancelled');
  assert.deepEqual(JSON.parse(row?.outputs_json ?? '{}').cancelled, true, `the tool honoured POST /cancel: ${row?.outputs_json} ${stderr}`);
  assert.deepEqual(pidsIn(toolsDir), []);
});
