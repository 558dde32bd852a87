// The composition root: activate() builds every service with explicit arguments and registers the UI;
// deactivate() drains them (the store folds its redo log into pixie.db on close).
import * as vscode from 'vscode';
import { openStore } from './core/store/open';
import { initSchema } from './core/store/schema';
import type { SqlJsStore } from './core/store/engine';
import { readConfig } from './vscode/settings';

let store: SqlJsStore | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Pixie', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('pixie.showLog', () => log.show(true)));

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    log.info('No local folder is open; Pixie has nothing to do.');
    return;
  }
  const config = readConfig(folder.uri.fsPath);
  try {
    store = await openStore({
      dbPath: config.dbPath,
      busyTimeoutMs: config.busyTimeoutMs,
      watch: true,
      log: (level, message) => log[level](message),
    });
    if (store.readOnlyReason) {
      log.warn(store.readOnlyReason);
      void vscode.window.showWarningMessage(`Pixie: ${store.readOnlyReason}`);
    } else {
      const result = await initSchema(store);
      if (result.created.length + result.addedColumns.length > 0) {
        log.info(`pixie.db schema: created ${result.created.join(', ') || 'nothing'}; added ${result.addedColumns.join(', ') || 'nothing'}`);
      }
    }
    log.info(`Opened ${config.dbPath}`);
  } catch (error) {
    log.error(`Could not open ${config.dbPath}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Pixie could not open its database: ${(error as Error).message}`, 'Show Log').then((choice) => {
      if (choice) log.show(true);
    });
  }
}

export async function deactivate(): Promise<void> {
  const current = store;
  store = undefined;
  await current?.close();
}
