// The data provider a Pixie view is created with inside activate(), before the store is open: its getChildren waits
// for the ready gate (VS Code shows the view's progress bar meanwhile), then answers from the real tree, bound once
// the services exist. A failed gate (the store did not open) or no tree means no rows, so the view shows its
// message or welcome content — never placeholder rows. Pure: vscode is imported for types only.
import type * as vscode from 'vscode';

type TreeChange<T> = T | T[] | undefined | null | void;
type Listener<T> = (change: TreeChange<T>) => unknown;

export class LateTreeDataProvider<T> implements vscode.TreeDataProvider<T> {
  private target: vscode.TreeDataProvider<T> | undefined;
  private readonly listeners = new Set<Listener<T>>();

  constructor(private readonly gate: { readonly settled: Promise<void>; readonly state: 'pending' | 'ready' | 'failed' }) {}

  readonly onDidChangeTreeData: vscode.Event<TreeChange<T>> = (listener, thisArgs?: unknown, disposables?: vscode.Disposable[]) => {
    const bound: Listener<T> = (change) => listener.call(thisArgs, change);
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  /** The real tree answers from now on (its change events are passed on). Disposing unbinds it and empties the view. */
  bind(target: vscode.TreeDataProvider<T>): { dispose(): void } {
    if (this.target) throw new Error('this view already has a tree');
    this.target = target;
    const forwarding = target.onDidChangeTreeData?.((change) => this.fire(change));
    // A request made before binding is still waiting for the gate and will get the real rows; once the gate has
    // settled nothing is waiting, so the view is asked again.
    if (this.gate.state !== 'pending') this.fire(undefined);
    return {
      dispose: () => {
        if (this.target !== target) return;
        forwarding?.dispose();
        this.target = undefined;
        this.fire(undefined);
      },
    };
  }

  get bound(): boolean {
    return this.target !== undefined;
  }

  async getChildren(element?: T): Promise<T[]> {
    await this.gate.settled;
    if (this.gate.state !== 'ready' || !this.target) return [];
    return (await this.target.getChildren(element)) ?? [];
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.target) throw new Error('the view has no tree (it was unbound)');
    return this.target.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.target?.getParent?.(element);
  }

  private fire(change: TreeChange<T>): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
