// What the sidebar and commands need from the rest of the extension, passed explicitly by extension.ts.
import type * as vscode from 'vscode';
import type { PixieConfig } from '../../core/config';
import type { Launcher } from '../../core/runner/launcher';
import type { RunService } from '../../core/runner/runService';
import type { SqlJsStore } from '../../core/store/engine';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { ShellBindings } from '../activation/shell';

/**
 * The tool panel (webview) registry, as far as commands need it. Each method may return a promise (awaited) or a
 * value (ignored), so `ToolPanelRegistry` (whose openTool returns the panel synchronously) fits as it is.
 */
export interface ToolPanelOpener {
  /** Show the tool's form (creating or revealing its panel). */
  openTool(toolId: string): Promise<unknown> | unknown;
  /** Show a past run in its tool's panel: form and outputs rebuilt from the row, nothing executed. */
  openRun(runId: string): Promise<unknown> | unknown;
  /** Like openRun, with the form ready to edit and run again. */
  editAndRerun(runId: string): Promise<unknown> | unknown;
}

export interface SidebarDeps {
  store: SqlJsStore;
  /** Scanned once already: extension.ts awaits the first scan before building the sidebar. */
  catalog: ToolCatalog;
  launcher: Launcher;
  runService: RunService;
  /** The effective configuration now (a getter so a settings change is seen without re-registering). */
  config: () => PixieConfig;
  log: vscode.LogOutputChannel;
  /** undefined until the panel registry exists: commands that need it say so. */
  panels: ToolPanelOpener | undefined;
  extensionUri: vscode.Uri;
  /** What activate() registered before the store was open: the command table, the views, the document schemes. */
  shell: ShellBindings;
}
