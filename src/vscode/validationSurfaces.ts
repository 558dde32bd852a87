// The gatekeeper's Problems panel diagnostics and Testing view, registered together from extension.ts.
import type * as vscode from 'vscode';
import type { Launcher } from '../core/runner/launcher';
import type { Store } from '../core/store/types';
import type { ToolCatalog } from '../core/tools/catalog';
import type { ValidationState } from './decorations/validationState';
import { ToolDiagnostics } from './diagnostics/toolDiagnostics';
import { ValidationTests } from './testing/validationTests';

export interface ValidationSurfacesDeps {
  store: Store;
  catalog: ToolCatalog;
  launcher: Launcher;
  /** The sidebar's ValidationState (the one in-memory view of the latest reports). */
  validation: ValidationState;
  log: vscode.LogOutputChannel;
  isTrusted: () => boolean;
}

export interface ValidationSurfaces extends vscode.Disposable {
  diagnostics: ToolDiagnostics;
  tests: ValidationTests;
}

export function registerValidationSurfaces(context: Pick<vscode.ExtensionContext, 'subscriptions'>, deps: ValidationSurfacesDeps): ValidationSurfaces {
  const diagnostics = new ToolDiagnostics(deps.store, deps.catalog, deps.validation, (message) => deps.log.error(message));
  const tests = new ValidationTests(deps);
  void diagnostics.refresh();
  const surfaces: ValidationSurfaces = {
    diagnostics,
    tests,
    dispose: () => {
      tests.dispose();
      diagnostics.dispose();
    },
  };
  context.subscriptions.push(surfaces);
  return surfaces;
}
