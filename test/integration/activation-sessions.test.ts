// Fast activation in real VS Code (code-server through scripts/vscode-harness), in extension hosts of their own:
// the suites of test/host/activation.test.ts need a host where Pixie has not activated yet, and one activation per
// host, so each runs in a harness session on a workspace made for it (tools in a folder named by settings, so no
// activation event fires until the suite calls activate()):
//   - a working pixie.db with 150 runs: commands and views used right after activate() work once ready;
//   - pixie.db is a directory, then pixie.db is garbage bytes: activate() does not throw, the user is told.
// About 30 s per session. Skips when the harness is not installed (`npm run harness:install`).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepareWorkspace } from '../../bench/workbench';

const REPO = path.resolve(__dirname, '../..');
const HARNESS_HOME = process.env.PIXIE_HARNESS_HOME || '/opt/pixie-vscode-harness';
const SKIP = fs.existsSync(path.join(HARNESS_HOME, 'env.sh')) ? false : `the VS Code harness is not installed (${HARNESS_HOME})`;
const SESSION_TIMEOUT_S = 240;

interface SessionResult {
  passed: number;
  failed: number;
  output: string;
}

/** One harness session running the host suite `suite` on `workspace`; the counts from its last line. */
function session(suite: string, workspace: string): Promise<SessionResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'scripts/vscode-harness/harness.mjs'), 'test', `--timeout=${SESSION_TIMEOUT_S}`, workspace], {
      cwd: REPO,
      env: { ...process.env, PIXIE_HOST_SUITE: suite },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const counts = [...output.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
      if (!counts) reject(new Error(`no result line from the ${suite} session:\n${output.slice(-4000)}`));
      else resolve({ passed: Number(counts[1]), failed: Number(counts[2]), output });
    });
  });
}

function assertPassed(result: SessionResult, expected: number): void {
  assert.equal(result.failed, 0, result.output.slice(-6000));
  assert.equal(result.passed, expected, result.output.slice(-6000));
}

describe('activation in extension hosts of their own', { skip: SKIP }, () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-activation-'));
    // The extension and the host suites as the sessions load them (dist/extension.js, dist/test/host/index.js).
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('commands and views used right after activate() wait for the store, then work', { timeout: SESSION_TIMEOUT_S * 1000 }, async () => {
    const workspace = path.join(dir, 'working');
    fs.mkdirSync(workspace);
    await prepareWorkspace(workspace, 150);
    assertPassed(await session('activation', workspace), 3);
  });

  it('pixie.db is a directory: activate() does not throw, the error is shown, commands and views say why', { timeout: SESSION_TIMEOUT_S * 1000 }, async () => {
    const workspace = path.join(dir, 'db-directory');
    fs.mkdirSync(workspace);
    await prepareWorkspace(workspace, 0);
    fs.rmSync(path.join(workspace, 'pixie.db'));
    fs.mkdirSync(path.join(workspace, 'pixie.db'));
    fs.writeFileSync(path.join(workspace, 'pixie.db', 'not-a-database.txt'), 'a folder where pixie.db should be\n');
    assertPassed(await session('store-failure', workspace), 4);
  });

  it('pixie.db is garbage bytes: the same, and the file is left as it was', { timeout: SESSION_TIMEOUT_S * 1000 }, async () => {
    const workspace = path.join(dir, 'db-garbage');
    fs.mkdirSync(workspace);
    await prepareWorkspace(workspace, 0);
    fs.writeFileSync(path.join(workspace, 'pixie.db'), crypto.randomBytes(64 * 1024));
    assertPassed(await session('store-failure', workspace), 4);
  });
});
