// The chat layout: a conversation instead of a form. Each turn is the user's message and the tool's reply (its first
// stream_text/text/markdown output, drawn live while it streams); the tool's other outputs (e.g. a `log` of tool
// calls) sit under the reply as collapsible details. A composer at the bottom sends (Enter) or stops (the run bar's
// Stop); the tool's other declared inputs are "Settings" above it. The conversation is never stored on its own: a
// run's inputs hold every earlier turn, so a past run (or the last one) rebuilds it — see contract.ts.
import type { InputSpec, JsonValue, OutputSpec, RunView, ToolSpec } from '../../src/protocol';
import { clear, custom, el, icon } from '../dom';
import type { ButtonElement } from '../elements/types';
import { FormView } from '../form/form';
import { errorBox, OutputsView, renderValue } from '../outputs/area';
import type { OutputContext, OutputView } from '../outputs/registry';
import type { RunBar } from '../run/runBar';
import { CHAT_INPUT_KEYS, chatRequest, messagesOf, replyOutputOf, replyText, splitLastUserMessage, type ChatMessage, type ChatRequest } from './contract';

export interface ChatViewOptions {
  locale: string;
  output: OutputContext;
  /** Send and Stop, status and errors: placed under the composer. */
  runBar: RunBar;
  send(): void;
  newChat(): void;
  /** After the settings or the composer changed (the app saves a draft). */
  changed(): void;
}

/** The reply of one turn: rendered with its output module, updated in place while it streams. */
class ReplyBody {
  readonly element = el('div', { className: 'chat-bubble' });
  private view: OutputView | undefined;
  private value: JsonValue | undefined;

  constructor(
    private readonly spec: OutputSpec | undefined,
    private readonly ctx: OutputContext,
  ) {}

  waiting(): void {
    this.view = undefined;
    clear(this.element);
    this.element.appendChild(el('span', { className: 'chat-typing', attrs: { role: 'img', 'aria-label': 'Waiting for the reply' } }, el('span'), el('span'), el('span')));
  }

  note(text: string): void {
    this.view = undefined;
    clear(this.element);
    this.element.appendChild(el('div', { className: 'output-empty', text }));
  }

  show(value: JsonValue): void {
    this.value = value;
    if (!this.spec) return;
    if (this.view?.update?.(value)) return;
    this.view = renderValue(this.spec, value, this.ctx);
    clear(this.element);
    this.element.appendChild(this.view.element);
  }

  get text(): string {
    return replyText(this.value);
  }

  get hasValue(): boolean {
    return this.value !== undefined;
  }
}

/** One message in the list; `inContext` false: shown, but not sent back to the tool (a turn that got no reply). */
interface Entry {
  message: ChatMessage;
  element: HTMLElement;
  inContext: boolean;
}

/** The turn a run answers: the user's message and the reply being written. */
interface Turn {
  runId: string | undefined;
  user: Entry | undefined;
  reply: Entry;
  body: ReplyBody;
  details: OutputsView | undefined;
}

export class ChatView {
  readonly element: HTMLElement;
  /** The tool's inputs other than the conversation (empty form when it has none). */
  readonly settings: FormView;
  private readonly list = el('ol', { className: 'chat-messages', attrs: { role: 'log', 'aria-label': 'Conversation', tabindex: 0 } });
  private readonly emptyNote = el('li', { className: 'chat-empty', text: 'Start the conversation: type a message below and press Enter.' });
  private readonly input: HTMLTextAreaElement;
  private readonly newChatButton: ButtonElement;
  private readonly settingsBox: HTMLDetailsElement | undefined;
  private readonly replySpec: OutputSpec | undefined;
  private readonly detailSpecs: OutputSpec[];
  private entries: Entry[] = [];
  private turn: Turn | undefined;

  constructor(
    private readonly spec: ToolSpec,
    private readonly options: ChatViewOptions,
  ) {
    this.replySpec = replyOutputOf(spec.outputs);
    this.detailSpecs = spec.outputs.filter((o) => o !== this.replySpec);
    const settingsInputs: InputSpec[] = spec.inputs.filter((i) => !CHAT_INPUT_KEYS.includes(i.key));
    this.settings = new FormView(settingsInputs, { locale: options.locale, onChange: () => options.changed(), request: options.output.request });
    this.settingsBox =
      settingsInputs.length > 0
        ? el('details', { className: 'chat-settings' }, el('summary', {}, icon('settings-gear'), ' Settings'), this.settings.element)
        : undefined;

    this.input = el('textarea', {
      className: 'chat-input',
      attrs: { rows: 3, 'aria-label': 'Message', placeholder: 'Message (Enter to send, Shift+Enter for a new line)' },
    });
    this.input.addEventListener('keydown', (event) => {
      // Ctrl/Cmd+Enter is the app's Run shortcut (it sends too); plain Enter sends; Shift+Enter is a new line.
      if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      event.preventDefault();
      options.send();
    });
    this.input.addEventListener('input', () => options.changed());

    this.newChatButton = custom<ButtonElement>('vscode-button', { className: 'new-chat-button', attrs: { title: 'Clear the conversation' } }, 'New chat');
    this.newChatButton.icon = 'add';
    this.newChatButton.secondary = true;
    this.newChatButton.addEventListener('click', () => {
      if (!this.newChatButton.disabled) options.newChat();
    });

    this.list.appendChild(this.emptyNote);
    this.element = el(
      'div',
      { className: 'chat-view' },
      el('div', { className: 'chat-toolbar' }, this.newChatButton),
      this.list,
      this.settingsBox ?? null,
      el('div', { className: 'chat-composer' }, this.input, options.runBar.element),
    );
  }

  get composerText(): string {
    return this.input.value;
  }

  set composerText(text: string) {
    this.input.value = text;
  }

  focusComposer(): void {
    this.input.focus();
  }

  openSettings(): void {
    if (this.settingsBox) this.settingsBox.open = true;
  }

  /** What the next request sends as earlier turns. */
  get conversation(): ChatMessage[] {
    return this.entries.filter((e) => e.inContext).map((e) => ({ ...e.message }));
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** While a run goes: no New chat. */
  setBusy(busy: boolean): void {
    this.newChatButton.disabled = busy;
  }

  /** The user sends `text`: its bubble and a waiting reply appear; returns the chat inputs of the request. */
  startTurn(text: string): ChatRequest {
    const request = chatRequest(this.conversation, text);
    this.input.value = '';
    this.turn = this.openTurn({ role: 'user', content: text });
    return request;
  }

  /** The request was refused (nothing ran): the turn goes and the text returns to the composer. */
  abandonTurn(): void {
    const turn = this.turn;
    if (!turn || turn.runId !== undefined) return;
    this.turn = undefined;
    for (const entry of [turn.user, turn.reply]) if (entry) this.remove(entry);
    if (turn.user && this.input.value === '') this.input.value = turn.user.message.content;
  }

  /**
   * A run started. Ours: it answers the open turn. One started elsewhere (a command, another window) or found running
   * when the panel opened: the conversation is rebuilt from its inputs.
   */
  attachRun(runId: string, inputs: Readonly<Record<string, JsonValue>> | undefined): void {
    if (this.turn && (this.turn.runId === undefined || this.turn.runId === runId)) {
      this.turn.runId = runId;
    } else {
      this.rebuild(inputs ?? null);
      if (this.turn) this.turn.runId = runId;
    }
    this.turn?.reply.element.setAttribute('aria-busy', 'true');
    this.turn?.details?.startRun();
  }

  /** A streamed output's accumulated value. */
  update(key: string, value: JsonValue): void {
    const turn = this.turn;
    if (!turn) return;
    if (key === this.replySpec?.key) {
      const stick = this.atBottom();
      turn.body.show(value);
      turn.reply.message.content = turn.body.text;
      if (stick) this.scrollToEnd();
    } else {
      turn.details?.update(key, value);
    }
  }

  /** The run finished: the reply's final value, the details, the error; the turn joins the context if it got a reply. */
  finish(run: RunView): void {
    if (this.turn?.runId !== run.id) this.rebuild(run.inputs);
    const turn = this.turn;
    if (!turn) return;
    this.turn = undefined;
    turn.runId = run.id;
    turn.reply.element.removeAttribute('aria-busy');
    const outputs = run.outputs ?? {};
    const replyKey = this.replySpec?.key;
    if (replyKey !== undefined && Object.hasOwn(outputs, replyKey)) turn.body.show(outputs[replyKey]);
    else if (!turn.body.hasValue) turn.body.note(this.replySpec ? 'The tool returned no reply.' : 'This tool declares no text output to show as its reply.');
    if (run.error !== null) turn.reply.element.insertBefore(errorBox(run.status, run.error), turn.details ? turn.details.element.parentElement : null);
    // The details show the other outputs: the reply is not "another value the tool returned".
    const others = replyKey === undefined ? run.outputs : Object.fromEntries(Object.entries(outputs).filter(([key]) => key !== replyKey));
    turn.details?.showRun({ ...run, error: null, outputs: run.outputs === null ? null : (others ?? null) });
    const text = turn.body.text;
    turn.reply.message.content = text;
    const answered = text !== '';
    turn.reply.inContext = answered;
    if (turn.user) turn.user.inContext = answered;
    for (const entry of [turn.user, turn.reply]) entry?.element.classList.toggle('out-of-context', !answered);
    if (!answered && turn.user) {
      turn.user.element.appendChild(el('div', { className: 'chat-note', text: 'No reply: this message is not sent with the next one.' }));
    }
    this.scrollToEnd();
  }

  /** A past run (history, Open Run, the panel reopening): its conversation, with its reply as the last message. */
  showRun(run: RunView): void {
    this.rebuild(run.inputs);
    if (run.status === 'running') {
      if (this.turn) this.turn.runId = run.id;
      for (const [key, value] of Object.entries(run.outputs ?? {})) this.update(key, value);
      return;
    }
    if (this.turn) this.turn.runId = run.id;
    this.finish(run);
  }

  /** Edit & Re-run: the conversation before the run's last message, and that message back in the composer to edit. */
  editRun(run: RunView): void {
    this.clear();
    const { before, asked } = splitLastUserMessage(messagesOf(run.inputs));
    for (const message of before) this.addMessage(message);
    if (asked) this.input.value = asked.content;
    this.scrollToEnd();
  }

  /** New chat. */
  clear(): void {
    this.turn = undefined;
    this.entries = [];
    clear(this.list);
    this.list.appendChild(this.emptyNote);
  }

  // ---------- building ----------

  private rebuild(inputs: Readonly<Record<string, JsonValue>> | null): void {
    this.clear();
    const { before, asked } = splitLastUserMessage(messagesOf(inputs));
    for (const message of before) this.addMessage(message);
    this.turn = this.openTurn(asked);
  }

  private openTurn(asked: ChatMessage | undefined): Turn {
    const user = asked ? this.addMessage(asked) : undefined;
    const body = new ReplyBody(this.replySpec, this.options.output);
    body.waiting();
    const details = this.detailSpecs.length > 0 ? new OutputsView(this.detailSpecs, this.options.output) : undefined;
    const element = this.messageItem('assistant', body.element);
    if (details) {
      const summary = el('summary', {}, icon('list-unordered'), ` ${this.detailSpecs.map((s) => s.label).join(', ')}`);
      element.appendChild(el('details', { className: 'chat-details' }, summary, details.element));
    }
    const reply: Entry = { message: { role: 'assistant', content: '' }, element, inContext: false };
    this.append(reply);
    this.scrollToEnd();
    return { runId: undefined, user, reply, body, details };
  }

  /** A finished message (the user's, or an earlier reply from a stored conversation). */
  private addMessage(message: ChatMessage): Entry {
    let content: HTMLElement;
    if (message.role === 'assistant' && this.replySpec) {
      content = el('div', { className: 'chat-bubble' }, renderValue(this.replySpec, message.content, this.options.output).element);
    } else {
      content = el('div', { className: 'chat-bubble chat-text', text: message.content });
    }
    const entry: Entry = { message: { role: message.role, content: message.content }, element: this.messageItem(message.role, content), inContext: true };
    this.append(entry);
    return entry;
  }

  private messageItem(role: string, content: HTMLElement): HTMLElement {
    const who = role === 'user' ? 'You' : role === 'assistant' ? this.spec.name : role;
    const safeRole = role.replace(/[^a-z]/gi, '').toLowerCase() || 'other';
    return el('li', { className: `chat-message role-${safeRole}` }, el('div', { className: 'chat-role', text: who }), content);
  }

  private append(entry: Entry): void {
    this.emptyNote.remove();
    this.entries.push(entry);
    this.list.appendChild(entry.element);
  }

  private remove(entry: Entry): void {
    this.entries = this.entries.filter((e) => e !== entry);
    entry.element.remove();
    if (this.entries.length === 0) this.list.appendChild(this.emptyNote);
  }

  private atBottom(): boolean {
    return this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 24;
  }

  private scrollToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
