// "Open in Diff Editor" from a diff output: the two texts become read-only documents under the `pixie-diff` scheme
// (served from memory by a content provider; nothing is written to disk) and open in VS Code's own diff editor.
// One instance per extension — a scheme can have only one provider — disposed with the extension.
import * as vscode from 'vscode';
import { DIFF_SCHEME, DiffContents, diffPath, GONE_TEXT, parseDiffPath } from './diffContents';

export interface OpenDiffParams {
  title: string;
  left: string;
  right: string;
  /** A VS Code language id (python, json, …); unknown ids are ignored. */
  language?: string;
}

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  /** `scheme` is for tests, which run beside the extension's own instance. */
  constructor(
    private readonly contents = new DiffContents(),
    readonly scheme = DIFF_SCHEME,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const where = parseDiffPath(uri.path);
    return (where && this.contents.text(where.id, where.side)) ?? GONE_TEXT;
  }

  async open(params: OpenDiffParams): Promise<boolean> {
    const id = this.contents.add(params.left, params.right);
    const language = params.language && (await vscode.languages.getLanguages()).includes(params.language) ? params.language : undefined;
    const left = vscode.Uri.from({ scheme: this.scheme, path: diffPath(id, 'left', language) });
    const right = vscode.Uri.from({ scheme: this.scheme, path: diffPath(id, 'right', language) });
    if (language) {
      // The diff editor reuses these open documents, so it shows them in the language set here.
      for (const uri of [left, right]) await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
    }
    const title = params.title.trim() === '' ? 'Pixie diff' : params.title;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return true;
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
