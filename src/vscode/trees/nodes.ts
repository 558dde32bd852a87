// The elements of the three trees. Commands receive these from menus (or ids from the palette and tests).
import type { ArtefactRecord } from '../../core/store/repositories/artefacts';
import type { WorkspaceRecord } from '../../core/store/repositories/workspaces';
import type { DiscoveredTool } from '../../core/tools/discovery';
import type { RunRow } from './runsModel';
import type { ToolRow } from './toolsModel';
import type { RunWithArtefacts } from './viewQueries';

export interface ToolNode {
  type: 'tool';
  tool: DiscoveredTool;
  row: ToolRow;
  /** The workspace group it is listed under (undefined: "Other" or the flat list). */
  workspaceId: number | undefined;
  first: boolean;
  last: boolean;
}

export interface WorkspaceNode {
  type: 'workspace';
  workspace: WorkspaceRecord;
  children: ToolNode[];
  first: boolean;
  last: boolean;
}

export interface OtherGroupNode {
  type: 'otherGroup';
  children: ToolNode[];
}

export interface MessageNode {
  type: 'message';
  id: string;
  text: string;
  /** Optional command when clicked (e.g. clear the filter). */
  command?: { id: string; title: string };
}

export interface LoadMoreNode {
  type: 'loadMore';
  /** Which list: 'runs' / 'runs:<toolId>' / 'artefacts' / 'artefacts:<toolId>'. */
  list: string;
  shown: number;
}

export type ToolsNode = WorkspaceNode | OtherGroupNode | ToolNode | MessageNode;

export interface RunNode {
  type: 'run';
  run: RunRow;
  grouped: boolean;
}

export interface RunGroupNode {
  type: 'runGroup';
  toolId: string;
}

export type RunsNode = RunNode | RunGroupNode | LoadMoreNode | MessageNode;

export interface ArtefactNode {
  type: 'artefact';
  artefact: ArtefactRecord;
  parentId: string;
}

export interface ArtefactRunNode {
  type: 'artefactRun';
  run: RunWithArtefacts & { startedAt: string };
}

export interface ArtefactToolNode {
  type: 'artefactTool';
  toolId: string;
}

export type ArtefactsNode = ArtefactNode | ArtefactRunNode | ArtefactToolNode | LoadMoreNode | MessageNode;

export type AnyNode = ToolsNode | RunsNode | ArtefactsNode;

export function isNode<T extends AnyNode['type']>(value: unknown, type: T): value is Extract<AnyNode, { type: T }> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
