// Small prompts shared by the commands: a label, a tag list, a colour, a workspace, a confirmation.
import * as vscode from 'vscode';
import { normaliseToolTag } from '../../core/store/repositories/toolTags';
import { WORKSPACE_NAME_MAX, type WorkspaceRecord } from '../../core/store/repositories/workspaces';
import { parseTagList } from '../trees/artefactsModel';
import { TOOL_COLOURS } from '../trees/toolsTree';

/** undefined = cancelled; '' = clear the label. */
export async function askLabel(title: string, current: string | null): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value: current ?? '',
    prompt: 'Labelled runs and artefacts are never swept. Leave empty to remove the label.',
    validateInput: (value) => (value.length > 200 ? 'Keep the label to 200 characters or fewer.' : undefined),
  });
}

/** Tool tags (a-z, 0-9, '-', '_'); undefined = cancelled. */
export async function askToolTags(title: string, current: readonly string[]): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    value: current.join(', '),
    prompt: 'Tags separated by commas or spaces (lowercase letters, digits, "-" and "_"). Empty removes all.',
    validateInput: (value) => {
      for (const tag of parseTagList(value)) {
        try {
          normaliseToolTag(tag);
        } catch (error) {
          return (error as Error).message;
        }
      }
      return undefined;
    },
  });
  return text === undefined ? undefined : parseTagList(text).map((tag) => normaliseToolTag(tag));
}

/** Artefact tags (any non-empty text without commas); undefined = cancelled. */
export async function askArtefactTags(title: string, current: readonly string[]): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    value: current.join(', '),
    prompt: 'Tags separated by commas or spaces. Empty removes all.',
  });
  return text === undefined ? undefined : parseTagList(text);
}

/** A named colour, null for none; undefined = cancelled. */
export async function askColour(title: string, current: string | null): Promise<string | null | undefined> {
  const items: Array<vscode.QuickPickItem & { value: string | null }> = [
    { label: '$(circle-slash) None', value: null, description: current === null ? 'current' : undefined },
    ...Object.keys(TOOL_COLOURS).map((name) => ({
      label: `$(circle-filled) ${name[0]!.toUpperCase()}${name.slice(1)}`,
      value: name,
      description: current === name ? 'current' : undefined,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Colour of the tool’s icon' });
  return picked === undefined ? undefined : picked.value;
}

export function workspaceNameProblem(name: string, existing: readonly WorkspaceRecord[], exceptId?: number): string | undefined {
  const trimmed = name.trim();
  const length = Array.from(trimmed).length;
  if (length < 1) return 'Enter a name.';
  if (length > WORKSPACE_NAME_MAX) return `Keep the name to ${WORKSPACE_NAME_MAX} characters or fewer.`;
  const clash = existing.find((w) => w.id !== exceptId && w.name.toLowerCase() === trimmed.toLowerCase());
  return clash ? `A workspace named “${clash.name}” already exists.` : undefined;
}

export async function askWorkspaceName(title: string, existing: readonly WorkspaceRecord[], current?: WorkspaceRecord): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title,
    value: current?.name ?? '',
    prompt: 'Workspaces group tools in the sidebar; a tool can be in several.',
    validateInput: (value) => workspaceNameProblem(value, existing, current?.id),
  });
  return name?.trim();
}

export const NEW_WORKSPACE = Symbol('new workspace');

export async function pickWorkspace(
  title: string,
  workspaces: readonly WorkspaceRecord[],
  options: { offerNew: boolean },
): Promise<WorkspaceRecord | typeof NEW_WORKSPACE | undefined> {
  const items: Array<vscode.QuickPickItem & { value: WorkspaceRecord | typeof NEW_WORKSPACE }> = workspaces.map((w) => ({
    label: `$(folder-library) ${w.name}`,
    value: w,
  }));
  if (options.offerNew) items.push({ label: '$(add) New Workspace…', value: NEW_WORKSPACE });
  const picked = await vscode.window.showQuickPick(items, { title });
  return picked?.value;
}

/** A modal yes/no; true only when the user chose `action`. */
export async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return choice === action;
}
