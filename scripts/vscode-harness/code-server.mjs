// Shared by harness.mjs (extension-host tests) and test/e2e/driver.ts (UI tests): find the installed
// harness, start code-server in a throw-away profile on 127.0.0.1, stop it without leftovers, and
// launch Debian's chromium through playwright-core. The TypeScript side mirrors this module's
// shape in test/e2e/harness-lib.ts; keep the two in step.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_HARNESS_HOME = '/opt/pixie-vscode-harness';

/** Paths of the installed harness: env vars win, else $PIXIE_HARNESS_HOME/harness.json from install.sh. */
export function loadHarnessConfig() {
  const home = process.env.PIXIE_HARNESS_HOME || DEFAULT_HARNESS_HOME;
  const file = path.join(home, 'harness.json');
  let saved = {};
  if (fs.existsSync(file)) saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  const config = {
    codeServer: process.env.CODE_SERVER || saved.codeServer,
    node: process.env.CODE_SERVER_NODE || saved.node || process.execPath,
    playwrightDir: process.env.PW_DIR || saved.playwrightDir,
    chromium: process.env.CHROMIUM || saved.chromium || '/usr/bin/chromium',
  };
  if (!config.codeServer || !fs.existsSync(config.codeServer) || !config.playwrightDir) {
    throw new Error(`the VS Code harness is not installed in ${home}: run \`npm run harness:install\` ` +
      '(or set PIXIE_HARNESS_HOME to where it is)');
  }
  return config;
}

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

/** `light`, `dark` or any installed theme's label. */
export function themeLabel(theme) {
  return THEMES[theme] ?? theme;
}

/** User settings that keep the workbench quiet and deterministic: no welcome page, tips, telemetry, gallery, AI side bar. */
export function baseUserSettings({ theme = 'light', trust = true } = {}) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.colorTheme': themeLabel(theme),
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.openRepositoryInParentFolders': 'never',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    // Untrusted runs keep trust on but never show the modal start-up prompt (it would block the UI).
    'security.workspace.trust.enabled': !trust,
    'security.workspace.trust.startupPrompt': 'never',
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(origin, timeoutMs, child) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before answering`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer on ${origin} within ${timeoutMs} ms`);
}

/** pid → { ppid, pgrp } for every process we can read. */
function processTable() {
  const table = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), pgrp: Number(fields[2]) });
    } catch {
      // exited while we were reading
    }
  }
  return table;
}

/** The server's process group plus every descendant (a child may have started its own session). */
function processesOf(rootPid) {
  const table = processTable();
  const found = new Set();
  for (const [pid, info] of table) if (info.pgrp === rootPid) found.add(pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, info] of table) {
      if (!found.has(pid) && (found.has(info.ppid) || pid === rootPid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

function killAll(pids, signal) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

// Every server still running when this process exits is killed and its temp folder removed,
// whatever the exit path (a signal, process.exit from a timeout, an uncaught error).
const running = new Map(); // server pid -> temp folder to remove, or null with --keep
function killRunningServers() {
  for (const [rootPid, tmpRoot] of running) {
    killAll(processesOf(rootPid), 'SIGKILL');
    if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
  running.clear();
}
process.on('exit', killRunningServers);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killRunningServers();
    process.exit(128 + os.constants.signals[signal]);
  });
}

/**
 * Starts code-server on a free 127.0.0.1 port with a fresh profile (user data, extensions, XDG dirs,
 * TMPDIR) under one temp folder. The workspace is copied there first unless `copyWorkspace` is false,
 * so what the extension writes (pixie.db, artefacts) never lands in the repo.
 */
export async function startCodeServer(options) {
  const {
    workspace,
    trust = true,
    theme = 'light',
    installExtensions = [],
    copyWorkspace = true,
    developmentMode = false, // the workbench URL will carry extensionDevelopmentPath/extensionTestsPath
    settings = {},
    env = {},
    keep = false,
    log = () => {},
  } = options;
  const config = options.config ?? loadHarnessConfig();
  const entry = fs.realpathSync(config.codeServer);
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`workspace ${workspace} is not a folder`);
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-vscode-'));
  const dirs = {
    userData: path.join(tmpRoot, 'user-data'),
    extensions: path.join(tmpRoot, 'extensions'),
    xdgConfig: path.join(tmpRoot, 'xdg', 'config'),
    xdgData: path.join(tmpRoot, 'xdg', 'data'),
    xdgCache: path.join(tmpRoot, 'xdg', 'cache'),
    tmp: path.join(tmpRoot, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });

  let folder = path.resolve(workspace);
  if (copyWorkspace) {
    const copy = path.join(tmpRoot, 'workspace', path.basename(folder));
    fs.cpSync(folder, copy, { recursive: true });
    folder = copy;
  }

  const userSettingsPath = path.join(dirs.userData, 'User', 'settings.json');
  const writeUserSettings = (patch) => {
    const current = fs.existsSync(userSettingsPath) ? JSON.parse(fs.readFileSync(userSettingsPath, 'utf8')) : {};
    fs.writeFileSync(userSettingsPath, JSON.stringify({ ...current, ...patch }, null, 2) + '\n');
  };
  writeUserSettings({ ...baseUserSettings({ theme, trust }), ...settings });

  const configFile = path.join(tmpRoot, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const serverEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{}', // no marketplace lookups: this machine reaches no gallery
    ...env,
  };
  delete serverEnv.VSCODE_IPC_HOOK_CLI; // never talk to a VS Code this shell may belong to
  const profileArgs = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  for (const vsix of installExtensions) {
    const result = spawnSync(config.node, [entry, ...profileArgs, '--force', '--install-extension', path.resolve(vsix)],
      { env: serverEnv, encoding: 'utf8' });
    if (result.status !== 0 || /failed|error/i.test(result.stderr)) {
      fs.rmSync(tmpRoot, { recursive: true, force: true });
      throw new Error(`installing ${vsix} failed (${result.status}):\n${result.stdout}${result.stderr}`);
    }
    log(`installed ${path.basename(vsix)}`);
  }

  // VS Code >= ~1.118 reads the URL's extensionDevelopmentPath/extensionTestsPath only with the smoke
  // test driver on (it also hides notification toasts); code-server >= 4.136 passes it through
  // --vscode-option. 4.100.3 needs nothing.
  const cli = fs.readFileSync(path.join(path.dirname(entry), 'cli.js'), 'utf8');
  const smokeDriver = developmentMode && cli.includes('"vscode-option"');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const serverLog = path.join(tmpRoot, 'code-server.log');
  const logFd = fs.openSync(serverLog, 'a');
  const args = [
    entry, ...profileArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(trust ? ['--disable-workspace-trust'] : []),
    ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  // Own process group: stopping kills the group, file watchers and pty host included.
  const child = spawn(config.node, args, { env: serverEnv, stdio: ['ignore', logFd, logFd], detached: true });
  fs.closeSync(logFd);
  running.set(child.pid, keep ? null : tmpRoot);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const pids = processesOf(child.pid);
    killAll([-child.pid], 'SIGTERM');
    killAll(pids, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    // Whatever did not leave on SIGTERM (or was started meanwhile) is killed.
    const deadline = Date.now() + 3000;
    let left = processesOf(child.pid).filter((pid) => pid !== process.pid);
    while (left.length > 0 && Date.now() < deadline) {
      killAll(left, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      left = processesOf(child.pid).filter((pid) => pid !== process.pid);
    }
    running.delete(child.pid);
    if (left.length > 0) log(`warning: processes still alive after stop: ${left.join(' ')}`);
    if (!keep) fs.rmSync(tmpRoot, { recursive: true, force: true });
  };

  try {
    await waitHealthy(origin, 60_000, child);
  } catch (error) {
    const tail = fs.readFileSync(serverLog, 'utf8').split('\n').slice(-30).join('\n');
    await stop();
    throw new Error(`${error.message}\n--- code-server log ---\n${tail}`);
  }
  log(`code-server ${child.pid} listening on ${origin}`);

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  /** Workbench URL on the workspace; development/test paths go in the `payload` query (the server CLI rejects them). */
  const workbenchUrl = ({ extensionDevelopmentPath, extensionTestsPath } = {}) => {
    const payload = [['skipWelcome', 'true']];
    if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
    if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  };
  const readLog = () => (fs.existsSync(serverLog) ? fs.readFileSync(serverLog, 'utf8') : '');

  return { pid: child.pid, port, origin, folder, tmpRoot, userSettingsPath, serverLog, smokeDriver,
    workbenchUrl, writeUserSettings, readLog, stop };
}

/** Debian's chromium, headless, through playwright-core from the harness folder (not a project dependency). */
export async function launchChromium(config = loadHarnessConfig()) {
  const require = createRequire(path.join(path.resolve(config.playwrightDir), 'package.json'));
  const { chromium } = require('playwright-core');
  const profileHome = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-chromium-'));
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    // crashpad and font caches go to a temp home instead of the user's; playwright makes a fresh profile
    env: { ...process.env, XDG_CONFIG_HOME: profileHome, XDG_CACHE_HOME: profileHome },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  browser.on('disconnected', () => fs.rmSync(profileHome, { recursive: true, force: true }));
  return browser;
}

/** Seconds with one decimal since `start` (a Date.now() value), for the timing lines. */
export function secondsSince(start) {
  return ((Date.now() - start) / 1000).toFixed(1);
}
