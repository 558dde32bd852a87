// The launcher's public surface: the Launcher (warm pool), one ToolProcess, the spec, errors and helpers.
export { Launcher } from './warmPool';
export type { LauncherOptions, EnsureRunningOptions, LauncherStateEvent, RunningToolInfo, ToolRunState, StateChangeReason } from './warmPool';
export { ToolProcess } from './toolProcess';
export type { ToolProcessState, ExitInfo, ToolSpawnOptions, HealthWaitOptions } from './toolProcess';
export { LaunchError, LauncherDisposedError } from './errors';
export type { LaunchErrorKind } from './errors';
export { runtimeForEntrypoint } from './types';
export type { LaunchSpec, ToolRuntime, RunContext } from './types';
export { buildChildEnv, scrubHostEnv, readToolDotenv, INHERITED_ENV_KEYS } from './childEnv';
export { resolveLaunchCommand, venvPythonPath } from './launchCommand';
export { killProcessTree, listDescendants, isPidAlive, processGroupMembers } from './processTree';
export { StderrRing, DEFAULT_STDERR_CAP_BYTES } from './stderrRing';
export { getFreePort } from './freePort';
export { RunMutex } from './runMutex';
export type { Release } from './runMutex';
