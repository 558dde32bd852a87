// A discovered tool + the user's settings + its tool_state → what the launcher needs.
import type { PixieConfig } from '../config';
import type { DiscoveredTool } from '../tools/discovery';
import type { ToolSpec } from '../tools/model';
import type { ToolLaunchState } from '../store/repositories/toolState';
import type { LaunchSpec } from './launcher/types';

/** tool.json's default; a tool that leaves it unset follows the global setting (PIXIE_WARM_KEEP_SECONDS). */
const TOOL_JSON_DEFAULT_WARM_KEEP = 300;

export function effectiveWarmKeepSeconds(spec: ToolSpec, state: ToolLaunchState | undefined, config: PixieConfig): number {
  if (state?.defaultWarmKeepSeconds !== null && state?.defaultWarmKeepSeconds !== undefined) return state.defaultWarmKeepSeconds;
  if (state?.overrides?.warm_keep_seconds !== undefined) return state.overrides.warm_keep_seconds;
  return spec.warm_keep_seconds === TOOL_JSON_DEFAULT_WARM_KEEP ? config.warmKeepSeconds : spec.warm_keep_seconds;
}

export function effectiveMaxRuntimeSeconds(spec: ToolSpec, state: ToolLaunchState | undefined): number {
  return state?.overrides?.max_runtime_seconds ?? spec.max_runtime_seconds;
}

export function launchSpecFor(
  tool: DiscoveredTool & { spec: ToolSpec },
  state: ToolLaunchState | undefined,
  config: PixieConfig,
): LaunchSpec {
  const spec = tool.spec;
  return {
    toolId: tool.toolId,
    toolDir: tool.dir,
    entrypoint: spec.entrypoint,
    runtime: tool.runtime,
    maxMemoryMb: state?.overrides?.max_memory_mb ?? spec.max_memory_mb,
    warmKeepSeconds: effectiveWarmKeepSeconds(spec, state, config),
    pinnedWarm: Boolean(state?.pinnedWarm) || spec.pinned_warm,
    concurrent: state?.overrides?.concurrent ?? spec.concurrent,
  };
}
