// VS Code settings → the core configuration. Only values the user set explicitly override PIXIE_* env vars.
import * as vscode from 'vscode';
import { resolveConfig, type ConfigOverrides, type PixieConfig } from '../core/config';

/** `pixie.*` setting name → core config key. */
const SETTING_KEYS: Record<string, keyof ConfigOverrides> = {
  dbPath: 'dbPath',
  toolsDir: 'toolsDir',
  artefactsRoot: 'artefactsRoot',
  inlineOutputMaxBytes: 'inlineOutputMaxBytes',
  maxArtefactBytesPerRun: 'maxArtefactBytesPerRun',
  maxArtefactsPerRun: 'maxArtefactsPerRun',
  dedupArtefacts: 'dedupArtefacts',
  warmKeepSeconds: 'warmKeepSeconds',
  warmKeepMax: 'warmKeepMax',
  retainRuns: 'retainRuns',
  'sweeper.runsIntervalSeconds': 'runsSweepIntervalSeconds',
  'sweeper.intervalSeconds': 'sweeperIntervalSeconds',
  softDeleteRetentionDays: 'softDeleteRetentionDays',
  'retention.maxArtefactBytes': 'retentionMaxArtefactBytes',
};

export function readConfig(workspaceRoot: string): PixieConfig {
  const section = vscode.workspace.getConfiguration('pixie');
  const overrides: Record<string, unknown> = {};
  for (const [setting, key] of Object.entries(SETTING_KEYS)) {
    const inspected = section.inspect(setting);
    const explicit = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (explicit !== undefined && explicit !== '') overrides[key] = explicit;
  }
  return resolveConfig(workspaceRoot, overrides as ConfigOverrides);
}
