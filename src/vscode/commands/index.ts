// registerSidebarAndCommands: the Pixie activity-bar views (Tools, Runs, Artefacts), their commands, the
// validation dots and status bar items, the virtual documents, and the refresh wiring (store change events —
// including commits by other windows and the CLI — catalog and launcher changes, debounced ~100 ms).
// Watching tools/ for edits is extension.ts's job (it re-scans the catalog; the views follow its change event).
// The commands, the views and the document schemes were registered by activate() (activation/shell.ts) before the
// store was open; this binds the real handlers and trees to them.
import * as vscode from 'vscode';
import { ContextKeys } from '../contextKeys';
import { ValidationDecorations } from '../decorations/validationDecorations';
import { ValidationState } from '../decorations/validationState';
import type { ActivityItem } from '../statusBar/activityItem';
import { ValidationStatusItem } from '../statusBar/validationStatusItem';
import { ArtefactsTree } from '../trees/artefactsTree';
import { debounce, viewsForTables, type Debounced } from '../trees/debounce';
import { RunsTree } from '../trees/runsTree';
import { ToolsTree } from '../trees/toolsTree';
import { WorkspaceTrust } from '../trust';
import { listToolStates } from '../../core/store/repositories/toolState';
import { registerArtefactCommands } from './artefactCommands';
import type { CommandContext } from './context';
import { REPORT_SCHEME, ReportDocuments, RunDocuments } from './documents';
import { registerGeneralCommands } from './generalCommands';
import { RUN_SCHEME } from './runDocuments';
import { registerRunCommands } from './runCommands';
import { registerToolCommands } from './toolCommands';
import type { SidebarDeps } from './types';
import { registerValidationCommands } from './validationCommands';
import { registerWorkspaceCommands } from './workspaceCommands';

export type { SidebarDeps, ToolPanelOpener } from './types';
export { registerSweepCommands, type SweepCommandDeps } from './sweepCommands';

const REFRESH_DEBOUNCE_MS = 100;

export interface SidebarHandle extends vscode.Disposable {
  /** Shows the status bar spinner until the returned Disposable is disposed. */
  beginActivity(label: string): vscode.Disposable;
  /** Re-scan the tools folder and redraw every view now. */
  refresh(): Promise<void>;
  /** Redraw the views from the store (no re-scan), e.g. after a settings change. */
  redraw(): void;
  views: CommandContext['views'];
  contextKeys: ContextKeys;
  trust: WorkspaceTrust;
  validation: ValidationState;
  statusBar: { validation: ValidationStatusItem; activity: ActivityItem };
  decorations: ValidationDecorations;
  /** The services it was given (host tests reach the store through this). */
  deps: SidebarDeps;
}

export function registerSidebarAndCommands(context: vscode.ExtensionContext, deps: SidebarDeps): SidebarHandle {
  const subscriptions: vscode.Disposable[] = [];
  const contextKeys = new ContextKeys();
  const trust = new WorkspaceTrust(contextKeys);
  const validation = new ValidationState(deps.store);
  validation.reload();
  const archivedIds = (): ReadonlySet<string> =>
    new Set(deps.store.read(listToolStates).filter((state) => state.archived).map((state) => state.toolId));

  const { shell } = deps;
  const views = {
    tools: new ToolsTree(shell.views.tools.view, deps.store, deps.catalog, deps.launcher, validation, contextKeys, () => trust.isTrusted()),
    runs: new RunsTree(shell.views.runs.view, deps.store, deps.catalog, contextKeys),
    artefacts: new ArtefactsTree(shell.views.artefacts.view, deps.store, deps.catalog, contextKeys),
  };
  const validationStatus = new ValidationStatusItem(deps.catalog, validation, archivedIds);
  const activity = shell.activity;
  const decorations = new ValidationDecorations(validation);
  const runDocuments = new RunDocuments(deps.store, () => deps.config().artefactsRoot);
  const reportDocuments = new ReportDocuments(deps.store, deps.catalog);
  subscriptions.push(
    trust,
    views.tools,
    views.runs,
    views.artefacts,
    shell.views.tools.provider.bind(views.tools),
    shell.views.runs.provider.bind(views.runs),
    shell.views.artefacts.provider.bind(views.artefacts),
    validationStatus,
    decorations,
    runDocuments,
    reportDocuments,
    vscode.window.registerFileDecorationProvider(decorations),
    shell.bindDocuments(RUN_SCHEME, runDocuments),
    shell.bindDocuments(REPORT_SCHEME, reportDocuments),
  );

  void contextKeys.set('pixie.active', true);
  void contextKeys.set('pixie.storeReadOnly', deps.store.readOnlyReason !== undefined);
  void contextKeys.set('pixie.showArchived', false);
  void contextKeys.set('pixie.runsGrouped', false);
  void contextKeys.set('pixie.artefactsByTool', false);
  void contextKeys.set('pixie.showDeleted', false);
  void contextKeys.set('pixie.validating', false);

  // Refresh wiring: every source is debounced so a burst (a run writes several commits, a checkpoint by another
  // window fires '*') redraws once.
  const debounced: Debounced[] = [];
  const later = (fn: () => void): Debounced => {
    const d = debounce(fn, REFRESH_DEBOUNCE_MS);
    debounced.push(d);
    return d;
  };
  const redrawTools = later(() => views.tools.refresh());
  const redrawRuns = later(() => {
    views.runs.refresh();
    runDocuments.refreshOpen();
  });
  const redrawArtefacts = later(() => views.artefacts.refresh());
  const reloadValidation = later(() => {
    validation.reload();
    reportDocuments.refreshOpen();
  });
  const recount = later(() => validationStatus.update());
  const catalogLoaded = (): void => {
    void contextKeys.set('pixie.toolsLoaded', true);
    void contextKeys.set('pixie.hasTools', deps.catalog.tools().length > 0);
  };

  subscriptions.push(
    deps.store.onDidChange((change) => {
      const touched = viewsForTables(change.tables);
      if (touched.tools) redrawTools();
      if (touched.runs) {
        redrawRuns();
        activity.update();
      }
      if (touched.artefacts) redrawArtefacts();
      if (touched.validation) reloadValidation();
      // Archiving a tool (tool_state) changes what the status bar counts.
      if (change.tables.has('tool_state') || change.tables.has('*')) recount();
    }),
    deps.catalog.onDidChange(() => {
      catalogLoaded();
      redrawTools();
      redrawRuns();
      redrawArtefacts();
      validationStatus.update();
    }),
    new vscode.Disposable(deps.launcher.onStateChange(() => redrawTools())),
    validation.onDidChange(() => {
      validationStatus.update();
      redrawTools();
    }),
    trust.onDidChange(() => redrawTools()),
  );

  const refreshAll = async (): Promise<void> => {
    await deps.catalog.refresh();
    deps.store.refresh();
    validation.reload();
    views.tools.refresh();
    views.runs.refresh();
    views.artefacts.refresh();
    validationStatus.update();
    activity.update();
  };

  const ctx: CommandContext = {
    ...deps,
    trust,
    contextKeys,
    validation,
    views,
    validationStatus,
    activity,
    subscriptions,
    refreshAll,
  };
  registerToolCommands(ctx);
  registerWorkspaceCommands(ctx);
  registerRunCommands(ctx);
  registerArtefactCommands(ctx);
  registerValidationCommands(ctx);
  registerGeneralCommands(ctx);

  // The catalog was scanned before the sidebar was built (see SidebarDeps.catalog); later scans arrive as change events.
  catalogLoaded();

  const handle: SidebarHandle = {
    beginActivity: (label) => activity.begin(label),
    refresh: refreshAll,
    redraw: () => {
      views.tools.refresh();
      views.runs.refresh();
      views.artefacts.refresh();
    },
    views,
    contextKeys,
    trust,
    validation,
    statusBar: { validation: validationStatus, activity },
    decorations,
    deps,
    dispose: () => {
      for (const d of debounced) d.cancel();
      for (const s of subscriptions.splice(0).reverse()) s.dispose();
    },
  };
  context.subscriptions.push(handle);
  return handle;
}
