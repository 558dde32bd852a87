// The streaming chat fixture through the real RunService, launcher and pixie.db on disk: a two-turn conversation sent
// as the chat panel sends it (messages = every turn so far + the new one, history = the turns before it), the reply
// arriving word by word from data-only {chunk} events, the tool-call log from {tool_calls} events, and the stored row
// holding exactly the inputs sent and the final outputs. Also: the host refuses a malformed conversation before any
// process is asked, a conversation not ending with a user message fails with the tool's message, and the fixture
// passes the validator (whose chat probe is `{messages: [one user message], history: []}`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRunHarness, FIXTURE_TOOLS_DIR, type RunHarness } from './helpers/runHarness';
import { InputValidationError, type RunEvent } from '../../src/core/runner/runTypes';
import { validateTool } from '../../src/core/validator';
import { MARKER_ENV } from '../helpers/toolProcesses';

let h: RunHarness;

before(async () => {
  h = await createRunHarness();
});

after(async () => {
  await h.close();
});

type Message = { role: string; content: string };
type ChatOutputs = { reply: string; tool_calls: { lines: { level: string; message: string; t: number }[] } };

/** What the chat panel sends for `text` after `conversation` (webview/chat/contract.ts). */
function request(conversation: Message[], text: string, settings: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...settings, messages: [...conversation, { role: 'user', content: text }], history: conversation };
}

async function turn(inputs: Record<string, unknown>): Promise<{ outputs: ChatOutputs; replies: { at: number; value: string }[]; finishedAt: number; runId: string }> {
  const events: { at: number; event: RunEvent }[] = [];
  const outcome = await h.service.run(h.tool('chat'), inputs, { onEvent: (event) => events.push({ at: Date.now(), event }) });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const replies = events.flatMap(({ at, event }) => (event.type === 'output' && event.key === 'reply' ? [{ at, value: event.value as string }] : []));
  return { outputs: outcome.outputs as ChatOutputs, replies, finishedAt: events.at(-1)?.at ?? 0, runId: outcome.runId };
}

function storedInputs(runId: string): unknown {
  return (JSON.parse(h.runRow(runId)?.inputs_json ?? 'null') as { inputs: unknown }).inputs;
}

test('a two-turn conversation: streamed word by word, stored with the whole conversation and the final reply', async () => {
  // Turn 1.
  const first = request([], 'Hello there', { delay_ms: 40 });
  const one = await turn(first);
  const reply1 = 'Turn 1: you said "Hello there". I was given 0 earlier messages; history matches.';
  assert.equal(one.outputs.reply, reply1);
  // Live: every event carries the accumulated reply, each a prefix of the next, the first long before the end.
  assert.ok(one.replies.length >= 10, `${one.replies.length} reply events`);
  for (let i = 1; i < one.replies.length; i++) assert.ok(one.replies[i].value.startsWith(one.replies[i - 1].value), `event ${i} extends event ${i - 1}`);
  assert.equal(one.replies.at(-1)?.value, reply1);
  assert.ok(one.finishedAt - one.replies[0].at >= 200, `the reply streamed over ${one.finishedAt - one.replies[0].at} ms`);
  assert.deepEqual(one.outputs.tool_calls.lines.map((l) => [l.level, JSON.parse(l.message)]), [['tool', { tool: 'count_turns', turns: 1 }]]);

  const row1 = h.runRow(one.runId);
  assert.equal(row1?.status, 'ok');
  // The host filled the settings' defaults; the conversation is stored exactly as sent.
  assert.deepEqual(storedInputs(one.runId), { messages: [{ role: 'user', content: 'Hello there' }], history: [], style: 'plain', delay_ms: 40 });
  assert.deepEqual(JSON.parse(row1?.outputs_json ?? 'null'), one.outputs);

  // Turn 2: the reply goes back as the assistant's turn; a settings change goes along.
  const conversation: Message[] = [{ role: 'user', content: 'Hello there' }, { role: 'assistant', content: one.outputs.reply }];
  const second = request(conversation, 'What is 7 * 8?', { style: 'shout', delay_ms: 5 });
  const two = await turn(second);
  const reply2 = 'TURN 2: YOU SAID "WHAT IS 7 * 8?". 7 * 8 = 56. I WAS GIVEN 2 EARLIER MESSAGES; HISTORY MATCHES.';
  assert.equal(two.outputs.reply, reply2);
  assert.deepEqual(two.outputs.tool_calls.lines.map((l) => JSON.parse(l.message)), [{ tool: 'calculator', expression: '7 * 8', result: 56 }]);
  assert.deepEqual(storedInputs(two.runId), {
    messages: [
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: reply1 },
      { role: 'user', content: 'What is 7 * 8?' },
    ],
    history: [
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: reply1 },
    ],
    style: 'shout',
    delay_ms: 5,
  });
  assert.deepEqual(JSON.parse(h.runRow(two.runId)?.outputs_json ?? 'null'), { reply: reply2, tool_calls: two.outputs.tool_calls });
  // The last inputs (the panel's prefill) are the second turn's.
  assert.deepEqual(JSON.parse(h.toolState('chat')?.last_inputs_json ?? 'null'), storedInputs(two.runId));
});

test('history that does not match the conversation is passed through as sent (the tool says so)', async () => {
  const inputs = { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }], history: [], delay_ms: 0 };
  const result = await turn(inputs);
  assert.match(result.outputs.reply, /I was given 2 earlier messages; history differs\.$/);
});

test('malformed conversations: the host refuses non-messages; the tool fails a conversation not ending with the user', async () => {
  const before = h.runRows().length;
  const refused = (field: string, pattern: RegExp) => (error: unknown) =>
    error instanceof InputValidationError && pattern.test(error.fieldErrors[field] ?? '');
  await assert.rejects(() => h.service.run(h.tool('chat'), { messages: 'hello', history: [] }), refused('messages', /not valid JSON/));
  await assert.rejects(() => h.service.run(h.tool('chat'), { messages: [{ role: 'user' }], history: [] }), refused('messages', /\{role, content\}/));
  await assert.rejects(() => h.service.run(h.tool('chat'), { messages: [{ role: 'user', content: 'x' }], history: 'none' }), refused('history', /./));
  await assert.rejects(() => h.service.run(h.tool('chat'), { history: [] }), InputValidationError, 'messages is required');
  assert.equal(h.runRows().length, before, 'nothing was recorded');

  const outcome = await h.service.run(h.tool('chat'), { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], history: [] });
  assert.equal(outcome.status, 'error');
  assert.match(outcome.errorText ?? '', /messages must be a list of \{role, content\} ending with a user message/);
  assert.equal(h.runRow(outcome.runId)?.status, 'error');
});

test('the chat fixture passes the validator (chat probe, streaming check)', async () => {
  const report = await validateTool({ dir: path.join(FIXTURE_TOOLS_DIR, 'chat') }, { extraEnv: { [MARKER_ENV]: h.marker } });
  assert.equal(report.overall, 'pass', report.checks.map((c) => `${c.status} ${c.name}: ${c.message}`).join('\n'));
  assert.equal(report.checks.find((c) => c.name === 'streaming_check')?.status, 'pass');
});
