// Workspace Trust in the real extension host. Run twice: `npm run test:host` (trusted) and
// `node scripts/vscode-harness/harness.mjs test --trust=off` (Restricted Mode). Untrusted: nothing is spawned —
// the run/re-run/validate commands refuse, RunService refuses, no process is started — while tools and history
// are still listed and the views explain why.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { countRuns } from '../../src/core/store/repositories/runs';
import type { SidebarHandle } from '../../src/vscode/commands';
import { readConfig } from '../../src/vscode/settings';
import { EXTENSION_ID } from './extension.test';
import { flatten, newRun, pixieSidebar, rowsOf, workspaceRoot } from './trees.test';

type AnyProvider = vscode.TreeDataProvider<unknown>;

export function declareTrustSuite(): void {
  suite(`Workspace Trust (${vscode.workspace.isTrusted ? 'trusted' : 'Restricted Mode'})`, () => {
    let sidebar: SidebarHandle;

    suiteSetup(async () => {
      sidebar = await pixieSidebar();
    });

    test('pixie.trusted follows vscode.workspace.isTrusted; executionBlockedReason only when untrusted', () => {
      assert.equal(sidebar.contextKeys.get('pixie.trusted'), vscode.workspace.isTrusted);
      assert.equal(sidebar.trust.executionBlockedReason() === undefined, vscode.workspace.isTrusted);
    });

    test('untrusted: tools are still listed, and the Tools view says why nothing runs', async function () {
      if (vscode.workspace.isTrusted) {
        assert.equal(sidebar.views.tools.view.message, undefined);
        return;
      }
      const labels = flatten(await rowsOf(sidebar.views.tools as AnyProvider)).map((r) => r.label);
      assert.ok(labels.includes('Echo'), labels.join(', '));
      assert.match(sidebar.views.tools.view.message ?? '', /Restricted Mode/);
    });

    test('untrusted: welcome content explains Restricted Mode with a Manage Workspace Trust link', async function () {
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { viewsWelcome: Array<{ view: string; when: string; contents: string }> } };
      const untrusted = pkg.contributes.viewsWelcome.filter((w) => w.when.includes('!isWorkspaceTrusted'));
      assert.deepEqual([...new Set(untrusted.map((w) => w.view))].sort(), ['pixie.runs', 'pixie.tools']);
      for (const entry of untrusted) assert.match(entry.contents, /\(command:workbench\.trust\.manage\)/);
      if (vscode.workspace.isTrusted) return;
      // The Runs view is empty at this point, so its welcome content is what the user sees.
      assert.equal(sidebar.deps.store.read((q) => countRuns(q)), 0, 'no run yet');
      assert.equal(sidebar.contextKeys.get('pixie.hasRuns'), false);
      assert.deepEqual(await rowsOf(sidebar.views.runs as AnyProvider), []);
    });

    test('untrusted: Run, Re-run, Validate and RunService refuse; no process is started, no run row written', async function () {
      if (vscode.workspace.isTrusted) this.skip();
      this.timeout(20_000);
      await newRun(sidebar, 'trust-run-1', 'echo', new Date().toISOString(), { text: 'history still shows' }, { status: 'ok', outputs: {} });
      const before = sidebar.deps.store.read((q) => countRuns(q));
      assert.equal(await vscode.commands.executeCommand('pixie.runTool', 'echo'), false);
      assert.equal(await vscode.commands.executeCommand('pixie.tool.run', 'echo'), false);
      assert.equal(await vscode.commands.executeCommand('pixie.run.rerun', 'trust-run-1'), undefined);
      assert.equal(await vscode.commands.executeCommand('pixie.run.editAndRerun', 'trust-run-1'), false);
      assert.equal(await vscode.commands.executeCommand('pixie.validateTool', 'echo'), undefined);
      assert.equal(await vscode.commands.executeCommand('pixie.validateAll'), undefined);
      // Opening the form is allowed (the panel explains Restricted Mode); it starts nothing either.
      assert.equal(await vscode.commands.executeCommand('pixie.tool.open', 'echo'), 'form');
      const echo = sidebar.deps.catalog.get('echo');
      assert.ok(echo);
      await assert.rejects(sidebar.deps.runService.start(echo, { text: 'x' }), /Restricted Mode|not trusted/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(sidebar.deps.launcher.list(), [], 'no tool process');
      assert.deepEqual(sidebar.deps.runService.activeRunIds(), []);
      assert.equal(sidebar.deps.store.read((q) => countRuns(q)), before, 'no run row written');
      assert.equal(sidebar.validation.get('echo'), undefined, 'no report written');
      // History stays browsable.
      const rows = flatten(await rowsOf(sidebar.views.runs as AnyProvider));
      assert.ok(rows.some((r) => r.description.includes('history still shows')));
    });

    test('untrusted: a workspace value of a restricted setting (pixie.toolsDir) is not applied', async function () {
      if (vscode.workspace.isTrusted) this.skip();
      const section = vscode.workspace.getConfiguration('pixie');
      try {
        await section.update('toolsDir', 'elsewhere', vscode.ConfigurationTarget.Workspace);
      } catch {
        return; // writing workspace settings is not allowed either: nothing to apply
      }
      try {
        assert.equal(readConfig(workspaceRoot()).toolsDir.endsWith('elsewhere'), false, 'the restricted setting is ignored');
      } finally {
        await section.update('toolsDir', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    test('trusted: Run Tool opens the tool panel', async function () {
      if (!vscode.workspace.isTrusted) this.skip();
      const opened = await vscode.commands.executeCommand('pixie.runTool', 'echo');
      assert.equal(opened, true);
    });
  });
}
