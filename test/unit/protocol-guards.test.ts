// The protocol's type guards: every message kind, request, result and notification is checked on arrival, so a
// malformed or hostile message is refused instead of reaching a handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fileRefOf,
  FILE_REF_KEY,
  isHostToWebview,
  isInitMessage,
  isJsonValue,
  isNotificationMessage,
  isPanelState,
  isRequestMessage,
  isRunView,
  isToolSpec,
  isWebviewToHost,
  NOTIFICATION_GUARDS,
  PARAM_GUARDS,
  RESULT_GUARDS,
  type InitMessage,
  type RunView,
} from '../../src/protocol';
import { parseToolJson } from '../../src/core/tools/parse';

function spec() {
  const parsed = parseToolJson(
    JSON.stringify({
      id: 'demo',
      name: 'Demo',
      inputs: [{ key: 'text', label: 'Text', type: 'text', default: 'hi' }],
      outputs: [{ key: 'out', label: 'Out', type: 'text' }],
    }),
  );
  assert.ok(parsed.ok);
  return parsed.spec;
}

const run: RunView = {
  id: 'r1',
  toolId: 'demo',
  status: 'ok',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  inputs: { text: 'hi' },
  outputs: { out: 'hi', img: { [FILE_REF_KEY]: { id: 3, uri: 'vscode-webview://x/a.png', filename: 'a.png', mime: 'image/png', size: 10, kind: 'file', problem: null } } },
  error: null,
  starred: false,
  label: null,
  artefacts: [{ id: 3, outputKey: 'img', filename: 'a.png', mime: 'image/png', size: 10, uri: null }],
  notices: [],
};

function init(): InitMessage {
  return {
    kind: 'init',
    tool: { toolId: 'demo', spec: spec(), problems: [] },
    validation: { state: 'unchecked', checkedAt: null, check: null, message: null, outdated: false },
    prefill: null,
    history: { runs: [{ id: 'r1', status: 'ok', startedAt: run.startedAt, finishedAt: run.finishedAt, summary: 'text: hi', starred: false, label: null }], next: null },
    settings: { locale: 'en', historyPageSize: 50, mapTileUrl: null },
    trust: { trusted: true, message: null },
    activeRun: null,
    show: { run, intent: 'replay' },
  };
}

test('isJsonValue accepts JSON and refuses what JSON cannot carry', () => {
  assert.ok(isJsonValue({ a: [1, 'two', true, null, { b: -0.5 }] }));
  assert.ok(isJsonValue('<img src=x onerror=alert(1)>'));
  for (const bad of [undefined, NaN, Infinity, () => 1, new Date(), new Map(), Symbol('s'), 10n, { a: undefined }, [1, NaN]]) {
    assert.equal(isJsonValue(bad), false, String(bad));
  }
  let deep: unknown = 1;
  for (let i = 0; i < 300; i++) deep = [deep];
  assert.equal(isJsonValue(deep), false, 'nesting is bounded');
});

test('a full init message passes; each broken part is refused', () => {
  assert.ok(isInitMessage(init()));
  assert.ok(isHostToWebview(init()));
  const breakers: Array<(m: Record<string, unknown>) => void> = [
    (m) => delete m.tool,
    (m) => (m.kind = 'initialise'),
    (m) => (m.validation = { state: 'great', checkedAt: null, check: null, message: null, outdated: false }),
    (m) => (m.prefill = ['not', 'an', 'object']),
    (m) => (m.history = { runs: [{ id: 1 }], next: null }),
    (m) => (m.trust = { trusted: 'yes', message: null }),
    (m) => (m.settings = { locale: 'en' }),
    (m) => (m.show = { run: { ...run, status: 'weird' }, intent: 'replay' }),
    (m) => (m.activeRun = { runId: 'r', startedAt: 'x', inputs: {}, outputs: { a: NaN }, spawning: false }),
  ];
  for (const [i, breakIt] of breakers.entries()) {
    const message = init() as unknown as Record<string, unknown>;
    breakIt(message);
    assert.equal(isInitMessage(message), false, `breaker ${i}`);
  }
});

test('isToolSpec needs id, name, layout and typed inputs/outputs', () => {
  assert.ok(isToolSpec(spec()));
  assert.equal(isToolSpec({ ...spec(), layout: 'grid' }), false);
  assert.equal(isToolSpec({ ...spec(), inputs: [{ key: 'a', label: 'A', type: 'rocket', required: true }] }), false);
  assert.equal(isToolSpec({ ...spec(), inputs: [{ key: 'a', label: 'A', type: 'text' }] }), false, 'parsed specs carry required');
  assert.equal(isToolSpec({ ...spec(), outputs: [{ key: 'a', type: 'text' }] }), false);
});

test('requests: envelope, known method and params are all checked', () => {
  assert.ok(isRequestMessage({ kind: 'request', id: 1, method: 'runTool', params: { inputs: { text: 'x' } } }));
  assert.ok(isRequestMessage({ kind: 'request', id: 2, method: 'listRuns', params: {} }));
  assert.ok(isRequestMessage({ kind: 'request', id: 3, method: 'listRuns', params: { before: { startedAt: 'a', id: 'b' } } }));
  assert.ok(isRequestMessage({ kind: 'request', id: 4, method: 'manageTrust', params: {} }));
  assert.ok(isWebviewToHost({ kind: 'ready' }));
  const bad = [
    { kind: 'request', id: 0, method: 'runTool', params: { inputs: {} } },
    { kind: 'request', id: 1.5, method: 'runTool', params: { inputs: {} } },
    { kind: 'request', id: 1, method: 'deleteEverything', params: {} },
    { kind: 'request', id: 1, method: 'runTool', params: { inputs: 'text=x' } },
    { kind: 'request', id: 1, method: 'cancelRun', params: { runId: 7 } },
    { kind: 'request', id: 1, method: 'openArtefact', params: { id: '3' } },
    { kind: 'request', id: 1, method: 'listRuns', params: { before: { startedAt: 1 } } },
    { kind: 'request', id: 1, method: 'manageTrust', params: { extra: true } },
    { kind: 'request', id: 1, method: 'toString', params: {} },
    { kind: 'request', id: 1, method: '__proto__', params: {} },
  ];
  for (const message of bad) assert.equal(isRequestMessage(message), false, JSON.stringify(message));
});

test('every request method has a params guard and a result guard, and results are checked', () => {
  assert.deepEqual(Object.keys(PARAM_GUARDS).sort(), Object.keys(RESULT_GUARDS).sort());
  assert.ok(RESULT_GUARDS.runTool({ runId: 'r', startedAt: 't' }));
  assert.equal(RESULT_GUARDS.runTool({ runId: 'r' }), false);
  assert.ok(RESULT_GUARDS.loadRun(run));
  assert.equal(RESULT_GUARDS.loadRun({ ...run, inputs: null }), false);
  assert.ok(isRunView(run));
});

test('notifications: each method checks its params', () => {
  assert.ok(isNotificationMessage({ kind: 'notification', method: 'runOutput', params: { runId: 'r', key: 'k', value: { lines: [] } } }));
  assert.ok(isNotificationMessage({ kind: 'notification', method: 'runFinished', params: { run } }));
  assert.ok(isNotificationMessage({ kind: 'notification', method: 'showRun', params: { run, intent: 'edit' } }));
  assert.equal(isNotificationMessage({ kind: 'notification', method: 'runOutput', params: { runId: 'r', key: 'k' } }), false);
  assert.equal(isNotificationMessage({ kind: 'notification', method: 'runFinished', params: { run: { id: 'r' } } }), false);
  assert.equal(isNotificationMessage({ kind: 'notification', method: 'reboot', params: {} }), false);
  assert.equal(isNotificationMessage({ kind: 'notification', method: 'showRun', params: { run, intent: 'delete' } }), false);
  assert.equal(Object.keys(NOTIFICATION_GUARDS).length, 9);
});

test('file references are recognised only when complete', () => {
  const value = run.outputs?.img;
  assert.equal(fileRefOf(value)?.id, 3);
  assert.equal(fileRefOf({ [FILE_REF_KEY]: { id: 3, uri: null } }), undefined);
  assert.equal(fileRefOf({ [FILE_REF_KEY]: { id: 3, uri: null, filename: 'a', mime: 'x', size: 1, kind: 'exe', problem: null } }), undefined);
  assert.equal(fileRefOf('data:image/png;base64,AAAA'), undefined);
});

test('panel state for the serializer: a tool id, optionally a run id', () => {
  assert.ok(isPanelState({ toolId: 'echo' }));
  assert.ok(isPanelState({ toolId: 'echo', runId: 'r1', draft: { text: 'x' } }));
  assert.equal(isPanelState({ toolId: 3 }), false);
  assert.equal(isPanelState({ toolId: 'echo', runId: 5 }), false);
  assert.equal(isPanelState(null), false);
  assert.equal(isPanelState('echo'), false);
});
