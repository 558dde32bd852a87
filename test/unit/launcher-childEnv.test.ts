import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildChildEnv, readToolDotenv, scrubHostEnv } from '../../src/core/runner/launcher/childEnv';

const dirs: string[] = [];
function toolDir(dotenv?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-env-'));
  dirs.push(dir);
  if (dotenv !== undefined) fs.writeFileSync(path.join(dir, '.env'), dotenv);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const host = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/me',
  LANG: 'en_GB.UTF-8',
  AWS_SECRET_ACCESS_KEY: 'leak-me-not',
  OPENAI_API_KEY: 'sk-host',
  PIXIE_DB_PATH: '/elsewhere/pixie.db',
  PIXIE_TOOL_ID: 'spoofed-by-host',
  PIXIE_RUN_ID: 'stale-run',
  NODE_OPTIONS: '--inspect',
  UNDEFINED_VAR: undefined,
};

test('keeps PATH, HOME and LANG; drops secrets, NODE_OPTIONS and the host PIXIE_* vars', () => {
  const env = buildChildEnv({ toolId: 'echo', toolDir: toolDir(), artefactsRoot: '/tmp/artefacts', hostEnv: host, platform: 'linux' });
  assert.equal(env.PATH, '/usr/bin:/bin');
  assert.equal(env.HOME, '/home/me');
  assert.equal(env.LANG, 'en_GB.UTF-8');
  for (const dropped of ['AWS_SECRET_ACCESS_KEY', 'OPENAI_API_KEY', 'PIXIE_DB_PATH', 'NODE_OPTIONS', 'UNDEFINED_VAR', 'PIXIE_RUN_ID']) {
    assert.equal(env[dropped], undefined, `${dropped} must not reach the tool`);
  }
  assert.equal(env.PIXIE_TOOL_ID, 'echo');
  assert.equal(env.PIXIE_ARTEFACTS_ROOT, '/tmp/artefacts');
  assert.equal(env.PYTHONUNBUFFERED, '1');
  assert.equal(env.PYTHONDONTWRITEBYTECODE, '1');
});

test('exactly the allowed host keys, plus the Pixie ones, and nothing else', () => {
  const env = buildChildEnv({ toolId: 't', toolDir: toolDir(), artefactsRoot: '/a', hostEnv: host, platform: 'linux' });
  assert.deepEqual(Object.keys(env).sort(), ['HOME', 'LANG', 'PATH', 'PIXIE_ARTEFACTS_ROOT', 'PIXIE_TOOL_ID', 'PYTHONDONTWRITEBYTECODE', 'PYTHONUNBUFFERED']);
});

test("merges the tool's .env, which may override inherited vars but not Pixie's", () => {
  const dir = toolDir('API_TOKEN=abc123\nQUOTED="two words"\n# comment\nPATH=/custom/bin\nPIXIE_TOOL_ID=evil\nPYTHONUNBUFFERED=0\n');
  const env = buildChildEnv({ toolId: 'echo', toolDir: dir, artefactsRoot: '/a', hostEnv: host, platform: 'linux' });
  assert.equal(env.API_TOKEN, 'abc123');
  assert.equal(env.QUOTED, 'two words');
  assert.equal(env.PATH, '/custom/bin');
  assert.equal(env.PIXIE_TOOL_ID, 'echo');
  assert.equal(env.PYTHONUNBUFFERED, '1');
});

test('run variables appear only for a run spawn; extra env is applied last', () => {
  const dir = toolDir();
  const plain = buildChildEnv({ toolId: 'x', toolDir: dir, artefactsRoot: '/a', hostEnv: host, platform: 'linux' });
  assert.equal(plain.PIXIE_RUN_ID, undefined);
  assert.equal(plain.PIXIE_RUN_ARTEFACTS_DIR, undefined);
  const env = buildChildEnv({
    toolId: 'x', toolDir: dir, artefactsRoot: '/a', hostEnv: host, platform: 'linux',
    run: { runId: 'r-1', artefactsDir: '/a/x/r-1' },
    extraEnv: { PIXIE_VALIDATE: 'true' },
  });
  assert.equal(env.PIXIE_RUN_ID, 'r-1');
  assert.equal(env.PIXIE_RUN_ARTEFACTS_DIR, '/a/x/r-1');
  assert.equal(env.PIXIE_VALIDATE, 'true');
});

test('a relative artefacts root is made absolute', () => {
  const env = buildChildEnv({ toolId: 'x', toolDir: toolDir(), artefactsRoot: 'artefacts', hostEnv: host, platform: 'linux' });
  assert.ok(path.isAbsolute(env.PIXIE_ARTEFACTS_ROOT));
});

test('on Windows names match case-insensitively and keep one PATH', () => {
  const scrubbed = scrubHostEnv({ Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', Secret: 'x' }, 'win32');
  assert.deepEqual(scrubbed, { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows' });
  const dir = toolDir('PATH=C:\\tools\n');
  const env = buildChildEnv({ toolId: 'x', toolDir: dir, artefactsRoot: 'C:\\a', hostEnv: { Path: 'C:\\Windows' }, platform: 'win32' });
  assert.equal(env.PATH, 'C:\\tools');
  assert.equal(env.Path, undefined);
  assert.equal(scrubHostEnv({ Path: 'x' }, 'linux').Path, undefined, 'on Linux names are case-sensitive');
});

test('no .env gives {}; an unreadable .env throws with its path', () => {
  assert.deepEqual(readToolDotenv(toolDir()), {});
  const dir = toolDir();
  fs.mkdirSync(path.join(dir, '.env'));
  assert.throws(() => readToolDotenv(dir), (error: Error) => error.message.includes(path.join(dir, '.env')));
});
