// Validate one tool / all tools (the validator in src/core/validator, reports saved to validation_reports, which
// the tree dots and the status bar follow), show a report, pick among failing tools. Nothing executes in an
// untrusted folder.
import * as vscode from 'vscode';
import { listToolStates } from '../../core/store/repositories/toolState';
import type { DiscoveredTool } from '../../core/tools/discovery';
import { saveReport } from '../../core/validator/report';
import { ValidationCancelledError, validateTool } from '../../core/validator/validateTool';
import { validateAll } from '../../core/validator/validateAll';
import type { Overall } from '../../core/validator/types';
import { pickTool } from '../quickPicks/toolPick';
import { VIEW_IDS } from './ids';
import { register, requireWritable, toolFromArg, type CommandContext } from './context';
import { reportUri } from './documents';

const toolName = (tool: DiscoveredTool): string => tool.spec?.name ?? tool.toolId;

async function validateOne(ctx: CommandContext, arg: unknown): Promise<Overall | undefined> {
  const tool = toolFromArg(ctx, arg) ?? (await pickTool(ctx.store, ctx.catalog, { title: 'Pixie: Validate Tool' }));
  if (!tool) return undefined;
  if (!ctx.trust.ensureTrusted(`validate ${toolName(tool)} (validation starts the tool)`)) return undefined;
  requireWritable(ctx);
  ctx.validationStatus.setValidating(`validating ${toolName(tool)}`);
  void ctx.contextKeys.set('pixie.validating', true);
  const busy = ctx.activity.begin(`Validating ${toolName(tool)}`);
  try {
    const report = await vscode.window.withProgress(
      { location: { viewId: VIEW_IDS.tools }, title: `Validating ${toolName(tool)}` },
      () => validateTool(tool, { launcher: ctx.launcher, trusted: true, onCheck: (check) => ctx.log.debug(`validate ${tool.toolId}: ${check.name} ${check.status}`) }),
    );
    await saveReport(ctx.store, report);
    ctx.validation.reload();
    ctx.log.info(`validated ${tool.toolId}: ${report.overall}`);
    if (report.overall === 'fail' || report.overall === 'warn') {
      const first = report.checks.find((c) => c.status === report.overall);
      const show = report.overall === 'fail' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(`Pixie: ${toolName(tool)} ${report.overall === 'fail' ? 'failed validation' : 'passed with warnings'}${first ? ` — ${first.name}: ${first.message}` : ''}`, 'Show Report').then((choice) => {
        if (choice) void showReport(tool.toolId);
      });
    } else {
      void vscode.window.setStatusBarMessage(`Pixie: ${toolName(tool)} — validation ${report.overall}`, 5000);
    }
    return report.overall;
  } finally {
    busy.dispose();
    ctx.validationStatus.setValidating(undefined);
    void ctx.contextKeys.set('pixie.validating', false);
  }
}

async function validateEverything(ctx: CommandContext): Promise<{ passed: number; warned: number; failed: number; total: number } | undefined> {
  if (!ctx.trust.ensureTrusted('validate tools (validation starts each tool)')) return undefined;
  requireWritable(ctx);
  const states = new Map(ctx.store.read(listToolStates).map((state) => [state.toolId, state]));
  const tools = ctx.catalog.tools().map((tool) => ({
    toolId: tool.toolId,
    dir: tool.dir,
    discoveryHash: tool.discoveryHash,
    archived: states.get(tool.toolId)?.archived ?? false,
  }));
  if (tools.length === 0) {
    void vscode.window.showInformationMessage('Pixie: there are no tools to validate.');
    return undefined;
  }
  void ctx.contextKeys.set('pixie.validating', true);
  const busy = ctx.activity.begin('Validating all tools');
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Pixie: validating tools', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let done = 0;
        try {
          return await validateAll({
            store: ctx.store,
            tools,
            validate: { launcher: ctx.launcher, trusted: true },
            signal: controller.signal,
            onProgress: (p) => {
              const step = p.completed - done;
              done = p.completed;
              const label = `${p.completed}/${p.total}${p.running.length > 0 ? ` — ${p.running.join(', ')}` : ''}`;
              progress.report({ message: label, increment: p.total > 0 ? (step * 100) / p.total : undefined });
              ctx.validationStatus.setValidating(`${p.completed}/${p.total}`);
              ctx.validation.reload();
            },
          });
        } finally {
          cancel.dispose();
        }
      },
    );
    ctx.validation.reload();
    const summary = `${result.passed} passed, ${result.warned} with warnings, ${result.failed} failed`;
    ctx.log.info(`validate-all ${result.status}: ${summary} (${result.total} tools)`);
    if (result.status === 'cancelled') void vscode.window.showWarningMessage(`Pixie: validation cancelled after ${result.completed} of ${result.total} tools.`);
    else if (result.failed > 0) {
      void vscode.window.showWarningMessage(`Pixie: validated ${result.total} tools — ${summary}.`, 'Show Failing Tools', 'Show Log').then((choice) => {
        if (choice === 'Show Failing Tools') void vscode.commands.executeCommand('pixie.showFailingTools');
        if (choice === 'Show Log') ctx.log.show(true);
      });
    } else void vscode.window.setStatusBarMessage(`Pixie: validated ${result.total} tools — ${summary}`, 6000);
    return { passed: result.passed, warned: result.warned, failed: result.failed, total: result.total };
  } catch (error) {
    if (error instanceof ValidationCancelledError) return undefined;
    throw error;
  } finally {
    busy.dispose();
    ctx.validationStatus.setValidating(undefined);
    void ctx.contextKeys.set('pixie.validating', false);
  }
}

async function showReport(toolId: string): Promise<vscode.Uri> {
  const uri = reportUri(toolId);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true });
  return uri;
}

export function registerValidationCommands(ctx: CommandContext): void {
  register(ctx, 'pixie.validateTool', (arg: unknown) => validateOne(ctx, arg));
  register(ctx, 'pixie.tool.validate', (arg: unknown) => validateOne(ctx, arg));
  register(ctx, 'pixie.validateAll', () => validateEverything(ctx));
  register(ctx, 'pixie.showValidationReport', async (arg: unknown) => {
    const tool =
      toolFromArg(ctx, arg) ??
      (await pickTool(ctx.store, ctx.catalog, {
        title: 'Pixie: Show Validation Report',
        include: (t) => ctx.validation.get(t.toolId) !== undefined,
      }));
    return tool ? showReport(tool.toolId) : undefined;
  });
  register(ctx, 'pixie.tool.showReport', async (arg: unknown) => {
    const tool = toolFromArg(ctx, arg);
    return tool ? showReport(tool.toolId) : undefined;
  });
  register(ctx, 'pixie.showFailingTools', async () => {
    const counts = ctx.validationStatus.current;
    const listed = [...counts.failing, ...counts.warning];
    if (listed.length === 0) {
      const choice = await vscode.window.showInformationMessage(
        counts.unchecked > 0 ? `Pixie: no tool fails; ${counts.unchecked} not validated yet.` : 'Pixie: every validated tool passes.',
        'Validate All Tools',
      );
      if (choice) await vscode.commands.executeCommand('pixie.validateAll');
      return [];
    }
    const openButton = { iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open tool.json' };
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { toolId: string }>();
    quickPick.title = 'Pixie: tools that fail validation (Enter: show the report)';
    quickPick.items = listed.map((tool) => ({
      label: `$(${tool.overall === 'fail' ? 'error' : 'warning'}) ${tool.name}`,
      description: tool.toolId,
      detail: tool.note ?? undefined,
      toolId: tool.toolId,
      buttons: [openButton],
    }));
    quickPick.onDidTriggerItemButton((e) => {
      quickPick.hide();
      void vscode.commands.executeCommand('pixie.tool.openToolJson', e.item.toolId);
    });
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      quickPick.hide();
      if (item) void showReport(item.toolId);
    });
    quickPick.onDidHide(() => quickPick.dispose());
    quickPick.show();
    return listed.map((tool) => tool.toolId);
  });
}
