// Workspace Trust: in Restricted Mode Pixie lists tools and shows history but never starts a tool process.
// RunService asks `executionBlockedReason()` before every run; command handlers call `ensureTrusted()` first so
// the user gets an explanation (with a way to trust the folder) instead of a silent no-op.
import * as vscode from 'vscode';
import type { ContextKeys } from './contextKeys';

export const RESTRICTED_MODE_REASON =
  'this folder is open in Restricted Mode (Workspace Trust), where Pixie does not start tool processes. ' +
  'Trust the folder to run and validate tools.';

/** Whether this window may start tool processes. */
export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** For RunService's `executionBlockedReason` option (needs no instance, so extension.ts can pass it first). */
export function executionBlockedReason(): string | undefined {
  return isTrusted() ? undefined : RESTRICTED_MODE_REASON;
}

export class WorkspaceTrust implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<boolean>();
  private readonly subscription: vscode.Disposable;
  /** Fires `true` once the folder is trusted (VS Code never revokes trust in a running window). */
  readonly onDidChange = this.emitter.event;

  constructor(contextKeys: ContextKeys) {
    void contextKeys.set('pixie.trusted', isTrusted());
    this.subscription = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void contextKeys.set('pixie.trusted', true);
      this.emitter.fire(true);
    });
  }

  isTrusted(): boolean {
    return isTrusted();
  }

  executionBlockedReason(): string | undefined {
    return executionBlockedReason();
  }

  /** True when trusted; otherwise explains why `action` cannot happen and offers to manage trust. */
  ensureTrusted(action: string): boolean {
    if (this.isTrusted()) return true;
    void vscode.window
      .showWarningMessage(`Pixie cannot ${action}: ${RESTRICTED_MODE_REASON}`, 'Manage Workspace Trust')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return false;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
