// The composition root: activate() builds every service with explicit arguments and registers the UI;
// deactivate() drains them (tool processes stopped, the store's redo log folded into pixie.db).
import * as vscode from 'vscode';
import { openStore } from './core/store/open';
import { initSchema } from './core/store/schema';
import type { SqlJsStore } from './core/store/engine';
import { ToolCatalog } from './core/tools/catalog';
import { Launcher } from './core/runner/launcher';
import { RunService } from './core/runner/runService';
import { recoverInterruptedRuns } from './core/runner/interrupted';
import { readConfig } from './vscode/settings';
import { registerSidebarAndCommands, registerSweepCommands, type SidebarHandle } from './vscode/commands';
import { SweeperScheduler } from './core/sweeper';
import { AutocompleteService } from './core/runner/autocomplete';
import { registerToolPanels } from './vscode/panels';
import { DiffDocuments } from './vscode/panels/diffDocuments';
import { executionBlockedReason, isTrusted } from './vscode/trust';
import { registerValidationSurfaces, type ValidationSurfaces } from './vscode/validationSurfaces';

/** Everything deactivate() must stop, in reverse order of creation. */
const shutdown: (() => Promise<void> | void)[] = [];

/** The returned API is for Pixie's own host tests (views and services); nothing else depends on it. */
export async function activate(context: vscode.ExtensionContext): Promise<{ sidebar: SidebarHandle; surfaces: ValidationSurfaces } | undefined> {
  const log = vscode.window.createOutputChannel('Pixie', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('pixie.showLog', () => log.show(true)));

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    log.info('No local folder is open; Pixie has nothing to do.');
    return undefined;
  }
  const root = folder.uri.fsPath;
  const config = readConfig(root);

  let store: SqlJsStore;
  try {
    store = await openStore({
      dbPath: config.dbPath,
      busyTimeoutMs: config.busyTimeoutMs,
      watch: true,
      log: (level, message) => log[level](message),
    });
  } catch (error) {
    log.error(`Could not open ${config.dbPath}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Pixie could not open its database: ${(error as Error).message}`, 'Show Log').then((choice) => {
      if (choice) log.show(true);
    });
    return undefined;
  }
  shutdown.push(() => store.close());
  if (store.readOnlyReason) {
    log.warn(store.readOnlyReason);
    void vscode.window.showWarningMessage(`Pixie: ${store.readOnlyReason}`);
  } else {
    const schema = await initSchema(store);
    if (schema.created.length + schema.addedColumns.length > 0) {
      log.info(`pixie.db schema: created ${schema.created.join(', ') || 'nothing'}; added ${schema.addedColumns.join(', ') || 'nothing'}`);
    }
  }
  log.info(`Opened ${config.dbPath}`);

  const catalog = new ToolCatalog(config.toolsDir, store);
  const launcher = new Launcher({ artefactsRoot: config.artefactsRoot, warmKeepMax: config.warmKeepMax });
  shutdown.push(() => launcher.dispose());
  const runService = new RunService({
    store,
    launcher,
    config,
    log: (level, message) => log[level](message),
    executionBlockedReason,
  });
  const autocomplete = new AutocompleteService({ store, launcher, config, blockedReason: executionBlockedReason });

  // Tools: scan now and again (debounced) whenever a file that defines a tool changes.
  await catalog.refresh();
  const watcher = vscode.workspace.createFileSystemWatcher(
    // `*` catches a whole tool folder created or deleted; the rest catch edits to the files that define a tool.
    new vscode.RelativePattern(config.toolsDir, '{*,*/tool.json,*/main.py,*/main.mjs,*/main.js,*/main.cjs,*/pyproject.toml,*/package.json}'),
  );
  let rescan: NodeJS.Timeout | undefined;
  const scheduleRescan = () => {
    if (rescan) clearTimeout(rescan);
    rescan = setTimeout(() => void catalog.refresh().catch((error: Error) => log.error(`rescanning tools: ${error.message}`)), 300);
  };
  context.subscriptions.push(watcher, watcher.onDidCreate(scheduleRescan), watcher.onDidChange(scheduleRescan), watcher.onDidDelete(scheduleRescan));
  log.info(`Found ${catalog.tools().length} tool(s) in ${config.toolsDir}`);

  if (!store.readOnlyReason) {
    const interrupted = await recoverInterruptedRuns(store);
    if (interrupted.length > 0) log.warn(`Marked ${interrupted.length} run(s) left running by a closed window as interrupted.`);
  }

  const scheduler = new SweeperScheduler({ store, config, log: (level, message) => log[level](`sweeper: ${message}`) });
  shutdown.push(() => scheduler.stop());

  // Settings apply live: every service holds this same object. Paths need a reload (the store is open on them).
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('pixie')) return;
      try {
        const next = readConfig(root);
        const pathsChanged = next.dbPath !== config.dbPath || next.toolsDir !== config.toolsDir || next.artefactsRoot !== config.artefactsRoot;
        Object.assign(config, next);
        scheduler.updateConfig(config);
        if (pathsChanged) {
          void vscode.window.showInformationMessage('Pixie: reload the window to use the new paths.', 'Reload Window').then((choice) => {
            if (choice) void vscode.commands.executeCommand('workbench.action.reloadWindow');
          });
        }
      } catch (error) {
        log.error(`Pixie settings: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Pixie settings: ${(error as Error).message}`);
      }
    }),
  );

  const diffs = new DiffDocuments(); // the pixie-diff documents behind a diff output's "Open in Diff Editor"
  context.subscriptions.push(diffs);
  const panels = registerToolPanels(context, { store, catalog, runService, config, log, isTrusted, autocomplete, diffs });
  const sidebar = registerSidebarAndCommands(context, {
    store,
    catalog,
    launcher,
    runService,
    config: () => config,
    log,
    panels,
    extensionUri: context.extensionUri,
  });
  registerSweepCommands(context, {
    store,
    config: () => config,
    log,
    scheduler,
    beginActivity: (label) => sidebar.beginActivity(label),
    trust: sidebar.trust,
  });
  if (!store.readOnlyReason) scheduler.start(); // first pass a minute after activation
  const surfaces = registerValidationSurfaces(context, { ...sidebar.deps, validation: sidebar.validation, isTrusted });
  return { sidebar, surfaces };
}

export async function deactivate(): Promise<void> {
  while (shutdown.length > 0) {
    const stop = shutdown.pop();
    try {
      await stop?.();
    } catch {
      // keep stopping the rest
    }
  }
}
