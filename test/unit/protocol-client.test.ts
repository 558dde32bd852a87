// Request/reply over the protocol: the webview's ProtocolClient against the host's answerRequest, wired through a
// fake transport. Replies match by id, errors keep per-field messages, bad requests get error replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerRequest,
  ProtocolClient,
  ProtocolError,
  RequestError,
  type HostToWebview,
  type RequestHandlers,
  type WebviewToHost,
} from '../../src/protocol';

function handlers(overrides: Partial<RequestHandlers> = {}): RequestHandlers {
  return {
    runTool: ({ inputs }) => {
      if (inputs.text === '') throw new ProtocolError('Some inputs are not valid.', { text: 'required' });
      return { runId: 'run-1', startedAt: '2026-01-01T00:00:00.000Z' };
    },
    cancelRun: () => ({ cancelling: true }),
    loadRun: () => {
      throw new Error('That run is gone.');
    },
    listRuns: ({ before }) => ({ runs: [], next: before ? null : { startedAt: 'a', id: 'b' } }),
    openArtefact: async () => ({ opened: true }),
    revealArtefact: () => ({ revealed: true }),
    saveFile: () => ({ saved: false }),
    openExternal: () => ({ opened: true }),
    manageTrust: () => ({ shown: true }),
    autocomplete: ({ query }) => ({ suggestions: [{ value: query, label: query.toUpperCase() }] }),
    openDiff: () => ({ opened: true }),
    ...overrides,
  };
}

/** A client whose posts are answered by `answerRequest` asynchronously, like a real message channel. */
function connect(h: RequestHandlers): { client: ProtocolClient; sent: WebviewToHost[] } {
  const sent: WebviewToHost[] = [];
  const client: ProtocolClient = new ProtocolClient((message) => {
    sent.push(message);
    void answerRequest(h, message).then((reply) => {
      if (reply) setTimeout(() => client.receive(reply), 0);
    });
  });
  return { client, sent };
}

test('a request resolves with its own reply, several in flight at once', async () => {
  const { client, sent } = connect(handlers());
  const [run, page, more] = await Promise.all([
    client.request('runTool', { inputs: { text: 'x' } }),
    client.request('listRuns', {}),
    client.request('listRuns', { before: { startedAt: 'a', id: 'b' } }),
  ]);
  assert.deepEqual(run, { runId: 'run-1', startedAt: '2026-01-01T00:00:00.000Z' });
  assert.deepEqual(page.next, { startedAt: 'a', id: 'b' });
  assert.equal(more.next, null);
  assert.deepEqual(sent.map((m) => (m.kind === 'request' ? m.id : 0)), [1, 2, 3]);
  assert.equal(client.waiting, 0);
});

test('an error reply rejects with the message and the per-field errors', async () => {
  const { client } = connect(handlers());
  await assert.rejects(client.request('runTool', { inputs: { text: '' } }), (error: unknown) => {
    assert.ok(error instanceof RequestError);
    assert.equal(error.message, 'Some inputs are not valid.');
    assert.deepEqual(error.fieldErrors, { text: 'required' });
    return true;
  });
  await assert.rejects(client.request('loadRun', { runId: 'r' }), /That run is gone\./);
});

test('the host answers unknown methods and bad params with error replies, and ignores non-requests', async () => {
  const h = handlers();
  assert.deepEqual(await answerRequest(h, { kind: 'request', id: 7, method: 'format', params: {} }), {
    kind: 'error',
    id: 7,
    message: 'unknown request "format"',
  });
  assert.deepEqual(await answerRequest(h, { kind: 'request', id: 8, method: 'openArtefact', params: { id: 'x' } }), {
    kind: 'error',
    id: 8,
    message: 'invalid parameters for openArtefact',
  });
  assert.equal(await answerRequest(h, { kind: 'ready' }), undefined);
  assert.equal(await answerRequest(h, 'run please'), undefined);
  assert.equal(await answerRequest(h, { kind: 'request', id: 'x', method: 'nope' }), undefined, 'no id to answer to');
});

test('a handler error that carries fieldErrors (InputValidationError-like) keeps them; others do not invent any', async () => {
  class FieldsError extends Error {
    fieldErrors = { count: 'must be at least 1', junk: 5 };
  }
  const reply = await answerRequest(handlers({ runTool: () => { throw new FieldsError('bad'); } }), { kind: 'request', id: 1, method: 'runTool', params: { inputs: {} } });
  assert.deepEqual(reply, { kind: 'error', id: 1, message: 'bad', fieldErrors: { count: 'must be at least 1' } });
  const plain = await answerRequest(handlers({ cancelRun: () => { throw new Error('nope'); } }), { kind: 'request', id: 2, method: 'cancelRun', params: { runId: 'r' } });
  assert.deepEqual(plain, { kind: 'error', id: 2, message: 'nope' });
});

test('a reply whose result does not fit the method is refused', async () => {
  const { client } = connect(handlers({ runTool: (() => ({ runId: 5 })) as unknown as RequestHandlers['runTool'] }));
  await assert.rejects(client.request('runTool', { inputs: {} }), /answered runTool with something unexpected/);
});

test('replies to unknown ids are swallowed; non-replies are left for the app', () => {
  const client = new ProtocolClient(() => undefined);
  const reply: HostToWebview = { kind: 'response', id: 99, result: null };
  assert.equal(client.receive(reply), true);
  assert.equal(client.receive({ kind: 'notification', method: 'runSpawning', params: { runId: 'r' } }), false);
  assert.equal(client.receive({ kind: 'response', result: 1 }), false, 'no id: not a reply');
});

test('close() rejects what is waiting and refuses new requests; a throwing transport rejects at once', async () => {
  const client = new ProtocolClient(() => undefined);
  const pending = client.request('listRuns', {});
  client.close();
  await assert.rejects(pending, /closing/);
  await assert.rejects(client.request('listRuns', {}), /closing/);
  const broken = new ProtocolClient(() => {
    throw new Error('channel closed');
  });
  await assert.rejects(broken.request('listRuns', {}), /channel closed/);
  assert.equal(broken.waiting, 0);
});
