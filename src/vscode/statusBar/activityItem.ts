// A spinner in the status bar while a run or a background job is active. Runs come from RunService (checked when
// the runs table changes); other work registers itself with `begin(label)` and disposes the handle when done.
import * as vscode from 'vscode';

export class ActivityItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly jobs = new Map<number, string>();
  private nextId = 1;
  private runs: string[] = [];

  constructor(private readonly activeRuns: () => string[]) {
    this.item = vscode.window.createStatusBarItem('pixie.activity', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'Pixie Activity';
    this.item.command = 'pixie.showLog';
    this.update();
  }

  begin(label: string): vscode.Disposable {
    const id = this.nextId++;
    this.jobs.set(id, label);
    this.update();
    return new vscode.Disposable(() => {
      if (this.jobs.delete(id)) this.update();
    });
  }

  /** Labels of everything in progress (runs as `run <id>`). */
  active(): string[] {
    return [...this.runs.map((id) => `run ${id.slice(0, 8)}`), ...this.jobs.values()];
  }

  get visible(): boolean {
    return this.active().length > 0;
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    this.runs = this.activeRuns();
    const labels = [...this.jobs.values()];
    if (this.runs.length + labels.length === 0) {
      this.item.hide();
      return;
    }
    const parts: string[] = [];
    if (this.runs.length > 0) parts.push(this.runs.length === 1 ? 'running 1 tool' : `running ${this.runs.length} tools`);
    if (labels.length === 1) parts.push(labels[0]!);
    else if (labels.length > 1) parts.push(`${labels.length} jobs`);
    this.item.text = `$(sync~spin) ${parts.join(' · ')}`;
    this.item.tooltip = ['Pixie is working:', ...this.active().map((label) => `• ${label}`), '', 'Click to show the log.'].join('\n');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
