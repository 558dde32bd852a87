// One panel per tool: opening a tool that has a panel reveals it. The registry fans the store's and the catalog's
// change events (other windows' commits included) out to the open panels.
import * as vscode from 'vscode';
import { getRun } from '../../core/store/repositories/runs';
import type { JsonValue } from '../../protocol';
import { VIEW_TYPE } from './html';
import { storedInputs } from './runViews';
import { ToolPanel, type ToolPanelServices } from './toolPanel';

export interface OpenOptions {
  column?: vscode.ViewColumn;
  preserveFocus?: boolean;
}

export class ToolPanelRegistry implements vscode.Disposable {
  private readonly panels = new Map<string, ToolPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: ToolPanelServices) {
    this.disposables.push(
      services.store.onDidChange((change) => {
        for (const panel of this.panels.values()) panel.onStoreChange(change);
      }),
      services.catalog.onDidChange(() => {
        for (const panel of this.panels.values()) panel.onCatalogChange();
      }),
    );
  }

  /** The open panel of a tool, if any. */
  get(toolId: string): ToolPanel | undefined {
    return this.panels.get(toolId);
  }

  all(): ToolPanel[] {
    return [...this.panels.values()];
  }

  /** Opens the tool's form (or reveals the panel it already has). */
  openTool(toolId: string, options: OpenOptions = {}): ToolPanel {
    const existing = this.panels.get(toolId);
    if (existing) {
      existing.reveal(options.preserveFocus);
      return existing;
    }
    const title = this.services.catalog.get(toolId)?.spec?.name ?? toolId;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: options.column ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    return this.adopt(panel, toolId);
  }

  /** Opens the run's tool panel and replays the run there (form and outputs from the stored row). */
  async openRun(runId: string): Promise<ToolPanel> {
    const panel = this.openTool(this.toolOfRun(runId));
    await panel.showRun(runId, 'replay');
    return panel;
  }

  /** Opens the run's tool panel with that run's inputs in the form, to change and run again. */
  async editAndRerun(runId: string): Promise<ToolPanel> {
    const panel = this.openTool(this.toolOfRun(runId));
    await panel.showRun(runId, 'edit');
    return panel;
  }

  /** Runs a past run's inputs again in its tool's panel (outputs show live there). */
  async rerun(runId: string): Promise<{ panel: ToolPanel; runId: string }> {
    const row = this.services.store.read((q) => getRun(q, runId));
    if (!row) throw new Error(`Run ${runId} is not in the history.`);
    const panel = this.openTool(row.toolId);
    const inputs: Record<string, JsonValue> = storedInputs(row.inputsJson);
    const started = await panel.run(inputs);
    return { panel, runId: started.runId };
  }

  /** Takes over a webview panel (a new one, or one the serializer restored after a reload). */
  adopt(webviewPanel: vscode.WebviewPanel, toolId: string, runId?: string): ToolPanel {
    const existing = this.panels.get(toolId);
    if (existing && existing.panel !== webviewPanel) {
      // Two restored panels for one tool: keep the first.
      webviewPanel.dispose();
      return existing;
    }
    const panel = new ToolPanel(webviewPanel, toolId, this.services, runId);
    this.panels.set(toolId, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(toolId) === panel) this.panels.delete(toolId);
    });
    return panel;
  }

  /** Workspace Trust changed: every panel updates its Run button. */
  refreshTrust(): void {
    for (const panel of this.panels.values()) panel.onTrustChange();
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private toolOfRun(runId: string): string {
    const row = this.services.store.read((q) => getRun(q, runId));
    if (!row) throw new Error(`Run ${runId} is not in the history (it may have been deleted).`);
    return row.toolId;
  }
}
