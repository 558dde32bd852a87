// Layouts in a DOM against a fake host: output layouts (consecutive `tab` outputs → one tab strip that keeps hidden
// panels streaming and marks them, `inline` → a wrapping row, `panel` → stacked cards), page layouts (form with its
// narrow-panel hook, split with the Run bar between the panes, chat), and the chat view end to end: Enter sends the
// chat contract, the reply streams in, Stop cancels, the next turn carries the conversation, a past run rebuilds it.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { RequestError, type HistoryPage, type InitMessage, type JsonValue, type NotificationMessage, type OutputSpec, type RequestMethod, type RunView, type ToolSpec } from '../../src/protocol';
import { App, type WebviewState } from '../../webview/app';
import { OutputsView } from '../../webview/outputs/area';
import { groupOutputs } from '../../webview/outputs/groups';
import type { OutputContext } from '../../webview/outputs/registry';
import { NARROW_PANEL_PX, watchNarrow } from '../../webview/panelWidth';
import { chatRequest, messagesOf, replyOutputOf, replyText, splitLastUserMessage } from '../../webview/chat/contract';

before(async () => {
  await setupDom();
});
after(closeDom);

type Win = { KeyboardEvent: typeof KeyboardEvent; Event: typeof Event };
const win = (): Win => (globalThis as unknown as { window: Win }).window;

function key(target: EventTarget, keyName: string, init: KeyboardEventInit = {}): boolean {
  const event = new (win().KeyboardEvent)('keydown', { key: keyName, bubbles: true, cancelable: true, ...init });
  return target.dispatchEvent(event);
}

function parseSpec(json: Record<string, unknown>): ToolSpec {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs: [], outputs: [], ...json }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec;
}

function outputSpecs(list: Record<string, unknown>[]): OutputSpec[] {
  return parseSpec({ outputs: list }).outputs;
}

const ctx: OutputContext = { locale: 'en-US', request: (() => Promise.resolve({})) as OutputContext['request'], notify: () => undefined };

// ---------- output layouts ----------

const LAYOUT_OUTPUTS = [
  { key: 'a', label: 'A', type: 'text' },
  { key: 'b', label: 'B', type: 'stream_text', layout: 'tab' },
  { key: 'c', label: 'C', type: 'log', layout: 'tab' },
  { key: 'd', label: 'D', type: 'number', layout: 'inline' },
  { key: 'e', label: 'E', type: 'number', layout: 'inline' },
  { key: 'f', label: 'F', type: 'text', layout: 'panel' },
  { key: 'g', label: 'G', type: 'text', layout: 'tab' },
  { key: 'h', label: 'H', type: 'text', layout: 'inline' },
];

test('groupOutputs: consecutive outputs with the same layout group; a tab group of one is a plain panel', () => {
  const groups = groupOutputs(outputSpecs(LAYOUT_OUTPUTS));
  assert.deepEqual(
    groups.map((g) => [g.layout, g.specs.map((s) => s.key).join('')]),
    [['panel', 'a'], ['tab', 'bc'], ['inline', 'de'], ['panel', 'f'], ['panel', 'g'], ['inline', 'h']],
  );
  assert.deepEqual(groupOutputs([]), []);
  // Not consecutive: two tab strips, not one.
  const split = groupOutputs(outputSpecs([
    { key: 'x', label: 'X', type: 'text', layout: 'tab' },
    { key: 'y', label: 'Y', type: 'text', layout: 'tab' },
    { key: 'z', label: 'Z', type: 'text' },
    { key: 'u', label: 'U', type: 'text', layout: 'tab' },
    { key: 'v', label: 'V', type: 'text', layout: 'tab' },
  ]));
  assert.deepEqual(split.map((g) => g.layout), ['tab', 'panel', 'tab']);
});

test('OutputsView lays groups out: one tab strip, a wrapping inline row, stacked cards, in spec order', () => {
  const view = new OutputsView(outputSpecs(LAYOUT_OUTPUTS), ctx);
  document.body.replaceChildren(view.element);
  const list = view.element.querySelector('.output-cards') as HTMLElement;
  const shape = [...list.children].map((child) =>
    child.classList.contains('output-tabs') ? `tabs(${[...child.querySelectorAll('[role=tab]')].map((t) => t.getAttribute('data-output-key')).join('')})`
    : child.classList.contains('output-inline') ? `inline(${[...child.querySelectorAll('.output-card')].map((c) => c.getAttribute('data-output-key')).join('')})`
    : `card(${child.getAttribute('data-output-key')})`,
  );
  assert.deepEqual(shape, ['card(a)', 'tabs(bc)', 'inline(de)', 'card(f)', 'card(g)', 'inline(h)']);
  // Every declared output still has exactly one card.
  assert.deepEqual([...view.element.querySelectorAll('.output-card')].map((c) => c.getAttribute('data-output-key')), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
});

test('tabs: ARIA wiring, click and arrow keys select, hidden panels keep streaming and get a dot until looked at', () => {
  const view = new OutputsView(outputSpecs(LAYOUT_OUTPUTS), ctx);
  document.body.replaceChildren(view.element);
  const tabs = [...view.element.querySelectorAll('[role=tab]')] as HTMLButtonElement[];
  const panels = [...view.element.querySelectorAll('[role=tabpanel]')] as HTMLElement[];
  assert.equal(view.element.querySelectorAll('[role=tablist]').length, 1);
  assert.deepEqual(tabs.map((t) => t.textContent?.replace(' (new output)', '')), ['B', 'C']);
  assert.deepEqual(tabs.map((t) => t.getAttribute('aria-selected')), ['true', 'false']);
  assert.deepEqual(tabs.map((t) => t.tabIndex), [0, -1]);
  assert.deepEqual(panels.map((p) => p.hidden), [false, true]);
  for (const [i, tab] of tabs.entries()) {
    assert.equal(tab.getAttribute('aria-controls'), panels[i].id);
    assert.equal(panels[i].getAttribute('aria-labelledby'), tab.id);
  }
  const dot = (i: number): boolean => !(tabs[i].querySelector('.output-tab-dot') as HTMLElement).hidden;

  // The log in the hidden tab streams: its lines land, and its tab is marked.
  view.startRun();
  view.update('c', { lines: [{ level: 'info', message: 'one' }] });
  view.update('c', { lines: [{ level: 'info', message: 'one' }, { level: 'warn', message: 'two' }] });
  assert.deepEqual([...panels[1].querySelectorAll('.log-message')].map((m) => m.textContent), ['one', 'two']);
  assert.equal(dot(1), true, 'new content in a hidden tab shows a dot');
  view.update('b', 'visible text');
  assert.equal(dot(0), false, 'the tab on show never gets a dot');

  // Arrow keys move the selection (wrapping); looking at the tab clears its dot.
  key(tabs[0], 'ArrowRight');
  assert.deepEqual(tabs.map((t) => t.getAttribute('aria-selected')), ['false', 'true']);
  assert.deepEqual(panels.map((p) => p.hidden), [true, false]);
  assert.equal(dot(1), false);
  key(tabs[1], 'ArrowRight');
  assert.equal(tabs[0].getAttribute('aria-selected'), 'true', 'wraps to the first');
  key(tabs[0], 'End');
  assert.equal(tabs[1].getAttribute('aria-selected'), 'true');
  key(tabs[1], 'Home');
  assert.equal(tabs[0].getAttribute('aria-selected'), 'true');
  tabs[1].click();
  assert.equal(view.tabsFor('c')?.selectedKey, 'c');
  assert.equal(view.tabsFor('a'), undefined, 'a panel output has no tab strip');

  // The stream in the now-hidden first tab appends in place; a replay clears the marks.
  view.update('b', 'visible text, more');
  assert.equal(panels[0].querySelector('.stream-output')?.textContent, 'visible text, more');
  assert.equal(dot(0), true);
  view.showRun(run({ outputs: { b: 'final', c: { lines: [] } } }));
  assert.equal(dot(0), false, 'replayed values are not "new"');
  assert.equal(panels[0].querySelector('.stream-output')?.textContent, 'final');
});

test('inline: the row wraps cards of any type; a lone inline output is still a row', () => {
  const view = new OutputsView(outputSpecs([{ key: 'n', label: 'N', type: 'number', layout: 'inline' }]), ctx);
  document.body.replaceChildren(view.element);
  view.showRun(run({ outputs: { n: 3 } }));
  const row = view.element.querySelector('.output-inline') as HTMLElement;
  assert.equal(row.children.length, 1);
  assert.equal(row.querySelector('.number-output')?.textContent, '3');
});

// ---------- the app ----------

const noHistory: HistoryPage = { runs: [], next: null };

function run(over: Partial<RunView> = {}): RunView {
  return {
    id: 'r1',
    toolId: 't',
    status: 'ok',
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:01.000Z',
    durationMs: 1000,
    inputs: {},
    outputs: {},
    error: null,
    starred: false,
    label: null,
    artefacts: [],
    notices: [],
    ...over,
  };
}

function initMessage(spec: ToolSpec, over: Partial<InitMessage> = {}): InitMessage {
  return {
    kind: 'init',
    tool: { toolId: spec.id, spec, problems: [] },
    validation: { state: 'pass', checkedAt: null, check: null, message: null, outdated: false },
    prefill: null,
    history: noHistory,
    settings: { locale: 'en-US', historyPageSize: 50, mapTileUrl: null },
    trust: { trusted: true, message: null },
    activeRun: null,
    show: null,
    ...over,
  };
}

interface FakeHost {
  requests: { method: RequestMethod; params: unknown }[];
  answers: Partial<Record<RequestMethod, (params: unknown) => unknown>>;
  state: unknown;
}

const mounted: App[] = [];
after(() => {
  for (const app of mounted) app.dispose();
});

function mount(state: unknown = undefined): { app: App; root: HTMLElement; host: FakeHost } {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const host: FakeHost = { requests: [], answers: {}, state };
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
    setState: (s: WebviewState) => {
      host.state = s;
    },
  });
  mounted.push(app);
  return { app, root, host };
}

function notify(app: App, message: Omit<NotificationMessage, 'kind'>): void {
  app.receive({ kind: 'notification', ...message });
}

const q = (root: ParentNode, selector: string): HTMLElement | null => root.querySelector(selector);

describe('page layouts', () => {
  const formTool = parseSpec({ inputs: [{ key: 'x', label: 'X', type: 'text' }], outputs: [{ key: 'out', label: 'Out', type: 'text' }] });

  test('form (the default): inputs with Run at their foot beside the outputs', () => {
    const { app, root } = mount();
    app.receive(initMessage(formTool));
    const panel = q(root, '.tool-panel') as HTMLElement;
    assert.ok(panel.classList.contains('layout-form'));
    const body = q(panel, '.panel-body') as HTMLElement;
    assert.deepEqual([...body.children].map((c) => c.className), ['inputs-pane', 'outputs-pane']);
    assert.ok(q(root, '.inputs-pane .run-bar'), 'Run sits under the inputs');
  });

  test('split: one column, inputs, then the (sticky) Run bar between the panes, then outputs', () => {
    const { app, root } = mount();
    app.receive(initMessage({ ...formTool, layout: 'split' }));
    const body = q(root, '.tool-panel.layout-split .panel-body') as HTMLElement;
    assert.deepEqual([...body.children].map((c) => c.className), ['inputs-pane', 'run-bar', 'outputs-pane']);
    assert.equal(q(root, '.inputs-pane .run-bar'), null);
  });

  test('the narrow hook: the panel gets `narrow` below 900 px of its own width, and loses it when wider', () => {
    const observers: { callback: (entries: { contentRect: { width: number } }[]) => void; target?: Element; disconnected: boolean }[] = [];
    class FakeResizeObserver {
      private readonly record: (typeof observers)[number];
      constructor(callback: (entries: { contentRect: { width: number } }[]) => void) {
        this.record = { callback, disconnected: false };
        observers.push(this.record);
      }
      observe(target: Element): void {
        this.record.target = target;
      }
      disconnect(): void {
        this.record.disconnected = true;
      }
    }
    const g = globalThis as { ResizeObserver?: unknown };
    const saved = g.ResizeObserver;
    g.ResizeObserver = FakeResizeObserver;
    try {
      const { app, root } = mount();
      app.receive(initMessage(formTool));
      const panel = q(root, '.tool-panel') as HTMLElement;
      const watcher = observers.at(-1);
      assert.ok(watcher && watcher.target === panel, 'the panel itself is observed');
      const resize = (width: number): void => watcher.callback([{ contentRect: { width } }]);
      assert.equal(panel.classList.contains('narrow'), false);
      resize(NARROW_PANEL_PX - 1);
      assert.equal(panel.classList.contains('narrow'), true);
      resize(0);
      assert.equal(panel.classList.contains('narrow'), true, 'a panel not laid out keeps the last decision');
      resize(NARROW_PANEL_PX);
      assert.equal(panel.classList.contains('narrow'), false);
      // A rebuild (tool.json changed) watches the new panel and lets the old observer go.
      notify(app, { method: 'toolChanged', params: { tool: { toolId: 't', spec: formTool, problems: [] } } });
      assert.equal(watcher.disconnected, true);
      assert.equal(observers.at(-1)?.target, q(root, '.tool-panel'));
      app.dispose();
      assert.equal(observers.at(-1)?.disconnected, true);
    } finally {
      g.ResizeObserver = saved;
    }
  });

  test('the narrow hook without ResizeObserver falls back to window resizes', () => {
    const g = globalThis as { ResizeObserver?: unknown };
    const saved = g.ResizeObserver;
    g.ResizeObserver = undefined;
    try {
      const panel = document.createElement('div');
      document.body.replaceChildren(panel);
      let width = 500;
      panel.getBoundingClientRect = () => ({ width }) as DOMRect;
      const stop = watchNarrow(panel);
      assert.equal(panel.classList.contains('narrow'), true);
      width = 1400;
      window.dispatchEvent(new (win().Event)('resize'));
      assert.equal(panel.classList.contains('narrow'), false);
      stop();
      width = 300;
      window.dispatchEvent(new (win().Event)('resize'));
      assert.equal(panel.classList.contains('narrow'), false, 'stopped watching');
    } finally {
      g.ResizeObserver = saved;
    }
  });
});

// ---------- chat ----------

const chatTool = parseSpec({
  id: 'chat',
  name: 'Chatty',
  layout: 'chat',
  inputs: [
    { key: 'messages', label: 'Conversation', type: 'json' },
    { key: 'history', label: 'History', type: 'json', default: [] },
    { key: 'style', label: 'Style', type: 'select', default: 'plain', options: [{ value: 'plain', label: 'Plain' }, { value: 'shout', label: 'Shout' }] },
    { key: 'delay_ms', label: 'Delay', type: 'number', default: 10, min: 0, max: 1000 },
  ],
  outputs: [
    { key: 'tool_calls', label: 'Tool calls', type: 'log' },
    { key: 'reply', label: 'Reply', type: 'stream_text', streaming: true },
  ],
});

function sendByEnter(root: HTMLElement, text: string): void {
  const input = q(root, '.chat-input') as HTMLTextAreaElement;
  input.value = text;
  key(input, 'Enter');
}

const bubbles = (root: HTMLElement): string[][] =>
  [...root.querySelectorAll('.chat-message')].map((m) => [m.className.replace('chat-message role-', '').replace(' out-of-context', ' (out)'), (m.querySelector('.chat-bubble')?.textContent ?? '').trim()]);

describe('chat', () => {
  test('the contract helpers: messages end with the new message, history is what came before; replies as text', () => {
    const earlier = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }];
    assert.deepEqual(chatRequest(earlier, 'again'), { messages: [...earlier, { role: 'user', content: 'again' }], history: earlier });
    assert.deepEqual(chatRequest([], 'first'), { messages: [{ role: 'user', content: 'first' }], history: [] });
    assert.equal(replyOutputOf(chatTool.outputs)?.key, 'reply', 'the first text-like output, not the first output');
    assert.equal(replyOutputOf(outputSpecs([{ key: 'l', label: 'L', type: 'log' }])), undefined);
    assert.equal(replyText({ value: 'wrapped' }), 'wrapped');
    assert.equal(replyText(null), '');
    assert.equal(replyText(undefined), '');
    assert.deepEqual(messagesOf({ messages: [{ role: 'user', content: 'a' }, 'junk', { content: 'no role' }, { role: 'assistant', content: { x: 1 } }] }), [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '{"x":1}' },
    ]);
    assert.deepEqual(messagesOf({}), []);
    assert.deepEqual(messagesOf(null), []);
    assert.deepEqual(splitLastUserMessage([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }]), { before: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }], asked: undefined });
  });

  test('Enter sends the chat contract with the settings; the reply streams in; Stop cancels; the next turn carries the conversation', async () => {
    const { app, root, host } = mount();
    host.answers.runTool = () => ({ runId: 'c1', startedAt: '2026-03-01T10:00:00.000Z' });
    host.answers.cancelRun = () => ({ cancelling: true });
    app.receive(initMessage(chatTool));
    assert.ok(q(root, '.tool-panel.layout-chat'));
    assert.equal(q(root, '.outputs-pane'), null, 'no outputs pane: replies live in the conversation');
    assert.equal((q(root, '.run-button') as HTMLElement).textContent, 'Send');
    assert.equal((q(root, '.cancel-button') as HTMLElement).textContent, 'Stop');
    // Settings hold the other inputs only; the conversation inputs are not form fields.
    assert.deepEqual([...root.querySelectorAll('.chat-settings .field')].map((f) => f.getAttribute('data-key')), ['style', 'delay_ms']);
    assert.match(q(root, '.chat-empty')?.textContent ?? '', /Start the conversation/);

    // Shift+Enter is a newline, not a send; an empty message is not sent.
    const input = q(root, '.chat-input') as HTMLTextAreaElement;
    input.value = 'line one';
    assert.equal(key(input, 'Enter', { shiftKey: true }), true, 'not prevented: the newline goes in');
    sendByEnter(root, '   ');
    await settle(5);
    assert.equal(host.requests.length, 0);
    assert.equal(q(root, '.run-status')?.textContent, 'Type a message to send.');

    sendByEnter(root, 'Hello there\nsecond line');
    await settle(5);
    assert.deepEqual(host.requests[0], {
      method: 'runTool',
      params: { inputs: { style: 'plain', delay_ms: 10, messages: [{ role: 'user', content: 'Hello there\nsecond line' }], history: [] } },
    });
    assert.equal(input.value, '', 'the composer empties as the message is sent');
    assert.deepEqual(bubbles(root), [['user', 'Hello there\nsecond line'], ['assistant', '']]);
    assert.ok(q(root, '.role-assistant .chat-typing'), 'a waiting indicator until the reply starts');

    notify(app, { method: 'runStarted', params: { runId: 'c1', startedAt: '2026-03-01T10:00:00.000Z', inputs: host.requests[0].params && (host.requests[0].params as { inputs: Record<string, JsonValue> }).inputs } });
    assert.equal(q(root, '.role-assistant')?.getAttribute('aria-busy'), 'true');
    assert.equal((q(root, '.new-chat-button') as HTMLElement & { disabled: boolean }).disabled, true, 'no New chat mid-run');
    const streamed = ['Hi', 'Hi! You', 'Hi! You said hello.'];
    const replyNode = (): Element | null => q(root, '.role-assistant .chat-bubble .stream-output');
    notify(app, { method: 'runOutput', params: { runId: 'c1', key: 'reply', value: streamed[0] } });
    const first = replyNode();
    assert.equal(first?.textContent, 'Hi');
    notify(app, { method: 'runOutput', params: { runId: 'c1', key: 'reply', value: streamed[1] } });
    notify(app, { method: 'runOutput', params: { runId: 'c1', key: 'tool_calls', value: { lines: [{ level: 'tool', message: '{"tool":"echo"}' }] } } });
    notify(app, { method: 'runOutput', params: { runId: 'c1', key: 'reply', value: streamed[2] } });
    assert.equal(replyNode(), first, 'the reply grows in place, not redrawn');
    assert.equal(first?.textContent, 'Hi! You said hello.');
    assert.equal(q(root, '.role-assistant .chat-details summary')?.textContent?.trim(), 'Tool calls');
    assert.equal(q(root, '.role-assistant .chat-details .log-message')?.textContent, '{"tool":"echo"}', 'other outputs stream under the reply');

    (q(root, '.cancel-button') as HTMLElement).click();
    await settle(5);
    assert.deepEqual(host.requests.at(-1), { method: 'cancelRun', params: { runId: 'c1' } });
    assert.equal(q(root, '.run-status')?.textContent, 'Cancelling…');

    // The cancelled run keeps what streamed: the partial reply stays in the conversation.
    notify(app, {
      method: 'runFinished',
      params: { run: run({ id: 'c1', status: 'cancelled', error: 'cancelled', inputs: (host.requests[0].params as { inputs: Record<string, JsonValue> }).inputs, outputs: { reply: 'Hi! You said hello.', tool_calls: { lines: [{ level: 'tool', message: '{"tool":"echo"}' }] } } }) },
    });
    assert.equal(q(root, '.role-assistant')?.hasAttribute('aria-busy'), false);
    assert.match(q(root, '.role-assistant .run-error')?.textContent ?? '', /The run was cancelled/);
    assert.equal((q(root, '.new-chat-button') as HTMLElement & { disabled: boolean }).disabled, false);
    assert.deepEqual(app.chatView?.conversation, [
      { role: 'user', content: 'Hello there\nsecond line' },
      { role: 'assistant', content: 'Hi! You said hello.' },
    ]);

    // Turn two: messages = everything so far + the new message; history = everything so far. Settings changes go along.
    host.answers.runTool = () => ({ runId: 'c2', startedAt: '2026-03-01T10:01:00.000Z' });
    const style = q(root, '[data-key="style"] vscode-single-select') as HTMLElement & { value: string };
    style.value = '1';
    style.dispatchEvent(new (win().Event)('change', { bubbles: true }));
    sendByEnter(root, 'And again?');
    await settle(5);
    const second = (host.requests.at(-1)?.params as { inputs: Record<string, JsonValue> }).inputs;
    assert.deepEqual(second, {
      style: 'shout',
      delay_ms: 10,
      messages: [
        { role: 'user', content: 'Hello there\nsecond line' },
        { role: 'assistant', content: 'Hi! You said hello.' },
        { role: 'user', content: 'And again?' },
      ],
      history: [
        { role: 'user', content: 'Hello there\nsecond line' },
        { role: 'assistant', content: 'Hi! You said hello.' },
      ],
    });
  });

  test('a refused send puts the text back; a turn that got no reply is shown but left out of the next request', async () => {
    const { app, root, host } = mount();
    host.answers.runTool = () => {
      throw new RequestError('Some inputs are not valid.', { messages: 'expected a list of {role, content} messages' });
    };
    app.receive(initMessage(chatTool));
    sendByEnter(root, 'will be refused');
    await settle(5);
    assert.deepEqual(bubbles(root), [], 'the turn is taken back');
    assert.equal((q(root, '.chat-input') as HTMLTextAreaElement).value, 'will be refused');
    assert.deepEqual([...root.querySelectorAll('.form-errors li')].map((li) => li.textContent), ['messages: expected a list of {role, content} messages']);
    assert.equal((q(root, '.run-button') as HTMLElement & { disabled: boolean }).disabled, false);

    host.answers.runTool = () => ({ runId: 'f1', startedAt: '2026-03-01T10:00:00.000Z' });
    sendByEnter(root, 'this one fails');
    await settle(5);
    notify(app, { method: 'runFinished', params: { run: run({ id: 'f1', status: 'error', error: "tool 'chat' returned 500: boom\n--- stderr ---\nTraceback", inputs: { messages: [{ role: 'user', content: 'this one fails' }], history: [] }, outputs: null }) } });
    assert.match(q(root, '.role-assistant .run-error')?.textContent ?? '', /The run failed.*returned 500: boom/s);
    assert.equal(q(root, '.role-assistant .output-empty')?.textContent, 'The tool returned no reply.');
    assert.ok(q(root, '.role-user.out-of-context'));
    assert.deepEqual(app.chatView?.conversation, []);
    host.answers.runTool = () => ({ runId: 'f2', startedAt: '2026-03-01T10:00:00.000Z' });
    sendByEnter(root, 'retry');
    await settle(5);
    assert.deepEqual((host.requests.at(-1)?.params as { inputs: { messages: JsonValue } }).inputs.messages, [{ role: 'user', content: 'retry' }]);
  });

  test('invalid settings stop the send, open Settings and keep the message', async () => {
    const { app, root, host } = mount();
    app.receive(initMessage(chatTool));
    const delay = q(root, '[data-key="delay_ms"] vscode-textfield') as HTMLElement & { value: string };
    delay.value = '5000';
    delay.dispatchEvent(new (win().Event)('input', { bubbles: true }));
    sendByEnter(root, 'kept');
    await settle(5);
    assert.equal(host.requests.length, 0);
    assert.equal((q(root, '.chat-settings') as HTMLDetailsElement).open, true);
    assert.ok(q(root, '[data-key="delay_ms"] .field-error')?.textContent);
    assert.equal((q(root, '.chat-input') as HTMLTextAreaElement).value, 'kept');
    assert.deepEqual(bubbles(root), []);
  });

  test('replay: a past run rebuilds the conversation from its messages and its stored reply; New chat clears', async () => {
    const { app, root, host } = mount();
    const past = run({
      id: 'old',
      inputs: {
        style: 'shout',
        delay_ms: 3,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is 7 * 8?' },
          { role: 'assistant', content: '56.' },
          { role: 'user', content: 'And <b>9 * 9</b>?' },
        ],
        history: [],
      },
      outputs: { reply: '81.', tool_calls: { lines: [{ level: 'tool', message: 'calculator 9*9' }] } },
    });
    host.answers.loadRun = () => past;
    app.receive(initMessage(chatTool, { history: { runs: [{ id: 'old', status: 'ok', startedAt: past.startedAt, finishedAt: past.finishedAt, summary: '', starred: false, label: null }], next: null } }));
    const select = q(root, '.history-select') as HTMLElement & { value: string };
    select.value = 'old';
    select.dispatchEvent(new (win().Event)('change', { bubbles: true }));
    await settle(5);
    assert.deepEqual(host.requests.map((r) => r.method), ['loadRun']);
    assert.deepEqual(bubbles(root), [
      ['system', 'Be brief.'],
      ['user', 'What is 7 * 8?'],
      ['assistant', '56.'],
      ['user', 'And <b>9 * 9</b>?'],
      ['assistant', '81.'],
    ]);
    assert.equal(q(root, '.role-user b'), null, 'user text is never markup');
    assert.equal(root.querySelectorAll('.chat-details').length, 1, 'details only for the turn the run answered');
    assert.equal(q(root, '.chat-details .log-message')?.textContent, 'calculator 9*9');
    assert.equal(q(root, '.chat-details .extra-outputs')?.children.length, 0, 'the reply is not listed again as an undeclared value');
    assert.equal((q(root, '[data-key="style"] vscode-single-select') as HTMLElement & { value: string }).value, '1', 'settings come back too (option 1: shout)');
    assert.equal((host.state as WebviewState).runId, 'old');

    // Continuing the replayed conversation sends all of it.
    host.answers.runTool = () => ({ runId: 'next', startedAt: '2026-03-01T11:00:00.000Z' });
    sendByEnter(root, 'Thanks');
    await settle(5);
    const sent = (host.requests.at(-1)?.params as { inputs: { messages: JsonValue[]; history: JsonValue[] } }).inputs;
    assert.equal(sent.messages.length, 6);
    assert.deepEqual(sent.messages.at(-2), { role: 'assistant', content: '81.' });
    assert.deepEqual(sent.history, sent.messages.slice(0, -1));
    notify(app, { method: 'runFinished', params: { run: run({ id: 'next', inputs: sent as unknown as Record<string, JsonValue>, outputs: { reply: 'You are welcome.' } }) } });

    (q(root, '.new-chat-button') as HTMLElement).click();
    assert.deepEqual(bubbles(root), []);
    assert.ok(q(root, '.chat-empty'));
    assert.deepEqual(app.chatView?.conversation, []);
    assert.equal((host.state as WebviewState).runId, undefined, 'the panel no longer restores that run');
  });

  test('Edit & Re-run of a chat run: the turns before it, its message back in the composer; sending asks again', async () => {
    const { app, root, host } = mount();
    host.answers.runTool = () => ({ runId: 'again', startedAt: '2026-03-01T12:00:00.000Z' });
    const past = run({
      id: 'p',
      inputs: { messages: [{ role: 'user', content: 'one' }, { role: 'assistant', content: 'uno' }, { role: 'user', content: 'two' }], history: [], style: 'plain', delay_ms: 10 },
      outputs: { reply: 'dos' },
    });
    app.receive(initMessage(chatTool, { show: { run: past, intent: 'edit' } }));
    assert.deepEqual(bubbles(root), [['user', 'one'], ['assistant', 'uno']]);
    assert.equal((q(root, '.chat-input') as HTMLTextAreaElement).value, 'two');
    assert.match(q(root, '.run-status')?.textContent ?? '', /back in the box/);
    key(q(root, '.chat-input') as HTMLElement, 'Enter');
    await settle(5);
    assert.deepEqual((host.requests.at(-1)?.params as { inputs: { messages: JsonValue } }).inputs.messages, past.inputs.messages);
  });

  test('a chat run found running when the panel opens (or started by a command) rebuilds its conversation', () => {
    const { app, root } = mount();
    app.receive(
      initMessage(chatTool, {
        activeRun: {
          runId: 'live',
          startedAt: new Date().toISOString(),
          inputs: { messages: [{ role: 'user', content: 'earlier' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'now' }], history: [] },
          outputs: { reply: 'partial rep' },
          spawning: false,
        },
      }),
    );
    assert.deepEqual(bubbles(root), [['user', 'earlier'], ['assistant', 'ok'], ['user', 'now'], ['assistant', 'partial rep']]);
    notify(app, { method: 'runOutput', params: { runId: 'live', key: 'reply', value: 'partial reply' } });
    assert.equal(bubbles(root).at(-1)?.[1], 'partial reply');
    assert.equal(q(root, '.run-status')?.textContent, 'Running…');
    app.dispose();
  });

  test('a chat tool whose reply is markdown renders it sanitised; the draft message survives a reload', () => {
    const mdTool = parseSpec({ id: 'md', name: 'Md', layout: 'chat', inputs: [], outputs: [{ key: 'answer', label: 'Answer', type: 'markdown' }] });
    const first = mount();
    first.app.receive(initMessage(mdTool, { show: { run: run({ inputs: { messages: [{ role: 'user', content: 'hi' }], history: [] }, outputs: { answer: '**bold** <img src=x onerror=alert(1)>' } }), intent: 'replay' } }));
    assert.equal(q(first.root, '.role-assistant .markdown-output strong')?.textContent, 'bold');
    assert.equal(first.root.querySelectorAll('.role-assistant img').length, 0);
    assert.equal(q(first.root, '.chat-settings'), null, 'no settings when the tool has no other inputs');
    assert.equal(q(first.root, '.chat-details'), null, 'no details when the reply is the only output');

    const again = mount({ toolId: 'md', draft: { __pixie_chat_message: 'half-typed' } });
    again.app.receive(initMessage(mdTool));
    assert.equal((q(again.root, '.chat-input') as HTMLTextAreaElement).value, 'half-typed');
  });
});
