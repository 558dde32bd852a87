// Restores tool panels after a window reload: the webview saved {toolId, runId?} with setState, VS Code hands it
// back here, and the registry re-creates the panel (its content then comes from the host on `ready`).
import * as vscode from 'vscode';
import { isPanelState } from '../../protocol';
import type { ToolPanelRegistry } from './registry';

export class ToolPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(
    private readonly registry: ToolPanelRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isPanelState(state)) {
      // Nothing says which tool it showed: a panel that cannot come back is closed rather than left blank.
      this.log.warn('Pixie: closed a restored tool panel without saved state');
      panel.dispose();
      return;
    }
    this.registry.adopt(panel, state.toolId, state.runId);
  }
}
