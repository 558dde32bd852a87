import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LaunchError } from '../../src/core/runner/launcher/errors';
import { resolveLaunchCommand, venvPythonPath } from '../../src/core/runner/launcher/launchCommand';
import { runtimeForEntrypoint, type LaunchSpec } from '../../src/core/runner/launcher/types';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-cmd-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function tool(name: string, files: string[]): string {
  const dir = path.join(root, name);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '');
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function spec(toolDir: string, entrypoint: string, extra: Partial<LaunchSpec> = {}): LaunchSpec {
  return { toolId: path.basename(toolDir), toolDir, entrypoint, runtime: runtimeForEntrypoint(entrypoint), warmKeepSeconds: 300, pinnedWarm: false, concurrent: true, ...extra };
}

function launchError(fn: () => unknown): LaunchError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof LaunchError, `expected LaunchError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a LaunchError');
}

test('entry points ending in .js/.mjs/.cjs run with Node, anything else with Python', () => {
  assert.equal(runtimeForEntrypoint('main.mjs'), 'node');
  assert.equal(runtimeForEntrypoint('server.cjs'), 'node');
  assert.equal(runtimeForEntrypoint('src/app.JS'), 'node');
  assert.equal(runtimeForEntrypoint('main.py'), 'python');
  assert.equal(runtimeForEntrypoint('main.json'), 'python');
});

test('a Node tool runs with this Node, with the memory hint as a V8 heap limit', () => {
  const dir = tool('node-tool', ['main.mjs']);
  const command = resolveLaunchCommand(spec(dir, 'main.mjs', { maxMemoryMb: 256 }));
  assert.equal(command.command, process.execPath);
  assert.deepEqual(command.args, ['--max-old-space-size=256', 'main.mjs']);
  assert.deepEqual(resolveLaunchCommand(spec(dir, 'main.mjs'), { nodePath: '/opt/node' }).command, '/opt/node');
});

test("a Python tool runs with its venv's python", () => {
  const dir = tool('py-tool', ['main.py', '.venv/bin/python']);
  const command = resolveLaunchCommand(spec(dir, 'main.py', { maxMemoryMb: 512 }));
  assert.equal(command.command, path.join(dir, '.venv', 'bin', 'python'));
  assert.deepEqual(command.args, ['main.py'], 'no RLIMIT-style memory flag for Python');
  assert.equal(venvPythonPath('C:\\t', 'win32'), path.join('C:\\t', '.venv', 'Scripts', 'python.exe'));
});

test('a missing venv says how to create it', () => {
  const dir = tool('no-venv', ['main.py']);
  const error = launchError(() => resolveLaunchCommand(spec(dir, 'main.py')));
  assert.equal(error.kind, 'venv');
  assert.equal(error.toolId, 'no-venv');
  assert.match(error.message, /uv sync/);
  assert.match(error.message, /python3 -m venv \.venv && \.venv\/bin\/pip install fastapi uvicorn/);
});

test('a missing entry point, one outside the folder, or a missing folder is a spawn error', () => {
  const dir = tool('bad-entry', ['.venv/bin/python']);
  assert.match(launchError(() => resolveLaunchCommand(spec(dir, 'main.py'))).message, /entrypoint .*main\.py does not exist/);
  assert.equal(launchError(() => resolveLaunchCommand(spec(dir, '../other/main.mjs'))).kind, 'spawn');
  assert.equal(launchError(() => resolveLaunchCommand(spec(dir, '/etc/passwd.js'))).kind, 'spawn');
  assert.match(launchError(() => resolveLaunchCommand(spec(path.join(root, 'nope'), 'main.mjs'))).message, /does not exist/);
  assert.equal(launchError(() => resolveLaunchCommand(spec('relative/dir', 'main.mjs'))).kind, 'spawn');
});
