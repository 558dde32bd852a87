// The tool panels: registerToolPanels() wires the registry, the serializer and trust changes into the extension.
import * as vscode from 'vscode';
import { VIEW_TYPE } from './html';
import { ToolPanelRegistry } from './registry';
import { ToolPanelSerializer } from './serializer';
import type { ToolPanelServices } from './toolPanel';

export { ToolPanelRegistry, type OpenOptions } from './registry';
export { ToolPanel, RESTRICTED_MESSAGE, type ToolPanelServices } from './toolPanel';
export { ToolPanelSerializer } from './serializer';
export { VIEW_TYPE } from './html';

export type ToolPanelDeps = Omit<ToolPanelServices, 'extensionUri'>;

/** Creates the registry, restores panels after reloads, and follows Workspace Trust. Disposed with the extension. */
export function registerToolPanels(context: vscode.ExtensionContext, deps: ToolPanelDeps): ToolPanelRegistry {
  const registry = new ToolPanelRegistry({ ...deps, extensionUri: context.extensionUri });
  context.subscriptions.push(
    registry,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, new ToolPanelSerializer(registry, deps.log)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => registry.refreshTrust()),
  );
  return registry;
}
