// What the panel does with a run's files on the webview's request: open one in an editor tab (VS Code's own image,
// media and text viewers), reveal it, save a file the webview produced (text, or base64 for a chart's PNG). Every
// path from the db is resolved inside the artefacts root first, and only files of the panel's own tool are opened.
import * as vscode from 'vscode';
import { getArtefact } from '../../core/store/repositories/artefacts';
import type { Store } from '../../core/store/types';
import { ProtocolError } from '../../protocol';
import { locateArtefact } from './outputResolver';

export function artefactPath(store: Store, artefactsRoot: string, toolId: string, id: number): string {
  const artefact = store.read((q) => getArtefact(q, id));
  if (!artefact || artefact.toolId !== toolId) throw new ProtocolError(`No file ${id} belongs to this tool's runs.`);
  if (artefact.deletedAt !== null) throw new ProtocolError(`${artefact.filename} was deleted.`);
  const where = locateArtefact(artefactsRoot, artefact.relPath);
  if ('problem' in where) throw new ProtocolError(`${artefact.filename}: ${where.problem}`);
  return where.path;
}

export async function openArtefactInEditor(path: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path), { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

export async function revealArtefact(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  // The Explorer can show it when it is inside the open folder; otherwise the OS file manager.
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}

/** A plain file name (no folders), for the save dialog's suggestion. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base].map((c) => (c.charCodeAt(0) < 32 || '<>:"|?*'.includes(c) ? '_' : c)).join('').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'download.txt' : cleaned.slice(0, 200);
}

/** Decodes the content a webview sent: UTF-8 text, or base64 for binary files (a chart's PNG). */
export function fileBytes(content: string, encoding: 'utf8' | 'base64' = 'utf8'): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(content);
  // Buffer.from skips characters outside the alphabet; reject them instead of saving a silently damaged file.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) throw new ProtocolError('The file content is not valid base64.');
  return Buffer.from(content, 'base64');
}

export async function saveTextFile(workspaceRoot: string, suggestedName: string, content: string, encoding: 'utf8' | 'base64' = 'utf8'): Promise<boolean> {
  const bytes = fileBytes(content, encoding);
  const name = safeFileName(suggestedName);
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(vscode.Uri.file(workspaceRoot), name),
    filters: extension ? { [extension.toUpperCase()]: [extension], 'All files': ['*'] } : undefined,
    saveLabel: 'Save',
  });
  if (!target) return false;
  await vscode.workspace.fs.writeFile(target, bytes);
  return true;
}

export async function openExternalLink(url: string): Promise<boolean> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(url, true);
  } catch {
    throw new ProtocolError('Not a valid link.');
  }
  if (uri.scheme !== 'http' && uri.scheme !== 'https') throw new ProtocolError('Only http and https links can be opened.');
  return vscode.env.openExternal(uri);
}
