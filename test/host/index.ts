// Entry point of the extension-host test run (the extensionTestsPath contract of VS Code: the host
// loads this bundle and awaits run()). The suites are imported statically so esbuild puts them in
// this one bundle (dist/test/host/index.js); each exports a function that declares its mocha suite,
// called once mocha's `suite`/`test` globals exist. Run with `npm run test:host`.
import Mocha from 'mocha';
import { declareActivationSuite, declareStoreFailureSuite } from './activation.test';
import { declareWorkbenchBenchSuite } from './bench/workbench.bench';
import { declareCommandsSuite } from './commands.test';
import { declareExtensionSuite } from './extension.test';
import { declarePanelSuite } from './panel.test';
import { declareRunsBadgeSuite } from './runsBadge.test';
import { declareSweepSuite } from './sweep.test';
import { declareTreesSuite } from './trees.test';
import { declareTrustSuite } from './trust.test';
import { declareValidationSurfacesSuite } from './validationSurfaces.test';
import { declareDiffDocumentsSuite } from './diffDocuments.test';

// The trust suite runs before the others: in Restricted Mode it checks the views while the Runs view is still empty.
// The panel suite runs before the trust suite: a webview opened in the first seconds of a session, while code-server's
// own service worker installs, can leave the session's later webviews never loading (seen when the trust suite's
// panel came first: the panel suite then timed out, every time).
const SUITES: ReadonlyArray<() => void> = [declareExtensionSuite, declarePanelSuite, declareTrustSuite, declareTreesSuite, declareCommandsSuite, declareSweepSuite, declareValidationSurfacesSuite, declareRunsBadgeSuite, declareDiffDocumentsSuite];

// Suites that need an extension host of their own (Pixie not yet activated; a special workspace), selected with
// PIXIE_HOST_SUITE by test/integration/activation-sessions.test.ts, which starts one harness session per suite.
const SESSION_SUITES: Readonly<Record<string, () => void>> = {
  activation: declareActivationSuite,
  'store-failure': declareStoreFailureSuite,
};

// harness.mjs reads this line to print the closing `N passed, N failed`; keep the two in step.
const SUMMARY_MARK = '[pixie-host-summary]';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 20_000 });
  const grep = process.env.PIXIE_HOST_GREP;
  if (grep) mocha.grep(grep);
  // What mocha does before loading each test file: installs suite/test/setup/... as globals.
  mocha.suite.emit('pre-require', globalThis, 'dist/test/host/index.js', mocha);
  // bench/workbench.ts sets PIXIE_HOST_BENCH: only the benchmark runs (on its own workspaces), never the tests.
  const session = process.env.PIXIE_HOST_SUITE;
  if (session !== undefined && !SESSION_SUITES[session]) throw new Error(`PIXIE_HOST_SUITE=${session}: no such suite (${Object.keys(SESSION_SUITES).join(', ')})`);
  const declared = process.env.PIXIE_HOST_BENCH === '1' ? [declareWorkbenchBenchSuite] : session !== undefined ? [SESSION_SUITES[session]!] : SUITES;
  for (const declare of declared) declare();

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      const summary = { passed: stats?.passes ?? 0, failed: failures, pending: stats?.pending ?? 0 };
      console.log(`${SUMMARY_MARK}${JSON.stringify(summary)}`);
      if (failures > 0) reject(new Error(`${failures} extension host test(s) failed`));
      else resolve();
    });
  });
}
