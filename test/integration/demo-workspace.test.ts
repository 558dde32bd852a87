// The demo workspace (examples/demo-workspace) that `npm start` opens: every tool parses cleanly, and each one
// runs through RunService — on a copy in a temp folder, never in the repository — with outputs that match their
// declared types; streaming, cancel and failure paths behave; `scripts/start.mjs --no-ui` runs its job on a copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRunHarness, type RunHarness } from './helpers/runHarness';
import { discoverTools, type DiscoveredTool } from '../../src/core/tools/discovery';
import { checkCoherenceDetailed } from '../../src/core/tools/coherence';
import { listFixtures } from '../../src/core/tools/fixtures';
import { checkOutputs } from '../../src/core/tools/outputs';
import { InputValidationError, type RunEvent, type RunOutcome } from '../../src/core/runner/runTypes';
import { artefactRefOf, readReferencedValue, resolveArtefactPath, type ArtefactRef } from '../../src/core/artefacts';
import type { ToolSpec } from '../../src/core/tools/model';

const REPO = path.resolve(__dirname, '..', '..');
const DEMO = path.join(REPO, 'examples', 'demo-workspace');
const DEMO_TOOLS = path.join(DEMO, 'tools');
const NODE_TOOLS = ['countdown', 'json-explorer', 'mandelbrot', 'text-stats'];
const PYTHON_TOOLS = ['compound-interest'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What a copy of the demo leaves out: the user's own state in the real folder. */
function copyDemoTools(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-demo-tools-'));
  fs.cpSync(DEMO_TOOLS, dir, { recursive: true, filter: (src) => !/[\\/](\.venv|__pycache__|\.env)$/.test(src) });
  return dir;
}

/** Builds the Python tool's venv in the copy; undefined when ready, else why it cannot run on this machine. */
function pythonSkipReason(toolsDir: string): string | undefined {
  const result = spawnSync('bash', [path.join(REPO, 'scripts', 'setup-demo-venvs.sh'), toolsDir], { encoding: 'utf8', timeout: 120_000 });
  if (result.status === 0) return undefined;
  if (result.status === 3) return result.stderr.trim();
  throw new Error(`setup-demo-venvs.sh failed (exit ${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
}

/** A stored output value with its artefact files read back: what the tool answered, for checkOutputs. */
async function rebuilt(h: RunHarness, value: unknown): Promise<unknown> {
  const ref: ArtefactRef | undefined = artefactRefOf(value);
  if (!ref) return value;
  if (ref.kind !== 'file') return readReferencedValue(h.config.artefactsRoot, ref);
  const bytes = fs.readFileSync(resolveArtefactPath(h.config.artefactsRoot, ref.rel_path));
  const dataUrl = `data:${ref.mime};base64,${bytes.toString('base64')}`;
  const siblings = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== '_pixie_artefact'));
  return 'filename' in siblings ? { ...siblings, data: dataUrl } : dataUrl;
}

/** Asserts an ok run whose every declared output is there in its type's shape; returns the outputs as answered. */
async function assertConforming(h: RunHarness, tool: DiscoveredTool, outcome: RunOutcome): Promise<Record<string, unknown>> {
  assert.equal(outcome.status, 'ok', `${tool.toolId}: ${outcome.errorText ?? ''}`);
  assert.equal(outcome.meta.output_problems, undefined, `${tool.toolId}: RunService saw ${JSON.stringify(outcome.meta.output_problems)}`);
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outcome.outputs ?? {})) outputs[key] = await rebuilt(h, value);
  const report = checkOutputs(tool.spec as ToolSpec, outputs);
  assert.deepEqual(report, { missing: [], extra: [], invalid: [] }, `${tool.toolId}: outputs do not match tool.json`);
  return outputs;
}

function dataUrlBytes(value: unknown): Buffer {
  assert.equal(typeof value, 'string');
  const m = /^data:[^;,]+;base64,(.*)$/s.exec(value as string);
  assert.ok(m, 'a base64 data URL');
  return Buffer.from(m[1], 'base64');
}

let toolsDir: string;
let pythonSkip: string | undefined;
let h: RunHarness;

before(async () => {
  toolsDir = copyDemoTools();
  pythonSkip = pythonSkipReason(toolsDir);
  // Short warm keep: the launcher stops the tools itself at close(), which then checks none is left.
  h = await createRunHarness({ toolsDir, service: { cancelGraceMs: 2000 } });
});

after(async () => {
  try {
    await h?.close();
  } finally {
    fs.rmSync(toolsDir, { recursive: true, force: true });
  }
});

test('every demo tool parses with no errors, coherent specs and valid reference fixtures', async () => {
  const tools = await discoverTools(DEMO_TOOLS);
  assert.deepEqual(tools.map((t) => t.toolId), [...NODE_TOOLS, ...PYTHON_TOOLS].sort());
  for (const tool of tools) {
    assert.deepEqual(tool.errors, [], `${tool.toolId}: ${tool.errors.map((e) => e.message).join('; ')}`);
    assert.ok(tool.spec);
    assert.equal(tool.folderName, tool.toolId, 'folder named after the id');
    assert.equal(tool.runtime, PYTHON_TOOLS.includes(tool.toolId) ? 'python' : 'node');
    assert.deepEqual(checkCoherenceDetailed(tool.spec), [], `${tool.toolId}: incoherent tool.json`);
    assert.ok(tool.spec.inputs.every((i) => i.default !== null), `${tool.toolId}: every input has a default, so a bare Run works`);
    for (const fixture of await listFixtures(tool.dir, tool.spec)) {
      assert.deepEqual(fixture.errors, [], `${tool.toolId}/${fixture.fileName}`);
    }
  }
  // The Node tools are self-contained: no imports outside the tool folder (copying one must be enough).
  for (const id of NODE_TOOLS) {
    const source = fs.readFileSync(path.join(DEMO_TOOLS, id, 'main.mjs'), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    assert.ok(imports.length > 0 && imports.every((s) => s.startsWith('node:')), `${id} imports only node: built-ins, got ${imports.join(', ')}`);
  }
});

test('text-stats counts a known text and its table, chart and numbers conform', async () => {
  const tool = h.tool('text-stats');
  const outcome = await h.service.run(tool, { text: 'The cat sat. The cat ran away!\n\nA dog barked.', min_word_length: 1, top_n: 3 });
  const out = await assertConforming(h, tool, outcome);
  assert.equal(out.word_count, 10);
  assert.deepEqual(out.top_words, { x: ['cat', 'away', 'barked'], series: [{ name: 'Occurrences', y: [2, 1, 1] }] });
  const table = out.frequencies as { rows: { word: string; count: number }[] };
  assert.deepEqual(table.rows.map((r) => r.word), ['cat', 'away', 'barked', 'dog', 'ran', 'sat']);
  assert.match(out.highlights as string, /\*\*10 words\*\* in 3 sentences/);
});

test('text-stats: bad inputs are refused before a run, and the defaults run as they are', async () => {
  const tool = h.tool('text-stats');
  await assert.rejects(h.service.start(tool, { top_n: 99, colour: 'red' }), (error: unknown) => {
    assert.ok(error instanceof InputValidationError);
    assert.deepEqual(Object.keys(error.fieldErrors).sort(), ['colour', 'top_n']);
    return true;
  });
  const out = await assertConforming(h, tool, await h.service.run(tool, {}));
  assert.ok((out.word_count as number) > 50);
});

test('mandelbrot renders a real PNG of the asked size and a CSV file, both stored as artefacts', async () => {
  const tool = h.tool('mandelbrot');
  const outcome = await h.service.run(tool, { image_width: 320, max_iterations: 100, palette: 'ocean' });
  const out = await assertConforming(h, tool, outcome);
  const png = dataUrlBytes(out.render);
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  assert.equal(png.readUInt32BE(16), 320, 'IHDR width');
  assert.equal(png.readUInt32BE(20), 240, 'IHDR height');
  assert.equal(out.centre_inside, true);
  assert.ok((out.inside_share as number) > 15 && (out.inside_share as number) < 20, `about 17 % of the view is the set, got ${String(out.inside_share)}`);
  const file = out.escape_times as { filename: string; data: string };
  assert.equal(file.filename, 'mandelbrot-escape-times-64x48.csv');
  const csv = dataUrlBytes(file.data).toString('utf8').trim().split('\n');
  assert.equal(csv.length, 49, 'a header and 48 rows');
  assert.ok(csv[0].startsWith('im \\ re,') && csv[0].split(',').length === 65);
  // (The spill may also keep the whole outputs as a `_pixie_run_outputs` artefact; that is its business.)
  const kinds = outcome.artefacts.filter((a) => !a.outputKey.startsWith('_pixie')).map((a) => `${a.outputKey}:${a.mime}`).sort();
  assert.deepEqual(kinds, ['escape_times:text/csv', 'render:image/png']);
});

test('mandelbrot: a custom view out of range is refused by Pixie, naming the input', async () => {
  await assert.rejects(h.service.start(h.tool('mandelbrot'), { preset: 'custom', zoom: 41, inside_colour: 'black' }), (error: unknown) => {
    assert.ok(error instanceof InputValidationError);
    assert.match(error.fieldErrors.zoom, /at most 40/);
    assert.match(error.fieldErrors.inside_colour, /#rrggbb/);
    return true;
  });
});

test('json-explorer selects a value by path and describes the document', async () => {
  const tool = h.tool('json-explorer');
  const out = await assertConforming(h, tool, await h.service.run(tool, { path: 'author.name', sort_keys: true }));
  assert.deepEqual(out.selected, { value: '"Ada Lovelace"', language: 'json' });
  assert.match(out.outline as string, /^\*\*An object with 7 keys\*\*/);
  const rows = (out.paths as { rows: { path: string }[] }).rows.map((r) => r.path);
  assert.ok(rows.includes('stats["open issues"]') && rows.includes('releases[2].notes'));
  assert.deepEqual((out.summary as { pairs: { key: string; value: unknown }[] }).pairs[1], { key: 'Values in total', value: 28 });
});

test('json-explorer: a path that is not in the document fails the run with the tool\'s explanation', async () => {
  const outcome = await h.service.run(h.tool('json-explorer'), { path: 'author.nickname' });
  assert.equal(outcome.status, 'error');
  assert.match(outcome.errorText ?? '', /returned 422: .*author has no key "nickname"; its keys are name, email/);
  assert.equal(outcome.outputs, undefined);
});

test('countdown streams its outputs live and ends with all four, plus a transcript file', async () => {
  const tool = h.tool('countdown');
  const events: RunEvent[] = [];
  const outcome = await h.service.run(tool, { seconds: 3, tick_ms: 100, style: 'mission' }, { onEvent: (e) => events.push(e) });
  const out = await assertConforming(h, tool, outcome);
  assert.equal(out.countdown, 'T-minus 3… T-minus 2… T-minus 1… Lift-off!');
  assert.equal(out.progress, 1);
  assert.match(out.summary as string, /^\*\*Lift-off!\*\* Counted down from 3 in/);
  const lines = (out.log as { lines: { level: string; message: string }[] }).lines;
  assert.deepEqual(lines.map((l) => l.message).slice(1), ['3 to go', '2 to go', '1 to go', 'Lift-off!']);
  // Live: the stream_text grew chunk by chunk before the run finished.
  const live = events.filter((e): e is Extract<RunEvent, { type: 'output' }> => e.type === 'output' && e.key === 'countdown').map((e) => e.value);
  assert.deepEqual(live, ['T-minus 3… ', 'T-minus 3… T-minus 2… ', 'T-minus 3… T-minus 2… T-minus 1… ', out.countdown]);
  const transcript = outcome.artefacts.find((a) => a.filename === 'transcript.txt');
  assert.ok(transcript, `transcript.txt registered (got ${outcome.artefacts.map((a) => a.filename).join(', ')})`);
  assert.match(fs.readFileSync(resolveArtefactPath(h.config.artefactsRoot, transcript.relPath), 'utf8'), /INFO {2}Lift-off!\n$/);
});

test('countdown: Cancel stops it between two ticks and keeps what it had said', async () => {
  const tool = h.tool('countdown');
  let firstTick!: () => void;
  const ticked = new Promise<void>((resolve) => (firstTick = resolve));
  const handle = await h.service.start(tool, { seconds: 30, tick_ms: 200 }, {
    onEvent: (e) => {
      if (e.type === 'output' && e.key === 'countdown') firstTick();
    },
  });
  await ticked;
  const started = Date.now();
  await handle.cancel();
  const outcome = await handle.done;
  assert.equal(outcome.status, 'cancelled');
  assert.ok(Date.now() - started < 1500, 'the tool stopped by itself, well inside the grace period');
  assert.match(String(outcome.outputs?.summary), /^\*\*Cancelled\*\* with \d+ to go/);
  assert.ok(String(outcome.outputs?.countdown).startsWith('30… '));
});

test('countdown: "Fail half-way" ends the run as an error carrying the tool\'s message', async () => {
  const outcome = await h.service.run(h.tool('countdown'), { seconds: 4, tick_ms: 100, fail_half_way: true });
  assert.equal(outcome.status, 'error');
  assert.match(outcome.errorText ?? '', /the countdown failed at 2 \(simulated/);
});

test('compound-interest (Python) answers the cookbook shapes and the worked example', { skip: pythonSkip }, async () => {
  const tool = h.tool('compound-interest');
  const defaults = await assertConforming(h, tool, await h.service.run(tool, {}));
  assert.equal((defaults.growth_chart as { x: number[] }).x.length, 11, 'years 0..10');
  const out = await assertConforming(h, tool, await h.service.run(tool, {
    principal: 1000, annual_rate: 10, years: 2, compounding: '1', monthly_contribution: 0,
  }));
  assert.equal(out.final_value, 1210);
  assert.equal(out.total_contributions, 1000);
  assert.equal(out.total_interest, 210);
  const rows = (out.yearly_breakdown as { rows: { year: number; end_balance: number }[] }).rows;
  assert.deepEqual(rows.map((r) => [r.year, r.end_balance]), [[1, 1100], [2, 1210]]);
  const inflation = await assertConforming(h, tool, await h.service.run(tool, {
    principal: 0, annual_rate: 0, years: 1, monthly_contribution: 100, adjust_for_inflation: true, inflation_rate: 10,
  }));
  assert.equal(inflation.final_value, 1090.91);
  assert.equal((inflation.growth_chart as { series: unknown[] }).series.length, 3);
});

// ---------- npm start (scripts/start.mjs) ----------

/** Pids whose working folder is inside `dir` (tool processes run in their tool folder). */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}${path.sep}`)) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function listTree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => !p.split(path.sep).includes('.venv')).sort();
}

function runStart(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'npm_execpath'));
    const child = spawn(process.execPath, [path.join(REPO, 'scripts', 'start.mjs'), ...args], { cwd: REPO, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const noBuild = fs.existsSync(path.join(REPO, 'dist', 'cli.js')) ? undefined : 'dist/cli.js is not built (npm run build)';

test('npm start -- --no-ui runs the CLI job on a copy of the demo and leaves the repository untouched', { skip: noBuild }, async () => {
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-start-')), 'demo');
  const before = listTree(DEMO);
  try {
    const result = await runStart(['--no-ui', '--no-build', '--workspace', workspace]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /copied the demo workspace into/);
    assert.match(result.stdout, /pixie init/);
    assert.match(result.stdout, /pixie runs/);
    assert.match(result.stdout, /The command-line job is done/);
    // Each verb either ran or says it is not in this build yet; none is silently dropped.
    for (const verb of ['tools', 'run']) {
      assert.ok(new RegExp(`pixie ${verb}\\b[^\\n]*\\n\\s+(\\$ |skipped: )`).test(result.stdout), `pixie ${verb} step:\n${result.stdout}`);
    }
    assert.ok(fs.existsSync(path.join(workspace, 'pixie.db')), 'pixie init created the database in the copy');
    assert.ok(fs.existsSync(path.join(workspace, 'tools', 'countdown', 'tool.json')));
    assert.deepEqual(listTree(DEMO), before, 'nothing written into examples/demo-workspace');
    assert.deepEqual(processesIn(path.dirname(workspace)), [], 'no tool process left running');
  } finally {
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
});

test('npm start: an unknown flag is a usage error (exit code 2) before anything runs', async () => {
  const result = await runStart(['--no-such-flag']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option --no-such-flag\nusage: npm start/);
  assert.equal(result.stdout, '');
});
