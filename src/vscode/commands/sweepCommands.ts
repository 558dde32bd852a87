// The retention commands: Sweep Old Runs (Dry Run) shows a plan as a read-only Markdown document; Sweep Old Runs… walks
// older-than → tool → preview/confirm and applies that same plan with a cancellable progress notification; Purge
// Deleted Artefacts Now runs the scheduler's purge pass. The dry run only reads, so it is allowed in Restricted Mode;
// the other two delete files and need a trusted folder. Background passes show the status bar spinner too.
// The non-UI steps (previewSweep, applySweep, purgeDeletedNow) are exported for the host tests.
import * as vscode from 'vscode';
import type { PixieConfig } from '../../core/config';
import { getRun, summariseInputs } from '../../core/store/repositories/runs';
import type { Store } from '../../core/store/types';
import {
  applyPlan,
  DurationError,
  parseDurationSeconds,
  planManualSweep,
  SweeperBusyError,
  type SweepPlan,
  type SweepProgress,
  type SweepResult,
  type SweeperPass,
  type SweeperScheduler,
} from '../../core/sweeper';
import { isTrusted, RESTRICTED_MODE_REASON } from '../trust';
import type { ShellBindings } from '../activation/shell';
import type { CommandId } from './ids';
import { confirmLabel, criteriaLine, isEmptyPlan, planMarkdown, progressMessage, resultMessage, totalsLine, type RunDetails } from './sweepReport';

export const SWEEP_SCHEME = 'pixie-sweep';

export const BUSY_MESSAGE = 'another Pixie window or the CLI is sweeping; try again in a minute.';

export interface SweepCommandDeps {
  store: Store;
  config: () => PixieConfig;
  log: vscode.LogOutputChannel;
  scheduler: SweeperScheduler;
  /** The sidebar's status bar spinner (`SidebarHandle.beginActivity`). */
  beginActivity?: (label: string) => vscode.Disposable;
  /** The sidebar's WorkspaceTrust; without it the same check is made here. */
  trust?: { ensureTrusted(action: string): boolean };
  /** Where activate() registered the commands and the `pixie-sweep:` scheme before the store was open. */
  shell: Pick<ShellBindings, 'commands' | 'bindDocuments'>;
}

export interface SweepChoice {
  olderThanSeconds: number;
  /** undefined = all tools. */
  toolId?: string;
}

export interface SweepPreview {
  plan: SweepPlan;
  markdown: string;
}

/** Plans a manual sweep and renders it (with each listed run's inputs summary). Reads only. */
export async function previewSweep(deps: Pick<SweepCommandDeps, 'store' | 'config'>, choice: SweepChoice): Promise<SweepPreview> {
  const plan = await planManualSweep({ store: deps.store, settings: deps.config(), ...choice });
  const details = new Map<string, RunDetails>();
  deps.store.read((q) => {
    for (const planned of plan.runs.slice(0, 500)) {
      const run = getRun(q, planned.id);
      if (run) details.set(run.id, { inputs: summariseInputs(run.inputsJson) });
    }
  });
  return { plan, markdown: planMarkdown(plan, { details }) };
}

/** Thrown instead of SweeperBusyError, with the message the user should read. */
export class SweepBusyError extends Error {
  override name = 'SweepBusyError';
  constructor(readonly busy: SweeperBusyError) {
    super(BUSY_MESSAGE);
  }
}

function translateBusy(error: unknown): never {
  if (error instanceof SweeperBusyError) throw new SweepBusyError(error);
  throw error;
}

/** Applies a previewed plan (rows re-checked batch by batch: what changed since is kept and reported as skipped). */
export async function applySweep(
  deps: Pick<SweepCommandDeps, 'store' | 'config'>,
  plan: SweepPlan,
  options: { signal?: AbortSignal; onProgress?: (progress: SweepProgress) => void } = {},
): Promise<SweepResult> {
  if (deps.store.readOnlyReason) throw new Error(`pixie.db is read-only: ${deps.store.readOnlyReason}`);
  return applyPlan(plan, { store: deps.store, settings: deps.config(), ...options }).catch(translateBusy);
}

/** The soft-delete purge (and housekeeping) now, through the scheduler so it never overlaps a background pass. */
export async function purgeDeletedNow(deps: Pick<SweepCommandDeps, 'store' | 'scheduler'>): Promise<SweepResult> {
  if (deps.store.readOnlyReason) throw new Error(`pixie.db is read-only: ${deps.store.readOnlyReason}`);
  return deps.scheduler.runNow('artefacts-purge').catch(translateBusy);
}

/** `pixie-sweep:/plan-<n>.md` documents: the rendered plans of this window, kept until the document closes. */
class SweepDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 1;
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((document) => {
    if (document.uri.scheme === SWEEP_SCHEME) this.texts.delete(document.uri.path);
  });

  add(markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SWEEP_SCHEME, path: `/sweep-plan-${this.next++}.md` });
    this.texts.set(uri.path, markdown);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? 'This sweep plan is no longer available; run "Pixie: Sweep Old Runs (Dry Run)" again.\n';
  }

  dispose(): void {
    this.subscription.dispose();
    this.texts.clear();
  }
}

interface Ctx {
  deps: SweepCommandDeps;
  documents: SweepDocuments;
  subscriptions: vscode.Disposable[];
}

/** Errors become a message (SweepBusyError a warning; others an error with Show Log). */
function register(ctx: Ctx, id: CommandId, handler: (...args: unknown[]) => unknown): void {
  ctx.subscriptions.push(
    ctx.deps.shell.commands.set(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        if (error instanceof SweepBusyError || error instanceof DurationError) {
          void vscode.window.showWarningMessage(`Pixie: ${message}`);
        } else {
          ctx.deps.log.error(`${id} failed: ${(error as Error).stack ?? message}`);
          void vscode.window.showErrorMessage(`Pixie: ${message}`, 'Show Log').then((choice) => {
            if (choice) ctx.deps.log.show(true);
          });
        }
        return undefined;
      }
    }),
  );
}

function ensureTrusted(deps: SweepCommandDeps, action: string): boolean {
  if (deps.trust) return deps.trust.ensureTrusted(action);
  if (isTrusted()) return true;
  void vscode.window.showWarningMessage(`Pixie cannot ${action}: ${RESTRICTED_MODE_REASON}`);
  return false;
}

type Step<T> = vscode.QuickPickItem & { value: T };

/** One QuickPick step; undefined when dismissed. */
function pickStep<T>(title: string, step: number, items: Step<T>[], placeholder: string): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<Step<T>>();
    pick.title = title;
    pick.step = step;
    pick.totalSteps = 3;
    pick.placeholder = placeholder;
    pick.items = items;
    pick.ignoreFocusOut = true;
    let done = false;
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.selectedItems[0]?.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

const CUSTOM = -1;

async function askOlderThan(title: string, totalSteps: boolean): Promise<number | undefined> {
  const items: Step<number>[] = [
    { label: '7 days', description: '7d', value: 7 * 86_400 },
    { label: '30 days', description: '30d', value: 30 * 86_400 },
    { label: '90 days', description: '90d', value: 90 * 86_400 },
    { label: 'Custom…', description: 'e.g. 12h, 2w, 45d', value: CUSTOM },
  ];
  const chosen = totalSteps
    ? await pickStep(title, 1, items, 'Sweep runs started longer ago than…')
    : (await vscode.window.showQuickPick(items, { title, placeHolder: 'Sweep runs started longer ago than…' }))?.value;
  if (chosen !== CUSTOM) return chosen;
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Older than: a whole number with s, m, h, d or w (or plain seconds)',
    placeHolder: '45d',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        parseDurationSeconds(value);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  return text === undefined ? undefined : parseDurationSeconds(text);
}

const ALL_TOOLS = '';

async function askTool(deps: SweepCommandDeps, title: string, totalSteps: boolean): Promise<string | undefined> {
  const rows = deps.store.read((q) =>
    q.all<{ tool_id: string; n: number }>('SELECT tool_id, COUNT(*) AS n FROM runs GROUP BY tool_id ORDER BY tool_id'),
  );
  const items: Step<string>[] = [
    { label: 'All tools', value: ALL_TOOLS },
    ...rows.map((row) => ({ label: row.tool_id, description: `${row.n} run${row.n === 1 ? '' : 's'} in total`, value: row.tool_id })),
  ];
  return totalSteps
    ? pickStep(title, 2, items, 'Which tool’s runs?')
    : (await vscode.window.showQuickPick(items, { title, placeHolder: 'Which tool’s runs?' }))?.value;
}

/** Older-than then tool; undefined when the user backed out. Arguments (`'30d'`, `'echo'`) skip the questions. */
async function askChoice(deps: SweepCommandDeps, title: string, steps: boolean, args: unknown[]): Promise<SweepChoice | undefined> {
  const [age, tool] = args;
  const olderThanSeconds = typeof age === 'string' ? parseDurationSeconds(age) : await askOlderThan(title, steps);
  if (olderThanSeconds === undefined) return undefined;
  const toolId = typeof age === 'string' ? (typeof tool === 'string' ? tool : ALL_TOOLS) : await askTool(deps, title, steps);
  if (toolId === undefined) return undefined;
  return { olderThanSeconds, toolId: toolId === ALL_TOOLS ? undefined : toolId };
}

async function showPlan(ctx: Ctx, markdown: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(ctx.documents.add(markdown));
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  await vscode.window.showTextDocument(document, { preview: false });
}

async function withSpinner<T>(deps: SweepCommandDeps, label: string, job: () => Thenable<T>): Promise<T> {
  const activity = deps.beginActivity?.(label);
  try {
    return await job();
  } finally {
    activity?.dispose();
  }
}

async function reportResult(deps: SweepCommandDeps, result: SweepResult): Promise<void> {
  const message = `Pixie: ${resultMessage(result)}`;
  deps.log.info(message);
  for (const failed of result.failed) deps.log.warn(`could not delete ${failed.id}: ${failed.reason}`);
  if (result.failed.length > 0) {
    if (await vscode.window.showWarningMessage(message, 'Show Log')) deps.log.show(true);
  } else {
    void vscode.window.showInformationMessage(message);
  }
}

async function dryRun(ctx: Ctx, args: unknown[]): Promise<SweepPreview | undefined> {
  const choice = await askChoice(ctx.deps, 'Pixie: Sweep Old Runs (Dry Run)', false, args);
  if (!choice) return undefined;
  const preview = await previewSweep(ctx.deps, choice);
  await showPlan(ctx, preview.markdown);
  return preview;
}

/** Step 3/3: the plan's counts and bytes; "Show Details…" opens the document and asks again. */
async function confirmPlan(ctx: Ctx, title: string, preview: SweepPreview): Promise<boolean> {
  const { plan } = preview;
  for (;;) {
    const choice = await pickStep<'apply' | 'details' | 'cancel'>(
      title,
      3,
      [
        { label: `$(trash) ${confirmLabel(plan)}`, detail: totalsLine(plan.totals), value: 'apply' },
        { label: '$(preview) Show Details…', detail: 'Open the plan as a document (nothing is deleted)', value: 'details' },
        { label: 'Cancel', value: 'cancel' },
      ],
      criteriaLine(plan),
    );
    if (choice === 'details') {
      await showPlan(ctx, preview.markdown);
      continue;
    }
    return choice === 'apply';
  }
}

async function sweep(ctx: Ctx, args: unknown[]): Promise<SweepResult | undefined> {
  if (!ensureTrusted(ctx.deps, 'sweep old runs')) return undefined;
  const title = 'Pixie: Sweep Old Runs';
  const choice = await askChoice(ctx.deps, title, true, args);
  if (!choice) return undefined;
  const preview = await previewSweep(ctx.deps, choice);
  if (isEmptyPlan(preview.plan)) {
    void vscode.window.showInformationMessage(`Pixie: nothing to sweep (${criteriaLine(preview.plan)}).`);
    return undefined;
  }
  // A string argument ('30d') is the scripted form: it applies without asking (as `pixie sweep --apply` does).
  if (typeof args[0] !== 'string' && !(await confirmPlan(ctx, title, preview))) return undefined;
  const result = await withSpinner(ctx.deps, 'sweeping old runs', () =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Pixie: sweeping old runs', cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        return applySweep(ctx.deps, preview.plan, {
          signal: controller.signal,
          onProgress: (p) => progress.report({ message: progressMessage(p) }),
        }).finally(() => cancel.dispose());
      },
    ),
  );
  await reportResult(ctx.deps, result);
  return result;
}

async function purge(ctx: Ctx): Promise<SweepResult | undefined> {
  if (!ensureTrusted(ctx.deps, 'purge deleted artefacts')) return undefined;
  const result = await withSpinner(ctx.deps, 'purging deleted artefacts', () =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Pixie: purging deleted artefacts' },
      (progress) => {
        const events = ctx.deps.scheduler.onEvent((event) => {
          if (event.type === 'progress' && event.pass === 'artefacts-purge') progress.report({ message: progressMessage(event.progress) });
        });
        return purgeDeletedNow(ctx.deps).finally(() => events.dispose());
      },
    ),
  );
  await reportResult(ctx.deps, result);
  return result;
}

/** The status bar spinner while a background pass runs in this window. */
function spinBackgroundPasses(deps: SweepCommandDeps): vscode.Disposable {
  const active = new Map<SweeperPass, vscode.Disposable>();
  const end = (pass: SweeperPass): void => {
    active.get(pass)?.dispose();
    active.delete(pass);
  };
  const subscription = deps.scheduler.onEvent((event) => {
    if (event.type === 'started') {
      end(event.pass);
      const activity = deps.beginActivity?.(event.pass === 'runs-prune' ? 'pruning old runs' : 'purging deleted artefacts');
      if (activity) active.set(event.pass, activity);
    } else if (event.type !== 'progress') {
      end(event.pass);
      if (event.type === 'failed') deps.log.error(`background ${event.pass} failed: ${event.error.message}`);
    }
  });
  return new vscode.Disposable(() => {
    subscription.dispose();
    for (const pass of [...active.keys()]) end(pass);
  });
}

export function registerSweepCommands(context: vscode.ExtensionContext, deps: SweepCommandDeps): vscode.Disposable {
  const documents = new SweepDocuments();
  const ctx: Ctx = { deps, documents, subscriptions: [] };
  ctx.subscriptions.push(documents, deps.shell.bindDocuments(SWEEP_SCHEME, documents), spinBackgroundPasses(deps));
  register(ctx, 'pixie.sweepDryRun', (...args) => dryRun(ctx, args));
  register(ctx, 'pixie.sweep', (...args) => sweep(ctx, args));
  register(ctx, 'pixie.purgeDeletedArtefacts', () => purge(ctx));
  const handle = new vscode.Disposable(() => {
    for (const s of ctx.subscriptions.splice(0).reverse()) s.dispose();
  });
  context.subscriptions.push(handle);
  return handle;
}
