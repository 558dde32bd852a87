// The panel's page: a strict CSP (nothing but the extension's own files and the run's artefacts; scripts only with
// this page's nonce), the bundled stylesheet and the app.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export const VIEW_TYPE = 'pixie.toolPanel';

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** Folders the webview may load from: the bundle, static media, and the artefacts (to show output files). */
export function localResourceRoots(extensionUri: vscode.Uri, artefactsRoot: string): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.file(artefactsRoot)];
}

/** `imgSources`: extra origins for images — only the map tiles of the user's `pixie.maps.tileUrl` setting. */
export function contentSecurityPolicy(cspSource: string, nonce: string, imgSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    // data:/blob: images are the form's own thumbnails of chosen files (and streamed image values).
    [`img-src ${cspSource} data: blob:`, ...imgSources].join(' '),
    `media-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PanelHtmlOptions {
  nonce?: string;
  /** Extra img-src origins (map tiles; see mapTiles.ts). */
  imgSources?: readonly string[];
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, options: PanelHtmlOptions = {}): string {
  const nonce = options.nonce ?? newNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.js'));
  const styles = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.css'));
  // The stylesheet carries the codicon font too; vscode-elements looks it up by this id for its icons.
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(webview.cspSource, nonce, options.imgSources))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${escapeAttribute(styles.toString())}">
<title>${escapeAttribute(title)}</title>
</head>
<body>
<div id="app" role="main"></div>
<script type="module" nonce="${nonce}" src="${escapeAttribute(script.toString())}"></script>
</body>
</html>`;
}
