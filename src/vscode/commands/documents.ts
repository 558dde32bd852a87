// Read-only virtual documents: `pixie-run:` (a run's inputs+outputs JSON for the diff editor, its error/stderr) and
// `pixie-report:` (the latest validation report as Markdown). Content is read from the store when VS Code asks,
// and re-read when the row changes.
import * as vscode from 'vscode';
import { ArtefactMissingError, loadRunOutputs } from '../../core/artefacts/replay';
import { getRun, type RunRecord } from '../../core/store/repositories/runs';
import { latestValidationReport } from '../../core/store/repositories/validationReports';
import type { Store } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import { parseReport } from '../../core/validator/report';
import { noReportMarkdown, rawReportMarkdown, reportToMarkdown } from './reportMarkdown';
import { parseRunDocumentPath, RUN_SCHEME, runDocumentPath, runErrorText, runJsonText, type RunDocumentKind } from './runDocuments';

export const REPORT_SCHEME = 'pixie-report';

export function runDocumentUri(run: Pick<RunRecord, 'id' | 'toolId'>, kind: RunDocumentKind): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SCHEME, path: runDocumentPath(run.toolId, run.id, kind) });
}

export function reportUri(toolId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${encodeURIComponent(toolId)}.md` });
}

export class RunDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly store: Store,
    private readonly artefactsRoot: () => string,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parsed = parseRunDocumentPath(uri.path);
    if (!parsed) return `Not a Pixie run document: ${uri.toString()}\n`;
    const run = this.store.read((q) => getRun(q, parsed.runId));
    if (!run) return `Run ${parsed.runId} no longer exists.\n`;
    if (parsed.kind === 'error') return runErrorText(run);
    try {
      return runJsonText(run, await loadRunOutputs(this.store, this.artefactsRoot(), run));
    } catch (error) {
      const why = error instanceof ArtefactMissingError ? error.message : `outputs could not be read: ${(error as Error).message}`;
      return runJsonText(run, undefined, why);
    }
  }

  /** Re-read every open run document (the runs table changed). */
  refreshOpen(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === RUN_SCHEME) this.emitter.fire(document.uri);
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly store: Store,
    private readonly catalog: ToolCatalog,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const toolId = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    const row = this.store.read((q) => latestValidationReport(q, toolId));
    if (!row) return noReportMarkdown(toolId);
    const report = parseReport(row.reportJson);
    const name = this.catalog.get(toolId)?.spec?.name ?? toolId;
    return report ? reportToMarkdown(report, name) : rawReportMarkdown(toolId, row.overall, row.timestamp, row.reportJson);
  }

  refreshOpen(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === REPORT_SCHEME) this.emitter.fire(document.uri);
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
