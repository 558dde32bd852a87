// The latest validation report per tool, kept in memory for the tree dots, the tool tooltips and the status bar
// (one source of truth: the validation_reports table). Re-read when the store says validation_reports changed.
// No vscode here: the decoration provider and the status bar listen to `onDidChange`.
import { EventEmitter } from 'node:events';
import { latestValidationReportsForAll, type ValidationOverall } from '../../core/store/repositories/validationReports';
import type { Store } from '../../core/store/types';
import { parseReport } from '../../core/validator/report';

export interface ToolValidation {
  toolId: string;
  overall: ValidationOverall;
  timestamp: string;
  /** First failing (else warning) check as `name: message`, or the skip reason. */
  note: string | null;
  /** The tool's discovery hash when it was validated (null when unknown). */
  discoveryHash: string | null;
}

function noteOf(reportJson: string, overall: ValidationOverall): { note: string | null; discoveryHash: string | null } {
  const report = parseReport(reportJson);
  if (!report) return { note: null, discoveryHash: null };
  if (overall === 'skip') return { note: report.skip_reason, discoveryHash: report.discovery_hash };
  const first = report.checks.find((c) => c.status === 'fail') ?? report.checks.find((c) => c.status === 'warn');
  return { note: first ? `${first.name}: ${first.message}` : null, discoveryHash: report.discovery_hash };
}

const same = (a: ToolValidation | undefined, b: ToolValidation | undefined): boolean =>
  a?.overall === b?.overall && a?.timestamp === b?.timestamp;

export class ValidationState {
  private current = new Map<string, ToolValidation>();
  private readonly events = new EventEmitter();

  constructor(private readonly store: Store) {}

  /** Re-reads the latest reports; fires `onDidChange` with the tool ids whose latest report changed. */
  reload(): void {
    const next = new Map<string, ToolValidation>();
    for (const row of this.store.read(latestValidationReportsForAll)) {
      const previous = this.current.get(row.toolId);
      // A report is immutable once written (same tool + timestamp): reuse the parsed note.
      if (previous && previous.timestamp === row.timestamp && previous.overall === row.overall) {
        next.set(row.toolId, previous);
        continue;
      }
      next.set(row.toolId, { toolId: row.toolId, overall: row.overall, timestamp: row.timestamp, ...noteOf(row.reportJson, row.overall) });
    }
    const changed = new Set<string>();
    for (const id of new Set([...this.current.keys(), ...next.keys()])) {
      if (!same(this.current.get(id), next.get(id))) changed.add(id);
    }
    this.current = next;
    if (changed.size > 0) this.events.emit('change', [...changed]);
  }

  get(toolId: string): ToolValidation | undefined {
    return this.current.get(toolId);
  }

  all(): ReadonlyMap<string, ToolValidation> {
    return this.current;
  }

  onDidChange(listener: (toolIds: readonly string[]) => void): { dispose(): void } {
    this.events.on('change', listener);
    return { dispose: () => this.events.off('change', listener) };
  }
}
