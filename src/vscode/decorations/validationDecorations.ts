// The validation dot on tool items: tool items carry `resourceUri = pixie-tool:/<id>` and this provider decorates
// that private scheme from the latest report — a coloured badge for fail and warn, a plain ✓ for pass, nothing for
// unchecked or skipped tools. Colours are contributed theme colours (light, dark, high contrast).
import * as vscode from 'vscode';
import type { ValidationState } from './validationState';

export const TOOL_SCHEME = 'pixie-tool';

export function toolUri(toolId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: TOOL_SCHEME, path: `/${toolId}` });
}

export function toolIdOfUri(uri: vscode.Uri): string | undefined {
  return uri.scheme === TOOL_SCHEME ? uri.path.replace(/^\//, '') : undefined;
}

export class ValidationDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly subscription: { dispose(): void };
  readonly onDidChangeFileDecorations = this.emitter.event;

  constructor(private readonly validation: ValidationState) {
    this.subscription = validation.onDidChange((toolIds) => this.emitter.fire(toolIds.map(toolUri)));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const toolId = toolIdOfUri(uri);
    if (toolId === undefined) return undefined;
    const latest = this.validation.get(toolId);
    switch (latest?.overall) {
      case 'fail':
        return { badge: '✗', tooltip: 'Validation failed', color: new vscode.ThemeColor('pixie.validation.failForeground') };
      case 'warn':
        return { badge: '!', tooltip: 'Validation passed with warnings', color: new vscode.ThemeColor('pixie.validation.warnForeground') };
      case 'pass':
        return { badge: '✓', tooltip: 'Validation passed' };
      default:
        return undefined;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
