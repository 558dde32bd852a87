// The panel app end to end in a DOM, against a fake host: init builds the page, history replay rebuilds the form and
// the outputs from a stored run without running anything, a run follows its notifications to the same view a replay
// gives, host field errors land on fields, Restricted Mode disables Run, and the serializer state is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import {
  FILE_REF_KEY,
  RequestError,
  type HistoryPage,
  type InitMessage,
  type NotificationMessage,
  type RequestMethod,
  type RunView,
  type ToolSpec,
} from '../../src/protocol';
import { App, type WebviewState } from '../../webview/app';
import { startApp } from '../../webview/host';

type AppClass = App;

before(async () => {
  await setupDom();
});
after(closeDom);

function toolSpec(extra: Record<string, unknown> = {}): ToolSpec {
  const parsed = parseToolJson(
    JSON.stringify({
      id: 'calc',
      name: 'Calculator',
      description: 'Adds things',
      version: '1.2.0',
      inputs: [
        { key: 'a', label: 'A', type: 'number', default: 1 },
        { key: 'op', label: 'Op', type: 'select', options: [{ value: 'add', label: 'Add' }, { value: 'mul', label: 'Multiply' }] },
        { key: 'note', label: 'Note', type: 'text', required: false },
      ],
      outputs: [
        { key: 'result', label: 'Result', type: 'number' },
        { key: 'log', label: 'Log', type: 'log' },
        { key: 'chart', label: 'Chart', type: 'image' },
      ],
      ...extra,
    }),
  );
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec;
}

const history: HistoryPage = {
  runs: [
    { id: 'run-2', status: 'ok', startedAt: '2026-02-02T10:00:00.000Z', finishedAt: '2026-02-02T10:00:01.000Z', summary: 'a: 7', starred: true, label: 'best' },
    { id: 'run-1', status: 'error', startedAt: '2026-02-01T10:00:00.000Z', finishedAt: '2026-02-01T10:00:01.000Z', summary: 'a: 3', starred: false, label: null },
  ],
  next: { startedAt: '2026-02-01T10:00:00.000Z', id: 'run-1' },
};

function storedRun(over: Partial<RunView> = {}): RunView {
  return {
    id: 'run-2',
    toolId: 'calc',
    status: 'ok',
    startedAt: '2026-02-02T10:00:00.000Z',
    finishedAt: '2026-02-02T10:00:01.250Z',
    durationMs: 1250,
    inputs: { a: 7, op: 'mul', note: 'from history' },
    outputs: {
      result: 49,
      log: { lines: [{ level: 'info', message: 'multiplied' }] },
      chart: { [FILE_REF_KEY]: { id: 4, uri: 'https://file+.vscode-resource.vscode-cdn.net/ws/artefacts/calc/run-2/chart.png', filename: 'chart.png', mime: 'image/png', size: 99, kind: 'file', problem: null } },
    },
    error: null,
    starred: true,
    label: 'best',
    artefacts: [],
    notices: [],
    ...over,
  };
}

function initMessage(over: Partial<InitMessage> = {}, spec = toolSpec()): InitMessage {
  return {
    kind: 'init',
    tool: { toolId: 'calc', spec, problems: [] },
    validation: { state: 'fail', checkedAt: '2026-02-02T09:00:00.000Z', check: 'sample_run_succeeds', message: 'POST /run answered 500', outdated: true },
    prefill: { a: 5, op: 'add' },
    history,
    settings: { locale: 'en-US', historyPageSize: 50, mapTileUrl: null },
    trust: { trusted: true, message: null },
    activeRun: null,
    show: null,
    ...over,
  };
}

interface FakeHost {
  requests: { method: RequestMethod; params: unknown }[];
  states: WebviewState[];
  answers: Partial<Record<RequestMethod, (params: unknown) => unknown>>;
  state: unknown;
}

const mounted: AppClass[] = [];
after(() => {
  for (const app of mounted) app.dispose();
});

function mount(state: unknown = undefined): { app: AppClass; root: HTMLElement; host: FakeHost } {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const host: FakeHost = { requests: [], states: [], answers: {}, state };
  const app = new App(root, {
    request: ((method: RequestMethod, params: unknown) => {
      host.requests.push({ method, params });
      const answer = host.answers[method];
      if (!answer) return Promise.reject(new RequestError(`no answer for ${method}`));
      try {
        return Promise.resolve(answer(params));
      } catch (error) {
        return Promise.reject(error);
      }
    }) as never,
    getState: () => host.state,
    setState: (s) => {
      host.states.push(s);
      host.state = s;
    },
  });
  mounted.push(app);
  return { app, root, host };
}

function notify(app: AppClass, message: NotificationMessage): void {
  app.receive(message);
}

const q = (root: HTMLElement, selector: string) => root.querySelector(selector);

test('init builds the page: title, validation with the failing check, history, form from the last inputs', () => {
  const { app, root, host } = mount();
  app.receive(initMessage());
  assert.equal(q(root, '.tool-name')?.textContent, 'Calculator');
  assert.equal(q(root, '.tool-version')?.textContent, 'v1.2.0');
  assert.ok(q(root, '.layout-form'));
  assert.match(q(root, '.validation')?.textContent ?? '', /Validation failed.*changed since.*sample_run_succeeds: POST \/run answered 500/s);
  const select = q(root, '.history-select') as HTMLElement & { options: { label: string; value: string }[] };
  assert.deepEqual(select.options.map((o) => o.value), ['', 'run-2', 'run-1', '__more__']);
  assert.match(select.options[1].label, /^✓ ★ .*\[best\] — a: 7$/);
  assert.deepEqual(app.formView?.values(), { a: 5, op: 'add', note: '' });
  assert.deepEqual([...root.querySelectorAll('.output-card')].map((c) => c.getAttribute('data-output-key')), ['result', 'log', 'chart']);
  assert.deepEqual(host.states.at(-1), { toolId: 'calc' });
});

test('choosing a past run replays it: form and outputs from the stored row, nothing runs', async () => {
  const { app, root, host } = mount();
  host.answers.loadRun = () => storedRun();
  app.receive(initMessage());
  const select = q(root, '.history-select') as HTMLElement & { value: string };
  select.value = 'run-2';
  fire(select, 'change');
  await settle(5);
  assert.deepEqual(host.requests.map((r) => r.method), ['loadRun']);
  assert.deepEqual(host.requests[0].params, { runId: 'run-2' });
  assert.deepEqual(app.formView?.values(), { a: 7, op: 'mul', note: 'from history' });
  assert.equal(q(root, '[data-output-key="result"] .number-output')?.textContent, '49');
  assert.equal(q(root, '[data-output-key="log"] .log-message')?.textContent, 'multiplied');
  assert.equal(q(root, '[data-output-key="chart"] img')?.getAttribute('src'), storedRun().outputs?.chart && 'https://file+.vscode-resource.vscode-cdn.net/ws/artefacts/calc/run-2/chart.png');
  assert.match(q(root, '.run-status')?.textContent ?? '', /^Showing the run of .* — Finished in 1\.3 s\.$/);
  assert.equal(host.states.at(-1)?.runId, 'run-2', 'the serializer will restore this run');
});

test('"Load more…" asks for the next page and appends it', async () => {
  const { app, root, host } = mount();
  host.answers.listRuns = () => ({ runs: [{ id: 'run-0', status: 'cancelled', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, summary: '', starred: false, label: null }], next: null });
  app.receive(initMessage());
  const select = q(root, '.history-select') as HTMLElement & { value: string; options: { value: string }[] };
  select.value = '__more__';
  fire(select, 'change');
  await settle(5);
  assert.deepEqual(host.requests[0], { method: 'listRuns', params: { before: history.next } });
  assert.deepEqual(select.options.map((o) => o.value), ['', 'run-2', 'run-1', 'run-0']);
});

test('a run: Run sends the form values; notifications stream outputs; the finish shows the same view as a replay', async () => {
  const { app, root, host } = mount();
  host.answers.runTool = () => ({ runId: 'run-3', startedAt: '2026-02-03T00:00:00.000Z' });
  host.answers.cancelRun = () => ({ cancelling: true });
  app.receive(initMessage());
  (q(root, '.run-button') as HTMLElement).click();
  // The host announces the run before it answers the request.
  notify(app, { kind: 'notification', method: 'runStarted', params: { runId: 'run-3', startedAt: '2026-02-03T00:00:00.000Z', inputs: { a: 5, op: 'add', note: '' } } });
  await settle(5);
  assert.deepEqual(host.requests[0], { method: 'runTool', params: { inputs: { a: 5, op: 'add', note: '' } } });
  assert.equal((q(root, '.cancel-button') as HTMLElement).hidden, false);
  assert.equal((q(root, '.run-button') as HTMLElement & { disabled: boolean }).disabled, true);
  notify(app, { kind: 'notification', method: 'runSpawning', params: { runId: 'run-3' } });
  assert.equal(q(root, '.run-status')?.textContent, 'Starting the tool…');
  notify(app, { kind: 'notification', method: 'runOutput', params: { runId: 'run-3', key: 'log', value: { lines: [{ level: 'info', message: 'step 1' }] } } });
  notify(app, { kind: 'notification', method: 'runOutput', params: { runId: 'other', key: 'log', value: { lines: [{ level: 'info', message: 'not ours' }] } } });
  assert.deepEqual([...root.querySelectorAll('[data-output-key="log"] .log-message')].map((m) => m.textContent), ['step 1']);
  (q(root, '.cancel-button') as HTMLElement).click();
  await settle(5);
  assert.deepEqual(host.requests.at(-1), { method: 'cancelRun', params: { runId: 'run-3' } });
  const finished = storedRun({ id: 'run-3', status: 'cancelled', error: 'cancelled', outputs: { log: { lines: [{ level: 'info', message: 'step 1' }] } }, durationMs: 2000 });
  notify(app, { kind: 'notification', method: 'runFinished', params: { run: finished } });
  assert.equal(q(root, '.run-status')?.textContent, 'Cancelled after 2.0 s.');
  assert.equal((q(root, '.cancel-button') as HTMLElement).hidden, true);
  assert.match(q(root, '.run-error')?.textContent ?? '', /The run was cancelled/);
  assert.equal(q(root, '[data-output-key="result"] .output-empty')?.textContent, 'The tool returned no value for this output.');
  assert.equal(host.states.at(-1)?.runId, 'run-3');
});

test('client checks stop a run before anything is sent; host field errors land on their fields', async () => {
  const { app, root, host } = mount();
  host.answers.runTool = () => {
    throw new RequestError('Some inputs are not valid.', { a: 'must be at most 10', ghost: 'not an input of this tool' });
  };
  app.receive(initMessage({ prefill: null }));
  const a = q(root, '[data-key="a"] vscode-textfield') as HTMLElement & { value: string };
  a.value = '';
  fire(a, 'input');
  (q(root, '.run-button') as HTMLElement).click();
  await settle(5);
  assert.equal(host.requests.length, 0, 'a required empty number is caught in the webview');
  assert.equal(q(root, '[data-key="a"] .field-error')?.textContent, 'Required.');
  a.value = '50';
  fire(a, 'input');
  (q(root, '.run-button') as HTMLElement).click();
  await settle(5);
  assert.equal(host.requests.length, 1);
  assert.equal(q(root, '[data-key="a"] .field-error')?.textContent, 'must be at most 10');
  assert.deepEqual([...root.querySelectorAll('.form-errors li')].map((li) => li.textContent), ['ghost: not an input of this tool']);
  assert.equal(q(root, '.run-status')?.textContent, 'The tool did not run: some inputs are not valid.');
  assert.equal((q(root, '.run-button') as HTMLElement & { disabled: boolean }).disabled, false, 'Run is available again');
});

test('Restricted Mode: the form shows, Run is disabled with an explanation; trust granted later enables it', async () => {
  const { app, root, host } = mount();
  app.receive(initMessage({ trust: { trusted: false, message: 'Restricted Mode: trust the folder to run tools.' } }));
  const run = q(root, '.run-button') as HTMLElement & { disabled: boolean };
  assert.equal(run.disabled, true);
  assert.ok(q(root, '.tool-form'));
  assert.match(q(root, '.restricted-note')?.textContent ?? '', /Restricted Mode: trust the folder to run tools\. Manage Workspace Trust/);
  run.click();
  document.dispatchEvent(new (globalThis as unknown as { window: { KeyboardEvent: typeof KeyboardEvent } }).window.KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }));
  await settle(5);
  assert.equal(host.requests.length, 0, 'neither the button nor Ctrl+Enter runs');
  host.answers.manageTrust = () => ({ shown: true });
  (q(root, '.restricted-note .link-button') as HTMLElement).click();
  await settle(5);
  assert.deepEqual(host.requests.map((r) => r.method), ['manageTrust']);
  notify(app, { kind: 'notification', method: 'trustChanged', params: { trust: { trusted: true, message: null } } });
  assert.equal(run.disabled, false);
  assert.equal((q(root, '.restricted-note') as HTMLElement).hidden, true);
});

test('reopened while a run is going (hidden tab): init carries the active run and its outputs so far', () => {
  const { app, root } = mount();
  app.receive(initMessage({ activeRun: { runId: 'run-9', startedAt: new Date(Date.now() - 3000).toISOString(), inputs: { a: 9, op: 'mul' }, outputs: { result: 81 }, spawning: false } }));
  assert.deepEqual(app.formView?.values(), { a: 9, op: 'mul', note: '' });
  assert.equal(q(root, '[data-output-key="result"] .number-output')?.textContent, '81');
  assert.equal(q(root, '.run-status')?.textContent, 'Running…');
  assert.match(q(root, '.run-elapsed')?.textContent ?? '', /^3\.\d s$/);
  app.dispose();
});

test('the host asks to show a run (Open Run / Edit & Re-run); a draft survives a hide/show; serializer state kept', () => {
  const first = mount();
  first.app.receive(initMessage({ show: { run: storedRun(), intent: 'edit' } }));
  assert.deepEqual(first.app.formView?.values(), { a: 7, op: 'mul', note: 'from history' });
  assert.match(q(first.root, '.run-status')?.textContent ?? '', /edit them and Run/);

  const again = mount({ toolId: 'calc', runId: 'run-2', draft: { a: 42, op: 'mul', note: 'typed before hiding' } });
  again.app.receive(initMessage());
  assert.deepEqual(again.app.formView?.values(), { a: 42, op: 'mul', note: 'typed before hiding' });
  assert.equal(again.host.states.at(-1)?.runId, 'run-2');

  const otherTool = mount({ toolId: 'different', draft: { a: 1 } });
  otherTool.app.receive(initMessage());
  assert.deepEqual(otherTool.app.formView?.values(), { a: 5, op: 'add', note: '' }, "another tool's draft is ignored");
});

test('tool.json changes: the form is rebuilt keeping typed values; a broken tool shows its problems and cannot run', () => {
  const { app, root } = mount();
  app.receive(initMessage());
  const note = q(root, '[data-key="note"] vscode-textfield') as HTMLElement & { value: string };
  note.value = 'keep me';
  fire(note, 'input');
  const changed = toolSpec({ inputs: [{ key: 'note', label: 'Note', type: 'textarea', required: false }, { key: 'b', label: 'B', type: 'toggle' }] });
  notify(app, { kind: 'notification', method: 'toolChanged', params: { tool: { toolId: 'calc', spec: changed, problems: [] } } });
  assert.deepEqual(app.formView?.values(), { note: 'keep me', b: false });
  notify(app, { kind: 'notification', method: 'toolChanged', params: { tool: { toolId: 'calc', spec: null, problems: [{ message: 'invalid JSON: unexpected end', line: 3, column: 9 }] } } });
  assert.match(q(root, '.tool-problems')?.textContent ?? '', /tool\.json could not be loaded:invalid JSON: unexpected end \(line 3:9\)/);
  assert.equal((q(root, '.run-button') as HTMLElement & { disabled: boolean }).disabled, true);
  assert.equal(q(root, '.tool-form'), null);
});

test('chat tools: a conversation view; the message goes out as the chat contract with the settings beside it', async () => {
  // The conversation itself (streaming, Stop, replay, New chat) is covered by webview-layouts.test.ts.
  const { app, root, host } = mount();
  host.answers.runTool = () => ({ runId: 'c1', startedAt: '2026-01-01T00:00:00.000Z' });
  app.receive(initMessage({ prefill: null }, toolSpec({ layout: 'chat', inputs: [{ key: 'temperature', label: 'Temperature', type: 'number', default: 0.5 }] })));
  assert.ok(q(root, '.layout-chat .chat-view'));
  assert.equal(q(root, '.layout-note'), null);
  const message = q(root, '.chat-input') as HTMLTextAreaElement;
  message.value = 'Hello <b>there</b>';
  (q(root, '.run-button') as HTMLElement).click();
  await settle(5);
  assert.deepEqual(host.requests[0].params, {
    inputs: { temperature: 0.5, messages: [{ role: 'user', content: 'Hello <b>there</b>' }], history: [] },
  });
  assert.equal(q(root, '.chat-message.role-user .chat-bubble')?.textContent, 'Hello <b>there</b>', 'shown as text, not markup');
});

test('split layout stacks inputs over outputs', () => {
  const { app, root } = mount();
  app.receive(initMessage({}, toolSpec({ layout: 'split' })));
  assert.ok(q(root, '.tool-panel.layout-split'));
});

test('malformed host messages are ignored, not half-applied', () => {
  const { app, root } = mount();
  app.receive({ kind: 'init', tool: { toolId: 'x' } });
  assert.equal(q(root, '.loading')?.textContent, 'Loading…');
  app.receive(initMessage());
  app.receive({ kind: 'notification', method: 'runFinished', params: { run: { id: 'nope' } } });
  app.receive({ kind: 'notification', method: 'selfDestruct', params: {} });
  assert.equal(q(root, '.tool-name')?.textContent, 'Calculator');
});

test('startApp: posts ready first, routes replies to the client and the rest to the app', async () => {
  const posted: unknown[] = [];
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const win = (globalThis as unknown as { window: Window & { MessageEvent: typeof MessageEvent } }).window;
  const { client } = startApp(root, { postMessage: (m) => posted.push(m), getState: () => undefined, setState: () => undefined }, win);
  assert.deepEqual(posted, [{ kind: 'ready' }]);
  win.dispatchEvent(new win.MessageEvent('message', { data: initMessage() }));
  assert.equal(root.querySelector('.tool-name')?.textContent, 'Calculator');
  const pending = client.request('listRuns', {});
  assert.deepEqual(posted[1], { kind: 'request', id: 1, method: 'listRuns', params: {} });
  win.dispatchEvent(new win.MessageEvent('message', { data: { kind: 'response', id: 1, result: { runs: [], next: null } } }));
  assert.deepEqual(await pending, { runs: [], next: null });
});
