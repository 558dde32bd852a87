// Every command this layer contributes: id, title, icon, and whether it shows in the Command Palette. package.json
// "contributes.commands" is checked against this table by test/unit/vscode-contributions.test.ts. Pure.

export interface CommandInfo {
  title: string;
  /** Codicon id for view toolbars and inline actions. */
  icon?: string;
  /** false = context-menu/tree only: hidden from the palette (`when: false`); a string = palette `when`. */
  palette: boolean | string;
}

export const COMMANDS = {
  // Palette commands.
  'pixie.runTool': { title: 'Run Tool…', icon: 'play', palette: true },
  'pixie.openRun': { title: 'Open Run…', icon: 'history', palette: true },
  'pixie.openArtefact': { title: 'Open Artefact…', icon: 'file-media', palette: true },
  'pixie.validateTool': { title: 'Validate Tool…', icon: 'checklist', palette: true },
  'pixie.validateAll': { title: 'Validate All Tools', icon: 'checklist', palette: true },
  'pixie.showValidationReport': { title: 'Show Validation Report', icon: 'output', palette: true },
  'pixie.showFailingTools': { title: 'Show Failing Tools', icon: 'shield', palette: true },
  'pixie.starLastRun': { title: 'Star Last Run', icon: 'star-empty', palette: true },
  'pixie.labelLastRun': { title: 'Label Last Run…', icon: 'tag', palette: true },
  'pixie.newWorkspace': { title: 'New Workspace…', icon: 'new-folder', palette: true },
  'pixie.refresh': { title: 'Refresh', icon: 'refresh', palette: true },
  'pixie.createTool': { title: 'Create Tool…', icon: 'add', palette: true },
  'pixie.importSqliteWal': { title: 'Import Database from SQLite WAL', icon: 'database', palette: 'pixie.storeReadOnly' },
  'pixie.stopAllTools': { title: 'Stop All Tools', icon: 'debug-stop', palette: true },
  'pixie.showLog': { title: 'Show Log', icon: 'output', palette: true },
  // Retention (sweepCommands.ts, registered by registerSweepCommands from extension.ts).
  'pixie.sweepDryRun': { title: 'Sweep Old Runs (Dry Run)', icon: 'preview', palette: 'pixie.active' },
  'pixie.sweep': { title: 'Sweep Old Runs…', icon: 'trash', palette: 'pixie.active && !pixie.storeReadOnly' },
  'pixie.purgeDeletedArtefacts': { title: 'Purge Deleted Artefacts Now', icon: 'trash', palette: 'pixie.active && !pixie.storeReadOnly' },

  // Tools view.
  'pixie.tools.showArchived': { title: 'Show Archived Tools', icon: 'archive', palette: '!pixie.showArchived' },
  'pixie.tools.hideArchived': { title: 'Hide Archived Tools', icon: 'eye-closed', palette: 'pixie.showArchived' },
  'pixie.tools.filterByTag': { title: 'Filter Tools by Tag…', icon: 'filter', palette: true },
  'pixie.tools.clearTagFilter': { title: 'Clear Tag Filter', icon: 'clear-all', palette: 'pixie.toolsFiltered' },
  'pixie.tool.run': { title: 'Run', icon: 'play', palette: false },
  'pixie.tool.open': { title: 'Open Form', icon: 'preview', palette: false },
  'pixie.tool.validate': { title: 'Validate', icon: 'checklist', palette: false },
  'pixie.tool.showReport': { title: 'Show Validation Report', icon: 'output', palette: false },
  'pixie.tool.openToolJson': { title: 'Open tool.json', icon: 'go-to-file', palette: false },
  'pixie.tool.revealFolder': { title: 'Reveal Folder', icon: 'folder-opened', palette: false },
  'pixie.tool.favourite': { title: 'Favourite', icon: 'star-empty', palette: false },
  'pixie.tool.unfavourite': { title: 'Unfavourite', icon: 'star-full', palette: false },
  'pixie.tool.pinWarm': { title: 'Pin Warm', icon: 'pin', palette: false },
  'pixie.tool.unpinWarm': { title: 'Unpin', icon: 'pinned', palette: false },
  'pixie.tool.stop': { title: 'Stop Process', icon: 'debug-stop', palette: false },
  'pixie.tool.addToWorkspace': { title: 'Add to Workspace…', icon: 'folder-library', palette: false },
  'pixie.tool.removeFromWorkspace': { title: 'Remove from Workspace', icon: 'close', palette: false },
  'pixie.tool.tags': { title: 'Tags…', icon: 'tag', palette: false },
  'pixie.tool.colour': { title: 'Colour…', icon: 'symbol-color', palette: false },
  'pixie.tool.archive': { title: 'Archive', icon: 'archive', palette: false },
  'pixie.tool.unarchive': { title: 'Unarchive', icon: 'inbox', palette: false },
  'pixie.tool.moveUp': { title: 'Move Up', icon: 'arrow-up', palette: false },
  'pixie.tool.moveDown': { title: 'Move Down', icon: 'arrow-down', palette: false },
  'pixie.workspace.rename': { title: 'Rename…', icon: 'edit', palette: false },
  'pixie.workspace.delete': { title: 'Delete Workspace', icon: 'trash', palette: false },
  'pixie.workspace.moveUp': { title: 'Move Up', icon: 'arrow-up', palette: false },
  'pixie.workspace.moveDown': { title: 'Move Down', icon: 'arrow-down', palette: false },

  // Runs view.
  'pixie.runs.groupByTool': { title: 'Group Runs by Tool', icon: 'list-tree', palette: '!pixie.runsGrouped' },
  'pixie.runs.showFlat': { title: 'Show Runs Newest First', icon: 'list-flat', palette: 'pixie.runsGrouped' },
  'pixie.runs.filter': { title: 'Filter Runs…', icon: 'filter', palette: true },
  'pixie.runs.clearFilter': { title: 'Clear Runs Filter', icon: 'clear-all', palette: 'pixie.runsFiltered' },
  'pixie.runs.loadMore': { title: 'Load More', palette: false },
  'pixie.run.open': { title: 'Open', icon: 'go-to-file', palette: false },
  'pixie.run.rerun': { title: 'Re-run', icon: 'debug-rerun', palette: false },
  'pixie.run.editAndRerun': { title: 'Edit & Re-run', icon: 'edit', palette: false },
  'pixie.run.star': { title: 'Star', icon: 'star-empty', palette: false },
  'pixie.run.unstar': { title: 'Unstar', icon: 'star-full', palette: false },
  'pixie.run.label': { title: 'Label…', icon: 'tag', palette: false },
  'pixie.run.compareWithPrevious': { title: 'Compare with Previous Run', icon: 'diff', palette: false },
  'pixie.run.copyInputs': { title: 'Copy Inputs JSON', icon: 'copy', palette: false },
  'pixie.run.showError': { title: 'Show Error/stderr', icon: 'warning', palette: false },
  'pixie.run.delete': { title: 'Delete Run', icon: 'trash', palette: false },

  // Artefacts view.
  'pixie.artefacts.groupByTool': { title: 'Group Artefacts by Tool', icon: 'list-tree', palette: '!pixie.artefactsByTool' },
  'pixie.artefacts.groupByRun': { title: 'Group Artefacts by Run', icon: 'history', palette: 'pixie.artefactsByTool' },
  'pixie.artefacts.showDeleted': { title: 'Show Deleted Artefacts', icon: 'trash', palette: '!pixie.showDeleted' },
  'pixie.artefacts.hideDeleted': { title: 'Hide Deleted Artefacts', icon: 'eye-closed', palette: 'pixie.showDeleted' },
  'pixie.artefacts.loadMore': { title: 'Load More', palette: false },
  'pixie.artefact.open': { title: 'Open', icon: 'go-to-file', palette: false },
  'pixie.artefact.revealInExplorer': { title: 'Reveal in Explorer View', icon: 'files', palette: false },
  'pixie.artefact.revealInOS': { title: 'Reveal in File Manager', icon: 'folder-opened', palette: false },
  'pixie.artefact.copyPath': { title: 'Copy Path', icon: 'copy', palette: false },
  'pixie.artefact.star': { title: 'Star', icon: 'star-empty', palette: false },
  'pixie.artefact.unstar': { title: 'Unstar', icon: 'star-full', palette: false },
  'pixie.artefact.label': { title: 'Label…', icon: 'tag', palette: false },
  'pixie.artefact.tags': { title: 'Tags…', icon: 'tag', palette: false },
  'pixie.artefact.delete': { title: 'Delete', icon: 'trash', palette: false },
  'pixie.artefact.restore': { title: 'Restore', icon: 'discard', palette: false },
} as const satisfies Record<string, CommandInfo>;

export type CommandId = keyof typeof COMMANDS;

export const VIEW_IDS = { tools: 'pixie.tools', runs: 'pixie.runs', artefacts: 'pixie.artefacts' } as const;
export const CONTAINER_ID = 'pixie';

/** The `pixie.*` context keys (set through ContextKeys in ../contextKeys.ts). */
export const CONTEXT_KEYS = [
  'pixie.active',
  'pixie.trusted',
  'pixie.toolsLoaded',
  'pixie.hasTools',
  'pixie.hasRuns',
  'pixie.hasArtefacts',
  'pixie.showArchived',
  'pixie.toolsFiltered',
  'pixie.runsGrouped',
  'pixie.runsFiltered',
  'pixie.artefactsByTool',
  'pixie.showDeleted',
  'pixie.storeReadOnly',
  'pixie.validating',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];
