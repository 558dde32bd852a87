// One tool's webview panel. The webview is a view of host state: on every `ready` (first load, after being hidden —
// retainContextWhenHidden is off — and after a reload) it gets `init` with the tool, validation, history, the run in
// progress and the run on show. Requests are answered by calling the run service, the store and the artefact
// helpers; events of the runs this panel started are forwarded (streamed outputs coalesced).
import * as vscode from 'vscode';
import type { PixieConfig } from '../../core/config';
import { AutocompleteError, type AutocompleteService } from '../../core/runner/autocomplete';
import type { RunService } from '../../core/runner/runService';
import type { RunEvent } from '../../core/runner/runTypes';
import { InputValidationError, ToolNotRunnableError } from '../../core/runner/runTypes';
import { getRun } from '../../core/store/repositories/runs';
import { getToolState } from '../../core/store/repositories/toolState';
import type { Store, StoreChange } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import { toJsonValue } from '../../core/tools/inputValues';
import {
  answerRequest,
  isReadyMessage,
  ProtocolError,
  type ActiveRun,
  type HostToWebview,
  type InitMessage,
  type JsonValue,
  type NotificationMethod,
  type NotificationTypes,
  type RequestHandlers,
  type RunView,
  type ShowRun,
  type ToolInfo,
  type TrustState,
} from '../../protocol';
import { artefactPath, openArtefactInEditor, openExternalLink, revealArtefact, saveTextFile } from './artefactActions';
import type { DiffDocuments } from './diffDocuments';
import { HISTORY_PAGE_SIZE, listHistory } from './history';
import { localResourceRoots, panelHtml } from './html';
import { tileImgSource, tileUrlSetting } from './mapTiles';
import type { ResolveContext } from './outputResolver';
import { buildRunView, storedInputs } from './runViews';
import { toolInfoFor } from './toolInfo';
import { validationStatusFor } from './validationStatus';

export interface ToolPanelServices {
  store: Store;
  catalog: Pick<ToolCatalog, 'get' | 'onDidChange'>;
  runService: Pick<RunService, 'start' | 'cancel'>;
  /** The effective configuration, or a getter for it (so a settings change reaches panels opened later). */
  config: PixieConfig | (() => PixieConfig);
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  /** Workspace Trust: false → the form shows but nothing runs (and the run service refuses too). */
  isTrusted(): boolean;
  /** Suggestions for autocomplete inputs (the tool's GET /autocomplete/<endpoint>?q=); absent: autocomplete says so. */
  autocomplete: Pick<AutocompleteService, 'suggest'>;
  /** "Open in Diff Editor" of diff outputs (one DiffDocuments per extension); absent: the request says so. */
  diffs: Pick<DiffDocuments, 'open'>;
}

export const RESTRICTED_MESSAGE =
  'This folder is in Restricted Mode: Pixie shows the tool and its history but does not start tool processes until you trust the folder.';

/** Streamed outputs are sent at most this often per panel (each message carries the accumulated value). */
const OUTPUT_FLUSH_MS = 50;
const HISTORY_DEBOUNCE_MS = 150;

interface LiveRun extends ActiveRun {
  pending: Map<string, JsonValue>;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
}

export class ToolPanel implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  private live: LiveRun | undefined;
  private shownRunId: string | undefined;
  /** A run to show at the next `ready` (the serializer's, or openRun before the webview loaded). */
  private pendingShow: { runId: string; intent: ShowRun['intent'] } | undefined;
  private historyTimer: ReturnType<typeof setTimeout> | undefined;
  private lastToolJson = '';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly postEmitter = new vscode.EventEmitter<HostToWebview>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Every message posted to the webview (host tests and diagnostics watch it). */
  readonly onDidPost = this.postEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly handlers: RequestHandlers;
  /** Read once: the page's CSP admits this template's origin, so the webview must not be sent another one. */
  private readonly mapTileUrl = tileUrlSetting(vscode.workspace.getConfiguration('pixie').get('maps.tileUrl'));

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly toolId: string,
    private readonly services: ToolPanelServices,
    initialRunId?: string,
  ) {
    if (initialRunId) this.pendingShow = { runId: initialRunId, intent: 'replay' };
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: localResourceRoots(services.extensionUri, this.config.artefactsRoot),
    };
    const info = this.toolInfo();
    this.lastToolJson = JSON.stringify(info);
    panel.title = info.spec?.name ?? toolId;
    panel.iconPath = {
      light: vscode.Uri.joinPath(services.extensionUri, 'media', 'webview', 'tool-light.svg'),
      dark: vscode.Uri.joinPath(services.extensionUri, 'media', 'webview', 'tool-dark.svg'),
    };
    const tileSource = this.mapTileUrl ? tileImgSource(this.mapTileUrl) : null;
    panel.webview.html = panelHtml(panel.webview, services.extensionUri, panel.title, { imgSources: tileSource ? [tileSource] : [] });
    this.handlers = this.makeHandlers();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        this.handleMessage(message).catch((error: unknown) => {
          this.services.log.error(`Pixie panel ${this.toolId}: handling a webview message failed: ${(error as Error).stack ?? String(error)}`);
        });
      }),
      panel.onDidDispose(() => this.dispose()),
      this.postEmitter,
      this.disposeEmitter,
    );
  }

  private get config(): PixieConfig {
    const { config } = this.services;
    return typeof config === 'function' ? config() : config;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The run in progress in this panel, if any. */
  get activeRunId(): string | undefined {
    return this.live?.runId;
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Everything the webview sends arrives here: the handshake and requests (replies are posted back). */
  async handleMessage(message: unknown): Promise<void> {
    if (this.disposed) return;
    if (isReadyMessage(message)) {
      this.ready = true;
      await this.sendInit();
      return;
    }
    const reply = await answerRequest(this.handlers, message);
    if (reply) this.post(reply);
    else this.services.log.warn(`Pixie panel ${this.toolId}: ignored an unknown message from the webview`);
  }

  /** Show a stored run (replay, or its inputs to edit and run again). */
  async showRun(runId: string, intent: ShowRun['intent']): Promise<void> {
    if (!this.ready) {
      this.pendingShow = { runId, intent };
      return;
    }
    const run = await this.runView(runId);
    if (!run) throw new Error(`Run ${runId} is not in the history.`);
    this.shownRunId = runId;
    this.notify('showRun', { run, intent });
  }

  /** Run the tool with these inputs as if Run had been pressed in the panel (outputs show live). */
  async run(inputs: Record<string, JsonValue>): Promise<{ runId: string; startedAt: string }> {
    return this.handlers.runTool({ inputs });
  }

  // ---------- change events (from the registry) ----------

  onStoreChange(change: StoreChange): void {
    const all = change.tables.has('*');
    if (all || change.tables.has('runs')) this.scheduleHistory();
    if (all || change.tables.has('validation_reports')) this.notify('validationChanged', { validation: this.validation() });
  }

  onCatalogChange(): void {
    const info = this.toolInfo();
    const json = JSON.stringify(info);
    if (json === this.lastToolJson) return;
    this.lastToolJson = json;
    this.panel.title = info.spec?.name ?? this.toolId;
    this.notify('toolChanged', { tool: info });
    this.notify('validationChanged', { validation: this.validation() });
  }

  onTrustChange(): void {
    this.notify('trustChanged', { trust: this.trust() });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.historyTimer !== undefined) clearTimeout(this.historyTimer);
    if (this.live?.flushTimer !== undefined) clearTimeout(this.live.flushTimer);
    this.disposeEmitter.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  // ---------- state for the webview ----------

  private toolInfo(): ToolInfo {
    return toolInfoFor(this.toolId, this.services.catalog.get(this.toolId));
  }

  private validation() {
    return validationStatusFor(this.services.store, this.toolId, this.services.catalog.get(this.toolId)?.discoveryHash);
  }

  private trust(): TrustState {
    const trusted = this.services.isTrusted();
    return { trusted, message: trusted ? null : RESTRICTED_MESSAGE };
  }

  private resolveContext(): ResolveContext {
    return {
      artefactsRoot: this.config.artefactsRoot,
      toUri: (path) => this.panel.webview.asWebviewUri(vscode.Uri.file(path)).toString(),
    };
  }

  private runView(runId: string): Promise<RunView | undefined> {
    return buildRunView(this.services.store, runId, this.resolveContext());
  }

  private prefill(): Record<string, JsonValue> | null {
    const state = this.services.store.read((q) => getToolState(q, this.toolId));
    if (!state?.lastInputsJson) return null;
    return storedInputs(state.lastInputsJson);
  }

  private async sendInit(): Promise<void> {
    let show: ShowRun | null = null;
    const wanted = this.pendingShow ?? (this.shownRunId ? { runId: this.shownRunId, intent: 'replay' as const } : undefined);
    this.pendingShow = undefined;
    if (wanted && !this.live) {
      const run = await this.runView(wanted.runId).catch((error: unknown) => {
        this.services.log.warn(`Pixie panel ${this.toolId}: could not load run ${wanted.runId}: ${(error as Error).message}`);
        return undefined;
      });
      if (run && run.toolId === this.toolId) {
        show = { run, intent: wanted.intent };
        this.shownRunId = run.id;
      }
    }
    const info = this.toolInfo();
    this.lastToolJson = JSON.stringify(info);
    const init: InitMessage = {
      kind: 'init',
      tool: info,
      validation: this.validation(),
      prefill: this.prefill(),
      history: listHistory(this.services.store, this.toolId, undefined, HISTORY_PAGE_SIZE),
      settings: { locale: vscode.env.language || 'en', historyPageSize: HISTORY_PAGE_SIZE, mapTileUrl: this.mapTileUrl },
      trust: this.trust(),
      activeRun: this.live ? { runId: this.live.runId, startedAt: this.live.startedAt, inputs: this.live.inputs, outputs: this.live.outputs, spawning: this.live.spawning } : null,
      show,
    };
    this.post(init);
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    this.postEmitter.fire(message);
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.services.log.warn(`Pixie panel ${this.toolId}: could not post ${message.kind}: ${(error as Error).message}`);
    });
  }

  /** Notifications go only to a loaded webview; one that loads later gets the same state in `init`. */
  private notify<M extends NotificationMethod>(method: M, params: NotificationTypes[M]): void {
    if (!this.ready || this.disposed) return;
    this.post({ kind: 'notification', method, params } as HostToWebview);
  }

  private scheduleHistory(): void {
    if (this.historyTimer !== undefined || this.disposed) return;
    this.historyTimer = setTimeout(() => {
      this.historyTimer = undefined;
      if (!this.ready || this.disposed) return;
      try {
        this.notify('historyChanged', { history: listHistory(this.services.store, this.toolId, undefined, HISTORY_PAGE_SIZE) });
      } catch (error) {
        this.services.log.warn(`Pixie panel ${this.toolId}: could not read the history: ${(error as Error).message}`);
      }
    }, HISTORY_DEBOUNCE_MS);
  }

  // ---------- runs ----------

  private onRunEvent(event: RunEvent, inputs: Record<string, JsonValue>): void {
    switch (event.type) {
      case 'started':
        this.live = { runId: event.runId, startedAt: event.startedAt, inputs, outputs: {}, spawning: false, pending: new Map(), flushTimer: undefined };
        this.notify('runStarted', { runId: event.runId, startedAt: event.startedAt, inputs });
        break;
      case 'spawning':
        if (this.live?.runId === event.runId) this.live.spawning = true;
        this.notify('runSpawning', { runId: event.runId });
        break;
      case 'output': {
        const live = this.live;
        if (live?.runId !== event.runId) break;
        const value = toJsonValue(event.value) ?? null;
        live.outputs[event.key] = value;
        live.pending.set(event.key, value);
        live.flushTimer ??= setTimeout(() => this.flushOutputs(live), OUTPUT_FLUSH_MS);
        break;
      }
      case 'finished':
        void this.finish(event.runId);
        break;
    }
  }

  private flushOutputs(live: LiveRun): void {
    if (live.flushTimer !== undefined) clearTimeout(live.flushTimer);
    live.flushTimer = undefined;
    for (const [key, value] of live.pending) this.notify('runOutput', { runId: live.runId, key, value });
    live.pending.clear();
  }

  private async finish(runId: string): Promise<void> {
    const live = this.live;
    if (live?.runId === runId) this.flushOutputs(live);
    let run: RunView | undefined;
    try {
      run = await this.runView(runId);
    } catch (error) {
      this.services.log.error(`Pixie panel ${this.toolId}: could not read finished run ${runId}: ${(error as Error).message}`);
    }
    if (this.live?.runId === runId) this.live = undefined;
    this.shownRunId = runId;
    if (run) this.notify('runFinished', { run });
  }

  private makeHandlers(): RequestHandlers {
    const { store, runService, catalog } = this.services;
    return {
      runTool: async ({ inputs }) => {
        if (!this.services.isTrusted()) throw new ProtocolError(RESTRICTED_MESSAGE);
        if (this.live) throw new ProtocolError('A run of this tool is already in progress in this panel.');
        const tool = catalog.get(this.toolId);
        if (!tool) throw new ProtocolError(`No tool "${this.toolId}" in the tools folder.`);
        try {
          const handle = await runService.start(tool, inputs, { onEvent: (event) => this.onRunEvent(event, inputs) });
          return { runId: handle.runId, startedAt: handle.startedAt };
        } catch (error) {
          if (error instanceof InputValidationError) throw new ProtocolError('Some inputs are not valid.', error.fieldErrors);
          if (error instanceof ToolNotRunnableError) throw new ProtocolError(error.message);
          this.services.log.error(`Pixie panel ${this.toolId}: run failed to start: ${(error as Error).stack ?? String(error)}`);
          throw new ProtocolError(`The run could not start: ${(error as Error).message}`);
        }
      },
      cancelRun: async ({ runId }) => {
        if (this.live?.runId !== runId) return { cancelling: false };
        await runService.cancel(runId);
        return { cancelling: true };
      },
      loadRun: async ({ runId }) => {
        const row = store.read((q) => getRun(q, runId));
        if (!row || row.toolId !== this.toolId) throw new ProtocolError('That run is not in this tool\'s history (it may have been deleted).');
        const run = await this.runView(runId);
        if (!run) throw new ProtocolError('That run is not in the history any more.');
        this.shownRunId = runId;
        return run;
      },
      listRuns: ({ before }) => listHistory(store, this.toolId, before, HISTORY_PAGE_SIZE),
      openArtefact: async ({ id }) => {
        await openArtefactInEditor(artefactPath(store, this.config.artefactsRoot, this.toolId, id));
        return { opened: true };
      },
      revealArtefact: async ({ id }) => {
        await revealArtefact(artefactPath(store, this.config.artefactsRoot, this.toolId, id));
        return { revealed: true };
      },
      saveFile: async ({ suggestedName, content, encoding }) => ({ saved: await saveTextFile(this.config.workspaceRoot, suggestedName, content, encoding) }),
      openExternal: async ({ url }) => ({ opened: await openExternalLink(url) }),
      manageTrust: async () => {
        await vscode.commands.executeCommand('workbench.trust.manage');
        return { shown: true };
      },
      autocomplete: async ({ endpoint, query }) => {
        if (!this.services.isTrusted()) throw new ProtocolError(RESTRICTED_MESSAGE);
        const service = this.services.autocomplete;
        const tool = catalog.get(this.toolId);
        if (!tool) throw new ProtocolError(`No tool "${this.toolId}" in the tools folder.`);
        try {
          return { suggestions: await service.suggest(tool, endpoint, query) };
        } catch (error) {
          if (error instanceof AutocompleteError) throw new ProtocolError(error.message);
          this.services.log.error(`Pixie panel ${this.toolId}: autocomplete failed: ${(error as Error).stack ?? String(error)}`);
          throw new ProtocolError(`Suggestions failed: ${(error as Error).message}`);
        }
      },
      openDiff: async (params) => {
        return { opened: await this.services.diffs.open(params) };
      },
    };
  }
}
