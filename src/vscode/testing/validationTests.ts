// The Testing view for validation: one test item per tool (its tool.json) with the twelve checks as children.
// Running validates the chosen tools with the same options as the Validate command, reports each check as it
// finishes, saves the report (the status bar, tree dots and Problems panel follow) and honours Cancel through
// the validator's AbortSignal. In Restricted Mode nothing is spawned: items are skipped with the reason.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { Launcher } from '../../core/runner/launcher';
import type { Store } from '../../core/store/types';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { DiscoveredTool } from '../../core/tools/discovery';
import { saveReport } from '../../core/validator/report';
import { CHECK_NAMES, type CheckName, type CheckResult, type ValidationReport } from '../../core/validator/types';
import { ValidationCancelledError, validateTool } from '../../core/validator/validateTool';
import type { ValidationState } from '../decorations/validationState';
import { RESTRICTED_MODE_REASON } from '../trust';
import { checkPosition, linesOf } from '../diagnostics/diagnosticModel';

export const TEST_CONTROLLER_ID = 'pixie.validation';

export interface ValidationTestsDeps {
  store: Store;
  catalog: ToolCatalog;
  launcher: Launcher;
  validation: ValidationState;
  log: vscode.LogOutputChannel;
  isTrusted: () => boolean;
}

const CHECK_LABELS: Readonly<Record<CheckName, string>> = {
  folder_structure: '1. folder structure',
  tool_json_parses: '2. tool.json parses',
  schemas_coherent: '3. schemas coherent',
  project_file_ok: '4. project file',
  runtime_present: '5. runtime present',
  tool_spawns: '6. tool spawns',
  schema_matches_disk: '7. /schema matches disk',
  sample_run_succeeds: '8. sample run succeeds',
  output_conforms: '9. output conforms',
  streaming_check: '10. streaming',
  reference_fixtures_match: '11. reference fixtures match',
  clean_shutdown: '12. clean shutdown',
};

const checkItemId = (toolId: string, check: CheckName): string => `${toolId}/${check}`;
const toolName = (tool: DiscoveredTool): string => tool.spec?.name ?? tool.toolId;
/** Test output is a terminal: lines end with CRLF. */
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

export class ValidationTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly runProfile: vscode.TestRunProfile;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(private readonly deps: ValidationTestsDeps) {
    this.controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'Pixie Tools');
    this.runProfile = this.controller.createRunProfile('Validate', vscode.TestRunProfileKind.Run, async (request, token) => {
        await this.run(request, token);
      }, true);
    this.controller.refreshHandler = async () => {
      await deps.catalog.refresh();
      this.sync();
    };
    this.subscriptions.push(deps.catalog.onDidChange(() => this.sync()));
    this.sync();
  }

  /** Makes the items match the catalog: one per tool (renamed/removed ones follow), twelve checks under each. */
  sync(): void {
    const items: vscode.TestItem[] = [];
    for (const tool of this.deps.catalog.tools()) {
      const uri = vscode.Uri.file(tool.toolJsonPath);
      const existing = this.controller.items.get(tool.toolId);
      const item = existing && existing.uri?.fsPath === uri.fsPath ? existing : this.controller.createTestItem(tool.toolId, toolName(tool), uri);
      item.label = toolName(tool);
      item.description = tool.errors.length > 0 ? `${tool.errors.length} problem(s) in tool.json` : tool.spec?.category ?? undefined;
      item.sortText = toolName(tool).toLowerCase();
      if (item.children.size !== CHECK_NAMES.length) {
        item.children.replace(
          CHECK_NAMES.map((check, index) => {
            const child = this.controller.createTestItem(checkItemId(tool.toolId, check), CHECK_LABELS[check], uri);
            child.sortText = String(index).padStart(2, '0');
            return child;
          }),
        );
      }
      items.push(item);
    }
    this.controller.items.replace(items);
  }

  /** The tools a request names (a check item stands for its tool), minus the excluded; all tools when none is named. */
  private toolsOf(request: vscode.TestRunRequest): DiscoveredTool[] {
    const excluded = new Set((request.exclude ?? []).filter((item) => !item.parent).map((item) => item.id));
    const wanted = request.include ? new Set(request.include.map((item) => item.parent?.id ?? item.id)) : undefined;
    return this.deps.catalog.tools().filter((tool) => (!wanted || wanted.has(tool.toolId)) && !excluded.has(tool.toolId));
  }

  /** The Run profile's handler (exported for host tests): validates the requested tools one after another. */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<ValidationReport[]> {
    this.sync();
    const tools = this.toolsOf(request);
    const testRun = this.controller.createTestRun(request, 'Pixie validation', true);
    const reports: ValidationReport[] = [];
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      for (const tool of tools) {
        const item = this.controller.items.get(tool.toolId);
        if (!item) continue;
        if (token.isCancellationRequested) {
          this.skipAll(testRun, item, 'Cancelled before this tool was validated.');
          continue;
        }
        if (!this.deps.isTrusted()) {
          this.skipAll(testRun, item, `Not validated: ${RESTRICTED_MODE_REASON}`);
          continue;
        }
        const report = await this.validateOne(testRun, tool, item, abort.signal);
        if (report) reports.push(report);
      }
    } finally {
      cancel.dispose();
      testRun.end();
    }
    return reports;
  }

  private skipAll(testRun: vscode.TestRun, item: vscode.TestItem, reason: string): void {
    testRun.appendOutput(crlf(`${item.label}: ${reason}\n`), undefined, item);
    testRun.skipped(item);
    item.children.forEach((child) => testRun.skipped(child));
  }

  private async validateOne(testRun: vscode.TestRun, tool: DiscoveredTool, item: vscode.TestItem, signal: AbortSignal): Promise<ValidationReport | undefined> {
    testRun.started(item);
    item.children.forEach((child) => testRun.enqueued(child));
    const text = await fs.readFile(tool.toolJsonPath, 'utf8').catch(() => '');
    const started = new Set<string>();
    const startNext = (): void => {
      // The validator reports a check when it ends; mark the next one as running so the view shows progress.
      const next = CHECK_NAMES.find((check) => !started.has(check));
      if (!next) return;
      started.add(next);
      const child = item.children.get(checkItemId(tool.toolId, next));
      if (child) testRun.started(child);
    };
    startNext();
    let report: ValidationReport;
    try {
      report = await validateTool(tool, {
        launcher: this.deps.launcher,
        trusted: true,
        signal,
        onCheck: (check) => {
          this.deps.log.debug(`validate ${tool.toolId}: ${check.name} ${check.status}`);
          started.add(check.name);
          const child = item.children.get(checkItemId(tool.toolId, check.name));
          if (child) this.reportCheck(testRun, child, check, undefined, text);
          startNext();
        },
      });
    } catch (error) {
      if (error instanceof ValidationCancelledError) {
        this.skipAll(testRun, item, 'Validation cancelled; the tool was stopped.');
        return undefined;
      }
      const message = `Validation could not run: ${(error as Error).message}`;
      this.deps.log.error(`validate ${tool.toolId}: ${message}`);
      testRun.errored(item, new vscode.TestMessage(message));
      return undefined;
    }
    // The report is the final word (durations, checks the callback may not have named, e.g. a whole-tool skip).
    for (const check of report.checks) {
      const child = item.children.get(checkItemId(tool.toolId, check.name));
      if (child) this.reportCheck(testRun, child, check, report.durations_ms[check.name], text);
    }
    this.reportTool(testRun, item, report);
    if (this.deps.store.readOnlyReason) {
      testRun.appendOutput(crlf(`The report was not saved: ${this.deps.store.readOnlyReason}\n`), undefined, item);
    } else {
      await saveReport(this.deps.store, report);
      this.deps.validation.reload();
    }
    this.deps.log.info(`validated ${tool.toolId} from the Testing view: ${report.overall}`);
    return report;
  }

  private messageFor(check: CheckResult, uri: vscode.Uri | undefined, text: string): vscode.TestMessage {
    const details = Object.keys(check.details).length > 0 ? `\n\n${JSON.stringify(check.details, null, 2)}` : '';
    const message = new vscode.TestMessage(`${check.name}: ${check.message}${details}`);
    if (uri) {
      const at = checkPosition(check, text, linesOf(text));
      const range = at ? new vscode.Range(at.startLine, at.startCharacter, at.endLine, at.endCharacter) : new vscode.Range(0, 0, 0, 0);
      message.location = new vscode.Location(uri, range);
    }
    return message;
  }

  private reportCheck(testRun: vscode.TestRun, child: vscode.TestItem, check: CheckResult, durationMs: number | undefined, text: string): void {
    switch (check.status) {
      case 'pass':
        testRun.passed(child, durationMs);
        return;
      case 'warn':
        testRun.appendOutput(crlf(`warning — ${check.name}: ${check.message}\n`), undefined, child);
        testRun.passed(child, durationMs);
        return;
      case 'fail':
        testRun.failed(child, this.messageFor(check, child.uri, text), durationMs);
        return;
      case 'skip':
        if (check.message) testRun.appendOutput(crlf(`skipped — ${check.name}: ${check.message}\n`), undefined, child);
        testRun.skipped(child);
        return;
    }
  }

  private reportTool(testRun: vscode.TestRun, item: vscode.TestItem, report: ValidationReport): void {
    switch (report.overall) {
      case 'pass':
        testRun.passed(item, report.duration_ms);
        return;
      case 'warn':
        testRun.appendOutput(crlf(`${item.label} passed with warnings:\n${report.warnings.map((w) => `  • ${w}`).join('\n')}\n`), undefined, item);
        testRun.passed(item, report.duration_ms);
        return;
      case 'fail': {
        const failing = report.checks.filter((c) => c.status === 'fail');
        const messages = failing.map((check) => new vscode.TestMessage(`${check.name}: ${check.message}`));
        testRun.failed(item, messages.length > 0 ? messages : new vscode.TestMessage('Validation failed.'), report.duration_ms);
        return;
      }
      case 'skip':
        testRun.appendOutput(crlf(`${item.label} skipped: ${report.skip_reason ?? 'not validated'}\n`), undefined, item);
        testRun.skipped(item);
        return;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.controller.dispose();
  }
}
