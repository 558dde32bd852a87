// The Runs view's badge in the real workbench: runs that finish while the view is hidden are counted on it
// (failures named in the tooltip); revealing the view clears it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { finishRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import type { SidebarHandle } from '../../src/vscode/commands';
import { pixieSidebar, waitFor } from './trees.test';

export function declareRunsBadgeSuite(): void {
  suite('Runs view badge', () => {
    let sidebar: SidebarHandle;
    // A call, not a property read: TypeScript would keep an `assert.equal(…, undefined)` narrowing across awaits.
    const badge = (): vscode.ViewBadge | undefined => sidebar.views.runs.view.badge;

    /** Show the Runs view (clears the badge), then switch the side bar to the Explorer so the view is hidden. */
    async function lookThenLookAway(): Promise<void> {
      await vscode.commands.executeCommand('pixie.runs.focus');
      await waitFor(() => sidebar.views.runs.view.visible, 'the Runs view to be visible');
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor(() => !sidebar.views.runs.view.visible, 'the Runs view to be hidden');
      assert.equal(badge(), undefined, 'looking at the view cleared the badge');
    }

    suiteSetup(async () => {
      sidebar = await pixieSidebar();
    });

    test('a tool run that finishes while the view is hidden shows on the badge; revealing the view clears it', async function () {
      if (!vscode.workspace.isTrusted) this.skip(); // Restricted Mode never starts a tool
      this.timeout(40_000);
      await lookThenLookAway();
      const tool = sidebar.deps.catalog.get('echo');
      assert.ok(tool);
      const ok = await sidebar.deps.runService.run(tool, { text: 'badge ok' });
      assert.equal(ok.status, 'ok', ok.errorText);
      await waitFor(() => badge()?.value === 1, `the badge to count 1 (it is ${badge()?.value})`);
      const failed = await sidebar.deps.runService.run(tool, { text: 'badge failed', fail_with: 'plain-500' });
      assert.equal(failed.status, 'error');
      await waitFor(() => badge()?.value === 2, `the badge to count 2 (it is ${badge()?.value})`);
      assert.equal(badge()?.tooltip, '2 new runs finished, 1 failed');

      await vscode.commands.executeCommand('pixie.runs.focus');
      await waitFor(() => sidebar.views.runs.view.visible, 'the Runs view to be visible');
      await waitFor(() => badge() === undefined, 'the badge to clear');
      // Runs finishing while the view is on screen are seen as they appear: no badge.
      const seen = await sidebar.deps.runService.run(tool, { text: 'badge seen' });
      assert.equal(seen.status, 'ok', seen.errorText);
      await new Promise((resolve) => setTimeout(resolve, 400)); // past the views' 100 ms refresh debounce
      assert.equal(badge(), undefined);
      await vscode.commands.executeCommand('pixie.tool.stop', 'echo');
    });

    test('a run finished by another writer (recorded through the store) counts too; a cancelled one does not', async () => {
      await lookThenLookAway();
      const now = Date.now();
      await sidebar.deps.store.write((q) => {
        insertStartedRun(q, { id: 'host-badge-long', toolId: 'echo', startedAt: new Date(now - 3_600_000).toISOString(), inputsJson: '{"inputs":{"text":"long"}}' });
        insertStartedRun(q, { id: 'host-badge-cancel', toolId: 'echo', startedAt: new Date(now).toISOString(), inputsJson: '{"inputs":{"text":"cancel"}}' });
      });
      await new Promise((resolve) => setTimeout(resolve, 400)); // the badge sees both running
      assert.equal(badge(), undefined, 'running runs are not counted');
      await sidebar.deps.store.write((q) => {
        finishRun(q, 'host-badge-long', { status: 'error', finishedAt: new Date().toISOString(), errorText: 'failed elsewhere' });
        finishRun(q, 'host-badge-cancel', { status: 'cancelled', finishedAt: new Date().toISOString() });
      });
      await waitFor(() => badge()?.value === 1, `the badge to count 1 (it is ${badge()?.value})`);
      assert.equal(badge()?.tooltip, '1 new run finished, 1 failed');
      await vscode.commands.executeCommand('pixie.runs.focus');
      await waitFor(() => badge() === undefined, 'the badge to clear');
    });
  });
}
