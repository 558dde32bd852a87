// Artefacts view and palette commands. Every path read from the db goes through resolveArtefactPath (never outside
// the artefacts root) before a file is opened, revealed or copied. Delete is soft (deleted_at); Restore clears it.
import fs from 'node:fs';
import * as vscode from 'vscode';
import { resolveArtefactPath } from '../../core/artefacts/paths';
import { listArtefacts, restoreArtefact, setArtefactLabel, setArtefactStarred, setArtefactTags, softDeleteArtefact, type ArtefactRecord } from '../../core/store/repositories/artefacts';
import { askArtefactTags, askLabel } from '../quickPicks/misc';
import { artefactItemText, FAMILY_ICONS, mimeFamily, openKindOf } from '../trees/artefactsModel';
import { artefactFromArg, nowIso, register, requireWritable, UserFacingError, type CommandContext } from './context';

function requireArtefact(ctx: CommandContext, arg: unknown): ArtefactRecord {
  const artefact = artefactFromArg(ctx, arg);
  if (!artefact) throw new UserFacingError('choose an artefact in the Artefacts view first.');
  return artefact;
}

/** The file's absolute path, checked to be inside the artefacts root and present. */
export function artefactFile(ctx: CommandContext, artefact: ArtefactRecord): vscode.Uri {
  let abs: string;
  try {
    abs = resolveArtefactPath(ctx.config().artefactsRoot, artefact.relPath);
  } catch (error) {
    throw new UserFacingError(`will not open ${artefact.filename}: ${(error as Error).message}`);
  }
  if (!fs.existsSync(abs)) throw new UserFacingError(`the file of ${artefact.filename} is gone (${abs}).`);
  return vscode.Uri.file(abs);
}

async function openArtefact(ctx: CommandContext, artefact: ArtefactRecord): Promise<string> {
  if (artefact.deletedAt) throw new UserFacingError(`${artefact.filename} is deleted: restore it first.`);
  const uri = artefactFile(ctx, artefact);
  const kind = openKindOf(mimeFamily(artefact.mime, artefact.filename));
  if (kind === 'document') {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  } else {
    // Images, audio and video open in VS Code's built-in media preview; other files in their default editor.
    await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  }
  return kind;
}

async function pickArtefact(ctx: CommandContext): Promise<ArtefactRecord | undefined> {
  const artefacts = ctx.store.read((q) => listArtefacts(q, { limit: 200 }));
  if (artefacts.length === 0) throw new UserFacingError('there are no artefacts yet.');
  const picked = await vscode.window.showQuickPick(
    artefacts.map((artefact) => {
      const text = artefactItemText(artefact);
      return {
        label: `$(${FAMILY_ICONS[mimeFamily(artefact.mime, artefact.filename)]}) ${text.label}`,
        description: `${ctx.views.runs.toolName(artefact.toolId)} · ${text.description}`,
        artefact,
      };
    }),
    { title: 'Pixie: Open Artefact', placeHolder: 'The 200 newest artefacts — type to search', matchOnDescription: true },
  );
  return picked?.artefact;
}

export function registerArtefactCommands(ctx: CommandContext): void {
  register(ctx, 'pixie.artefact.open', (arg: unknown) => openArtefact(ctx, requireArtefact(ctx, arg)));
  register(ctx, 'pixie.openArtefact', async (arg: unknown) => {
    const artefact = artefactFromArg(ctx, arg) ?? (await pickArtefact(ctx));
    return artefact ? openArtefact(ctx, artefact) : undefined;
  });
  register(ctx, 'pixie.artefact.revealInExplorer', async (arg: unknown) => {
    const uri = artefactFile(ctx, requireArtefact(ctx, arg));
    const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
  });
  register(ctx, 'pixie.artefact.revealInOS', async (arg: unknown) => {
    await vscode.commands.executeCommand('revealFileInOS', artefactFile(ctx, requireArtefact(ctx, arg)));
  });
  register(ctx, 'pixie.artefact.copyPath', async (arg: unknown) => {
    const path = artefactFile(ctx, requireArtefact(ctx, arg)).fsPath;
    await vscode.env.clipboard.writeText(path);
    void vscode.window.setStatusBarMessage('Pixie: artefact path copied', 3000);
    return path;
  });
  const write = (id: Parameters<typeof register>[1], fn: (artefact: ArtefactRecord, extra: unknown) => Promise<unknown>): void =>
    register(ctx, id, async (arg: unknown, extra: unknown) => {
      requireWritable(ctx);
      return fn(requireArtefact(ctx, arg), extra);
    });
  write('pixie.artefact.star', (a) => ctx.store.write((q) => setArtefactStarred(q, a.id, true)));
  write('pixie.artefact.unstar', (a) => ctx.store.write((q) => setArtefactStarred(q, a.id, false)));
  write('pixie.artefact.label', async (a, labelArg) => {
    const value = typeof labelArg === 'string' || labelArg === null ? labelArg : await askLabel(`Label ${a.filename}`, a.label);
    return value === undefined ? false : ctx.store.write((q) => setArtefactLabel(q, a.id, value));
  });
  write('pixie.artefact.tags', async (a, tagsArg) => {
    const tags = Array.isArray(tagsArg) ? tagsArg.filter((t): t is string => typeof t === 'string') : await askArtefactTags(`Tags of ${a.filename}`, a.tags);
    return tags === undefined ? false : ctx.store.write((q) => setArtefactTags(q, a.id, tags));
  });
  write('pixie.artefact.delete', async (a) => {
    const done = await ctx.store.write((q) => softDeleteArtefact(q, a.id, nowIso()));
    if (done) {
      const days = ctx.config().softDeleteRetentionDays;
      void vscode.window.setStatusBarMessage(`Pixie: ${a.filename} deleted — restorable for ${days} day${days === 1 ? '' : 's'} (Show Deleted)`, 5000);
    }
    return done;
  });
  write('pixie.artefact.restore', (a) => ctx.store.write((q) => restoreArtefact(q, a.id)));

  register(ctx, 'pixie.artefacts.groupByTool', () => ctx.views.artefacts.setGroupedByTool(true));
  register(ctx, 'pixie.artefacts.groupByRun', () => ctx.views.artefacts.setGroupedByTool(false));
  register(ctx, 'pixie.artefacts.showDeleted', () => ctx.views.artefacts.setShowDeleted(true));
  register(ctx, 'pixie.artefacts.hideDeleted', () => ctx.views.artefacts.setShowDeleted(false));
  register(ctx, 'pixie.artefacts.loadMore', (list: unknown) => {
    ctx.views.artefacts.loadMore(typeof list === 'string' ? list : 'artefacts');
    return true;
  });
}
