// The validator's public surface: validate one tool, validate all, revalidate on change, reports.
export { validateTool, ValidationCancelledError, DEFAULT_TIMEOUTS } from './validateTool';
export { validateAll, ValidateAllCoordinator, coordinatorFor, findLiveJob } from './validateAll';
export type { ValidateAllOptions, ValidateAllResult, ValidateAllProgress, ValidateAllTool, ToolOutcome, JoinKind } from './validateAll';
export { RevalidationScheduler, storeRevalidation } from './revalidation';
export type { RevalidationSchedulerOptions, RevalidationTool } from './revalidation';
export { saveReport, latestReport, latestReports, reportHistory, parseReport, overallOf, REPORT_RETENTION_DAYS } from './report';
export { summariseReport, oneLine, failureNotice } from './summary';
export type { ValidationSummary } from './summary';
export { systemClock, isoTimestamp } from './clock';
export { CHECK_NAMES } from './types';
export type {
  CheckName,
  CheckResult,
  CheckStatus,
  Overall,
  ValidateToolOptions,
  ValidationReport,
  ValidationTarget,
  ValidatorClock,
  ValidatorTimeouts,
} from './types';
export { compareOutput, mergedTolerance, BUILTIN_DEFAULTS } from './comparators';
