// The Runs view's badge (like Source Control's count): runs that finished, ok or failed, since the user last looked
// at the view; cleared when the view becomes visible. VS Code also shows it on the Pixie activity-bar icon.
// The counting is RunsBadgeCounter (pure); this class reads the store and sets TreeView.badge.
import * as vscode from 'vscode';
import type { Store } from '../../core/store/types';
import { RunsBadgeCounter } from './runsBadgeModel';
import { runsForBadge } from './viewQueries';

export class RunsBadge implements vscode.Disposable {
  private readonly counter = new RunsBadgeCounter();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly store: Store,
  ) {
    this.counter.setVisible(view.visible);
    this.update(); // the baseline: what finished before now is not new
    this.subscription = view.onDidChangeVisibility((event) => {
      if (this.counter.setVisible(event.visible)) this.show();
    });
  }

  /** The runs table changed: count what finished since the last look. */
  update(): void {
    const rows = this.store.read((q) => runsForBadge(q, this.counter.nextQuery()));
    if (this.counter.observe(rows)) this.show();
  }

  private show(): void {
    this.view.badge = this.counter.badge();
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
