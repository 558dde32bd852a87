// All repositories over one store. The plain query functions are re-exported so callers can compose several
// in one `store.write` transaction (e.g. finishRun + bumpToolRunCounters).
import type { Store } from '../types';
import { ArtefactsRepository } from './artefacts';
import { RunsRepository } from './runs';
import { SettingsRepository } from './settings';
import { ToolStateRepository } from './toolState';
import { ToolTagsRepository } from './toolTags';
import { ValidateJobsRepository } from './validateJobs';
import { ValidationReportsRepository } from './validationReports';
import { WorkspacesRepository } from './workspaces';

export * from './errors';
export * from './settings';
export * from './runs';
export * from './artefacts';
export * from './toolState';
export * from './validationReports';
export * from './workspaces';
export * from './toolTags';
export * from './validateJobs';

export interface Repositories {
  settings: SettingsRepository;
  runs: RunsRepository;
  artefacts: ArtefactsRepository;
  toolState: ToolStateRepository;
  validationReports: ValidationReportsRepository;
  workspaces: WorkspacesRepository;
  toolTags: ToolTagsRepository;
  validateJobs: ValidateJobsRepository;
}

export function createRepositories(store: Store): Repositories {
  return {
    settings: new SettingsRepository(store),
    runs: new RunsRepository(store),
    artefacts: new ArtefactsRepository(store),
    toolState: new ToolStateRepository(store),
    validationReports: new ValidationReportsRepository(store),
    workspaces: new WorkspacesRepository(store),
    toolTags: new ToolTagsRepository(store),
    validateJobs: new ValidateJobsRepository(store),
  };
}
