// The extension loads in the real extension host: it activates on its own in a workspace with a
// tools/<id>/tool.json (the harness opens a copy of test/host/workspace) and its command runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'pixie-tools.pixie-vscode';

/** Polls until `check()` is true; activation by event happens around the time the suite starts. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function declareExtensionSuite(): void {
  suite('Pixie extension in the extension host', () => {
    test('runs inside a VS Code 1.100+ Node extension host', () => {
      const [major, minor] = vscode.version.split('.').map(Number);
      assert.ok(major > 1 || (major === 1 && minor >= 100), `VS Code ${vscode.version}`);
      assert.ok(process.versions.node.startsWith('20.') || Number(process.versions.node.split('.')[0]) > 20);
    });

    test('the test workspace with tools/echo/tool.json is open', () => {
      const folders = vscode.workspace.workspaceFolders ?? [];
      assert.equal(folders.length, 1, 'exactly one folder');
      const toolJson = path.join(folders[0].uri.fsPath, 'tools', 'echo', 'tool.json');
      assert.ok(fs.existsSync(toolJson), `${toolJson} exists`);
    });

    test('the extension is installed under its id', () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is known to the host`);
      assert.equal(extension.packageJSON.name, 'pixie-vscode');
    });

    test('activates by itself through workspaceContains:tools/*/tool.json', async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension);
      // No activate() call here: the activation event alone has to start it.
      await waitFor(() => extension.isActive, `${EXTENSION_ID} to activate`);
    });

    test('activation opened the store: pixie.db appears at the workspace root', async () => {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(root);
      const db = path.join(root, 'pixie.db');
      await waitFor(() => fs.existsSync(db) && fs.statSync(db).size > 0, `${db} to be written`);
    });

    test('pixie.showLog is registered and runs without error', async () => {
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes('pixie.showLog'), 'pixie.showLog is registered');
      await vscode.commands.executeCommand('pixie.showLog');
    });

    test('an unknown pixie command is rejected (the host reports command errors)', async () => {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pixie.noSuchCommand')), /not found/);
    });
  });
}
