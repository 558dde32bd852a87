#!/usr/bin/env node
// Runs the extension's mocha suite inside the real VS Code extension host (code-server 4.100.3 +
// headless Debian chromium), or serves a workbench for poking at by hand.
//
//   node scripts/vscode-harness/harness.mjs test [options] [WORKSPACE]
//     Loads the extension from --extensionDevelopmentPath (default: the repo), runs
//     --extensionTestsPath (default: <ext>/dist/test/host/index.js), relays the extension host's
//     console (mocha's output) and exits with the suite's code. The last line printed is
//     `N passed, N failed` (what CI reads). WORKSPACE defaults to test/host/workspace.
//   node scripts/vscode-harness/harness.mjs serve [options] [WORKSPACE]
//     Starts code-server (with the development extension) and prints its URL; Ctrl-C stops it.
//
// options: --trust=on|off (default on; off = Restricted Mode)  --theme=light|dark|<theme label>
//          --timeout=SECONDS (default 600)  --install-extension=X.vsix (repeatable)  --grep=PATTERN
//          --in-place (open WORKSPACE itself instead of a temp copy)  --keep (keep the temp profile)
//          --verbose
// Argument lists from @vscode/test-electron's runTests() are accepted as well (see code-shim.sh);
// electron-only flags are ignored.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, loadHarnessConfig, secondsSince, startCodeServer } from './code-server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUMMARY_MARK = '[pixie-host-summary]'; // printed by test/host/index.ts when mocha ends

// Extension-host chatter that is not test output.
const NOISE = /^(ChatSessionStore|Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|Ignoring fetching additional builtin|Creation of workbench contribution)/;

function parseArgs(argv) {
  const options = { mode: 'test', devPaths: [], installs: [], positional: [], trust: true, theme: 'light', timeout: 600 };
  if (argv[0] === 'test' || argv[0] === 'serve') options.mode = argv.shift();
  const takesValue = new Set(['extensionDevelopmentPath', 'extension-development-path', 'extensionTestsPath',
    'extension-tests-path', 'install-extension', 'timeout', 'theme', 'trust', 'grep', 'folder-uri', 'user-data-dir',
    'extensions-dir']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      options.positional.push(arg);
      continue;
    }
    let [key, value] = arg.slice(2).split(/=(.*)/s);
    if (value === undefined && takesValue.has(key)) value = argv[++i];
    switch (key) {
      case 'extensionDevelopmentPath': case 'extension-development-path': options.devPaths.push(path.resolve(value)); break;
      case 'extensionTestsPath': case 'extension-tests-path': options.testsPath = path.resolve(value); break;
      case 'install-extension': options.installs.push(path.resolve(value)); break;
      case 'timeout': options.timeout = Number(value); break;
      case 'theme': options.theme = value; break;
      case 'trust':
        if (!['on', 'off'].includes(value)) throw new Error(`--trust takes on or off, not ${value}`);
        options.trust = value === 'on';
        break;
      case 'grep': options.grep = value; break;
      case 'in-place': options.inPlace = true; break;
      case 'keep': options.keep = true; break;
      case 'verbose': options.verbose = true; break;
      default: break; // electron/desktop flags from runTests(): --no-sandbox, --disable-extensions, ...
    }
  }
  if (!Number.isFinite(options.timeout) || options.timeout <= 0) throw new Error('--timeout takes seconds > 0');
  if (options.devPaths.length === 0) options.devPaths.push(REPO);
  options.testsPath ??= path.join(options.devPaths[0], 'dist', 'test', 'host', 'index.js');
  options.workspace = path.resolve(options.positional[0] ?? path.join(REPO, 'test', 'host', 'workspace'));
  return options;
}

/** Reads `{"passed":N,"failed":N,"pending":N}` from the suite's summary line, if it got that far. */
function parseSummary(text) {
  if (typeof text !== 'string' || !text.startsWith(SUMMARY_MARK)) return undefined;
  try {
    return JSON.parse(text.slice(SUMMARY_MARK.length));
  } catch {
    return undefined;
  }
}

async function main() {
  const t0 = Date.now();
  const options = parseArgs(process.argv.slice(2));
  const say = (message) => console.error(`[harness] ${message}`);
  const log = options.verbose ? say : () => {};
  const config = loadHarnessConfig();
  let server;
  let browser;
  let rc = 1;
  let summary;
  // A hard deadline: whatever hangs (server start, browser, suite), the run ends and cleans up.
  const watchdog = setTimeout(() => {
    say(`timed out after ${options.timeout}s`);
    finish(124).catch(() => process.exit(124));
  }, options.timeout * 1000);

  let finishing;
  // Called by the watchdog or at the end of main, whichever comes first; only the first call counts.
  function finish(code) {
    finishing ??= finishOnce(code);
    return finishing;
  }
  async function finishOnce(code) {
    clearTimeout(watchdog);
    try {
      await browser?.close();
    } catch {
      // the browser may already be gone
    }
    await server?.stop();
    if (options.mode === 'test') {
      const s = summary ?? { passed: 0, failed: 1, pending: 0 }; // no summary: the suite never ran to the end
      const failed = code !== 0 && s.failed === 0 ? 1 : s.failed;
      say(`wall time ${secondsSince(t0)}s, exit code ${code}`);
      console.log(`${s.passed} passed, ${failed} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
    }
    process.exit(code);
  }

  try {
    server = await startCodeServer({
      config, workspace: options.workspace, trust: options.trust, theme: options.theme,
      installExtensions: options.installs, copyWorkspace: !options.inPlace, developmentMode: true, keep: options.keep, log,
      env: options.grep ? { PIXIE_HOST_GREP: options.grep } : {},
    });
    const url = server.workbenchUrl({
      extensionDevelopmentPath: options.devPaths[0],
      extensionTestsPath: options.mode === 'test' ? options.testsPath : undefined,
    });
    if (options.mode === 'serve') {
      console.log(`[harness] ${url}\n[harness] profile ${server.tmpRoot}; Ctrl-C stops`);
      clearTimeout(watchdog);
      await new Promise(() => {});
    }

    browser = await launchChromium(config);
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    // The workbench forwards the extension host's console here while tests run, and calls
    // codeAutomationExit(code) when the suite's run() settles (0 resolved, 1 rejected).
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const first = args[0];
      const parsed = parseSummary(first);
      if (parsed) {
        summary = parsed;
        return;
      }
      if (!options.verbose && typeof first === 'string' && NOISE.test(first)) return;
      (type === 'error' || type === 'warn' ? console.error : console.log)(...args);
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    page.on('crash', () => settle(98));
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 120_000 });
    log(`workbench up after ${secondsSince(t0)}s`);
    rc = await exited;
    if (rc !== 0 && !summary) say(`the suite did not finish (exit code ${rc}); code-server log tail:\n${server.readLog().split('\n').slice(-20).join('\n')}`);
  } catch (error) {
    if (finishing) return; // the watchdog closed the browser under us
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    rc = rc === 0 ? 1 : rc;
  }
  await finish(rc);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
