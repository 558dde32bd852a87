// Runs view and palette commands: open (replay in the panel), re-run, edit & re-run, star, label, compare with the
// previous run (diff editor), copy inputs, show error/stderr, delete; view grouping, filters and paging.
import * as vscode from 'vscode';
import { listRuns, runCursorOf, setRunLabel, setRunStarred, type RunRecord, type RunStatus } from '../../core/store/repositories/runs';
import { InputValidationError } from '../../core/runner/runTypes';
import { askLabel, confirm } from '../quickPicks/misc';
import { pickTool } from '../quickPicks/toolPick';
import { formatBytes } from '../trees/format';
import { inputsOf, runItemText, STATUS_ICONS } from '../trees/runsModel';
import { lastRun, register, requirePanels, requireWritable, runFromArg, UserFacingError, type CommandContext } from './context';
import { runDocumentUri } from './documents';
import { deleteRunWithFiles } from './runDeletion';

function requireRun(ctx: CommandContext, arg: unknown): RunRecord {
  const run = runFromArg(ctx, arg);
  if (!run) throw new UserFacingError('choose a run in the Runs view first.');
  return run;
}

const STATUSES: RunStatus[] = ['ok', 'error', 'cancelled', 'running'];

async function pickRun(ctx: CommandContext): Promise<RunRecord | undefined> {
  const runs = ctx.store.read((q) => listRuns(q, { limit: 200 }));
  if (runs.length === 0) throw new UserFacingError('there are no runs yet.');
  const items = runs.map((run) => {
    const text = runItemText(run, { toolName: ctx.views.runs.toolName(run.toolId), grouped: false });
    return { label: `$(${STATUS_ICONS[run.status]}) ${text.label}`, description: text.description, run };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Pixie: Open Run',
    placeHolder: 'The 200 newest runs — type to search tool, time and inputs',
    matchOnDescription: true,
  });
  return picked?.run;
}

/** Starts the run again with its stored inputs; resolves when it has started (the run finishes in the background). */
async function rerun(ctx: CommandContext, run: RunRecord): Promise<string | undefined> {
  const tool = ctx.catalog.get(run.toolId);
  if (!tool) throw new UserFacingError(`the tool “${run.toolId}” of this run is no longer in ${ctx.config().toolsDir}.`);
  if (!ctx.trust.ensureTrusted(`re-run ${tool.spec?.name ?? tool.toolId}`)) return undefined;
  let handle;
  try {
    handle = await ctx.runService.start(tool, inputsOf(run.inputsJson));
  } catch (error) {
    if (error instanceof InputValidationError) {
      throw new UserFacingError(`${error.message}\nUse “Edit & Re-run” to fix them.`);
    }
    throw error;
  }
  const busy = ctx.activity.begin(`Running ${tool.spec?.name ?? tool.toolId}`);
  ctx.activity.update();
  void handle.done.then((outcome) => {
    busy.dispose();
    ctx.activity.update();
    if (outcome.status === 'error') {
      const first = (outcome.errorText ?? 'the run failed').split('\n')[0];
      void vscode.window.showErrorMessage(`Pixie: ${tool.spec?.name ?? tool.toolId} failed: ${first}`, 'Show Error', 'Open Run').then((choice) => {
        if (choice === 'Show Error') void vscode.commands.executeCommand('pixie.run.showError', outcome.runId);
        if (choice === 'Open Run') void vscode.commands.executeCommand('pixie.run.open', outcome.runId);
      });
    }
  });
  return handle.runId;
}

async function label(ctx: CommandContext, run: RunRecord, labelArg: unknown): Promise<boolean> {
  requireWritable(ctx);
  const value = typeof labelArg === 'string' || labelArg === null ? labelArg : await askLabel('Label the run', run.label);
  if (value === undefined) return false;
  return ctx.store.write((q) => setRunLabel(q, run.id, value));
}

async function applyFilterPrompt(ctx: CommandContext): Promise<boolean> {
  const runs = ctx.views.runs;
  const filter = { ...runs.currentFilter };
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(tools) By tool…', id: 'tool', description: filter.toolId ? runs.toolName(filter.toolId) : undefined },
      { label: '$(pulse) By status…', id: 'status', description: filter.status },
      { label: filter.starredOnly ? '$(star-full) Show all runs' : '$(star-empty) Starred runs only', id: 'starred' },
      { label: '$(search) Search inputs…', id: 'search', description: filter.search },
      { label: '$(clear-all) Clear filter', id: 'clear' },
    ],
    { title: 'Pixie: Filter Runs' },
  );
  if (!choice) return false;
  switch (choice.id) {
    case 'tool': {
      const tool = await pickTool(ctx.store, ctx.catalog, { title: 'Show runs of' });
      if (!tool) return false;
      filter.toolId = tool.toolId;
      break;
    }
    case 'status': {
      const status = await vscode.window.showQuickPick(
        [{ label: 'Any status', status: undefined }, ...STATUSES.map((s) => ({ label: `$(${STATUS_ICONS[s]}) ${s}`, status: s }))],
        { title: 'Show runs with status' },
      );
      if (!status) return false;
      filter.status = status.status;
      break;
    }
    case 'starred':
      filter.starredOnly = !filter.starredOnly;
      break;
    case 'search': {
      const text = await vscode.window.showInputBox({
        title: 'Search run inputs',
        value: filter.search ?? '',
        prompt: 'Runs whose inputs contain this text (empty: no search)',
      });
      if (text === undefined) return false;
      filter.search = text === '' ? undefined : text;
      break;
    }
    default:
      runs.setFilter({});
      return true;
  }
  runs.setFilter(filter);
  return true;
}

export function registerRunCommands(ctx: CommandContext): void {
  register(ctx, 'pixie.run.open', async (arg: unknown) => {
    const run = requireRun(ctx, arg);
    await requirePanels(ctx).openRun(run.id);
    return true;
  });
  register(ctx, 'pixie.openRun', async (arg: unknown) => {
    const run = runFromArg(ctx, arg) ?? (await pickRun(ctx));
    if (!run) return false;
    await requirePanels(ctx).openRun(run.id);
    return true;
  });
  register(ctx, 'pixie.run.rerun', (arg: unknown) => rerun(ctx, requireRun(ctx, arg)));
  register(ctx, 'pixie.run.editAndRerun', async (arg: unknown) => {
    const run = requireRun(ctx, arg);
    if (!ctx.trust.ensureTrusted('re-run a tool')) return false;
    await requirePanels(ctx).editAndRerun(run.id);
    return true;
  });
  register(ctx, 'pixie.run.star', (arg: unknown) => {
    requireWritable(ctx);
    const run = requireRun(ctx, arg);
    return ctx.store.write((q) => setRunStarred(q, run.id, true));
  });
  register(ctx, 'pixie.run.unstar', (arg: unknown) => {
    requireWritable(ctx);
    const run = requireRun(ctx, arg);
    return ctx.store.write((q) => setRunStarred(q, run.id, false));
  });
  register(ctx, 'pixie.run.label', (arg: unknown, labelArg: unknown) => label(ctx, requireRun(ctx, arg), labelArg));
  register(ctx, 'pixie.starLastRun', () => {
    requireWritable(ctx);
    const run = lastRun(ctx);
    return ctx.store.write((q) => setRunStarred(q, run.id, true));
  });
  register(ctx, 'pixie.labelLastRun', (labelArg: unknown) => label(ctx, lastRun(ctx), labelArg));

  register(ctx, 'pixie.run.compareWithPrevious', async (arg: unknown) => {
    const run = requireRun(ctx, arg);
    const [previous] = ctx.store.read((q) => listRuns(q, { toolId: run.toolId, after: runCursorOf(run), limit: 1 }));
    if (!previous) throw new UserFacingError('this is the first run of its tool: there is nothing to compare with.');
    const name = ctx.views.runs.toolName(run.toolId);
    const when = (r: RunRecord): string => new Date(r.startedAt).toLocaleString();
    await vscode.commands.executeCommand(
      'vscode.diff',
      runDocumentUri(previous, 'json'),
      runDocumentUri(run, 'json'),
      `${name}: ${when(previous)} ↔ ${when(run)}`,
      { preview: true },
    );
    return previous.id;
  });
  register(ctx, 'pixie.run.copyInputs', async (arg: unknown) => {
    const run = requireRun(ctx, arg);
    const text = JSON.stringify(inputsOf(run.inputsJson), null, 2);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage('Pixie: inputs copied as JSON', 3000);
    return text;
  });
  register(ctx, 'pixie.run.showError', async (arg: unknown) => {
    const run = requireRun(ctx, arg);
    const document = await vscode.workspace.openTextDocument(runDocumentUri(run, 'error'));
    await vscode.window.showTextDocument(document, { preview: true });
    return true;
  });
  register(ctx, 'pixie.run.delete', async (arg: unknown, confirmed: unknown) => {
    requireWritable(ctx);
    const run = requireRun(ctx, arg);
    const name = ctx.views.runs.toolName(run.toolId);
    const protectedNote = run.starred || run.label ? ' It is starred or labelled, which the sweeper would keep.' : '';
    if (
      confirmed !== true &&
      !(await confirm(
        `Delete this run of ${name}?`,
        `The run, its history entry and its artefact files (${formatBytes(run.totalArtefactBytes)}) are removed for good.${protectedNote}`,
        'Delete Run',
      ))
    ) {
      return false;
    }
    const result = await deleteRunWithFiles(ctx.store, ctx.config().artefactsRoot, run.id, (id) => ctx.runService.activeRunIds().includes(id));
    for (const skipped of result.skipped) ctx.log.warn(`deleting run ${run.id}: left ${skipped}`);
    return result.deleted;
  });

  register(ctx, 'pixie.runs.groupByTool', () => ctx.views.runs.setGrouped(true));
  register(ctx, 'pixie.runs.showFlat', () => ctx.views.runs.setGrouped(false));
  register(ctx, 'pixie.runs.filter', (filterArg: unknown) => {
    if (typeof filterArg === 'object' && filterArg !== null) {
      const f = filterArg as Record<string, unknown>;
      ctx.views.runs.setFilter({
        toolId: typeof f.toolId === 'string' ? f.toolId : undefined,
        status: typeof f.status === 'string' && (STATUSES as string[]).includes(f.status) ? (f.status as RunStatus) : undefined,
        starredOnly: f.starredOnly === true ? true : undefined,
        search: typeof f.search === 'string' && f.search !== '' ? f.search : undefined,
      });
      return true;
    }
    return applyFilterPrompt(ctx);
  });
  register(ctx, 'pixie.runs.clearFilter', () => {
    ctx.views.runs.setFilter({});
    return true;
  });
  register(ctx, 'pixie.runs.loadMore', (list: unknown) => {
    ctx.views.runs.loadMore(typeof list === 'string' ? list : 'runs');
    return true;
  });
}
