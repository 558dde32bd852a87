// RunService end to end, through the real launcher and pixie.db on disk: the rows, files, artefact rows and
// tool_state a run leaves, for successes, refused runs and tools that answer with errors; concurrency and warm reuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRunHarness, eventually, writeTool, RAW_BODY_TOOL_SOURCE, type RunHarness } from './helpers/runHarness';
import { InputValidationError, ToolNotRunnableError, type RunEvent } from '../../src/core/runner/runTypes';
import { RunService } from '../../src/core/runner/runService';
import { Launcher } from '../../src/core/runner/launcher';
import { discoverTools } from '../../src/core/tools/discovery';
import { setToolOverrides } from '../../src/core/store/repositories/toolState';
import { deleteRun } from '../../src/core/store/repositories/runs';
import type { Store } from '../../src/core/store/types';
import { openStore } from '../../src/core/store/open';
import { artefactRefOf, loadRunOutputs, readReferencedValue, RUN_OUTPUTS_KEY } from '../../src/core/artefacts';
import { MARKER_ENV, pidAlive, waitFor } from '../helpers/toolProcesses';

let h: RunHarness;
const extraTools = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-extra-tools-'));

before(async () => {
  h = await createRunHarness();
});

after(async () => {
  fs.rmSync(extraTools, { recursive: true, force: true });
  await h.close();
});

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const parse = (text: string | null | undefined): unknown => JSON.parse(text ?? 'null') as unknown;

function runCountFor(toolId: string): number {
  return h.runRows().filter((r) => r.tool_id === toolId).length;
}

/** Every artefact row's file exists under the root with exactly the row's size and hash. */
function assertRowsMatchDisk(runId: string): number {
  let total = 0;
  for (const row of h.artefactRows(runId)) {
    const bytes = fs.readFileSync(path.join(h.config.artefactsRoot, row.rel_path));
    assert.equal(bytes.length, row.size_bytes, `${row.rel_path}: size on disk`);
    assert.equal(sha256(bytes), row.sha256, `${row.rel_path}: sha256 on disk`);
    total += row.size_bytes;
  }
  return total;
}

test('echo: an ok run leaves the exact row, an empty run folder and tool_state', async () => {
  const events: RunEvent[] = [];
  const outcome = await h.service.run(h.tool('echo'), { text: 'hello pixie' }, { onEvent: (e) => events.push(e) });
  const runId = outcome.runId;
  const runDir = h.runDir('echo', runId);
  assert.equal(outcome.status, 'ok');

  const row = h.runRow(runId);
  assert.ok(row);
  assert.equal(row.tool_id, 'echo');
  assert.equal(row.status, 'ok');
  assert.equal(row.started_at, outcome.startedAt);
  assert.equal(row.finished_at, outcome.finishedAt);
  assert.equal(row.error_text, null);
  assert.equal(row.starred, 0);
  assert.equal(row.label, null);
  assert.equal(row.total_artefact_bytes, 0);
  assert.deepEqual(parse(row.inputs_json), {
    run_id: runId,
    inputs: { text: 'hello pixie', show_env: false, fail_with: 'none', spawn_orphan: false },
    _pixie: { run_id: runId, artefacts_dir: runDir },
  });
  const outputs = parse(row.outputs_json) as { echo: string; request: Record<string, unknown> };
  assert.deepEqual(outputs, outcome.outputs);
  assert.equal(outputs.echo, 'hello pixie');
  const { pairs: _pairs, ...request } = outputs.request as Record<string, unknown>;
  assert.deepEqual({ ...request, pid: 0 }, {
    run_id: runId,
    artefacts_dir: runDir,
    header_run_id: runId,
    header_artefacts_dir: runDir,
    shape: 'nested',
    pid: 0,
  });
  const meta = h.meta(runId);
  assert.deepEqual(meta.owner, { pid: process.pid, host: os.hostname(), start: (meta.owner as { start: string }).start });
  assert.equal(meta.outputs_oversize, undefined);

  assert.deepEqual(fs.readdirSync(runDir), []);
  assert.equal(fs.statSync(runDir).mode & 0o777, 0o700);
  assert.deepEqual(h.artefactRows(runId), []);

  assert.deepEqual(h.toolState('echo'), {
    tool_id: 'echo',
    last_inputs_json: JSON.stringify({ text: 'hello pixie', show_env: false, fail_with: 'none', spawn_orphan: false }),
    run_count_total: 1,
    last_run_at: row.finished_at,
  });
  assert.deepEqual(
    events.map((e) => e.type),
    ['started', 'spawning', 'finished'],
  );
  assert.equal(events[2].type === 'finished' && events[2].outcome.runId, runId);
});

test('inputs_json is byte for byte the body the tool received', async () => {
  writeTool(
    extraTools,
    'raw-body',
    {
      id: 'raw-body',
      name: 'Raw body',
      entrypoint: 'main.mjs',
      inputs: [
        { key: 'text', label: 'Text', type: 'text' },
        { key: 'count', label: 'Count', type: 'number', default: 3 },
        { key: 'flag', label: 'Flag', type: 'toggle', default: false },
      ],
      outputs: [
        { key: 'raw', label: 'Raw', type: 'text' },
        { key: 'content_type', label: 'Content type', type: 'text' },
      ],
    },
    RAW_BODY_TOOL_SOURCE,
  );
  const [tool] = await discoverTools(extraTools);
  assert.deepEqual(tool.errors, []);
  // Strings as a form or the CLI sends them: validation converts them before they are sent and recorded.
  const outcome = await h.service.run(tool, { text: 'héllo "quoted"\nline ✓', count: '7', flag: 'true' });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const row = h.runRow(outcome.runId);
  assert.ok(row);
  const outputs = parse(row.outputs_json) as { raw: string; content_type: string };
  assert.equal(row.inputs_json, outputs.raw);
  assert.equal(outputs.content_type, 'application/json');
  assert.deepEqual((parse(row.inputs_json) as { inputs: unknown }).inputs, { text: 'héllo "quoted"\nline ✓', count: 7, flag: true });
  await h.launcher.stop('raw-body');
});

test('invalid inputs throw InputValidationError with per-field messages and write nothing', async () => {
  const before = h.runRows().length;
  const folders = fs.readdirSync(path.join(h.config.artefactsRoot, 'echo'));
  await assert.rejects(h.service.start(h.tool('echo'), { fail_with: 'explode', nope: 1 }), (error: unknown) => {
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.toolId, 'echo');
    assert.deepEqual(Object.keys(error.fieldErrors).sort(), ['fail_with', 'nope']);
    assert.match(error.fieldErrors.nope, /not an input of this tool/);
    assert.match(error.message, /Some inputs of echo are not valid:\n {2}nope: .*\n {2}fail_with: /s);
    return true;
  });
  await assert.rejects(h.service.run(h.tool('big-output'), { size: 'lots' }), (error: unknown) => {
    assert.ok(error instanceof InputValidationError);
    assert.deepEqual(Object.keys(error.fieldErrors), ['size']);
    return true;
  });
  assert.equal(h.runRows().length, before);
  assert.deepEqual(fs.readdirSync(path.join(h.config.artefactsRoot, 'echo')), folders);
  assert.equal(fs.existsSync(path.join(h.config.artefactsRoot, 'big-output')), false);
});

test('a broken tool.json throws ToolNotRunnableError naming the problem and its position, and writes nothing', async () => {
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-broken-'));
  try {
    writeTool(broken, 'broken', '{\n  "id": "broken",\n  "name": "Broken",\n  "entrypoint": "main.mjs",\n  "inputs": [],\n  "outputs": [],\n  "colour": 3\n}\n', '');
    const [tool] = await discoverTools(broken);
    assert.ok(tool.errors.length > 0);
    await assert.rejects(h.service.run(tool, {}), (error: unknown) => {
      assert.ok(error instanceof ToolNotRunnableError);
      assert.match(error.message, /^broken cannot run: .+ \(tool\.json \d+:\d+\)\. Fix tool\.json and try again\.$/);
      return true;
    });
    assert.equal(runCountFor('broken'), 0);
    assert.equal(fs.existsSync(path.join(h.config.artefactsRoot, 'broken')), false);
    assert.equal(h.launcher.isRunning('broken'), false);
  } finally {
    fs.rmSync(broken, { recursive: true, force: true });
  }
});

test('error answers: FastAPI detail unwrapped, plain bodies kept (truncated), tool_state counts but keeps the last good inputs', async () => {
  const stateBefore = h.toolState('echo');
  assert.ok(stateBefore);
  const list = await h.service.run(h.tool('echo'), { text: 'long text', fail_with: 'detail-list' });
  assert.equal(list.status, 'error');
  const listRow = h.runRow(list.runId);
  assert.equal(listRow?.status, 'error');
  assert.equal(listRow?.outputs_json, null);
  assert.equal(
    listRow?.error_text,
    "tool 'echo' returned 422: body.inputs.text: String should have at most 3 characters\nbody.inputs.count: Field required",
  );
  assert.equal(h.meta(list.runId).http_status, 422);

  const detail = await h.service.run(h.tool('echo'), { text: 'x', fail_with: 'detail-string' });
  assert.equal(h.runRow(detail.runId)?.error_text, `tool 'echo' returned 400: cannot echo "x"`);

  const plain = await h.service.run(h.tool('echo'), { text: 'x', fail_with: 'plain-500' });
  const body = `Internal Server Error\n${'x'.repeat(5000)}`;
  assert.equal(h.runRow(plain.runId)?.error_text, `tool 'echo' returned 500: ${body.slice(0, 2000)}… [${body.length - 2000} more characters]`);
  assert.equal(h.meta(plain.runId).http_status, 500);

  const state = h.toolState('echo');
  assert.equal(state?.last_inputs_json, stateBefore.last_inputs_json);
  assert.equal(state?.run_count_total, stateBefore.run_count_total + 3);
  assert.equal(state?.last_run_at, h.runRow(plain.runId)?.finished_at);
});

test('all-shapes: image and file outputs become artefacts (references, right MIME), the rest stays inline', async () => {
  const outcome = await h.service.run(h.tool('all-shapes'), { title: 'Shapes' });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const row = h.runRow(outcome.runId);
  assert.ok(row?.outputs_json);
  assert.doesNotMatch(row.outputs_json, /data:/, 'no data URL is stored inline');
  const outputs = parse(row.outputs_json) as Record<string, unknown>;
  assert.deepEqual(outputs, outcome.outputs);
  assert.equal(outputs.text, 'Shapes: plain text');
  assert.equal(outputs.number, 1234.5);
  assert.equal(outputs.boolean, true);
  assert.deepEqual(outputs.code, { value: 'print("hello")\n', language: 'python' });

  const image = artefactRefOf(outputs.image);
  const file = artefactRefOf(outputs.file);
  assert.ok(image && file);
  const runRel = `all-shapes/${outcome.runId}`;
  assert.deepEqual({ ...image, id: 0, sha256: '', size: 0 }, { id: 0, rel_path: `${runRel}/image.png`, mime: 'image/png', size: 0, sha256: '', filename: 'image.png', kind: 'file' });
  assert.deepEqual({ ...file, id: 0, sha256: '' }, { id: 0, rel_path: `${runRel}/file.csv`, mime: 'text/csv', size: 25, sha256: '', filename: 'scores.csv', kind: 'file' });
  assert.equal((outputs.file as Record<string, unknown>).filename, 'scores.csv');
  assert.equal((outputs.file as Record<string, unknown>).mime_type, 'text/csv');
  assert.equal(fs.readFileSync(path.join(h.config.artefactsRoot, file.rel_path), 'utf8'), 'name,score\nada,3\ngrace,5\n');
  assert.deepEqual(fs.readFileSync(path.join(h.config.artefactsRoot, image.rel_path)).subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

  const rows = h.artefactRows(outcome.runId);
  assert.deepEqual(
    rows.map((r) => [r.id, r.output_key, r.rel_path, r.filename, r.mime]),
    [
      [image.id, 'image', image.rel_path, 'image.png', 'image/png'],
      [file.id, 'file', file.rel_path, 'scores.csv', 'text/csv'],
    ],
  );
  assert.equal(row.total_artefact_bytes, assertRowsMatchDisk(outcome.runId));
  assert.equal(row.total_artefact_bytes, image.size + 25);
  const meta = h.meta(outcome.runId);
  assert.deepEqual(meta.spilled_keys, ['image', 'file']);
  assert.equal(meta.mime_mismatches, undefined);
  assert.equal(meta.outputs_oversize, undefined);
});

test('dedup on: two identical runs share one file and have a row each', async () => {
  const dedup = new RunService({ store: h.store, launcher: h.launcher, config: { ...h.config, dedupArtefacts: true } });
  const first = await dedup.run(h.tool('all-shapes'), { title: 'Dedup' });
  const second = await dedup.run(h.tool('all-shapes'), { title: 'Dedup' });
  assert.equal(first.status, 'ok');
  assert.equal(second.status, 'ok');
  const firstRows = h.artefactRows(first.runId);
  const secondRows = h.artefactRows(second.runId);
  assert.equal(firstRows.length, 2);
  assert.equal(secondRows.length, 2);
  // The second run's rows point at the first run's files; its own folder stays empty.
  assert.deepEqual(secondRows.map((r) => r.rel_path), firstRows.map((r) => r.rel_path));
  assert.deepEqual(secondRows.map((r) => r.sha256), firstRows.map((r) => r.sha256));
  assert.notDeepEqual(secondRows.map((r) => r.id), firstRows.map((r) => r.id));
  assert.equal(new Set(firstRows.map((r) => r.rel_path)).size, 2);
  // One copy of each file on disk for every all-shapes run so far (the earlier non-dedup run made them).
  const images = fs
    .readdirSync(path.join(h.config.artefactsRoot, 'all-shapes'))
    .filter((dir) => fs.existsSync(path.join(h.config.artefactsRoot, 'all-shapes', dir, 'image.png')));
  assert.equal(images.length, 1);
  assert.deepEqual(fs.readdirSync(h.runDir('all-shapes', second.runId)), []);
  // Each run's total is the sum of its live rows, shared files included.
  assert.equal(h.runRow(second.runId)?.total_artefact_bytes, h.runRow(first.runId)?.total_artefact_bytes);
  assert.equal(h.runRow(second.runId)?.total_artefact_bytes, assertRowsMatchDisk(second.runId));
  const ref = artefactRefOf((second.outputs as Record<string, unknown>).image);
  assert.equal(ref?.id, secondRows[0].id);
  assert.equal(ref?.rel_path, firstRows[0].rel_path);
});

/** The text big-output returns (same algorithm as its main.mjs). */
function bigText(size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = `line ${String(i).padStart(7, '0')} ${'lorem ipsum '.repeat(5)}\n`;
    parts.push(line);
    length += line.length;
  }
  return parts.join('').slice(0, size);
}

test('big-output: oversize outputs go to files, outputs_json is NULL, replay rebuilds them exactly', async () => {
  const outcome = await h.service.run(h.tool('big-output'), {});
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const row = h.runRow(outcome.runId);
  assert.ok(row);
  assert.equal(row.outputs_json, null);
  const expected = bigText(1_000_000);
  const meta = h.meta(outcome.runId);
  assert.equal(meta.outputs_oversize, true);
  assert.equal(meta.bytes, Buffer.byteLength(JSON.stringify({ text: expected, size: 1_000_000 })));
  assert.deepEqual(meta.spilled_keys, ['text']);

  const rows = h.artefactRows(outcome.runId);
  const runRel = `big-output/${outcome.runId}`;
  assert.deepEqual(
    rows.map((r) => [r.output_key, r.rel_path, r.filename, r.mime]),
    [
      ['text', `${runRel}/text.txt`, 'text.txt', 'text/plain'],
      [RUN_OUTPUTS_KEY, `${runRel}/outputs.json`, 'outputs.json', 'application/json'],
    ],
  );
  assert.equal(rows[0].size_bytes, 1_000_000);
  assert.equal(rows[0].sha256, sha256(expected));
  assert.equal(row.total_artefact_bytes, assertRowsMatchDisk(outcome.runId));
  assert.deepEqual(fs.readdirSync(h.runDir('big-output', outcome.runId)).sort(), ['outputs.json', 'text.txt']);

  const replayed = (await loadRunOutputs(h.store, h.config.artefactsRoot, { id: row.id, outputsJson: row.outputs_json })) as Record<string, unknown>;
  assert.deepEqual(replayed, outcome.outputs);
  assert.equal(replayed.size, 1_000_000);
  const ref = artefactRefOf(replayed.text);
  assert.ok(ref);
  assert.equal(ref.kind, 'text');
  assert.equal(ref.id, rows[0].id);
  assert.equal(await readReferencedValue(h.config.artefactsRoot, ref), expected);
});

test('file-writer: written files registered, secrets redacted, hidden/partial/symlink skipped, escapes not registered', async () => {
  const outcome = await h.service.run(h.tool('file-writer'), {});
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const runId = outcome.runId;
  const runRel = `file-writer/${runId}`;
  const runDir = h.runDir('file-writer', runId);
  const rows = h.artefactRows(runId);
  const byName = new Map(rows.map((r) => [r.rel_path.slice(runRel.length + 1), r]));
  const redacted = [...byName.keys()].find((name) => /^redacted-[0-9a-f]{8}\.txt$/.test(name));
  assert.ok(redacted, `a redacted file among ${[...byName.keys()].join(', ')}`);
  assert.deepEqual([...byName.keys()].sort(), ['chart.png', 'report.csv', redacted, 'sub/x.txt'].sort());
  assert.deepEqual(
    ['report.csv', 'chart.png', 'sub/x.txt', redacted].map((name) => {
      const r = byName.get(name);
      return [r?.output_key, r?.filename, r?.mime, r?.tags];
    }),
    [
      ['report', 'report.csv', 'text/csv', null],
      ['chart', 'chart.png', 'image/png', null],
      ['', 'x.txt', 'text/plain', null],
      ['', redacted, 'text/plain', JSON.stringify(['_redacted_original:api_key.txt'])],
    ],
  );
  assert.equal(fs.readFileSync(path.join(runDir, redacted), 'utf8'), 'sk-not-a-real-key\n');
  assert.equal(fs.existsSync(path.join(runDir, 'api_key.txt')), false);
  // Skipped, left where they are, never registered.
  assert.ok(fs.existsSync(path.join(runDir, '.hidden')));
  assert.ok(fs.existsSync(path.join(runDir, 'x.partial')));
  // The symlink to /etc/hostname left the run folder for the quarantine; its target is untouched.
  assert.equal(fs.existsSync(path.join(runDir, 'hostname-link')), false);
  const meta = h.meta(runId) as {
    quarantined: { relPath: string; quarantinedTo: string; target: string }[];
    redacted: { originalName: string; relPath: string }[];
    scan_skipped: Record<string, number>;
  };
  assert.equal(meta.quarantined.length, 1);
  assert.equal(meta.quarantined[0].relPath, `${runRel}/hostname-link`);
  assert.equal(meta.quarantined[0].target, '/etc/hostname');
  assert.match(meta.quarantined[0].quarantinedTo, new RegExp(`^_quarantine/\\d{8}T\\d{6}Z-path-escape/${runRel}/hostname-link$`));
  assert.ok(fs.lstatSync(path.join(h.config.artefactsRoot, meta.quarantined[0].quarantinedTo)).isSymbolicLink());
  assert.deepEqual(meta.redacted, [{ originalName: 'api_key.txt', relPath: `${runRel}/${redacted}` }]);
  assert.deepEqual(meta.scan_skipped, { hidden: 1, partial: 1 });
  // ../escape.txt landed beside the run folder: not part of the run, no row anywhere points at it.
  const summary = (outcome.outputs as { summary: { escape_path: string; escaped: boolean } }).summary;
  assert.equal(summary.escape_path, path.join(h.config.artefactsRoot, 'file-writer', 'escape.txt'));
  assert.equal(h.store.read((q) => q.get<{ n: number }>("SELECT count(*) AS n FROM artefacts WHERE rel_path LIKE '%escape%'"))?.n, 0);
  assert.equal(h.runRow(runId)?.total_artefact_bytes, assertRowsMatchDisk(runId));
});

test('serial (concurrent: false): two runs at once are serialised; with the override they overlap', async () => {
  const tool = h.tool('serial');
  const [a, b] = await Promise.all([h.service.start(tool, { ms: 300 }), h.service.start(tool, { ms: 300 })]);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  assert.equal(ra.status, 'ok', ra.errorText);
  assert.equal(rb.status, 'ok', rb.errorText);
  for (const outcome of [ra, rb]) {
    assert.deepEqual(outcome.outputs, { overlapped: false, active_at_start: 1, max_active: 1 });
  }
  const [first, second] = [ra, rb].sort((x, y) => Date.parse(x.finishedAt) - Date.parse(y.finishedAt));
  assert.ok(Date.parse(second.finishedAt) - Date.parse(first.finishedAt) >= 250, 'the second waited for the first');

  await h.store.write((q) => setToolOverrides(q, 'serial', { concurrent: true }));
  const both = await Promise.all([h.service.run(tool, { ms: 500 }), h.service.run(tool, { ms: 500 })]);
  assert.deepEqual(
    both.map((o) => (o.outputs as { overlapped: boolean }).overlapped),
    [true, true],
  );
  await h.store.write((q) => setToolOverrides(q, 'serial', null));
});

test('echo: concurrent runs share the warm process and both succeed', async () => {
  const tool = h.tool('echo');
  const outcomes = await Promise.all(['one', 'two', 'three'].map((text) => h.service.run(tool, { text })));
  assert.deepEqual(outcomes.map((o) => [o.status, (o.outputs as { echo: string }).echo]), [['ok', 'one'], ['ok', 'two'], ['ok', 'three']]);
  const pids = new Set(outcomes.map((o) => (o.outputs as { request: { pid: number } }).request.pid));
  assert.equal(pids.size, 1);
  assert.equal(new Set(outcomes.map((o) => o.runId)).size, 3);
});

test('warm reuse: the second run uses the same process and skips the start-up', async () => {
  await h.launcher.stop('echo');
  const events: RunEvent[][] = [[], []];
  const cold = await h.service.run(h.tool('echo'), { text: 'cold' }, { onEvent: (e) => events[0].push(e) });
  const warm = await h.service.run(h.tool('echo'), { text: 'warm' }, { onEvent: (e) => events[1].push(e) });
  const pid = (o: typeof cold): number => (o.outputs as { request: { pid: number } }).request.pid;
  assert.equal(pid(warm), pid(cold));
  assert.ok(events[0].some((e) => e.type === 'spawning'));
  assert.ok(!events[1].some((e) => e.type === 'spawning'));
  assert.ok(warm.durationMs * 2 < cold.durationMs, `warm ${warm.durationMs} ms vs cold ${cold.durationMs} ms`);
});

test('a warm run is two small commits and no store reads of its own; meta written meanwhile is kept', async () => {
  const inner = h.store;
  const commits: string[][] = [];
  const durability: (string | undefined)[] = [];
  const keepLock: (number | undefined)[] = [];
  let reads = 0;
  const counted: Store = {
    get readOnlyReason() {
      return inner.readOnlyReason;
    },
    read: (fn) => (reads++, inner.read(fn)),
    write: (fn, options) => {
      const statements: string[] = [];
      commits.push(statements);
      durability.push(options?.durability);
      keepLock.push(options?.keepLockMs);
      return inner.write((q) => fn({ ...q, run: (sql, params) => (statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' ')), q.run(sql, params)) }), options);
    },
    checkpoint: () => inner.checkpoint(),
    onDidChange: (listener) => inner.onDidChange(listener),
    refresh: () => inner.refresh(),
    info: () => inner.info(),
    close: () => inner.close(),
  };
  const service = new RunService({ store: counted, launcher: h.launcher, config: h.config });
  await service.run(h.tool('echo'), { text: 'warm-up' }); // the tool warm, its tool_state row there
  commits.length = 0;
  durability.length = 0;
  keepLock.length = 0;
  reads = 0;
  const outcome = await service.run(h.tool('echo'), { text: 'counted' }, {
    // Someone else adds to the row's meta while the run goes on (a UI note, say): the finish must not drop it.
    onEvent: (event) => {
      if (event.type === 'started') {
        void inner.write((q) => q.run(`UPDATE runs SET meta_json = json_set(meta_json, '$.note', 'kept') WHERE id = ?`, [event.runId]));
      }
    },
  });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  assert.equal(reads, 0, 'everything the run needs from the store is read inside its two transactions');
  assert.deepEqual(commits, [
    ['INSERT INTO runs(id,'],
    ['UPDATE runs SET', 'INSERT INTO tool_state(tool_id,'],
  ]);
  // The started row is flushed while the request goes out; the outcome is flushed before the run reports it.
  assert.deepEqual(durability, ['background', undefined]);
  // The lock is kept briefly after the started row (a quick run's outcome then commits without taking it again).
  assert.ok((keepLock[0] ?? 0) > 0 && (keepLock[0] ?? 0) <= 50, `kept briefly: ${keepLock[0]} ms`);
  assert.equal(keepLock[1], undefined);
  assert.equal(h.meta(outcome.runId).note, 'kept');
  assert.deepEqual(outcome.meta, h.meta(outcome.runId));
  assert.equal((outcome.meta.owner as { pid: number }).pid, process.pid);
  assert.deepEqual(outcome.artefacts, []);
  const state = h.toolState('echo');
  assert.equal(state?.last_inputs_json, JSON.stringify({ text: 'counted', show_env: false, fail_with: 'none', spawn_orphan: false }));
  assert.equal(state?.last_run_at, outcome.finishedAt);
});

test('the writer lock is not held through a run: another store writes during a slow run, and a quick run leaves it free', async () => {
  const other = await openStore({ dbPath: h.config.dbPath, busyTimeoutMs: 5_000 });
  try {
    let startedAt = 0;
    const slow = h.service.run(h.tool('slow'), { seconds: 1.5 }, { onEvent: (e) => (e.type === 'started' ? (startedAt = performance.now()) : undefined) });
    await eventually(() => startedAt > 0, 10_000, 'the slow run to start');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = performance.now();
    await other.write((q) => q.run(`INSERT OR REPLACE INTO settings(key, value) VALUES('lock-probe', 'written')`));
    const waited = performance.now() - before;
    assert.ok(waited < 500, `another store's write waited ${waited.toFixed(0)} ms during the run`);
    assert.equal((await slow).status, 'ok');
    const quick = await h.service.run(h.tool('echo'), { text: 'quick' });
    assert.equal(quick.status, 'ok');
    assert.equal(fs.existsSync(h.store.lockPath), false, 'the lock is free once a quick run has finished');
    assert.equal(h.store.read((q) => q.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'lock-probe'`))?.value, 'written');
  } finally {
    await other.close();
  }
});

/** A tool that, when asked to (`then`), stops listening after its answer and then exits (or lingers on, deaf). */
const CLOSING_TOOL_SOURCE = `
import http from 'node:http';
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') { res.writeHead(200); res.end('{}'); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { inputs } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify({ pid: process.pid }), () => {
      if (inputs.then === 'exit') { server.close(); setTimeout(() => process.exit(0), 600); }
      if (inputs.then === 'deaf') { server.close(); setInterval(() => undefined, 1000); }
    });
  });
}).listen(port, '127.0.0.1');
`;

function closingTool(id: string) {
  writeTool(
    extraTools,
    id,
    {
      id,
      name: 'Closing',
      entrypoint: 'main.mjs',
      inputs: [{ key: 'then', label: 'Then', type: 'text', default: 'stay' }],
      outputs: [{ key: 'pid', label: 'Pid', type: 'number' }],
    },
    CLOSING_TOOL_SOURCE,
  );
}

test('a warm process that exits right after a run is started again for the next run (no "connection refused")', async () => {
  closingTool('closing');
  const tool = (await discoverTools(extraTools)).find((t) => t.toolId === 'closing');
  assert.ok(tool);
  const first = await h.service.run(tool, { then: 'exit' });
  assert.equal(first.status, 'ok', first.errorText);
  // At once: the process still runs (it exits 600 ms later) but no longer listens.
  assert.equal(h.launcher.isRunning('closing'), true);
  const events: RunEvent[] = [];
  const second = await h.service.run(tool, { then: 'stay' }, { onEvent: (e) => events.push(e) });
  assert.equal(second.status, 'ok', second.errorText);
  assert.notEqual(second.outputs?.pid, first.outputs?.pid, 'answered by a new process');
  assert.ok(events.some((e) => e.type === 'spawning'), 'the restart is reported as spawning');
  assert.equal(runCountFor('closing'), 2);
  await h.launcher.stop('closing');
});

test('a warm process that stops listening but keeps running fails the run with the refusal (no endless retry)', async () => {
  closingTool('deaf');
  const tool = (await discoverTools(extraTools)).find((t) => t.toolId === 'deaf');
  assert.ok(tool);
  assert.equal((await h.service.run(tool, { then: 'deaf' })).status, 'ok');
  const started = performance.now();
  const refused = await h.service.run(tool, { then: 'stay' });
  assert.equal(refused.status, 'error');
  assert.match(refused.errorText ?? '', /ECONNREFUSED/);
  assert.ok(performance.now() - started < 5_000, 'failed after the short wait for an exit');
  await h.launcher.stop('deaf');
});

test('a run whose row was deleted while it ran still counts in tool_state but leaves the last inputs alone', async () => {
  const before = h.toolState('echo');
  const outcome = await h.service.run(h.tool('echo'), { text: 'deleted meanwhile' }, {
    onEvent: (event) => {
      if (event.type === 'started') void h.store.write((q) => deleteRun(q, event.runId));
    },
  });
  assert.equal(h.runRow(outcome.runId), undefined);
  const after = h.toolState('echo');
  assert.equal(after?.run_count_total, (before?.run_count_total ?? 0) + 1);
  assert.equal(after?.last_inputs_json, before?.last_inputs_json);
});

test('a run folder that cannot be made ends the run as an error, with its row; nothing is sent to the tool', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-no-folder-'));
  try {
    fs.writeFileSync(path.join(root, 'echo'), 'a file where the tool folder belongs');
    const service = new RunService({ store: h.store, launcher: h.launcher, config: { ...h.config, artefactsRoot: root } });
    const outcome = await service.run(h.tool('echo'), { text: 'no folder' });
    assert.equal(outcome.status, 'error');
    assert.match(outcome.errorText ?? '', /^could not create the run folder .*echo/);
    const row = h.runRow(outcome.runId);
    assert.equal(row?.status, 'error');
    assert.equal(row?.error_text, outcome.errorText);
    assert.equal((outcome.outputs as unknown) ?? null, null, 'the tool never ran');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a start commit that fails throws, and leaves no run folder behind', async () => {
  const failing: Store = {
    get readOnlyReason() {
      return h.store.readOnlyReason;
    },
    read: (fn) => h.store.read(fn),
    write: () => Promise.reject(new Error('pixie.db is busy (test)')),
    checkpoint: () => h.store.checkpoint(),
    onDidChange: (listener) => h.store.onDidChange(listener),
    refresh: () => h.store.refresh(),
    info: () => h.store.info(),
    close: async () => undefined,
  };
  const service = new RunService({ store: failing, launcher: h.launcher, config: h.config, newRunId: () => 'never-recorded' });
  await assert.rejects(service.run(h.tool('echo'), { text: 'x' }), /busy \(test\)/);
  assert.equal(fs.existsSync(h.runDir('echo', 'never-recorded')), false);
  assert.equal(h.runRow('never-recorded'), undefined);
});

test('warmKeepMax: a second tool evicts the least recently used one', async () => {
  const launcher = new Launcher({ artefactsRoot: h.config.artefactsRoot, warmKeepMax: 1, extraEnv: { [MARKER_ENV]: h.marker }, stopGraceMs: 1000, evictGraceMs: 1000 });
  const service = new RunService({ store: h.store, launcher, config: { ...h.config, warmKeepMax: 1 } });
  try {
    const first = await service.run(h.tool('echo'), { text: 'a' });
    const echoPid = (first.outputs as { request: { pid: number } }).request.pid;
    assert.equal(launcher.get('echo')?.pid, echoPid);
    await service.run(h.tool('all-shapes'), {});
    assert.ok(await waitFor(() => !pidAlive(echoPid), 5000), 'echo was evicted and its process stopped');
    // Its stop finishes just after the process is gone; then the launcher knows only the newer tool.
    await eventually(() => launcher.list().map((i) => `${i.toolId}:${i.state}`).join() === 'all-shapes:warm', 5000, 'echo to leave the pool');
    const again = await service.run(h.tool('echo'), { text: 'b' });
    assert.notEqual((again.outputs as { request: { pid: number } }).request.pid, echoPid);
    assert.deepEqual(launcher.list().filter((i) => i.state === 'warm').map((i) => i.toolId), ['echo']);
  } finally {
    await launcher.dispose();
  }
});
