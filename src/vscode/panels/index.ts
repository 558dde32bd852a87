// The tool panels: registerToolPanels() wires the registry, the serializer and trust changes into the extension.
// The serializer itself was registered by activate() before the store was open (activation/shell.ts): panels
// restored after a reload wait for it and are then adopted by the registry.
import * as vscode from 'vscode';
import { ToolPanelRegistry } from './registry';
import { ToolPanelSerializer } from './serializer';
import type { ToolPanelServices } from './toolPanel';

export { ToolPanelRegistry, type OpenOptions } from './registry';
export { ToolPanel, RESTRICTED_MESSAGE, type ToolPanelServices } from './toolPanel';
export { ToolPanelSerializer } from './serializer';
export { VIEW_TYPE } from './html';

export type ToolPanelDeps = Omit<ToolPanelServices, 'extensionUri'>;

/** Creates the registry, restores panels after reloads, and follows Workspace Trust. Disposed with the extension. */
export function registerToolPanels(
  context: vscode.ExtensionContext,
  deps: ToolPanelDeps,
  shell: { bindPanelSerializer(serializer: vscode.WebviewPanelSerializer<unknown>): vscode.Disposable },
): ToolPanelRegistry {
  const registry = new ToolPanelRegistry({ ...deps, extensionUri: context.extensionUri });
  context.subscriptions.push(
    registry,
    shell.bindPanelSerializer(new ToolPanelSerializer(registry, deps.log)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => registry.refreshTrust()),
  );
  return registry;
}
