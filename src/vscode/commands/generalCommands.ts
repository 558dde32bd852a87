// Palette commands that are not about one item: Refresh, Create Tool…, Import Database from SQLite WAL.
// ("Pixie: Show Log" is registered by extension.ts, which owns the log channel.)
import * as vscode from 'vscode';
import { importSqliteWal } from '../../core/store/open';
import { initSchema } from '../../core/store/schema';
import { register, UserFacingError, type CommandContext } from './context';
import { scaffoldNodeTool, titleFromId, toolIdProblem } from './scaffold';

async function createTool(ctx: CommandContext, idArg: unknown, nameArg: unknown): Promise<string | undefined> {
  const toolsDir = ctx.config().toolsDir;
  const existing = ctx.catalog.tools().map((t) => t.toolId);
  let id: string | undefined = typeof idArg === 'string' ? idArg : undefined;
  if (id === undefined) {
    id = await vscode.window.showInputBox({
      title: 'Create Tool (1/2): id',
      prompt: `The tool's id and folder name under ${toolsDir}`,
      placeHolder: 'word-count',
      validateInput: (value) => toolIdProblem(value, toolsDir, existing),
    });
    if (id === undefined) return undefined;
  } else {
    const problem = toolIdProblem(id, toolsDir, existing);
    if (problem) throw new UserFacingError(problem);
  }
  let name: string | undefined = typeof nameArg === 'string' ? nameArg : undefined;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'Create Tool (2/2): name',
      prompt: 'The name shown in the sidebar',
      value: titleFromId(id),
      validateInput: (value) => (value.trim() === '' ? 'Enter a name.' : undefined),
    });
    if (name === undefined) return undefined;
  }
  const created = scaffoldNodeTool(toolsDir, { id, name: name.trim() });
  ctx.log.info(`created tool ${id} in ${created.dir}`);
  await ctx.catalog.refresh();
  if (typeof idArg !== 'string') {
    await vscode.window.showTextDocument(vscode.Uri.file(created.mainPath), { preview: false, preserveFocus: true });
    await vscode.window.showTextDocument(vscode.Uri.file(created.toolJsonPath), { preview: false });
  }
  return created.dir;
}

export function registerGeneralCommands(ctx: CommandContext): void {
  register(ctx, 'pixie.refresh', async () => {
    await ctx.refreshAll();
    return true;
  });
  register(ctx, 'pixie.createTool', (idArg: unknown, nameArg: unknown) => createTool(ctx, idArg, nameArg));
  register(ctx, 'pixie.importSqliteWal', async () => {
    if (!ctx.store.readOnlyReason) {
      void vscode.window.showInformationMessage('Pixie: pixie.db is not waiting for a WAL import; nothing to do.');
      return false;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Pixie: importing pixie.db-wal' },
      () => importSqliteWal(ctx.store),
    );
    const schema = await initSchema(ctx.store);
    ctx.log.info(
      `imported the SQLite WAL: ${result.framesApplied} frames applied, ${result.framesIgnored} ignored, ` +
        `${result.transactions} transactions; schema: created ${schema.created.join(', ') || 'nothing'}`,
    );
    void ctx.contextKeys.set('pixie.storeReadOnly', false);
    await ctx.refreshAll();
    void vscode.window.showInformationMessage(`Pixie: imported ${result.transactions} transaction(s) from pixie.db-wal; the database is writable again.`);
    return true;
  });
}
