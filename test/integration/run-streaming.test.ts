// Streaming runs through the real launcher and pixie.db on disk: `output` events arrive live, accumulate with each
// output type's semantics (stream_text appends, log appends lines, progress replaces), and the final state is what
// the row stores; both SSE shapes (named events, {output_key, value, done} data) and both endings; cancel mid-stream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRunHarness, eventually, toolPids, type RunHarness } from './helpers/runHarness';
import { RunService } from '../../src/core/runner/runService';
import type { RunEvent } from '../../src/core/runner/runTypes';
import { pidAlive, waitFor } from '../helpers/toolProcesses';

let h: RunHarness;

before(async () => {
  h = await createRunHarness();
});

after(async () => {
  await h.close();
});

interface Timed {
  at: number;
  event: RunEvent;
}

type Outputs = { reply: string; progress: unknown; log: { lines: { level: string; message: string }[] } };

function outputEvents(events: Timed[]): { at: number; key: string; value: unknown }[] {
  return events.flatMap(({ at, event }) => (event.type === 'output' ? [{ at, key: event.key, value: event.value }] : []));
}

test('streamer: outputs arrive live and accumulate; the row stores the final state', async () => {
  const events: Timed[] = [];
  const outcome = await h.service.run(
    h.tool('streamer'),
    { text: 'one two three four five six', delay_ms: 120 },
    { onEvent: (event) => events.push({ at: Date.now(), event }) },
  );
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const outputs = outputEvents(events);
  const finishedAt = events.at(-1)?.at as number;
  assert.equal(events.at(-1)?.event.type, 'finished');
  assert.ok(outputs.length >= 10, `${outputs.length} output events`);
  // Live: the words came one by one over ~600 ms, the first well before the run finished.
  const replies = outputs.filter((o) => o.key === 'reply');
  assert.ok(replies[5].at - replies[0].at >= 400, `words spread over ${replies[5].at - replies[0].at} ms`);
  assert.ok(finishedAt - outputs[0].at >= 500, 'the first output arrived long before the end');

  // Each event carries the accumulated value: named `reply` events, then the {output_key} envelope, then an ad-hoc chunk.
  assert.deepEqual(
    replies.map((o) => o.value),
    [
      'one',
      'one two',
      'one two three',
      'one two three four',
      'one two three four five',
      'one two three four five six',
      'one two three four five six [envelope]',
      'one two three four five six [envelope] [chunk]',
    ],
  );
  assert.deepEqual(outputs.filter((o) => o.key === 'progress').map((o) => o.value), [0, 0.5, 1]);
  const logs = outputs.filter((o) => o.key === 'log').map((o) => (o.value as Outputs['log']).lines.map((l) => l.message));
  assert.deepEqual(logs, [['halfway'], ['halfway', 'ad-hoc log line']]);

  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'ok');
  const stored = JSON.parse(row?.outputs_json ?? 'null') as Outputs;
  assert.deepEqual(stored, outcome.outputs);
  assert.equal(stored.reply, replies.at(-1)?.value);
  assert.equal(stored.progress, 1);
  assert.deepEqual(stored.log, outputs.filter((o) => o.key === 'log').at(-1)?.value);
  assert.deepEqual(stored.log.lines.map((l) => [l.level, l.message]), [['info', 'halfway'], ['warn', 'ad-hoc log line']]);
  assert.deepEqual(Object.keys(stored).sort(), ['log', 'progress', 'reply']);
  assert.equal(h.toolState('streamer')?.last_inputs_json, JSON.stringify({ text: 'one two three four five six', delay_ms: 120, end_with: 'done-event' }));
});

test('streamer: a stream that just closes is a normal end; `event: error` fails the run with its message', async () => {
  const closed = await h.service.run(h.tool('streamer'), { end_with: 'close' });
  assert.equal(closed.status, 'ok', closed.errorText);
  assert.equal((closed.outputs as Outputs).reply, 'Hello streaming world [envelope] [chunk]');

  const failed = await h.service.run(h.tool('streamer'), { end_with: 'error' });
  const row = h.runRow(failed.runId);
  assert.equal(row?.status, 'error');
  assert.equal(row?.error_text, "tool 'streamer': simulated streaming failure");
  assert.equal(row?.outputs_json, null);
});

test('streamer: cancelled mid-stream ends `cancelled`, keeps what had streamed, and leaves no process behind', async () => {
  // The streamer's stream does not listen to /cancel, so the hard stop after the grace ends it.
  const service = new RunService({ store: h.store, launcher: h.launcher, config: h.config, cancelGraceMs: 300 });
  const seen: string[] = [];
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
  const handle = await service.start(h.tool('streamer'), { text: words, delay_ms: 100 }, {
    onEvent: (event) => {
      if (event.type === 'output' && event.key === 'reply') seen.push(event.value as string);
    },
  });
  await eventually(() => seen.length >= 3, 20_000, 'three streamed words');
  const pid = h.launcher.get('streamer')?.pid as number;
  await handle.cancel();
  const outcome = await handle.done;
  assert.equal(outcome.status, 'cancelled');
  const row = h.runRow(outcome.runId);
  assert.equal(row?.status, 'cancelled');
  assert.equal(row?.error_text, 'cancelled (the tool did not stop within 0.3 s, so its process was stopped)');
  assert.equal(h.meta(outcome.runId).hard_stopped, true);
  const stored = JSON.parse(row?.outputs_json ?? 'null') as Outputs;
  assert.equal(stored.reply, seen.at(-1), 'the stored reply is the last value shown live');
  assert.match(stored.reply, /^w0 w1 w2/);
  assert.ok(!stored.reply.includes('w39'), 'the stream was cut short');
  assert.ok(await waitFor(() => !pidAlive(pid), 5000));
  assert.deepEqual(toolPids(h.marker, h.tool('streamer').dir), []);
  // The next run starts a fresh process and streams to the end.
  const again = await h.service.run(h.tool('streamer'), {});
  assert.equal(again.status, 'ok');
});
