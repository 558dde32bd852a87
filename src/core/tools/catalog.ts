// The tools of a workspace, kept current: discovery results, their stored discovery hashes, and change events.
// A changed discovery_hash (tool.json, entrypoint or project file edited) marks the tool for revalidation.
import { EventEmitter } from 'node:events';
import { discoverTools, type DiscoveredTool } from './discovery';
import type { Store } from '../store/types';
import { listToolStates, setToolDiscoveryHash, ensureToolState } from '../store/repositories/toolState';

export interface CatalogChange {
  tools: readonly DiscoveredTool[];
  /** Tools whose discovery hash differs from the one stored (new tools included). */
  changedHashes: readonly string[];
}

export class ToolCatalog {
  private current: DiscoveredTool[] = [];
  private readonly events = new EventEmitter();
  private refreshing: Promise<CatalogChange> | undefined;
  private again = false;

  constructor(
    private readonly toolsDir: string,
    private readonly store: Store,
  ) {}

  tools(): readonly DiscoveredTool[] {
    return this.current;
  }

  get(toolId: string): DiscoveredTool | undefined {
    return this.current.find((tool) => tool.toolId === toolId) ?? this.current.find((tool) => tool.folderName === toolId);
  }

  onDidChange(listener: (change: CatalogChange) => void): { dispose(): void } {
    this.events.on('change', listener);
    return { dispose: () => this.events.off('change', listener) };
  }

  /** Re-scan the tools folder; concurrent calls share one scan (and one more runs if asked meanwhile). */
  refresh(): Promise<CatalogChange> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.scan().finally(() => {
      this.refreshing = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private async scan(): Promise<CatalogChange> {
    const tools = await discoverTools(this.toolsDir);
    const stored = new Map(this.store.read((q) => listToolStates(q)).map((state) => [state.toolId, state.discoveryHash]));
    const changedHashes = tools.filter((tool) => stored.get(tool.toolId) !== tool.discoveryHash).map((tool) => tool.toolId);
    if (changedHashes.length > 0 && !this.store.readOnlyReason) {
      await this.store.write((q) => {
        for (const toolId of changedHashes) {
          const tool = tools.find((t) => t.toolId === toolId);
          if (!tool) continue;
          ensureToolState(q, toolId);
          setToolDiscoveryHash(q, toolId, tool.discoveryHash);
        }
      });
    }
    this.current = tools;
    const change: CatalogChange = { tools, changedHashes };
    this.events.emit('change', change);
    return change;
  }
}
