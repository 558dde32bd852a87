// Commands write the seed's columns through the repositories, and the values survive reopening pixie.db;
// settings apply; run commands (star, label, compare, copy, show error, delete); reports; Create Tool.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SqlJsStore } from '../../src/core/store/engine';
import { getRun } from '../../src/core/store/repositories/runs';
import { getToolState } from '../../src/core/store/repositories/toolState';
import { tagsForTool } from '../../src/core/store/repositories/toolTags';
import type { Store } from '../../src/core/store/types';
import type { SidebarHandle } from '../../src/vscode/commands';
import { readConfig } from '../../src/vscode/settings';
import { flatten, newRun, pixieSidebar, rowsOf, waitFor, workspaceRoot } from './trees.test';

type AnyProvider = vscode.TreeDataProvider<unknown>;
const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);

/** Reads pixie.db + its redo log with a fresh, read-only store (what a reload would see). */
async function reopened<T>(dbPath: string, read: (store: Store) => T): Promise<T> {
  const store = await SqlJsStore.open({ dbPath, readOnlyReason: 'host test reader', watch: false });
  try {
    return read(store);
  } finally {
    await store.close();
  }
}

export function declareCommandsSuite(): void {
  suite('Pixie commands', () => {
    let sidebar: SidebarHandle;
    let dbPath: string;

    suiteSetup(async () => {
      sidebar = await pixieSidebar();
      dbPath = sidebar.deps.config().dbPath;
    });

    test('favourite, pin warm, colour, archive write tool_state and survive a reopen', async () => {
      assert.equal(await run('pixie.tool.favourite', 'echo'), true);
      assert.equal(await run('pixie.tool.pinWarm', 'echo'), true);
      assert.equal(await run('pixie.tool.colour', 'echo', 'green'), true);
      assert.equal(await run('pixie.tool.archive', 'broken'), true);
      assert.equal(sidebar.deps.launcher.isPinned('echo'), true, 'the launcher keeps it warm');
      const [echo, broken] = await reopened(dbPath, (s) => s.read((q) => [getToolState(q, 'echo'), getToolState(q, 'broken')]));
      assert.equal(echo?.favourited, true);
      assert.equal(echo?.pinnedWarm, true);
      assert.equal(echo?.pinned, true);
      assert.ok(echo?.pinnedAt, 'pinned_at set');
      assert.equal(echo?.colour, 'green');
      assert.equal(broken?.archived, true);
      assert.ok(broken?.archivedAt && Date.parse(broken.archivedAt) > Date.now() - 60_000, 'archived_at is now');
    });

    test('the Tools view follows: favourite first with a star, archived hidden until Show Archived', async () => {
      await waitFor(async () => !flatten(await rowsOf(sidebar.views.tools as AnyProvider)).some((r) => r.label === 'broken'), 'broken hidden');
      const echo = flatten(await rowsOf(sidebar.views.tools as AnyProvider)).find((r) => r.label === 'Echo')!;
      assert.match(echo.contextValue, /\+favourite\b/);
      assert.match(echo.contextValue, /\+pinned\b/);
      await run('pixie.tools.showArchived');
      assert.equal(sidebar.contextKeys.get('pixie.showArchived'), true);
      const shown = flatten(await rowsOf(sidebar.views.tools as AnyProvider)).find((r) => r.label === 'broken');
      assert.ok(shown && /\+archived\b/.test(shown.contextValue));
      await run('pixie.tools.hideArchived');
    });

    test('unfavourite, unpin, unarchive clear the columns (archived_at too); an unknown colour is refused', async () => {
      await run('pixie.tool.unfavourite', 'echo');
      await run('pixie.tool.unpinWarm', 'echo');
      await run('pixie.tool.unarchive', 'broken');
      assert.equal(await run('pixie.tool.colour', 'echo', 'chartreuse'), undefined, 'refused with a message');
      const [echo, broken] = await reopened(dbPath, (s) => s.read((q) => [getToolState(q, 'echo'), getToolState(q, 'broken')]));
      assert.deepEqual([echo?.favourited, echo?.pinnedWarm, echo?.pinned, echo?.pinnedAt], [false, false, false, null]);
      assert.equal(echo?.colour, 'green', 'the refused colour changed nothing');
      assert.deepEqual([broken?.archived, broken?.archivedAt], [false, null]);
      assert.equal(sidebar.deps.launcher.isPinned('echo'), false);
    });

    test('workspaces: create, add (position in sort_order_in_workspace_json), rename, duplicate refused, delete cascades', async () => {
      const id = await run<number>('pixie.newWorkspace', 'Host Commands');
      assert.equal(await run('pixie.newWorkspace', 'host commands'), undefined, 'a name differing only in case is refused');
      await run('pixie.tool.addToWorkspace', 'echo', id);
      await run('pixie.tool.addToWorkspace', 'broken', id);
      assert.equal(await run('pixie.workspace.rename', id, 'Renamed'), true);
      const before = await reopened(dbPath, (s) =>
        s.read((q) => ({
          name: q.get<{ name: string }>('SELECT name FROM workspaces WHERE id = ?', [id])?.name,
          members: q.all<{ tool_id: string }>('SELECT tool_id FROM tool_workspaces WHERE workspace_id = ? ORDER BY tool_id', [id]).map((r) => r.tool_id),
          echo: getToolState(q, 'echo')?.sortOrderInWorkspace,
          broken: getToolState(q, 'broken')?.sortOrderInWorkspace,
        })),
      );
      assert.deepEqual(before, { name: 'Renamed', members: ['broken', 'echo'], echo: { [String(id)]: 0 }, broken: { [String(id)]: 1 } });

      // Move broken above echo inside the workspace.
      await waitFor(async () => (await rowsOf(sidebar.views.tools as AnyProvider)).some((r) => r.label === 'Renamed' && r.children.length === 2), 'the group');
      const node = sidebar.views.tools.toolNodes().find((n) => n.workspaceId === id && n.tool.toolId === 'broken');
      assert.equal(await run('pixie.tool.moveUp', node), true);
      await waitFor(async () => (await rowsOf(sidebar.views.tools as AnyProvider)).find((r) => r.label === 'Renamed')?.children[0]?.label === 'broken', 'the new order');

      assert.equal(await run('pixie.workspace.delete', id, true), true);
      const after = await reopened(dbPath, (s) =>
        s.read((q) => ({
          workspace: q.get('SELECT id FROM workspaces WHERE id = ?', [id]),
          members: q.all('SELECT tool_id FROM tool_workspaces WHERE workspace_id = ?', [id]).length,
          echo: getToolState(q, 'echo') !== undefined,
        })),
      );
      assert.deepEqual(after, { workspace: undefined, members: 0, echo: true }, 'memberships cascade, tools stay');
    });

    test('workspace order: Move Up/Down swaps neighbours', async () => {
      const a = await run<number>('pixie.newWorkspace', 'Order A');
      const b = await run<number>('pixie.newWorkspace', 'Order B');
      assert.equal(await run('pixie.workspace.moveUp', b), true);
      const names = sidebar.deps.store.read((q) => q.all<{ name: string }>('SELECT name FROM workspaces ORDER BY sort_order, name').map((r) => r.name));
      assert.ok(names.indexOf('Order B') < names.indexOf('Order A'), names.join(', '));
      await run('pixie.workspace.delete', a, true);
      await run('pixie.workspace.delete', b, true);
    });

    test('tags: set, replace, invalid refused; the tag filter narrows the Tools view', async () => {
      assert.equal(await run('pixie.tool.tags', 'echo', ['alpha', 'Beta']), true);
      assert.deepEqual(sidebar.deps.store.read((q) => tagsForTool(q, 'echo')), ['alpha', 'beta']);
      assert.equal(await run('pixie.tool.tags', 'echo', ['beta']), true);
      assert.equal(await run('pixie.tool.tags', 'echo', ['no spaces allowed']), undefined);
      assert.deepEqual(await reopened(dbPath, (s) => s.read((q) => tagsForTool(q, 'echo'))), ['beta']);
      await run('pixie.tools.filterByTag', ['beta']);
      assert.equal(sidebar.views.tools.view.description, '#beta');
      const labels = flatten(await rowsOf(sidebar.views.tools as AnyProvider)).map((r) => r.label);
      assert.ok(labels.includes('Echo') && !labels.includes('broken'), labels.join(', '));
      await run('pixie.tools.clearTagFilter');
      assert.equal(sidebar.views.tools.view.description, undefined);
    });

    test('runs: star, label, compare with previous (diff editor), copy inputs, show error, delete', async function () {
      this.timeout(45_000); // the first .json document starts VS Code's JSON language server (~10 s here)
      const t = Date.now() - 30_000;
      await newRun(sidebar, 'cmd-run-1', 'echo', new Date(t).toISOString(), { text: 'first' }, { status: 'ok', outputs: { text: 'first' } });
      await newRun(sidebar, 'cmd-run-2', 'echo', new Date(t + 1000).toISOString(), { text: 'second' }, { status: 'error', error: "tool 'echo' returned 500: boom\n--- stderr ---\nTraceback: the tool's stderr" });
      assert.equal(await run('pixie.run.star', 'cmd-run-2'), true);
      assert.equal(await run('pixie.run.label', 'cmd-run-2', 'keep me'), true);
      const stored = await reopened(dbPath, (s) => s.read((q) => getRun(q, 'cmd-run-2')));
      assert.deepEqual([stored?.starred, stored?.label], [true, 'keep me']);

      assert.equal(await run('pixie.run.compareWithPrevious', 'cmd-run-2'), 'cmd-run-1');
      await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff, 'the diff editor');
      const diff = vscode.window.tabGroups.activeTabGroup.activeTab!.input as vscode.TabInputTextDiff;
      assert.equal(diff.original.scheme, 'pixie-run');
      const [left, right] = await Promise.all([vscode.workspace.openTextDocument(diff.original), vscode.workspace.openTextDocument(diff.modified)]);
      assert.match(left.getText(), /"text": "first"/);
      assert.match(right.getText(), /"text": "second"/);
      assert.match(right.getText(), /"status": "error"/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

      await newRun(sidebar, 'solo-run', 'solo', new Date(t).toISOString(), {}, { status: 'ok', outputs: {} });
      assert.equal(await run('pixie.run.compareWithPrevious', 'solo-run'), undefined, 'a tool’s first run has nothing to compare with');
      const copied = await run<string>('pixie.run.copyInputs', 'cmd-run-1');
      assert.deepEqual(JSON.parse(copied), { text: 'first' });

      await run('pixie.run.showError', 'cmd-run-2');
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'pixie-run', 'the error document');
      assert.match(vscode.window.activeTextEditor!.document.getText(), /Traceback: the tool's stderr/);

      assert.equal(await run('pixie.run.delete', 'cmd-run-1', true), true);
      assert.equal(await reopened(dbPath, (s) => s.read((q) => getRun(q, 'cmd-run-1'))), undefined);
    });

    test('Star/Label Last Run act on the newest run', async () => {
      await newRun(sidebar, 'cmd-run-last', 'echo', new Date().toISOString(), { text: 'newest' }, { status: 'ok', outputs: {} });
      await run('pixie.starLastRun');
      await run('pixie.labelLastRun', 'latest');
      const last = sidebar.deps.store.read((q) => getRun(q, 'cmd-run-last'));
      assert.deepEqual([last?.starred, last?.label], [true, 'latest']);
    });

    test('Validate the broken tool: report saved, status bar and dot follow, Show Validation Report opens it', async function () {
      if (!vscode.workspace.isTrusted) this.skip();
      this.timeout(30_000);
      assert.equal(await run('pixie.validateTool', 'broken'), 'fail');
      await waitFor(() => sidebar.validation.get('broken')?.overall === 'fail', 'the report');
      assert.match(sidebar.statusBar.validation.text, /✗/);
      await run('pixie.showValidationReport', 'broken');
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'pixie-report', 'the report document');
      const text = vscode.window.activeTextEditor!.document.getText();
      assert.match(text, /# Validation report: broken/);
      assert.match(text, /Overall:\*\* ✗ fail/);
      for (const check of ['folder_structure', 'tool_json_parses', 'clean_shutdown']) assert.ok(text.includes(`\`${check}\``), check);
      assert.match(text, /## Details/, 'the failing check with its details');
    });

    test('Validate All Tools validates every listed tool with progress and saves each report', async function () {
      if (!vscode.workspace.isTrusted) this.skip();
      this.timeout(90_000);
      const result = await run<{ passed: number; warned: number; failed: number; total: number }>('pixie.validateAll');
      assert.ok(result, 'a summary');
      assert.equal(result.total, sidebar.deps.catalog.tools().length);
      assert.ok(result.failed >= 1, 'the broken tool fails');
      assert.equal(result.passed + result.warned + result.failed, result.total);
      for (const tool of sidebar.deps.catalog.tools()) {
        await waitFor(() => sidebar.validation.get(tool.toolId) !== undefined, `a report for ${tool.toolId}`);
      }
      assert.equal(sidebar.statusBar.activity.visible, false, 'the spinner is gone');
      assert.doesNotMatch(sidebar.statusBar.validation.text, /unchecked/);
    });

    test('settings apply: pixie.retainRuns changed → readConfig reflects it (Restricted Mode: ignored); defaults are the core’s', async () => {
      const section = vscode.workspace.getConfiguration('pixie');
      assert.equal(section.inspect('retainRuns')?.defaultValue, 100);
      assert.equal(section.inspect('warmKeepSeconds')?.defaultValue, 300);
      await section.update('retainRuns', 42, vscode.ConfigurationTarget.Workspace);
      await section.update('inlineOutputMaxBytes', 1234, vscode.ConfigurationTarget.Workspace);
      try {
        // retainRuns is in restrictedConfigurations: an untrusted folder's own value does not count.
        assert.equal(readConfig(workspaceRoot()).retainRuns, vscode.workspace.isTrusted ? 42 : 100);
        assert.equal(readConfig(workspaceRoot()).inlineOutputMaxBytes, 1234, 'an unrestricted setting applies either way');
      } finally {
        await section.update('retainRuns', undefined, vscode.ConfigurationTarget.Workspace);
        await section.update('inlineOutputMaxBytes', undefined, vscode.ConfigurationTarget.Workspace);
      }
      assert.equal(readConfig(workspaceRoot()).retainRuns, 100);
      assert.equal(readConfig(workspaceRoot()).inlineOutputMaxBytes, 65_536);
    });

    test('Create Tool scaffolds tools/<id> that the catalog lists; a bad id is refused', async () => {
      assert.equal(await run('pixie.createTool', 'Bad Id'), undefined);
      const dir = await run<string>('pixie.createTool', 'host-made', 'Host Made');
      assert.equal(dir, path.join(sidebar.deps.config().toolsDir, 'host-made'));
      assert.ok(fs.existsSync(path.join(dir, 'tool.json')) && fs.existsSync(path.join(dir, 'main.mjs')));
      await waitFor(() => sidebar.deps.catalog.get('host-made') !== undefined, 'the catalog to list it');
      assert.deepEqual(sidebar.deps.catalog.get('host-made')!.errors, []);
      await waitFor(async () => flatten(await rowsOf(sidebar.views.tools as AnyProvider)).some((r) => r.label === 'Host Made'), 'the tree to show it');
    });

    test('the scaffolded tool runs for real, and Re-run starts it again with the same inputs', async function () {
      if (!vscode.workspace.isTrusted) this.skip();
      this.timeout(40_000);
      const tool = sidebar.deps.catalog.get('host-made');
      assert.ok(tool);
      const outcome = await sidebar.deps.runService.run(tool, { text: 'one two three', upper: true });
      assert.equal(outcome.status, 'ok', outcome.errorText);
      assert.deepEqual(outcome.outputs, { result: 'ONE TWO THREE', words: 3 });
      const again = await run<string>('pixie.run.rerun', outcome.runId);
      assert.ok(again && again !== outcome.runId);
      await waitFor(() => sidebar.deps.store.read((q) => getRun(q, again))?.status === 'ok', 'the re-run to finish', 20_000);
      assert.equal(sidebar.deps.store.read((q) => getRun(q, again))?.inputsJson.includes('one two three'), true);
      await run('pixie.tool.stop', 'host-made');
      assert.equal(sidebar.deps.launcher.isRunning('host-made'), false);
    });
  });
}
