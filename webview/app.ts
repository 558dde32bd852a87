// The tool panel app: builds the page from the host's `init`, runs the tool through requests, follows the run
// through notifications, and replays past runs from history. All durable state comes from the host; the webview
// keeps only {toolId, runId} (for the serializer) and an unsent draft of the form.
import {
  isInitMessage,
  isNotificationMessage,
  isRecord,
  isJsonObject,
  RequestError,
  type HistoryCursor,
  type InitMessage,
  type JsonValue,
  type NotificationMessage,
  type PanelState,
  type RunView,
  type ShowRun,
  type ToolInfo,
  type ToolSpec,
} from '../src/protocol';
import { ChatView } from './chat/chatView';
import { clear, el, icon } from './dom';
import { FormView } from './form/form';
import { setMapTileUrl } from './maps/settings';
import { OutputsView } from './outputs/area';
import type { OutputContext, RequestFn } from './outputs/registry';
import { watchNarrow } from './panelWidth';
import { HistoryPicker } from './run/history';
import { CHAT_LABELS, describeRun, RunBar } from './run/runBar';
import { ValidationBadge } from './run/validation';

/** What the webview keeps across hide/show and reloads (vscode.setState). */
export interface WebviewState extends PanelState {
  /** Form values not yet run, so switching tabs does not lose typing (large values, e.g. files, are left out). */
  draft?: Record<string, JsonValue>;
}

export interface WebviewHost {
  request: RequestFn;
  getState(): unknown;
  setState(state: WebviewState): void;
}

/** Draft key of the chat composer's unsent text (kept beside the settings' values). */
export const CHAT_MESSAGE_KEY = '__pixie_chat_message';
const DRAFT_VALUE_MAX_CHARS = 100_000;

interface CurrentRun {
  runId: string;
  startedAtMs: number;
  /** The run's inputs, when known (a chat rebuilds its conversation from them). */
  inputs?: Record<string, JsonValue>;
}

function readState(raw: unknown): WebviewState | undefined {
  if (!isRecord(raw) || typeof raw.toolId !== 'string') return undefined;
  const state: WebviewState = { toolId: raw.toolId };
  if (typeof raw.runId === 'string') state.runId = raw.runId;
  if (isJsonObject(raw.draft)) state.draft = raw.draft;
  return state;
}

export class App {
  private init: InitMessage | undefined;
  private form: FormView | undefined;
  private outputs: OutputsView | undefined;
  private chat: ChatView | undefined;
  private runBar: RunBar | undefined;
  private stopWatchingWidth: (() => void) | undefined;
  private history: HistoryPicker | undefined;
  private readonly validation = new ValidationBadge();
  private readonly toast = el('div', { className: 'toast', attrs: { role: 'status', 'aria-live': 'polite' } });
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private current: CurrentRun | undefined;
  private shownRun: RunView | undefined;
  private state: WebviewState | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: WebviewHost,
  ) {
    this.state = readState(host.getState());
    clear(root);
    root.appendChild(el('div', { className: 'loading', text: 'Loading…' }));
    root.ownerDocument.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.run();
      }
    });
  }

  /** A message from the host that is not a reply (replies go to the protocol client first). */
  receive(message: unknown): void {
    if (isInitMessage(message)) this.start(message);
    else if (isNotificationMessage(message)) this.notify(message);
  }

  /** Stops timers (the page is going away). */
  dispose(): void {
    this.runBar?.dispose();
    this.stopWatchingWidth?.();
    if (this.toastTimer !== undefined) clearTimeout(this.toastTimer);
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
  }

  /** The form on show (tests and the e2e driver read it). */
  get formView(): FormView | undefined {
    return this.form;
  }

  get outputsView(): OutputsView | undefined {
    return this.outputs;
  }

  /** The conversation view of a chat-layout tool. */
  get chatView(): ChatView | undefined {
    return this.chat;
  }

  private get locale(): string {
    return this.init?.settings.locale ?? 'en';
  }

  private outputContext(): OutputContext {
    return { locale: this.locale, request: this.host.request, notify: (text) => this.say(text) };
  }

  // ---------- building the page ----------

  private start(init: InitMessage): void {
    this.init = init;
    // Before the form and outputs are built: their maps read it when they are made.
    setMapTileUrl(init.settings.mapTileUrl);
    this.current = undefined;
    this.shownRun = undefined;
    this.runBar?.dispose();
    this.build(init.tool);
    this.validation.set(init.validation);
    this.history?.setPage(init.history);
    this.runBar?.setTrust(init.trust);

    const sameTool = this.state?.toolId === init.tool.toolId;
    if (init.activeRun) {
      const active = init.activeRun;
      this.fillForm(active.inputs);
      this.beginRun(active.runId, Date.parse(active.startedAt) || Date.now(), active.spawning, active.inputs);
      for (const [key, value] of Object.entries(active.outputs)) this.showOutput(key, value);
    } else if (init.show) {
      this.showRun(init.show);
    } else {
      this.fillForm(sameTool && this.state?.draft ? this.state.draft : init.prefill);
    }
    this.saveState({ runId: init.activeRun?.runId ?? init.show?.run.id ?? (sameTool ? this.state?.runId : undefined) });
  }

  private build(tool: ToolInfo): void {
    const spec = tool.spec;
    clear(this.root);
    this.stopWatchingWidth?.();
    const layout = spec?.layout ?? 'form';
    const barActions = { run: () => this.run(), cancel: () => this.cancel(), manageTrust: () => void this.host.request('manageTrust', {}).catch(() => undefined) };
    this.runBar = new RunBar(barActions, layout === 'chat' ? CHAT_LABELS : undefined);
    this.history = new HistoryPicker({ pick: (id) => void this.replay(id), more: (before) => void this.loadMore(before) }, this.locale);

    const title = el('h1', { className: 'tool-name', text: spec?.name ?? tool.toolId });
    const subtitle = spec?.description ? el('p', { className: 'tool-description', text: spec.description }) : null;
    const header = el(
      'header',
      { className: 'tool-header' },
      el('div', { className: 'tool-title' }, title, spec?.version ? el('span', { className: 'tool-version', text: `v${spec.version}` }) : null),
      subtitle,
      el('div', { className: 'tool-meta' }, this.validation.element, this.history.element),
    );
    const notes: HTMLElement[] = [];
    if (tool.problems.length > 0) {
      notes.push(
        el(
          'div',
          { className: 'tool-problems', attrs: { role: 'alert' } },
          el('div', { className: 'tool-problems-title' }, icon('error'), spec ? ' This tool has problems:' : ' tool.json could not be loaded:'),
          el('ul', {}, ...tool.problems.map((p) => el('li', { text: p.line !== null ? `${p.message} (line ${p.line}${p.column !== null ? `:${p.column}` : ''})` : p.message }))),
        ),
      );
    }
    this.runBar.setRunnable(spec !== null && tool.problems.length === 0, spec ? 'Fix the problems in tool.json to run this tool.' : 'This tool cannot run until its tool.json loads.');

    const body = spec && layout === 'chat' ? this.buildChat(spec) : this.buildForm(spec, layout === 'split' ? 'split' : 'form');
    const panel = el('div', { className: `tool-panel layout-${layout}` }, header, ...notes, body, this.toast);
    this.root.appendChild(panel);
    this.stopWatchingWidth = watchNarrow(panel);
  }

  /** form: inputs (with Run at their foot) beside the outputs; split: inputs, Run, outputs in one column. */
  private buildForm(spec: ToolSpec | null, layout: 'form' | 'split'): HTMLElement {
    this.chat = undefined;
    this.form = spec ? new FormView(spec.inputs, { locale: this.locale, onChange: () => this.scheduleDraft(), request: this.host.request }) : undefined;
    this.outputs = new OutputsView(spec?.outputs ?? [], this.outputContext());
    const bar = this.runBar?.element ?? null;
    const inputsPane = el(
      'section',
      { className: 'inputs-pane', attrs: { 'aria-label': 'Inputs' } },
      el('h2', { className: 'pane-title', text: 'Inputs' }),
      this.form ? this.form.element : el('div', { className: 'output-note', text: 'No form: tool.json did not load.' }),
      layout === 'split' ? null : bar,
    );
    const outputsPane = el('section', { className: 'outputs-pane', attrs: { 'aria-label': 'Outputs' } }, el('h2', { className: 'pane-title', text: 'Outputs' }), this.outputs.element);
    // In split the bar sits between the panes so it can stick to either edge while either pane scrolls by.
    return el('div', { className: 'panel-body' }, inputsPane, layout === 'split' ? bar : null, outputsPane);
  }

  private buildChat(spec: ToolSpec): HTMLElement {
    const runBar = this.runBar as RunBar;
    this.outputs = undefined;
    this.chat = new ChatView(spec, {
      locale: this.locale,
      output: this.outputContext(),
      runBar,
      send: () => this.run(),
      newChat: () => this.newChat(),
      changed: () => this.scheduleDraft(),
    });
    this.form = this.chat.settings;
    return el('div', { className: 'panel-body' }, this.chat.element);
  }

  // ---------- form values ----------

  private fillForm(values: Readonly<Record<string, JsonValue>> | null): void {
    if (!this.form) return;
    this.form.setValues(values);
    const draft = values?.[CHAT_MESSAGE_KEY];
    if (this.chat && typeof draft === 'string') this.chat.composerText = draft;
  }

  private scheduleDraft(): void {
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.saveDraft(), 300);
  }

  private saveDraft(): void {
    if (!this.form) return;
    const draft: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(this.form.values())) {
      if ((JSON.stringify(value) ?? '').length <= DRAFT_VALUE_MAX_CHARS) draft[key] = value;
    }
    if (this.chat && this.chat.composerText !== '') draft[CHAT_MESSAGE_KEY] = this.chat.composerText.slice(0, DRAFT_VALUE_MAX_CHARS);
    this.saveState({ draft });
  }

  private saveState(patch: Partial<WebviewState>): void {
    if (!this.init) return;
    const next: WebviewState = { ...this.state, ...patch, toolId: this.init.tool.toolId };
    if (next.runId === undefined) delete next.runId;
    this.state = next;
    this.host.setState(next);
  }

  // ---------- running ----------

  private run(): void {
    const form = this.form;
    const bar = this.runBar;
    const chat = this.chat;
    if (!form || !bar || !bar.canRun) return;
    bar.setErrors([]);
    const message = chat?.composerText.trim() ?? '';
    if (chat && message === '') {
      bar.idle('Type a message to send.');
      chat.focusComposer();
      return;
    }
    const errors = form.validate();
    if (Object.keys(errors).length > 0) {
      chat?.openSettings();
      form.focusFirstError();
      bar.idle(chat ? 'Fix the highlighted settings to send.' : 'Fix the highlighted inputs to run.');
      return;
    }
    // A chat sends its settings and the conversation (contract.ts); the message box is emptied as the turn opens.
    const inputs: Record<string, JsonValue> = chat ? { ...form.values(), ...chat.startTurn(message) } : form.values();
    this.saveDraft();
    bar.starting();
    chat?.setBusy(true);
    this.host.request('runTool', { inputs }).then(
      (result) => {
        // runStarted normally arrives first; this covers a host that did not send it.
        if (!this.current) this.beginRun(result.runId, Date.now(), false, inputs);
      },
      (error: Error) => {
        chat?.abandonTurn();
        chat?.setBusy(false);
        const fieldErrors = error instanceof RequestError ? error.fieldErrors : {};
        const unplaced = form.showErrors(fieldErrors);
        const hasFieldErrors = Object.keys(fieldErrors).length > 0;
        bar.setErrors(hasFieldErrors ? unplaced : [error.message]);
        bar.idle(hasFieldErrors ? 'The tool did not run: some inputs are not valid.' : 'The tool did not run.');
        if (hasFieldErrors) {
          chat?.openSettings();
          form.focusFirstError();
        }
      },
    );
  }

  private cancel(): void {
    const current = this.current;
    if (!current) return;
    this.runBar?.cancelling();
    this.host.request('cancelRun', { runId: current.runId }).catch((error: Error) => this.say(`Could not cancel: ${error.message}`));
  }

  private beginRun(runId: string, startedAtMs: number, spawning: boolean, inputs?: Record<string, JsonValue>): void {
    this.current = { runId, startedAtMs, inputs };
    this.shownRun = undefined;
    this.outputs?.startRun();
    this.chat?.attachRun(runId, inputs);
    this.chat?.setBusy(true);
    this.runBar?.running(startedAtMs, spawning);
    this.history?.show(undefined);
    this.saveState({ runId });
  }

  private finishRun(run: RunView): void {
    this.current = undefined;
    this.shownRun = run;
    this.outputs?.showRun(run);
    this.chat?.finish(run);
    this.chat?.setBusy(false);
    this.runBar?.finished(run);
    this.history?.show(run.id);
    this.saveState({ runId: run.id });
  }

  // ---------- history ----------

  private async replay(runId: string): Promise<void> {
    if (this.current) {
      this.say('A run is in progress: its outputs stay on show until it finishes.');
      this.history?.show(undefined);
      return;
    }
    try {
      const run = await this.host.request('loadRun', { runId });
      this.showRun({ run, intent: 'replay' });
    } catch (error) {
      this.say(`Could not open that run: ${(error as Error).message}`);
      this.history?.show(this.shownRun?.id);
    }
  }

  private showRun(show: ShowRun): void {
    const { run } = show;
    if (run.status === 'running') {
      this.fillForm(run.inputs);
      this.outputs?.showRun(run);
      this.chat?.showRun(run);
      this.runBar?.idle('This run is still going (started elsewhere); reopen it when it has finished.');
      return;
    }
    this.fillForm(run.inputs);
    this.shownRun = run;
    this.outputs?.showRun(run);
    // Chat "Edit & Re-run": the conversation up to the run's message, that message back in the composer.
    if (this.chat && show.intent === 'edit') this.chat.editRun(run);
    else this.chat?.showRun(run);
    this.saveDraft();
    this.history?.show(run.id);
    this.runBar?.setErrors([]);
    const when = new Date(run.startedAt);
    const at = Number.isNaN(when.getTime()) ? run.startedAt : when.toLocaleString(this.locale, { dateStyle: 'medium', timeStyle: 'medium' });
    const editNote = this.chat ? `The message of the run of ${at} is back in the box: edit it and send.` : `Inputs of the run of ${at}: edit them and Run.`;
    this.runBar?.idle(show.intent === 'edit' ? editNote : `Showing the run of ${at} — ${describeRun(run)}`);
    if (show.intent === 'edit') {
      if (this.chat) this.chat.focusComposer();
      else this.form?.focusFirst();
    }
    this.saveState({ runId: run.id });
  }

  /** Chat: forget the conversation on show (runs stay in history). */
  private newChat(): void {
    if (this.current || !this.chat) return;
    this.chat.clear();
    this.shownRun = undefined;
    this.history?.show(undefined);
    this.runBar?.setErrors([]);
    this.runBar?.idle('New conversation.');
    this.saveState({ runId: undefined });
    this.chat.focusComposer();
  }

  private async loadMore(before: HistoryCursor): Promise<void> {
    try {
      this.history?.appendPage(await this.host.request('listRuns', { before }));
    } catch (error) {
      this.say(`Could not load older runs: ${(error as Error).message}`);
    }
  }

  // ---------- notifications ----------

  private notify(message: NotificationMessage): void {
    switch (message.method) {
      case 'runStarted':
        this.beginRun(message.params.runId, Date.now(), false, message.params.inputs);
        break;
      case 'runSpawning':
        if (this.current?.runId === message.params.runId) this.runBar?.spawning();
        break;
      case 'runOutput':
        if (this.current?.runId === message.params.runId) {
          this.runBar?.receiving();
          this.showOutput(message.params.key, message.params.value);
        }
        break;
      case 'runFinished':
        this.finishRun(message.params.run);
        break;
      case 'historyChanged':
        this.history?.setPage(message.params.history);
        this.history?.show(this.shownRun?.id);
        break;
      case 'validationChanged':
        this.validation.set(message.params.validation);
        break;
      case 'toolChanged':
        this.rebuild(message.params.tool);
        break;
      case 'trustChanged':
        if (this.init) this.init = { ...this.init, trust: message.params.trust };
        this.runBar?.setTrust(message.params.trust);
        break;
      case 'showRun':
        if (!this.current) this.showRun(message.params);
        break;
    }
  }

  /** tool.json changed: a new form and outputs, keeping what the user typed and what is on show. */
  private rebuild(tool: ToolInfo): void {
    if (!this.init) return;
    const values = this.form?.values() ?? null;
    const history = this.history?.page() ?? this.init.history;
    const current = this.current;
    const shown = this.shownRun;
    const draft = this.chat?.composerText;
    this.init = { ...this.init, tool };
    this.runBar?.dispose();
    this.build(tool);
    this.validation.set(this.init.validation);
    this.history?.setPage(history);
    this.runBar?.setTrust(this.init.trust);
    this.fillForm(values);
    if (this.chat && draft) this.chat.composerText = draft;
    if (current) this.beginRun(current.runId, current.startedAtMs, false, current.inputs);
    else if (shown) {
      this.shownRun = shown;
      this.outputs?.showRun(shown);
      this.chat?.showRun(shown);
      this.history?.show(shown.id);
    }
    this.say('tool.json changed: the form was updated.');
  }

  /** A streamed output's accumulated value, to the outputs pane or the chat's open turn. */
  private showOutput(key: string, value: JsonValue): void {
    this.outputs?.update(key, value);
    this.chat?.update(key, value);
  }

  private say(text: string): void {
    this.toast.textContent = text;
    this.toast.classList.add('visible');
    if (this.toastTimer !== undefined) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.toast.classList.remove('visible'), 4000);
  }
}
