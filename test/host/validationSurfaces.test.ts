// The gatekeeper's Problems panel and Testing view in the real extension host: the broken tool's tool.json error
// shows at its line/column; the test controller's run handler validates echo, reports each check and saves the
// report the status bar and dots follow; untrusted or cancelled runs spawn nothing and save nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { latestReport } from '../../src/core/validator/report';
import { CHECK_NAMES } from '../../src/core/validator/types';
import type { SidebarHandle } from '../../src/vscode/commands';
import type { PixieApi } from '../../src/extension';
import { registerValidationSurfaces, type ValidationSurfaces } from '../../src/vscode/validationSurfaces';
import { isTrusted } from '../../src/vscode/trust';
import { EXTENSION_ID } from './extension.test';
import { pixieSidebar, waitFor } from './trees.test';

/** The extension's surfaces when extension.ts wires them (activate() returns `{ ready }` → `{ surfaces }`), else our own. */
async function surfacesFor(sidebar: SidebarHandle, owned: vscode.Disposable[]): Promise<ValidationSurfaces> {
  const services = await vscode.extensions.getExtension<PixieApi>(EXTENSION_ID)?.exports.ready;
  if (services?.surfaces) return services.surfaces;
  const { store, catalog, launcher, log } = sidebar.deps;
  return registerValidationSurfaces({ subscriptions: owned }, { store, catalog, launcher, log, validation: sidebar.validation, isTrusted });
}

const pixieDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Pixie');

export function declareValidationSurfacesSuite(): void {
  suite('Pixie validation surfaces (Problems, Testing)', () => {
    let sidebar: SidebarHandle;
    let surfaces: ValidationSurfaces;
    const owned: vscode.Disposable[] = [];

    suiteSetup(async () => {
      sidebar = await pixieSidebar();
      surfaces = await surfacesFor(sidebar, owned);
    });

    suiteTeardown(() => {
      for (const d of owned.splice(0)) d.dispose();
    });

    test('the broken tool’s tool.json error is a Problems diagnostic at its line and column', async () => {
      const broken = sidebar.deps.catalog.get('broken');
      assert.ok(broken, 'broken tool discovered');
      assert.ok(broken.errors.length > 0, 'discovery reports its mistake');
      const uri = vscode.Uri.file(broken.toolJsonPath);
      await waitFor(() => pixieDiagnostics(uri).length > 0, 'a Pixie diagnostic on broken/tool.json');
      const error = broken.errors[0];
      const diagnostic = pixieDiagnostics(uri).find((d) => d.message === error.message);
      assert.ok(diagnostic, `a diagnostic says "${error.message}"`);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic.range.start.line, error.line - 1);
      assert.equal(diagnostic.range.start.character, error.column - 1);
      // The typo'd key is on line 7 of the fixture: the squiggle covers it.
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(diagnostic.range.start.line, 6);
      assert.match(document.getText(diagnostic.range), /nmae/);
    });

    test('the controller lists every tool (uri = tool.json) with the twelve checks as children', () => {
      const echo = surfaces.tests.controller.items.get('echo');
      assert.ok(echo, 'echo item');
      assert.equal(echo.uri?.fsPath, sidebar.deps.catalog.get('echo')?.toolJsonPath);
      assert.equal(echo.children.size, CHECK_NAMES.length);
      assert.ok(echo.children.get('echo/tool_spawns'));
      assert.ok(surfaces.tests.controller.items.get('broken'), 'broken tools are listed too');
    });

    test('a cancelled run validates nothing and saves nothing', async () => {
      const echo = surfaces.tests.controller.items.get('echo')!;
      const before = latestReport(sidebar.deps.store, 'echo')?.timestamp;
      const source = new vscode.CancellationTokenSource();
      source.cancel();
      const reports = await surfaces.tests.run(new vscode.TestRunRequest([echo]), source.token);
      source.dispose();
      assert.deepEqual(reports, []);
      assert.equal(latestReport(sidebar.deps.store, 'echo')?.timestamp, before);
    });

    test('running echo from the Testing view validates it and saves a passing report', async function () {
      if (!vscode.workspace.isTrusted) {
        this.skip();
      }
      this.timeout(60_000);
      const echo = surfaces.tests.controller.items.get('echo')!;
      const source = new vscode.CancellationTokenSource();
      const reports = await surfaces.tests.run(new vscode.TestRunRequest([echo.children.get('echo/tool_spawns')!]), source.token);
      source.dispose();
      assert.equal(reports.length, 1, 'a check item runs its tool');
      const [report] = reports;
      assert.equal(report.tool_id, 'echo');
      const failing = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.message}`);
      assert.deepEqual(failing, [], 'no check fails');
      assert.equal(report.overall, 'pass', `overall pass (warnings: ${report.warnings.join('; ')})`);
      const saved = latestReport(sidebar.deps.store, 'echo');
      assert.equal(saved?.timestamp, report.timestamp, 'the report is saved');
      await waitFor(() => sidebar.validation.get('echo')?.timestamp === report.timestamp, 'ValidationState follows');
    });

    test('untrusted: the run is skipped with the Restricted Mode reason and nothing is saved', async function () {
      if (vscode.workspace.isTrusted) this.skip();
      const echo = surfaces.tests.controller.items.get('echo')!;
      const before = latestReport(sidebar.deps.store, 'echo')?.timestamp;
      const source = new vscode.CancellationTokenSource();
      assert.deepEqual(await surfaces.tests.run(new vscode.TestRunRequest([echo]), source.token), []);
      source.dispose();
      assert.equal(latestReport(sidebar.deps.store, 'echo')?.timestamp, before);
    });
  });
}
