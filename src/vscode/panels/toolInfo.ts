// What the panel knows about its tool: the parsed spec, or why there is none.
import type { DiscoveredTool } from '../../core/tools/discovery';
import type { ToolInfo } from '../../protocol';

export function toolInfoFor(toolId: string, tool: DiscoveredTool | undefined): ToolInfo {
  if (!tool) {
    return { toolId, spec: null, problems: [{ message: `No tool "${toolId}" in the tools folder (it may have been removed or renamed).`, line: null, column: null }] };
  }
  return {
    toolId: tool.toolId,
    spec: tool.spec ?? null,
    problems: tool.errors.map((e) => ({ message: e.message, line: Number.isFinite(e.line) && e.line > 0 ? e.line : null, column: Number.isFinite(e.column) && e.column > 0 ? e.column : null })),
  };
}
