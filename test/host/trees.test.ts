// The three Pixie views in the real extension host: Tools (flat, then grouped by workspace, broken tool with its
// error), Runs (a run recorded through the store appears; a star set by the CLI in another process shows up
// without a reload), Artefacts (an artefact row and its file; opening it gives an editor tab).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { insertArtefact } from '../../src/core/store/repositories/artefacts';
import { finishRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import type { PixieApi } from '../../src/extension';
import type { SidebarHandle } from '../../src/vscode/commands';
import { EXTENSION_ID } from './extension.test';

/** Polls until `check()` is true. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The sidebar handle the extension exports (activate() returns `{ ready }`, which resolves to `{ sidebar, … }`). */
export async function pixieSidebar(): Promise<SidebarHandle> {
  const extension = vscode.extensions.getExtension<PixieApi>(EXTENSION_ID);
  assert.ok(extension, 'extension installed');
  const api = await extension.activate();
  const services = await api.ready;
  assert.ok(services?.sidebar, `the services started (see the wiring in src/extension.ts): ${api.status().failure ?? ''}`);
  await waitFor(() => services.sidebar.contextKeys.get('pixie.toolsLoaded') === true, 'the first tool scan');
  return services.sidebar;
}

export function workspaceRoot(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root);
  return root;
}

export interface Row {
  label: string;
  description: string;
  contextValue: string;
  icon: string | undefined;
  tooltip: string;
  children: Row[];
}

type AnyProvider = vscode.TreeDataProvider<unknown>;

/** What a view shows: labels, descriptions, context values and icons, two levels deep. */
export async function rowsOf(provider: AnyProvider, element?: unknown, depth = 2): Promise<Row[]> {
  const children = (await provider.getChildren(element)) ?? [];
  const rows: Row[] = [];
  for (const child of children) {
    const item = await provider.getTreeItem(child);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
    const expandable = item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
    rows.push({
      label,
      description: typeof item.description === 'string' ? item.description : '',
      contextValue: item.contextValue ?? '',
      icon,
      tooltip,
      children: expandable && depth > 1 ? await rowsOf(provider, child, depth - 1) : [],
    });
  }
  return rows;
}

export function flatten(rows: Row[]): Row[] {
  return rows.flatMap((row) => [row, ...flatten(row.children)]);
}

export async function newRun(sidebar: SidebarHandle, id: string, toolId: string, startedAt: string, inputs: Record<string, unknown>, finish: { status: 'ok' | 'error'; outputs?: unknown; error?: string }): Promise<void> {
  await sidebar.deps.store.write((q) => {
    insertStartedRun(q, { id, toolId, startedAt, inputsJson: JSON.stringify({ run_id: id, inputs }) });
    finishRun(q, id, {
      status: finish.status,
      finishedAt: new Date(Date.parse(startedAt) + 1500).toISOString(),
      outputsJson: finish.outputs === undefined ? null : JSON.stringify(finish.outputs),
      errorText: finish.error ?? null,
    });
  });
}

export function declareTreesSuite(): void {
  suite('Pixie views', () => {
    let sidebar: SidebarHandle;

    suiteSetup(async () => {
      sidebar = await pixieSidebar();
    });

    test('the Pixie container opens with its three views', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.pixie');
      await waitFor(() => sidebar.views.tools.view.visible, 'the Tools view to be visible');
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { views: Record<string, Array<{ id: string }>> } };
      assert.deepEqual(pkg.contributes.views.pixie!.map((v) => v.id), ['pixie.tools', 'pixie.runs', 'pixie.artefacts']);
    });

    test('Tools lists echo and the broken tool with its tool.json error (line:col) and an error icon', async () => {
      const rows = flatten(await rowsOf(sidebar.views.tools as AnyProvider));
      const echo = rows.find((r) => r.label === 'Echo');
      assert.ok(echo, `Echo listed: ${rows.map((r) => r.label).join(', ')}`);
      assert.match(echo.contextValue, /^tool\b/);
      assert.doesNotMatch(echo.contextValue, /\+broken/);
      const broken = rows.find((r) => r.label === 'broken');
      assert.ok(broken, 'the broken tool is listed under its folder name');
      assert.equal(broken.icon, 'error');
      assert.match(broken.contextValue, /\+broken\b/);
      assert.match(broken.description, /^tool\.json 7:3: unknown key "nmae"/);
      assert.match(broken.tooltip, /`7:3` unknown key/);
    });

    test('clicking the broken tool opens its tool.json at the error', async () => {
      assert.equal(await vscode.commands.executeCommand('pixie.tool.open', 'broken'), 'tool.json');
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join('broken', 'tool.json')) === true, 'tool.json');
      const position = vscode.window.activeTextEditor!.selection.active;
      assert.deepEqual([position.line + 1, position.character + 1], [7, 3]);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('Tools groups by workspace once one exists; tools in none go under Other', async () => {
      const id = await vscode.commands.executeCommand<number>('pixie.newWorkspace', 'Host Views');
      assert.equal(typeof id, 'number');
      assert.equal(await vscode.commands.executeCommand('pixie.tool.addToWorkspace', 'echo', id), id);
      await waitFor(async () => (await rowsOf(sidebar.views.tools as AnyProvider)).some((r) => r.label === 'Host Views'), 'the workspace group');
      const rows = await rowsOf(sidebar.views.tools as AnyProvider);
      const group = rows.find((r) => r.label === 'Host Views')!;
      assert.match(group.contextValue, /^workspace\b/);
      assert.deepEqual(group.children.map((c) => c.label), ['Echo']);
      const other = rows.find((r) => r.label === 'Other');
      assert.ok(other?.children.some((c) => c.label === 'broken'), 'broken is under Other');
      await vscode.commands.executeCommand('pixie.workspace.delete', id, true);
    });

    test('Runs shows a run recorded through the store: status icon, tool, time, duration, first inputs', async () => {
      await newRun(sidebar, 'host-view-run-1', 'echo', new Date(Date.now() - 60_000).toISOString(), { text: 'from the store' }, { status: 'ok', outputs: { text: 'from the store' } });
      await waitFor(async () => flatten(await rowsOf(sidebar.views.runs as AnyProvider)).some((r) => r.description.includes('text: from the store')), 'the run in the Runs view');
      const row = flatten(await rowsOf(sidebar.views.runs as AnyProvider)).find((r) => r.description.includes('text: from the store'))!;
      assert.equal(row.label, 'Echo');
      assert.equal(row.icon, 'pass');
      assert.match(row.description, /^\d\d:\d\d · 1\.5 s · text: from the store$/);
      assert.equal(sidebar.contextKeys.get('pixie.hasRuns'), true);
    });

    test('a report saved by the CLI (another process) reaches the dot and the status bar without a reload', async function () {
      this.timeout(30_000);
      const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
      assert.ok(fs.existsSync(cli), cli);
      const before = sidebar.statusBar.validation.text;
      await new Promise<void>((resolve, reject) =>
        // `validate` exits 1 when the tool fails, which is the point here; the report is saved either way.
        execFile(process.execPath, [cli, '--workspace', workspaceRoot(), 'validate', 'broken'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (error, stdout, stderr) =>
          error && error.code !== 1 ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(),
        ),
      );
      await waitFor(() => sidebar.validation.get('broken')?.overall === 'fail', 'the CLI report in the extension', 15_000);
      await waitFor(() => /1 ✗/.test(sidebar.statusBar.validation.text), `the status bar to count the failure (was ${before})`);
      const decoration = sidebar.decorations.provideFileDecoration(vscode.Uri.parse('pixie-tool:/broken'));
      assert.equal(decoration?.badge, '✗');
      assert.ok(decoration?.color instanceof vscode.ThemeColor);
      assert.equal((decoration.color as unknown as { id: string }).id, 'pixie.validation.failForeground');
      assert.equal(sidebar.decorations.provideFileDecoration(vscode.Uri.parse('pixie-tool:/echo'))?.color, undefined, 'unchecked or passing: no colour');
    });

    test('Runs groups by tool and pages; filters show in the view description', async () => {
      await vscode.commands.executeCommand('pixie.runs.groupByTool');
      const grouped = await rowsOf(sidebar.views.runs as AnyProvider);
      const echo = grouped.find((r) => r.label === 'Echo');
      assert.ok(echo && echo.children.length >= 1, 'an Echo group with its runs');
      assert.match(echo.children[0]!.label, /^(★ )?\d\d:\d\d/, 'in a group the time is the label');
      await vscode.commands.executeCommand('pixie.runs.showFlat');
      await vscode.commands.executeCommand('pixie.runs.filter', { status: 'error' });
      assert.equal(sidebar.views.runs.view.description, 'failed');
      const filtered = await rowsOf(sidebar.views.runs as AnyProvider);
      assert.ok(filtered.every((r) => r.icon === 'error' || r.contextValue === 'message'));
      await vscode.commands.executeCommand('pixie.runs.clearFilter');
      assert.equal(sidebar.views.runs.view.description, undefined);
    });

    test('Artefacts lists a run’s file with size and MIME icon; opening it gives an editor tab', async () => {
      const root = sidebar.deps.config().artefactsRoot;
      const rel = 'echo/host-view-run-1/notes.txt';
      fs.mkdirSync(path.join(root, 'echo', 'host-view-run-1'), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'artefact text\n');
      await sidebar.deps.store.write((q) =>
        insertArtefact(q, { runId: 'host-view-run-1', toolId: 'echo', outputKey: 'notes', relPath: rel, filename: 'notes.txt', mime: 'text/plain', sizeBytes: 14, sha256: 'x', createdAt: new Date().toISOString() }),
      );
      await waitFor(async () => flatten(await rowsOf(sidebar.views.artefacts as AnyProvider)).some((r) => r.label === 'notes.txt'), 'the artefact in the view');
      const runRow = (await rowsOf(sidebar.views.artefacts as AnyProvider)).find((r) => r.children.some((c) => c.label === 'notes.txt'))!;
      assert.equal(runRow.label, 'Echo');
      const file = runRow.children.find((c) => c.label === 'notes.txt')!;
      assert.equal(file.icon, 'file-text');
      assert.match(file.description, /^14 B/);
      const id = sidebar.deps.store.read((q) => q.get<{ id: number }>("SELECT id FROM artefacts WHERE filename = 'notes.txt'"))!.id;
      assert.equal(await vscode.commands.executeCommand('pixie.artefact.open', id), 'document');
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root, rel), 'the artefact tab');
      assert.equal(vscode.window.activeTextEditor!.document.getText(), 'artefact text\n');
    });

    test('Delete (soft) hides an artefact; Show Deleted brings it back; Restore clears deleted_at', async () => {
      const id = sidebar.deps.store.read((q) => q.get<{ id: number }>("SELECT id FROM artefacts WHERE filename = 'notes.txt'"))!.id;
      assert.equal(await vscode.commands.executeCommand('pixie.artefact.delete', id), true);
      await waitFor(async () => !flatten(await rowsOf(sidebar.views.artefacts as AnyProvider)).some((r) => r.label === 'notes.txt'), 'the artefact hidden');
      await vscode.commands.executeCommand('pixie.artefacts.showDeleted');
      const deleted = flatten(await rowsOf(sidebar.views.artefacts as AnyProvider)).find((r) => r.label === 'notes.txt');
      assert.ok(deleted && /\+deleted/.test(deleted.contextValue) && deleted.icon === 'trash');
      await vscode.commands.executeCommand('pixie.artefact.restore', id);
      await vscode.commands.executeCommand('pixie.artefacts.hideDeleted');
      await waitFor(async () => flatten(await rowsOf(sidebar.views.artefacts as AnyProvider)).some((r) => r.label === 'notes.txt' && !r.contextValue.includes('+deleted')), 'restored');
      const row = sidebar.deps.store.read((q) => q.get<{ deleted_at: string | null }>('SELECT deleted_at FROM artefacts WHERE id = ?', [id]));
      assert.equal(row?.deleted_at, null);
    });
  });
}
