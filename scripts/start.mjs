#!/usr/bin/env node
// `npm start`: build Pixie, run its main job on the demo workspace through the `pixie` command line, then open
// Pixie in real VS Code on that workspace.
//
//   npm start                        build → Python venvs → CLI job → VS Code (desktop `code` when it is on PATH,
//                                    else code-server on 127.0.0.1 from the harness; Ctrl-C stops it)
//   npm start -- --no-ui             build → venvs → CLI job, then exit (CI, the README test)
//   npm start -- --workspace DIR     use DIR instead of examples/demo-workspace (the demo is copied into DIR when
//                                    DIR has no tools/ folder), so nothing is written into the repository
//   npm start -- --no-build          use the dist/ (and dist/pixie.vsix) that is already there
//   npm start -- --code-server       code-server even when a desktop `code` is on PATH
//
// Exit code: 0 when every step that ran succeeded (steps this build cannot do yet are skipped and say why),
// 1 when a step failed, 2 for a bad flag.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = path.join(REPO, 'examples', 'demo-workspace');
const CLI = path.join(REPO, 'dist', 'cli.js');
const VSIX = path.join(REPO, 'dist', 'pixie.vsix');
const HARNESS_HOME = process.env.PIXIE_HARNESS_HOME || '/opt/pixie-vscode-harness';
// What the demo leaves behind when it is copied somewhere: the user's state (store, runs, venvs, secrets) stays put.
const NOT_COPIED = new Set(['artefacts', '.venv', '__pycache__', '.env']);
const isStoreFile = (name) => name.startsWith('pixie.db') || name.startsWith('.pixie.db');

const USAGE = `usage: npm start [-- [--no-ui] [--workspace DIR] [--no-build] [--code-server]]
  --no-ui           build and run the command-line job only; do not open VS Code
  --workspace DIR   run on DIR instead of examples/demo-workspace (the demo is copied there when DIR has no tools/)
  --no-build        use the existing dist/ (and dist/pixie.vsix) instead of building and packaging
  --code-server     open code-server even when a desktop \`code\` is on PATH`;

function parseArgs(argv) {
  const options = { ui: true, build: true, preferCodeServer: false, workspace: DEMO };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    switch (flag) {
      case '--no-ui': options.ui = false; break;
      case '--no-build': options.build = false; break;
      case '--code-server': options.preferCodeServer = true; break;
      case '--workspace': {
        const value = inline ?? argv[++i];
        if (!value) throw new UsageError('--workspace needs a folder');
        options.workspace = path.resolve(value);
        break;
      }
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: throw new UsageError(`unknown option ${argv[i]}`);
    }
  }
  return options;
}

class UsageError extends Error {}

// ---------- output ----------

let stepNumber = 0;
function step(title) {
  stepNumber += 1;
  const line = `── ${stepNumber}. ${title} `;
  console.log(`\n${line}${'─'.repeat(Math.max(3, 78 - line.length))}`);
}
const note = (text) => console.log(`   ${text}`);
/** Relative to the current folder when inside it, else absolute. */
function displayPath(p) {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

/** A command line as one would type it; very long arguments are cut short (the command still gets all of it). */
const shown = (cmd, args) => [cmd, ...args]
  .map((a) => (a.length > 70 ? `${a.slice(0, 69)}…` : a))
  .map((a) => (/^[\w@%+=:,./…-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
  .join(' ');

// ---------- processes ----------

/** The environment for the demo's commands: without the caller's PIXIE_* settings, which would point elsewhere. */
function demoEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PIXIE_') || key === 'PIXIE_HARNESS_HOME'));
}

/** Runs a command with the terminal attached; resolves to its exit code (a signal counts as failure). */
function run(cmd, args, { env = process.env, cwd = REPO, echo = true } = {}) {
  if (echo) note(`$ ${shown(cmd === process.execPath ? 'node' : cmd, args)}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: 'inherit', shell: process.platform === 'win32' && cmd !== process.execPath });
    child.on('error', (error) => {
      console.error(`   cannot start ${cmd}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** `npm run <script>` through the npm that started us (npm_execpath), else the npm on PATH. */
async function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  const viaNode = npmCli && /\.(c?js|mjs)$/.test(npmCli);
  note(`$ npm run ${script}`);
  const code = viaNode
    ? await run(process.execPath, [npmCli, 'run', script], { echo: false })
    : await run('npm', ['run', script], { echo: false });
  if (code !== 0) console.error(`   ✖ npm run ${script} failed with exit code ${code}`);
  return code;
}

function onPath(name) {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

// ---------- the steps ----------

function prepareWorkspace(dir) {
  if (fs.existsSync(path.join(dir, 'tools'))) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(DEMO, dir, {
    recursive: true,
    filter: (src) => !path.relative(DEMO, src).split(path.sep).some((part) => NOT_COPIED.has(part) || isStoreFile(part)),
  });
  note(`copied the demo workspace into ${dir}`);
}

/** 'ready', or why the Python tools cannot run here (they are then left out of the job). */
function setupVenvs(toolsDir) {
  if (process.platform === 'win32') {
    return 'the venv script needs bash and Debian\'s python3-fastapi; on Windows create tools\\compound-interest\\.venv with `uv sync` in that folder';
  }
  const script = path.join(REPO, 'scripts', 'setup-demo-venvs.sh');
  note(`$ ${shown('bash', [displayPath(script), displayPath(toolsDir)])}`);
  const result = spawnSync('bash', [script, toolsDir], { encoding: 'utf8', timeout: 120_000 });
  for (const line of `${result.stdout}${result.stderr}`.trim().split('\n').filter(Boolean)) note(line);
  if (result.status === 0) return 'ready';
  if (result.status === 3) return '/usr/bin/python3 has no fastapi/uvicorn (see above)';
  return `the venv script failed (exit code ${result.status ?? result.signal})`;
}

/** The verbs this build of `pixie` has, read from its --help (the list grows while the CLI is being written);
 *  undefined (after saying why) when the built CLI does not even start. */
function cliVerbs() {
  const result = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`   ✖ the built CLI does not start: node ${path.relative(REPO, CLI)} --help exited with ${result.status ?? result.signal}:`);
    for (const line of result.stderr.trim().split('\n').slice(0, 12)) console.error(`     ${line}`);
    return undefined;
  }
  const commands = result.stdout.split(/^Commands:\s*$/m)[1] ?? '';
  return new Set([...commands.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]));
}

/** A paragraph worth analysing: the opening of the project's README. */
function sampleText() {
  try {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const paragraph = readme.split(/\n\s*\n/).find((p) => !p.startsWith('#') && p.trim().length > 200);
    if (paragraph) return paragraph.replace(/\s+/g, ' ').trim();
  } catch {
    // fall through
  }
  return 'Pixie turns a folder of local tools into a workbench inside VS Code. Each tool is a small local HTTP server.';
}

async function cliJob(workspace, pythonReady) {
  step('pixie --help: the verbs of this build');
  const verbs = cliVerbs();
  if (!verbs) return ['pixie --help'];
  note([...verbs].filter((v) => v !== 'help').join(', '));
  const env = demoEnv();
  const failures = [];
  const pixie = async (title, args, { needs, skip } = {}) => {
    step(title);
    if (needs && !verbs.has(needs)) {
      note(`skipped: this build of \`pixie\` has no \`${needs}\` verb yet (verbs are added in src/cli/commands/ and`);
      note('registered in src/cli/program.ts).');
      return;
    }
    if (skip) {
      note(`skipped: ${skip}`);
      return;
    }
    // Shown as the `pixie` command (package.json "bin"); run as node dist/cli.js, which is the same program.
    note(`$ ${shown('pixie', ['--workspace', displayPath(workspace), ...args])}`);
    const code = await run(process.execPath, [CLI, '--workspace', workspace, ...args], { env, echo: false });
    if (code !== 0) {
      failures.push(`pixie ${args[0]}`);
      console.error(`   ✖ pixie ${args.join(' ').slice(0, 60)} failed with exit code ${code}`);
    }
  };

  await pixie('pixie init: create pixie.db in the workspace', ['init']);
  await pixie('pixie tools: the tools Pixie finds in tools/', ['tools'], { needs: 'tools' });
  await pixie('pixie run text-stats: analyse the README\'s first paragraph', ['run', 'text-stats', '--input', `text=${sampleText()}`, '--input', 'top_n=5'], { needs: 'run' });
  await pixie('pixie run compound-interest: £5,000 plus £200 a month for 25 years at 6.5 % (Python)', [
    'run', 'compound-interest', '--input', 'principal=5000', '--input', 'monthly_contribution=200',
    '--input', 'years=25', '--input', 'annual_rate=6.5', '--input', 'compounding=12',
  ], { needs: 'run', skip: pythonReady === 'ready' ? undefined : `the Python tool cannot run here: ${pythonReady}` });
  await pixie('pixie runs: what was recorded in pixie.db', ['runs', '--limit', '10']);
  return failures;
}

/** `npm run package`, unless --no-build asked to use what dist/ already has. */
async function packaged(build) {
  step('package the extension (dist/pixie.vsix)');
  if (!build && fs.existsSync(VSIX)) {
    note('--no-build: using the existing dist/pixie.vsix');
    return true;
  }
  return (await npmRun('package')) === 0;
}

async function openDesktopCode(code, workspace, build) {
  if (!(await packaged(build))) return 1;
  step('open Pixie in VS Code');
  if ((await run(code, ['--install-extension', VSIX, '--force'])) !== 0) return 1;
  if ((await run(code, [workspace])) !== 0) return 1;
  note('VS Code opens the demo workspace; Pixie is in the activity bar.');
  return 0;
}

async function openCodeServer(workspace, build) {
  if (!(await packaged(build))) return 1;
  step('open Pixie in VS Code (code-server on 127.0.0.1)');
  // Imported only now: the module watches signals to stop its servers, and we want ours to run first.
  process.once('SIGINT', () => {
    console.log('\nStopping code-server (Ctrl-C).');
    process.exit(0); // code-server.mjs kills its server and removes the temp profile on exit
  });
  const { loadHarnessConfig, startCodeServer } = await import(pathToFileURL(path.join(REPO, 'scripts', 'vscode-harness', 'code-server.mjs')).href);
  let config;
  try {
    config = loadHarnessConfig();
  } catch (error) {
    console.error(`   ${error.message}`);
    return 1;
  }
  note(`installing dist/pixie.vsix into a fresh code-server profile and opening ${workspace} …`);
  const server = await startCodeServer({
    config, workspace, installExtensions: [VSIX], copyWorkspace: false, trust: true, developmentMode: false,
  });
  const url = server.workbenchUrl();
  console.log(`
   Pixie is running in VS Code (code-server on port ${server.port}). Open this in a browser on this machine:

     ${url}

   Pixie's tools, runs and artefacts are in its activity-bar container. From another machine, forward the port
   first: ssh -L ${server.port}:127.0.0.1:${server.port} <this-host>. Ctrl-C stops code-server.`);
  await new Promise(() => {}); // until Ctrl-C
  return 0;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`start: ${error.message}\n${USAGE}`);
    return 2;
  }
  const workspace = options.workspace;
  console.log(`Pixie demo: ${workspace}${workspace === DEMO ? ' (pixie.db and artefacts/ there are gitignored)' : ''}`);

  if (options.build) {
    step('build (npm run build)');
    if ((await npmRun('build')) !== 0) return 1;
  } else if (!fs.existsSync(CLI)) {
    console.error(`start: --no-build, but ${path.relative(REPO, CLI)} does not exist: run npm run build first.`);
    return 1;
  }

  step('the demo workspace and its Python venv');
  prepareWorkspace(workspace);
  const pythonReady = setupVenvs(path.join(workspace, 'tools'));

  const failures = await cliJob(workspace, pythonReady);
  if (failures.length > 0) {
    console.error(`\n✖ ${failures.length} step${failures.length > 1 ? 's' : ''} failed: ${failures.join(', ')}.`);
    return 1;
  }
  console.log('\n✔ The command-line job is done.');
  if (!options.ui) return 0;

  const code = options.preferCodeServer ? undefined : onPath('code');
  if (code) return openDesktopCode(code, workspace, options.build);
  if (fs.existsSync(path.join(HARNESS_HOME, 'env.sh'))) return openCodeServer(workspace, options.build);
  step('open Pixie in VS Code');
  note('Neither a desktop VS Code (`code` on PATH) nor the code-server harness is installed here.');
  note('Install the harness (code-server + Chromium, about two minutes), then run npm start again:');
  note('');
  note('  npm run harness:install');
  note('');
  note(`Or, in your own VS Code: npm run package && code --install-extension dist/pixie.vsix && code ${path.relative(process.cwd(), workspace) || '.'}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`start: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
