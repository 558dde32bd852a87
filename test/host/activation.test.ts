// Fast activation in the real extension host: activate() returns before the store is open, and what it registered
// waits for `ready`. Each suite needs an extension host of its own in which Pixie has not activated yet (a workspace
// whose tools are in a folder named by settings, so no activation event fires by itself), so they are not in the
// main run: test/integration/activation-sessions.test.ts starts one harness session per suite, selected with
// PIXIE_HOST_SUITE (see index.ts).
//   activation:     a working pixie.db; commands and views used right after activate() work once ready.
//   store-failure:  pixie.db cannot be opened (a directory, or not SQLite): activate() does not throw, the user is
//                   told, commands say why they cannot run, the views show the error, nothing is written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PixieApi } from '../../src/extension';
import { EXTENSION_ID } from './extension.test';
import { flatten, rowsOf, workspaceRoot } from './trees.test';

type AnyProvider = vscode.TreeDataProvider<unknown>;

function inactiveExtension(): vscode.Extension<PixieApi> {
  const extension = vscode.extensions.getExtension<PixieApi>(EXTENSION_ID);
  assert.ok(extension, 'extension installed');
  assert.equal(extension.isActive, false, 'Pixie activated before the suite: the workspace must not match its activation events');
  return extension;
}

/** Whether `promise` has settled after queued callbacks ran. */
async function isSettled(promise: Thenable<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

type Notify = (message: string, ...items: unknown[]) => Thenable<unknown>;

/** Records error/warning notifications (the extension shares this API object with the tests: same extension folder). */
function recordNotifications(): { errors: string[]; warnings: string[]; restore(): void } {
  const window = vscode.window as unknown as { showErrorMessage: Notify; showWarningMessage: Notify };
  const original = { error: window.showErrorMessage, warning: window.showWarningMessage };
  const errors: string[] = [];
  const warnings: string[] = [];
  window.showErrorMessage = (message) => {
    errors.push(message);
    return Promise.resolve(undefined); // as if dismissed: no "Show Log" click
  };
  window.showWarningMessage = (message) => {
    warnings.push(message);
    return Promise.resolve(undefined);
  };
  return {
    errors,
    warnings,
    restore: () => {
      window.showErrorMessage = original.error;
      window.showWarningMessage = original.warning;
    },
  };
}

function contributedCommands(extension: vscode.Extension<PixieApi>): string[] {
  const pkg = extension.packageJSON as { contributes: { commands: Array<{ command: string }> } };
  return pkg.contributes.commands.map((c) => c.command);
}

export function declareActivationSuite(): void {
  suite('activation: registered at once, ready in the background', () => {
    test('commands and views used right after activate() wait for the store and then work', async () => {
      const extension = inactiveExtension();
      const api = await extension.activate();
      assert.equal(api.status().state, 'pending', 'activate() returned before the store was open');

      // All while the store is still opening: a palette command, the three views' first requests.
      const refresh = vscode.commands.executeCommand('pixie.refresh');
      const tools = rowsOf(api.views.tools.provider as AnyProvider);
      const runs = rowsOf(api.views.runs.provider as AnyProvider, undefined, 1);
      const artefacts = api.views.artefacts.provider.getChildren();
      assert.equal(api.status().state, 'pending', 'the requests were made before ready');
      assert.equal(await isSettled(refresh), false, 'the command waits for the store');

      assert.equal(await refresh, true, 'pixie.refresh ran its real handler');
      assert.equal(api.status().state, 'ready');
      const services = await api.ready;
      assert.ok(services?.sidebar);
      const toolRows = flatten(await tools);
      assert.ok(toolRows.some((r) => r.label === 'Echo'), `the tools once ready: ${toolRows.map((r) => r.label).join(', ')}`);
      const runRows = await runs;
      assert.equal(runRows.length, 101, 'a page of 100 runs and "Load more"');
      assert.equal(runRows[100]?.label, 'Load more…');
      assert.deepEqual(await artefacts, [], 'no artefacts in this workspace: empty, so its welcome content shows');
      assert.ok(!api.views.runs.view.message, 'no error message on a working store');
    });

    test('every contributed command is registered, and each has a handler once ready', async () => {
      const extension = vscode.extensions.getExtension<PixieApi>(EXTENSION_ID)!;
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const id of contributedCommands(extension)) assert.ok(registered.has(id), `${id} is registered`);
      const services = await extension.exports.ready;
      assert.deepEqual(services?.sidebar.deps.shell.commands.missing(), []);
    });

    test('after ready, a call goes straight to its handler with its arguments (which refuses an unknown tool id)', async () => {
      // Through the command table: the handler's own checks run (a UserFacingError becomes a warning).
      const notifications = recordNotifications();
      try {
        assert.equal(await vscode.commands.executeCommand('pixie.tool.open', 'no-such-tool'), undefined);
        assert.ok(notifications.warnings.some((m) => m.includes('there is no tool “no-such-tool”')), notifications.warnings.join(' | '));
      } finally {
        notifications.restore();
      }
    });
  });
}

export function declareStoreFailureSuite(): void {
  suite('activation when pixie.db cannot be opened', () => {
    let api: PixieApi;
    let notifications: ReturnType<typeof recordNotifications>;
    let dbBefore: string[];
    /** pixie.db and every file beside it (redo log, lock), with its contents: what must not change. */
    const describeDb = (): string[] =>
      fs
        .readdirSync(workspaceRoot())
        .filter((name) => name.startsWith('pixie.db'))
        .sort()
        .map((name) => {
          const full = path.join(workspaceRoot(), name);
          return fs.statSync(full).isDirectory() ? `${name}/ ${fs.readdirSync(full).join(',')}` : `${name} ${fs.readFileSync(full).toString('base64')}`;
        });

    suiteSetup(() => {
      dbBefore = describeDb();
      notifications = recordNotifications();
    });
    suiteTeardown(() => notifications.restore());

    test('activate() does not throw; ready resolves to nothing and the user is told why, with Show Log', async () => {
      const extension = inactiveExtension();
      api = await extension.activate();
      assert.equal(await api.ready, undefined);
      const { state, failure } = api.status();
      assert.equal(state, 'failed');
      assert.match(failure ?? '', /^Pixie could not open its database: /);
      assert.ok(notifications.errors.includes(failure!), `the error notification: ${notifications.errors.join(' | ')}`);
    });

    test('the views show no rows and the error as their message', async () => {
      const failure = api.status().failure!;
      for (const [name, { view, provider }] of Object.entries(api.views)) {
        assert.deepEqual(await provider.getChildren(), [], `${name} has no rows`);
        assert.equal(view.message, failure, `${name} shows the error`);
      }
    });

    test('commands that need the store say so instead of failing with "command not found"', async () => {
      const before = notifications.errors.length;
      assert.equal(await vscode.commands.executeCommand('pixie.runTool'), undefined);
      assert.equal(await vscode.commands.executeCommand('pixie.runs.filter'), undefined);
      const said = notifications.errors.slice(before);
      assert.equal(said.length, 2, said.join(' | '));
      assert.match(said[0]!, /^“Pixie: Run Tool…” is unavailable\. Pixie could not open its database: /);
      assert.match(said[1]!, /^“Pixie: Filter Runs…” is unavailable\./);
    });

    test('Show Log works, and pixie.db is left as it was', async () => {
      await vscode.commands.executeCommand('pixie.showLog');
      assert.deepEqual(describeDb(), dbBefore, 'pixie.db and the files beside it are untouched');
    });
  });
}
