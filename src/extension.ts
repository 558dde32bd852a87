// The composition root. activate() registers what VS Code must know about at once — every contributed command, the
// three views, the virtual-document schemes, the tool panel serializer, the activity spinner (activation/shell.ts) —
// and returns; the store, the tool catalog and the services behind them start in the background (`startServices`)
// and bind the real handlers and trees when ready. Until then everything that needs the store waits on one gate;
// if the store cannot be opened, commands and views say so. deactivate() drains the services (tool processes
// stopped, the store's redo log folded into pixie.db), also when it runs while start-up is still under way.
import * as vscode from 'vscode';
import type { PixieConfig } from './core/config';
import { openStore } from './core/store/open';
import { initSchema } from './core/store/schema';
import { ToolCatalog } from './core/tools/catalog';
import { Launcher, reapOrphanedTools, registryDirFor, summarizeReap } from './core/runner/launcher';
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
import { WorkbenchShell, type ShellViews } from './vscode/activation/shell';
import type { GateState } from './vscode/activation/readyGate';

export interface PixieServicesApi {
  sidebar: SidebarHandle;
  surfaces: ValidationSurfaces;
}

/** What activate() returns. For Pixie's own host tests and benchmark; nothing else depends on it. */
export interface PixieApi {
  /** The store is open and the tools scanned (undefined when Pixie could not start: `status()` says why). */
  ready: Promise<PixieServicesApi | undefined>;
  /** The views as registered at activation; their providers wait for `ready` (what VS Code calls). */
  views: ShellViews;
  status(): { state: GateState; failure?: string };
}

/** Everything deactivate() must stop, in reverse order of creation. */
const shutdown: (() => Promise<void> | void)[] = [];

/** The background start-up, while it runs: deactivate() asks it to stop and waits for it. */
let starting: { stop: () => void; done: Promise<unknown> } | undefined;

/** Raised on the way to ready: `message` is what the user reads, `detail` what the log gets. */
class StartupError extends Error {
  override name = 'StartupError';
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export function activate(context: vscode.ExtensionContext): PixieApi {
  const log = vscode.window.createOutputChannel('Pixie', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('pixie.showLog', () => log.show(true)));

  let runService: RunService | undefined;
  const shell = new WorkbenchShell({ log, activeRuns: () => runService?.activeRunIds() ?? [] });
  context.subscriptions.push(shell);
  const api = (ready: Promise<PixieServicesApi | undefined>): PixieApi => ({
    ready,
    views: shell.views,
    status: () => ({ state: shell.gate.state, failure: shell.gate.failure }),
  });

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    log.info('No local folder is open; Pixie has nothing to do.');
    // With no folder the views show their "Open Folder" welcome; a remote folder gets the reason in the views.
    shell.fail(folder ? `Pixie works on a local folder, not on a ${folder.uri.scheme}: one.` : 'Pixie needs a folder: open one that has a tools/ folder.', {
      severity: 'warning',
      inViews: folder !== undefined,
    });
    return api(Promise.resolve(undefined));
  }
  const root = folder.uri.fsPath;
  let config: PixieConfig;
  try {
    config = readConfig(root);
  } catch (error) {
    const message = `Pixie settings: ${(error as Error).message}`;
    log.error(message);
    shell.fail(message, { severity: 'error', inViews: true });
    void vscode.window.showErrorMessage(message);
    return api(Promise.resolve(undefined));
  }

  let resolveReady: (services: PixieServicesApi | undefined) => void = () => undefined;
  const ready = new Promise<PixieServicesApi | undefined>((resolve) => (resolveReady = resolve));
  let stopping = false;
  const t0 = performance.now();
  const done = startServices({ context, shell, log, root, config, stopping: () => stopping, setRunService: (service) => (runService = service) })
    .then((services) => {
      if (!services) {
        shell.fail('Pixie is shutting down.', { severity: 'warning', inViews: false });
        resolveReady(undefined);
        return;
      }
      log.info(`Ready ${Math.round(performance.now() - t0)} ms after activation.`);
      // `ready` first, then the gate: its waiters (a view asking for its rows) run after ready's own callbacks.
      resolveReady(services);
      shell.open();
    })
    .catch(async (error: unknown) => {
      const message = error instanceof StartupError ? error.message : `Pixie could not start: ${(error as Error).message}`;
      log.error(error instanceof StartupError ? error.detail : `${message}\n${(error as Error).stack ?? ''}`);
      shell.fail(message, { severity: 'error', inViews: true });
      resolveReady(undefined);
      void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
        if (choice) log.show(true);
      });
      await drain(); // whatever started (the store, the launcher) stops now
    })
    .finally(() => {
      starting = undefined;
    });
  starting = {
    stop: () => {
      stopping = true;
      shell.fail('Pixie is shutting down.', { severity: 'warning', inViews: false });
    },
    done,
  };
  return api(ready);
}

interface StartDeps {
  context: vscode.ExtensionContext;
  shell: WorkbenchShell;
  log: vscode.LogOutputChannel;
  root: string;
  config: PixieConfig;
  /** True once deactivate() asked start-up to stop: nothing more is started after the current step. */
  stopping: () => boolean;
  setRunService: (service: RunService) => void;
}

/** Opens the store and builds the services, then binds the UI to them; undefined when stopped on the way. */
async function startServices({ context, shell, log, root, config, stopping, setRunService }: StartDeps): Promise<PixieServicesApi | undefined> {
  // Begin once activate() has returned: even the synchronous start of opening the store (sql.js sets up its module
  // before the first await, ~6 ms) is not activation's. No status bar spinner meanwhile: an open view shows VS Code's
  // own progress bar, and a spinner flashing at every window start cost the bench ~25 ms (it repaints while the
  // store loads).
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (stopping()) return undefined;
  const store = await openStore({
    dbPath: config.dbPath,
    busyTimeoutMs: config.busyTimeoutMs,
    watch: true,
    log: (level, message) => log[level](message),
  }).catch((error: Error) => {
    throw new StartupError(`Pixie could not open its database: ${error.message}`, `Could not open ${config.dbPath}: ${error.message}`);
  });
  shutdown.push(() => store.close());
  if (stopping()) return undefined;
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
  // Tools this window starts are listed in a private folder for this pixie.db, so that a later window or CLI can stop
  // them should this extension host be killed; tools left that way by an earlier host are stopped now, meanwhile.
  const registryDir = registryDirFor(config.dbPath);
  const launcher = new Launcher({
    artefactsRoot: config.artefactsRoot,
    warmKeepMax: config.warmKeepMax,
    registryDir,
    onRegistryError: (error) => log.warn(`tool process registry: ${error.message}`),
  });
  shutdown.push(() => launcher.dispose());
  void reapOrphanedTools(registryDir).then((reaped) => {
    if (reaped.killed.length + reaped.removedFiles.length + reaped.errors.length > 0) log.info(`Start-up: ${summarizeReap(reaped)}`);
  });
  const runService = new RunService({
    store,
    launcher,
    config,
    log: (level, message) => log[level](message),
    executionBlockedReason,
  });
  setRunService(runService);
  const autocomplete = new AutocompleteService({ store, launcher, config, blockedReason: executionBlockedReason });

  // Tools: scan now and again (debounced) whenever a file that defines a tool changes.
  await catalog.refresh();
  if (stopping()) return undefined;
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
  shutdown.push(() => clearTimeout(rescan));
  log.info(`Found ${catalog.tools().length} tool(s) in ${config.toolsDir}`);

  if (!store.readOnlyReason) {
    const interrupted = await recoverInterruptedRuns(store);
    if (interrupted.length > 0) log.warn(`Marked ${interrupted.length} run(s) left running by a closed window as interrupted.`);
    if (stopping()) return undefined;
  }

  // From here on nothing awaits: the UI is bound in one go, then the caller opens the gate.
  const scheduler = new SweeperScheduler({ store, config, log: (level, message) => log[level](`sweeper: ${message}`) });
  shutdown.push(() => scheduler.stop());
  context.subscriptions.push(watchSettings(root, config, scheduler, log));

  const diffs = new DiffDocuments(); // the pixie-diff documents behind a diff output's "Open in Diff Editor"
  context.subscriptions.push(diffs);
  const panels = registerToolPanels(context, { store, catalog, runService, config, log, isTrusted, autocomplete, diffs }, shell);
  const sidebar = registerSidebarAndCommands(context, {
    store,
    catalog,
    launcher,
    runService,
    config: () => config,
    log,
    panels,
    extensionUri: context.extensionUri,
    shell,
  });
  registerSweepCommands(context, {
    store,
    config: () => config,
    log,
    scheduler,
    beginActivity: (label) => sidebar.beginActivity(label),
    trust: sidebar.trust,
    shell,
  });
  const surfaces = registerValidationSurfaces(context, { ...sidebar.deps, validation: sidebar.validation, isTrusted });
  const unbound = shell.commands.missing();
  if (unbound.length > 0) log.error(`commands without a handler: ${unbound.join(', ')}`);
  if (!store.readOnlyReason) scheduler.start(); // first pass a minute after activation
  return { sidebar, surfaces };
}

/** Settings apply live: every service holds this same object. Paths need a reload (the store is open on them). */
function watchSettings(root: string, config: PixieConfig, scheduler: SweeperScheduler, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
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
  });
}

/** Stops what has been started, newest first; keeps going past a step that fails. */
async function drain(): Promise<void> {
  while (shutdown.length > 0) {
    const stop = shutdown.pop();
    try {
      await stop?.();
    } catch {
      // keep stopping the rest
    }
  }
}

export async function deactivate(): Promise<void> {
  if (starting) {
    const { stop, done } = starting;
    stop();
    await done; // never rejects: a failed start-up has drained already
  }
  await drain();
}
