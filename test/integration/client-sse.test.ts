// Streaming: the normaliser on its own (both event shapes and the ad-hoc data-only objects), then
// GET /stream from the streamer fixture tool end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Launcher, type ToolProcess } from '../../src/core/runner/launcher';
import { normaliseSseMessage, postRun, streamRun, ToolHttpError, ToolRequestError, ToolStreamError, type StreamEvent } from '../../src/core/runner/client';
import { fixtureSpec, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const ctx = { knownOutputKeys: ['reply', 'progress', 'log'], defaultTextKey: 'reply' };
const simple = (events: StreamEvent[]) => events.map((e) => [e.outputKey, e.value, e.done]);

test('named events: JSON data, text data, {value, done} envelopes, and relayed "output:" names', () => {
  const n = (event: string, data: string) => normaliseSseMessage({ event, data }, ctx);
  assert.deepEqual(n('progress', '0.25'), { kind: 'events', events: [{ outputKey: 'progress', value: 0.25, done: false, raw: { event: 'progress', data: '0.25' } }] });
  const text = n('reply', ' hello world');
  assert.ok(text.kind === 'events');
  assert.deepEqual(simple(text.events), [['reply', ' hello world', false]]);
  const envelope = n('progress', '{"value": 1, "done": true}');
  assert.ok(envelope.kind === 'events');
  assert.deepEqual(simple(envelope.events), [['progress', 1, true]]);
  const notEnvelope = n('chart', '{"x":[1],"series":[{"name":"a","y":[2]}]}');
  assert.ok(notEnvelope.kind === 'events');
  assert.deepEqual(simple(notEnvelope.events), [['chart', { x: [1], series: [{ name: 'a', y: [2] }] }, false]]);
  const relayed = n('output:log', '{"lines":[]}');
  assert.ok(relayed.kind === 'events');
  assert.equal(relayed.events[0].outputKey, 'log');
});

test('done and error events end the stream; error messages are extracted', () => {
  assert.deepEqual(normaliseSseMessage({ event: 'done', data: '{}' }), { kind: 'done' });
  assert.deepEqual(normaliseSseMessage({ event: 'error', data: '{"message":"boom"}' }), { kind: 'error', message: 'boom' });
  assert.deepEqual(normaliseSseMessage({ event: 'error', data: '{"detail":"bad input"}' }), { kind: 'error', message: 'bad input' });
  assert.deepEqual(normaliseSseMessage({ event: 'error', data: 'plain failure' }), { kind: 'error', message: 'plain failure' });
  assert.deepEqual(normaliseSseMessage({ event: 'error', data: '' }), { kind: 'error', message: 'the tool reported a streaming error' });
});

test('data-only events: {output_key, value, done}, ad-hoc keys, chunk → the main text output, and leftovers', () => {
  const d = (data: string, context: { knownOutputKeys?: string[]; defaultTextKey?: string } = ctx, event?: string) => {
    const result = normaliseSseMessage({ event, data }, context);
    assert.ok(result.kind === 'events');
    return simple(result.events);
  };
  assert.deepEqual(d('{"output_key":"reply","value":"Hi","done":false}'), [['reply', 'Hi', false]]);
  assert.deepEqual(d('{"chunk":"Hel","done":false}'), [['reply', 'Hel', false]]);
  assert.deepEqual(d('{"tool_calls":{"lines":[{"message":"x"}]},"done":false}', { knownOutputKeys: ['reply', 'tool_calls'], defaultTextKey: 'reply' }), [
    ['tool_calls', { lines: [{ message: 'x' }] }, false],
  ]);
  assert.deepEqual(d('{"chunk":"a","log":{"lines":[]},"run_id":"r","done":true}'), [['reply', 'a', true], ['log', { lines: [] }, true]]);
  assert.deepEqual(d('{"done":true}'), [[undefined, { done: true }, true]], 'nothing to map: passed on with no output key');
  assert.deepEqual(d('{"unknown":1}'), [[undefined, { unknown: 1 }, false]]);
  assert.deepEqual(d('{"chunk":"a"}', { knownOutputKeys: [] }), [[undefined, { chunk: 'a' }, false]], 'chunk needs a text output');
  assert.deepEqual(d('plain text'), [['reply', 'plain text', false]]);
  assert.deepEqual(d('"a JSON string"'), [['reply', 'a JSON string', false]]);
  assert.deepEqual(d('[1,2]'), [[undefined, [1, 2], false]]);
  assert.deepEqual(d('{"chunk":"m"}', ctx, 'message'), [['reply', 'm', false]], 'event: message is the unnamed default');
});

const marker = newMarker();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-sse-'));
const launcher = new Launcher({ artefactsRoot: tmp, extraEnv: { [MARKER_ENV]: marker }, stopGraceMs: 1000 });
let streamer: ToolProcess;
let broken: http.Server;
let brokenUrl: string;

before(async () => {
  streamer = await launcher.ensureRunning(fixtureSpec('streamer'));
  // Sends one event, then destroys the connection mid-stream (like a tool that crashed).
  broken = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write('event: reply\ndata: partial\n\n');
    setTimeout(() => res.socket?.destroy(), 50);
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', () => resolve()));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});

after(async () => {
  broken.closeAllConnections();
  await new Promise<void>((resolve) => broken.close(() => resolve()));
  await launcher.dispose();
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

async function startRun(runId: string, inputs: Record<string, unknown>): Promise<void> {
  const ack = await postRun(streamer.baseUrl, { runId, inputs, artefactsDir: tmp });
  assert.equal(ack.run_id, runId);
}

test('the streamer: both event shapes arrive, in order, normalised; ends on event: done', async () => {
  await startRun('st-1', { text: 'Hello streaming world', delay_ms: 1 });
  const events: StreamEvent[] = [];
  const summary = await streamRun(streamer.baseUrl, 'st-1', { ...ctx, onEvent: (e) => void events.push(e) });
  assert.deepEqual(summary, { events: 10, endedBy: 'done-event' });
  assert.deepEqual(simple(events), [
    ['progress', 0, false],
    ['reply', 'Hello', false],
    ['reply', ' streaming', false],
    ['reply', ' world', false],
    ['progress', 0.5, false],
    ['log', { lines: [{ level: 'info', message: 'halfway', t: (events[5].value as { lines: { t: number }[] }).lines[0].t }] }, false],
    ['reply', ' [envelope]', true],
    ['reply', ' [chunk]', false],
    ['log', { lines: [{ level: 'warn', message: 'ad-hoc log line', t: (events[8].value as { lines: { t: number }[] }).lines[0].t }] }, false],
    ['progress', 1, false],
  ]);
  assert.equal(events[1].raw.event, 'reply');
  assert.equal(events[7].raw.event, undefined);
  const text = events.filter((e) => e.outputKey === 'reply').map((e) => e.value).join('');
  assert.equal(text, 'Hello streaming world [envelope] [chunk]');
});

test('a stream that just closes ends normally; event: error rejects with the tool\'s message', async () => {
  await startRun('st-2', { end_with: 'close', delay_ms: 0 });
  assert.deepEqual(await streamRun(streamer.baseUrl, 'st-2', { ...ctx, onEvent: () => undefined }), { events: 10, endedBy: 'closed' });
  await startRun('st-3', { end_with: 'error', delay_ms: 0 });
  let seen = 0;
  const error = await streamRun(streamer.baseUrl, 'st-3', { ...ctx, onEvent: () => void seen++ }).catch((e: unknown) => e);
  assert.ok(error instanceof ToolStreamError);
  assert.equal(error.message, 'simulated streaming failure');
  assert.equal(seen, 10, 'events before the error were delivered');
});

test('an unknown run is a ToolHttpError; a broken connection is a network error', async () => {
  const unknown = await streamRun(streamer.baseUrl, 'never-started', { onEvent: () => undefined, connectTimeoutMs: 8000 }).catch((e: unknown) => e);
  assert.ok(unknown instanceof ToolHttpError);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.detail, 'unknown run_id never-started');
  const events: StreamEvent[] = [];
  const cut = await streamRun(brokenUrl, 'x', { ...ctx, onEvent: (e) => void events.push(e) }).catch((e: unknown) => e);
  assert.ok(cut instanceof ToolRequestError, String(cut));
  assert.equal(cut.kind, 'network');
  assert.deepEqual(simple(events), [['reply', 'partial', false]]);
});

test('the caller can abort mid-stream, and an onEvent that throws stops the stream with its error', async () => {
  await startRun('st-4', { delay_ms: 100 });
  const controller = new AbortController();
  const aborted = await streamRun(streamer.baseUrl, 'st-4', {
    ...ctx,
    signal: controller.signal,
    onEvent: (e) => {
      if (e.outputKey === 'reply') controller.abort();
    },
  }).catch((e: unknown) => e);
  assert.ok(aborted instanceof ToolRequestError);
  assert.equal(aborted.kind, 'aborted');
  await startRun('st-5', { delay_ms: 0 });
  const failing = await streamRun(streamer.baseUrl, 'st-5', {
    ...ctx,
    onEvent: async () => {
      throw new Error('renderer exploded');
    },
  }).catch((e: unknown) => e);
  assert.ok(failing instanceof Error);
  assert.equal(failing.message, 'renderer exploded');
});

test('the stream waits for a slow onEvent (back-pressure keeps order)', async () => {
  await startRun('st-6', { delay_ms: 0 });
  const order: string[] = [];
  await streamRun(streamer.baseUrl, 'st-6', {
    ...ctx,
    onEvent: async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(String(e.outputKey));
    },
  });
  assert.deepEqual(order, ['progress', 'reply', 'reply', 'reply', 'progress', 'log', 'reply', 'reply', 'log', 'progress']);
});
