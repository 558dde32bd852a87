// The tool HTTP client against real fixture tools: the /run envelope and headers, error unwrapping,
// timeouts, cancel, schema, health — plus a local server for malformed answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getFreePort, Launcher, type ToolProcess } from '../../src/core/runner/launcher';
import { buildRunBody, getSchema, healthz, postCancel, postRun, runBodyJson, ToolHttpError, ToolRequestError } from '../../src/core/runner/client';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const marker = newMarker();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-client-'));
const launcher = new Launcher({ artefactsRoot: tmp, extraEnv: { [MARKER_ENV]: marker }, stopGraceMs: 1000 });
let echo: ToolProcess;
let slow: ToolProcess;
let odd: http.Server;
let oddUrl: string;

before(async () => {
  [echo, slow] = await Promise.all([launcher.ensureRunning(fixtureSpec('echo')), launcher.ensureRunning(fixtureSpec('slow'))]);
  odd = http.createServer((req, res) => {
    // The first path segment picks the misbehaviour: postRun(`${oddUrl}/array`) hits /array/run.
    const reply: Record<string, [number, string, string]> = {
      '/array/run': [200, 'application/json', '[1,2,3]'],
      '/html/run': [200, 'text/html', '<html>oops</html>'],
      '/error-key/run': [503, 'application/json', '{"error":"model is still loading"}'],
      '/empty/run': [502, 'text/plain', ''],
    };
    const [status, type, body] = reply[req.url ?? ''] ?? [404, 'text/plain', 'nope'];
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', () => resolve()));
  oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => odd.close(() => resolve()));
  await launcher.dispose();
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

test('POST /run sends {run_id, inputs, _pixie} with the Pixie headers and returns the JSON object', async () => {
  const runDir = path.join(tmp, 'echo', 'r-1');
  const out = await postRun(echo.baseUrl, { runId: 'r-1', inputs: { text: 'héllo' }, artefactsDir: runDir });
  assert.equal(out.echo, 'héllo');
  const { pairs, ...request } = out.request as Record<string, unknown>;
  assert.deepEqual(request, {
    run_id: 'r-1', artefacts_dir: runDir, header_run_id: 'r-1', header_artefacts_dir: runDir, shape: 'nested', pid: echo.pid,
  });
  assert.deepEqual(pairs, request);
});

test('runBodyJson is JSON.stringify(buildRunBody(…)) exactly, and postRun sends it as the body when given', async () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['r-1', { text: 'héllo "q"\n✓', n: 1.5e21, neg: -0, nested: { a: [1, null, true] }, gone: undefined }, '/tmp/a "b"\\c'],
    ['id with "quotes"', {}, '/caf\u00e9/\u{1f600}/\u2028'],
  ];
  for (const [runId, inputs, dir] of cases) {
    assert.equal(runBodyJson(runId, JSON.stringify(inputs), dir), JSON.stringify(buildRunBody(runId, inputs, dir)));
  }
  const runDir = path.join(tmp, 'echo', 'r-body');
  const inputsJson = JSON.stringify({ text: 'from the body' });
  const out = await postRun(echo.baseUrl, { runId: 'r-body', bodyJson: runBodyJson('r-body', inputsJson, runDir), artefactsDir: runDir });
  assert.equal(out.echo, 'from the body');
  assert.equal((out.request as Record<string, unknown>).artefacts_dir, runDir);
  assert.equal((out.request as Record<string, unknown>).header_run_id, 'r-body');
});

test('a non-Latin-1 artefacts path goes only in the body (headers cannot carry it)', async () => {
  const runDir = path.join(tmp, '工具', 'r-2');
  const out = await postRun(echo.baseUrl, { runId: 'r-2', inputs: { text: 'x' }, artefactsDir: runDir });
  const request = out.request as Record<string, unknown>;
  assert.equal(request.artefacts_dir, runDir);
  assert.equal(request.header_artefacts_dir, null);
});

test("FastAPI's validation list is unwrapped into `loc: msg` lines", async () => {
  const error = await postRun(echo.baseUrl, { runId: 'r-3', inputs: { text: 'abcdef', fail_with: 'detail-list' }, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(error instanceof ToolHttpError);
  assert.equal(error.status, 422);
  assert.equal(error.detail, 'body.inputs.text: String should have at most 3 characters\nbody.inputs.count: Field required');
  assert.equal(error.message, 'Tool responded 422 Unprocessable Entity:\nbody.inputs.text: String should have at most 3 characters\nbody.inputs.count: Field required');
  assert.match(error.body, /^\{"detail":\[/);
  const typeError = await postRun(echo.baseUrl, { runId: 'r-4', inputs: { text: 42 }, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(typeError instanceof ToolHttpError);
  assert.equal(typeError.detail, 'body.inputs.text: Input should be a valid string');
});

test('a string detail is shown as is; a long plain-text body is truncated to 2000 characters', async () => {
  const stringDetail = await postRun(echo.baseUrl, { runId: 'r-5', inputs: { text: 'q', fail_with: 'detail-string' }, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(stringDetail instanceof ToolHttpError);
  assert.equal(stringDetail.status, 400);
  assert.equal(stringDetail.message, 'Tool responded 400 Bad Request: cannot echo "q"');
  const plain = await postRun(echo.baseUrl, { runId: 'r-6', inputs: { text: 'q', fail_with: 'plain-500' }, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(plain instanceof ToolHttpError);
  assert.equal(plain.status, 500);
  assert.ok(plain.detail.startsWith('Internal Server Error\nxxx'));
  assert.match(plain.detail, /… \[3022 more characters\]$/);
  assert.ok(plain.detail.length < 2100 && plain.body.length < 2100);
});

test('other error bodies: {"error": …} unwrapped, empty body gives just the status', async () => {
  const keyed = await postRun(`${oddUrl}/error-key`, { runId: 'x', inputs: {}, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(keyed instanceof ToolHttpError);
  assert.equal(keyed.message, 'Tool responded 503 Service Unavailable: model is still loading');
  const empty = await postRun(`${oddUrl}/empty`, { runId: 'x', inputs: {}, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(empty instanceof ToolHttpError);
  assert.equal(empty.message, 'Tool responded 502 Bad Gateway');
});

test('a 2xx answer that is not a JSON object is a bad-response error', async () => {
  await assert.rejects(postRun(`${oddUrl}/array`, { runId: 'x', inputs: {}, artefactsDir: tmp }), (e: unknown) =>
    e instanceof ToolRequestError && e.kind === 'bad-response' && /returned an array; expected a JSON object/.test(e.message));
  await assert.rejects(postRun(`${oddUrl}/html`, { runId: 'x', inputs: {}, artefactsDir: tmp }), (e: unknown) =>
    e instanceof ToolRequestError && e.kind === 'bad-response' && /is not JSON: <html>oops<\/html>/.test(e.message));
});

test('timeout, cancellation by the caller, and an unreachable tool are told apart', async () => {
  const timedOut = await postRun(slow.baseUrl, { runId: 's-1', inputs: { seconds: 5 }, artefactsDir: tmp, timeoutMs: 200 }).catch((e: unknown) => e);
  assert.ok(timedOut instanceof ToolRequestError);
  assert.equal(timedOut.kind, 'timeout');
  assert.match(timedOut.message, /did not complete within 200 ms/);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const aborted = await postRun(slow.baseUrl, { runId: 's-2', inputs: { seconds: 5 }, artefactsDir: tmp, signal: controller.signal, timeoutMs: 10_000 }).catch((e: unknown) => e);
  assert.ok(aborted instanceof ToolRequestError);
  assert.equal(aborted.kind, 'aborted');
  const closed = await postRun(`http://127.0.0.1:${await getFreePort()}`, { runId: 'x', inputs: {}, artefactsDir: tmp }).catch((e: unknown) => e);
  assert.ok(closed instanceof ToolRequestError);
  assert.equal(closed.kind, 'network');
  assert.match(closed.message, /ECONNREFUSED/);
});

test('POST /cancel ends a slow run early; cancelling where nobody listens is false, never a throw', async () => {
  const started = Date.now();
  const running = postRun(slow.baseUrl, { runId: 's-3', inputs: { seconds: 10 }, artefactsDir: tmp });
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(await postCancel(slow.baseUrl, 's-3'), true);
  const out = await running;
  assert.equal(out.cancelled, true);
  assert.equal(out.done, false);
  assert.ok(Date.now() - started < 3000);
  assert.equal(await postCancel(`http://127.0.0.1:${await getFreePort()}`, 's-3', { timeoutMs: 500 }), false);
  assert.equal(await postCancel(`${oddUrl}`, 'nobody'), false, '404 is not a successful cancel');
});

test('GET /schema returns the tool.json on disk; /healthz is true only for a 200', async () => {
  const schema = await getSchema(echo.baseUrl);
  assert.deepEqual(schema, JSON.parse(fs.readFileSync(path.join(fixtureSpec('echo').toolDir, 'tool.json'), 'utf8')));
  await assert.rejects(getSchema(oddUrl), (e: unknown) => e instanceof ToolHttpError && e.status === 404);
  assert.equal(await healthz(echo.baseUrl), true);
  assert.equal(await healthz(oddUrl), false);
  assert.equal(await healthz(`http://127.0.0.1:${await getFreePort()}`), false);
});

test('all-shapes and a 1 MB output come back intact', async () => {
  const shapes = await launcher.ensureRunning(fixtureSpec('all-shapes'));
  const out = await postRun(shapes.baseUrl, { runId: 'a-1', inputs: {}, artefactsDir: tmp });
  const declared = (JSON.parse(fs.readFileSync(path.join(shapes.spec.toolDir, 'tool.json'), 'utf8')) as { outputs: { key: string }[] }).outputs.map((o) => o.key);
  assert.deepEqual(Object.keys(out).sort(), [...declared].sort());
  assert.match(out.image as string, /^data:image\/png;base64,iVBORw0KGgo/);
  assert.deepEqual(Object.keys(out.file as object).sort(), ['data', 'filename', 'mime_type']);
  const big = await launcher.ensureRunning(fixtureSpec('big-output'));
  const bigOut = await postRun(big.baseUrl, { runId: 'b-1', inputs: { size: 1_000_000 }, artefactsDir: tmp });
  assert.equal((bigOut.text as string).length, 1_000_000);
  assert.equal(bigOut.size, 1_000_000);
});

test('the artefact fixtures do what they promise: file-writer writes its odd files, quota-hog fills and cancels', async () => {
  const writer = await launcher.ensureRunning(fixtureSpec('file-writer'));
  const runDir = path.join(tmp, 'file-writer', 'day', 'fw-1');
  fs.mkdirSync(runDir, { recursive: true });
  const out = await postRun(writer.baseUrl, { runId: 'fw-1', inputs: { escape: true }, artefactsDir: runDir });
  const summary = out.summary as Record<string, unknown>;
  assert.equal(summary.written, 'report.csv,chart.png,sub/x.txt,api_key.txt,.hidden,x.partial');
  assert.equal(summary.escaped, true);
  assert.ok(fs.existsSync(path.join(runDir, '..', 'escape.txt')));
  assert.equal(fs.readlinkSync(path.join(runDir, 'hostname-link')), '/etc/hostname');
  assert.deepEqual([...fs.readFileSync(path.join(runDir, 'chart.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]);

  const hog = await launcher.ensureRunning(fixtureSpec('quota-hog'));
  const hogDir = path.join(tmp, 'quota-hog', 'h-1');
  const full = await postRun(hog.baseUrl, { runId: 'h-1', inputs: { bytes: 300_000, chunk_bytes: 65_536, delay_ms: 0 }, artefactsDir: hogDir });
  assert.deepEqual(full, { written: 300_000, cancelled: false });
  assert.equal(fs.statSync(path.join(hogDir, 'hog.bin')).size, 300_000);
  const endless = postRun(hog.baseUrl, { runId: 'h-2', inputs: { bytes: 1e12, chunk_bytes: 1024, delay_ms: 5 }, artefactsDir: path.join(tmp, 'quota-hog', 'h-2') });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(await postCancel(hog.baseUrl, 'h-2'), true);
  const stopped = await endless;
  assert.equal(stopped.cancelled, true);
  assert.ok((stopped.written as number) > 0 && (stopped.written as number) < 1e12);
});
