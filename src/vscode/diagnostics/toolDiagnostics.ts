// The Problems panel for tools: every tool.json's parse/schema errors, and the latest validation report's failing
// (Error) and warning (Warning) checks, all on tool.json. Rebuilt when the catalog rescans and when the latest
// reports change (ValidationState, the one source of truth for reports in the UI).
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { ToolCatalog } from '../../core/tools/catalog';
import type { Store } from '../../core/store/types';
import { latestReport } from '../../core/validator/report';
import type { ValidationState } from '../decorations/validationState';
import { problemsForTool, type ToolProblem } from './diagnosticModel';

export const DIAGNOSTIC_SOURCE = 'Pixie';

function toDiagnostic(problem: ToolProblem): vscode.Diagnostic {
  const { startLine, startCharacter, endLine, endCharacter } = problem.range;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(startLine, startCharacter, endLine, endCharacter),
    problem.message,
    problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  if (problem.code !== undefined) diagnostic.code = problem.code;
  return diagnostic;
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return '';
  }
}

export class ToolDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('pixie');
  private readonly subscriptions: { dispose(): void }[] = [];
  private pending: Promise<void> = Promise.resolve();
  private again = false;
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly catalog: ToolCatalog,
    private readonly validation: ValidationState,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.subscriptions.push(
      catalog.onDidChange(() => void this.refresh()),
      validation.onDidChange(() => void this.refresh()),
    );
  }

  /** Rebuilds every tool's diagnostics; calls made while one runs coalesce into one more pass. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.pending;
    }
    this.running = true;
    this.pending = (async () => {
      try {
        do {
          this.again = false;
          await this.rebuild();
        } while (this.again);
      } catch (error) {
        this.log(`Problems panel refresh failed: ${(error as Error).message}`);
      } finally {
        this.running = false;
      }
    })();
    return this.pending;
  }

  private async rebuild(): Promise<void> {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (file: string, diagnostics: vscode.Diagnostic[]): void => {
      if (diagnostics.length > 0) byFile.set(file, [...(byFile.get(file) ?? []), ...diagnostics]);
    };
    for (const tool of this.catalog.tools()) {
      const report = this.validation.get(tool.toolId) ? latestReport(this.store, tool.toolId) : undefined;
      if (tool.errors.length === 0 && !report?.checks.some((c) => c.status === 'fail' || c.status === 'warn')) continue;
      // Discovery may also report a fixture or tolerance.yaml: those errors go on their own file.
      const elsewhere = tool.errors.filter((e) => e.file !== undefined && e.file !== tool.toolJsonPath);
      const own = tool.errors.filter((e) => !elsewhere.includes(e));
      const problems = problemsForTool({ toolJsonText: await readText(tool.toolJsonPath), errors: own, report });
      add(tool.toolJsonPath, problems.map(toDiagnostic));
      for (const file of new Set(elsewhere.map((e) => e.file as string))) {
        const errors = elsewhere.filter((e) => e.file === file);
        add(file, problemsForTool({ toolJsonText: await readText(file), errors, report: undefined }).map(toDiagnostic));
      }
    }
    this.collection.clear();
    this.collection.set([...byFile].map(([file, diagnostics]): [vscode.Uri, vscode.Diagnostic[]] => [vscode.Uri.file(file), diagnostics]));
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.collection.dispose();
  }
}
