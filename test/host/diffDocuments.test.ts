// "Open in Diff Editor" in the real extension host: the two texts open in VS Code's diff editor as read-only
// in-memory documents, with the title and (when VS Code knows it) the language; past the bounds the oldest pair is
// gone and its URI shows the "no longer in memory" text. Runs on its own scheme, beside the extension's instance.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DiffContents, GONE_TEXT } from '../../src/vscode/panels/diffContents';
import { DiffDocuments } from '../../src/vscode/panels/diffDocuments';

function activeDiff(): vscode.TabInputTextDiff | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input : undefined;
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
}

export function declareDiffDocumentsSuite(): void {
  suite('Diff documents (Open in Diff Editor)', () => {
    let docs: DiffDocuments;

    suiteSetup(() => {
      docs = new DiffDocuments(new DiffContents(2, 1_000_000), 'pixie-diff-test');
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      docs.dispose();
    });

    test('opens both texts in the diff editor with the title and the language', async () => {
      assert.equal(await docs.open({ title: 'main.py (Before ↔ After)', left: 'import os\nprint("hi")\n', right: 'import os\nprint("hello")\n', language: 'python' }), true);
      const diff = activeDiff();
      assert.ok(diff, 'a diff editor is active');
      assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'main.py (Before ↔ After)');
      assert.equal(diff.original.scheme, 'pixie-diff-test');
      assert.match(diff.original.path, /^\/\d+\/left\.py$/);
      const left = openDocument(diff.original);
      const right = openDocument(diff.modified);
      assert.equal(left?.getText(), 'import os\nprint("hi")\n');
      assert.equal(right?.getText(), 'import os\nprint("hello")\n');
      assert.equal(left?.languageId, 'python');
      assert.equal(right?.languageId, 'python');
    });

    test('an unknown language is ignored; an empty title gets a default; unicode survives', async () => {
      await docs.open({ title: ' ', left: 'Größe 😀', right: '日本語', language: 'no-such-language' });
      const diff = activeDiff();
      assert.ok(diff);
      assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Pixie diff');
      assert.match(diff.original.path, /^\/\d+\/left$/);
      assert.equal((await vscode.workspace.openTextDocument(diff.modified)).getText(), '日本語');
    });

    test('past the bounds the oldest texts are dropped and their URI says so', async () => {
      await docs.open({ title: 'first', left: 'one', right: 'two' });
      const first = activeDiff();
      assert.ok(first);
      await docs.open({ title: 'second', left: 'a', right: 'b' });
      await docs.open({ title: 'third', left: 'c', right: 'd' });
      assert.equal(docs.provideTextDocumentContent(first.original), GONE_TEXT);
      assert.equal(docs.provideTextDocumentContent(vscode.Uri.parse('pixie-diff-test:/not/a/diff')), GONE_TEXT);
      const third = activeDiff();
      assert.ok(third);
      assert.equal(docs.provideTextDocumentContent(third.modified), 'd');
    });
  });
}
