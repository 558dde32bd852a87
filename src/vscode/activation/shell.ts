// What activate() registers before the store is open, so VS Code has everything at once and activation returns
// quickly: every contributed command (through the command table), the three views (with providers that wait for the
// ready gate), the virtual-document schemes, the tool panel serializer and the activity spinner (hidden until a run
// or a job). The sidebar, the sweep commands and the panel registry bind the real handlers and providers when the
// services exist; then extension.ts opens the gate. If they never come (the store did not open), `fail()` makes
// commands and views say why.
import * as vscode from 'vscode';
import { CommandTable } from '../commands/commandTable';
import { REPORT_SCHEME } from '../commands/documents';
import { COMMANDS, VIEW_IDS, type CommandId } from '../commands/ids';
import { RUN_SCHEME } from '../commands/runDocuments';
import { SWEEP_SCHEME } from '../commands/sweepCommands';
import { VIEW_TYPE } from '../panels/html';
import { ActivityItem } from '../statusBar/activityItem';
import type { ArtefactsNode, RunsNode, ToolsNode } from '../trees/nodes';
import { LateTreeDataProvider } from './lateTree';
import { ReadyGate } from './readyGate';

/** `pixie.showLog` is not in the table: extension.ts registers it with the log channel, usable whatever happens. */
export const GATED_COMMANDS: readonly CommandId[] = (Object.keys(COMMANDS) as CommandId[]).filter((id) => id !== 'pixie.showLog');

/** Schemes of the read-only documents the services serve; a document restored after a reload waits for them. */
export const DOCUMENT_SCHEMES = [RUN_SCHEME, REPORT_SCHEME, SWEEP_SCHEME] as const;
export type DocumentScheme = (typeof DOCUMENT_SCHEMES)[number];

export interface LateView<T> {
  view: vscode.TreeView<T>;
  /** The provider the view was created with: waits for the gate, then asks the tree bound to it. */
  provider: LateTreeDataProvider<T>;
}

export interface ShellViews {
  tools: LateView<ToolsNode>;
  runs: LateView<RunsNode>;
  artefacts: LateView<ArtefactsNode>;
}

/** What the parts built once the services exist use to take over what activate() registered. */
export interface ShellBindings {
  commands: CommandTable<CommandId>;
  views: ShellViews;
  /** The status bar spinner for runs and jobs (created at activation, hidden while nothing is running). */
  activity: ActivityItem;
  bindDocuments(scheme: DocumentScheme, provider: vscode.TextDocumentContentProvider): vscode.Disposable;
  bindPanelSerializer(serializer: vscode.WebviewPanelSerializer<unknown>): vscode.Disposable;
}

export interface ShellOptions {
  log: vscode.LogOutputChannel;
  /** Runs in progress, for the activity spinner (none until the run service exists). */
  activeRuns: () => string[];
}

interface LateDocuments {
  provider: vscode.TextDocumentContentProvider | undefined;
  changed: vscode.EventEmitter<vscode.Uri>;
}

export class WorkbenchShell implements ShellBindings, vscode.Disposable {
  readonly gate = new ReadyGate();
  readonly commands: CommandTable<CommandId>;
  readonly views: ShellViews;
  readonly activity: ActivityItem;
  private readonly documents = new Map<DocumentScheme, LateDocuments>();
  private serializer: vscode.WebviewPanelSerializer<unknown> | undefined;
  private severity: 'error' | 'warning' = 'error';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: vscode.LogOutputChannel;

  constructor(options: ShellOptions) {
    this.log = options.log;
    this.commands = new CommandTable(GATED_COMMANDS, this.gate, (id) => this.unavailable(id));
    for (const id of this.commands.ids) {
      this.disposables.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.commands.invoke(id, args)));
    }
    this.views = {
      tools: this.createView<ToolsNode>(VIEW_IDS.tools),
      runs: this.createView<RunsNode>(VIEW_IDS.runs),
      artefacts: this.createView<ArtefactsNode>(VIEW_IDS.artefacts),
    };
    for (const scheme of DOCUMENT_SCHEMES) this.registerDocuments(scheme);
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          await this.gate.settled;
          if (this.gate.state === 'ready' && this.serializer) return this.serializer.deserializeWebviewPanel(panel, state);
          // Without the services a restored panel could only stay blank.
          this.log.warn(`closed a restored tool panel: ${this.gate.failure ?? 'the tool panels are not available'}`);
          panel.dispose();
        },
      }),
    );
    this.activity = new ActivityItem(options.activeRuns);
  }

  bindDocuments(scheme: DocumentScheme, provider: vscode.TextDocumentContentProvider): vscode.Disposable {
    const slot = this.documents.get(scheme);
    if (!slot) throw new Error(`no documents registered for ${scheme}:`);
    if (slot.provider) throw new Error(`${scheme}: documents already have a provider`);
    slot.provider = provider;
    const forwarding = provider.onDidChange?.((uri) => slot.changed.fire(uri));
    return new vscode.Disposable(() => {
      forwarding?.dispose();
      if (slot.provider === provider) slot.provider = undefined;
    });
  }

  bindPanelSerializer(serializer: vscode.WebviewPanelSerializer<unknown>): vscode.Disposable {
    if (this.serializer) throw new Error('the tool panels already have a serializer');
    this.serializer = serializer;
    return new vscode.Disposable(() => {
      if (this.serializer === serializer) this.serializer = undefined;
    });
  }

  /** Everything is bound: waiting commands, views, documents and panels go ahead. */
  open(): void {
    this.gate.open();
  }

  /**
   * The services will not come. Commands answer with `message` (an error with "Show Log", or a warning for a
   * situation such as "no folder open"); with `inViews` the three views show it as their message.
   */
  fail(message: string, options: { severity: 'error' | 'warning'; inViews: boolean }): void {
    if (!this.gate.fail(message)) return;
    this.severity = options.severity;
    if (options.inViews) for (const { view } of Object.values(this.views) as LateView<unknown>[]) view.message = message;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    for (const slot of this.documents.values()) slot.changed.dispose();
    this.activity.dispose();
  }

  private createView<T>(id: string): LateView<T> {
    const provider = new LateTreeDataProvider<T>(this.gate);
    const view = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true });
    this.disposables.push(view);
    return { view, provider };
  }

  private registerDocuments(scheme: DocumentScheme): void {
    const slot: LateDocuments = { provider: undefined, changed: new vscode.EventEmitter<vscode.Uri>() };
    this.documents.set(scheme, slot);
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(scheme, {
        onDidChange: slot.changed.event,
        provideTextDocumentContent: async (uri, token) => {
          await this.gate.settled;
          if (this.gate.state === 'ready' && slot.provider) return slot.provider.provideTextDocumentContent(uri, token);
          return `${this.gate.failure ?? 'Pixie cannot show this document now.'}\n`;
        },
      }),
    );
  }

  private unavailable(id: CommandId): undefined {
    const title = `“Pixie: ${COMMANDS[id].title}”`;
    const failure = this.gate.failure;
    if (failure === undefined) {
      // The gate opened but nothing took this command: a wiring bug, not something the user can fix.
      this.log.error(`${id} has no handler`);
      void vscode.window.showErrorMessage(`${title} is not available (see the log).`, 'Show Log').then((choice) => {
        if (choice) this.log.show(true);
      });
    } else if (this.severity === 'warning') {
      void vscode.window.showWarningMessage(`${title} is unavailable. ${failure}`);
    } else {
      this.log.warn(`${id}: ${failure}`);
      void vscode.window.showErrorMessage(`${title} is unavailable. ${failure}`, 'Show Log').then((choice) => {
        if (choice) this.log.show(true);
      });
    }
    return undefined;
  }
}
