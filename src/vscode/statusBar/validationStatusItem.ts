// The gatekeeper's status bar item (left): `$(shield) 12 ✓ 1 ⚠ 1 ✗` from the latest report per listed tool, the
// failing tools in its tooltip, error background only while a tool fails, a spinner while validating.
import * as vscode from 'vscode';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { ValidationState } from '../decorations/validationState';
import { countValidation, statusText, statusTooltip, type SummaryTool, type ValidationCounts } from './validationSummary';

export class ValidationStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private validating: string | undefined;
  private counts: ValidationCounts = countValidation([]);

  constructor(
    private readonly catalog: ToolCatalog,
    private readonly validation: ValidationState,
    /** Ids of archived tools (read once per update). */
    private readonly archivedIds: () => ReadonlySet<string>,
  ) {
    this.item = vscode.window.createStatusBarItem('pixie.validation', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Pixie Tool Validation';
    this.item.command = 'pixie.showFailingTools';
    this.update();
  }

  /** The tools counted: the listed, not archived ones. */
  tools(): SummaryTool[] {
    const archived = this.archivedIds();
    return this.catalog
      .tools()
      .filter((tool) => !archived.has(tool.toolId))
      .map((tool) => {
        const latest = this.validation.get(tool.toolId);
        return { toolId: tool.toolId, name: tool.spec?.name ?? tool.toolId, overall: latest?.overall, note: latest?.note ?? null };
      });
  }

  /** `label` shows a spinner and the progress text; undefined ends it. */
  setValidating(label: string | undefined): void {
    this.validating = label;
    this.update();
  }

  get text(): string {
    return this.item.text;
  }

  get current(): ValidationCounts {
    return this.counts;
  }

  update(): void {
    this.counts = countValidation(this.tools());
    this.item.text = statusText(this.counts, this.validating);
    const tooltip = new vscode.MarkdownString(statusTooltip(this.counts));
    tooltip.supportThemeIcons = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `Pixie validation: ${this.counts.pass} passed, ${this.counts.warn} with warnings, ${this.counts.fail} failed, ${this.counts.unchecked} not validated`,
    };
    this.item.backgroundColor = this.counts.fail > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (this.catalog.tools().length > 0) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
