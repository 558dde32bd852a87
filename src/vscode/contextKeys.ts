// The `pixie.*` context keys menus and welcome content depend on. Set only through this class, which remembers
// the last value (setContext cannot be read back) so tests and the views can ask what is shown.
import * as vscode from 'vscode';
import { CONTEXT_KEYS, type ContextKey } from './commands/ids';

export { CONTEXT_KEYS, type ContextKey };

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();

  /** Sets the key when its value changes; resolves once VS Code has it. */
  set(key: ContextKey, value: boolean): Thenable<unknown> {
    if (this.values.get(key) === value) return Promise.resolve();
    this.values.set(key, value);
    return vscode.commands.executeCommand('setContext', key, value);
  }

  get(key: ContextKey): boolean | undefined {
    return this.values.get(key);
  }

  snapshot(): Record<string, boolean> {
    return Object.fromEntries(this.values);
  }
}
