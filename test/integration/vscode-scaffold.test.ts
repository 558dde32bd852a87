// "Create Tool…" end to end without VS Code: the scaffolded Node tool passes every check of the validator (it
// really starts, answers /healthz, /schema, /run, and stops on SIGTERM) and a run through RunService returns
// the outputs its tool.json declares.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { resolveConfig } from '../../src/core/config';
import { Launcher } from '../../src/core/runner/launcher';
import { RunService } from '../../src/core/runner/runService';
import { initSchema } from '../../src/core/store/schema';
import { discoverTools } from '../../src/core/tools/discovery';
import { validateTool } from '../../src/core/validator/validateTool';
import { scaffoldNodeTool } from '../../src/vscode/commands/scaffold';
import { createTestStore, type TestStore } from '../helpers/testStore';

let root: string;
let ts: TestStore;
let launcher: Launcher;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-scaffold-'));
  scaffoldNodeTool(path.join(root, 'tools'), { id: 'word-count', name: 'Word Count' });
  ts = await createTestStore();
  await initSchema(ts.store);
  launcher = new Launcher({ artefactsRoot: path.join(root, 'artefacts') });
});

after(async () => {
  await launcher.dispose();
  await ts.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the scaffolded tool passes all twelve validator checks', { timeout: 60_000 }, async () => {
  const report = await validateTool({ dir: path.join(root, 'tools', 'word-count') }, { trusted: true });
  const notPassing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.status} ${c.message}`);
  assert.equal(report.overall, 'pass', notPassing.join('\n'));
  assert.equal(report.runtime, 'node');
});

test('a run through RunService returns the declared outputs', { timeout: 60_000 }, async () => {
  const [tool] = await discoverTools(path.join(root, 'tools'));
  assert.ok(tool && tool.errors.length === 0, JSON.stringify(tool?.errors));
  const config = resolveConfig(root, {}, {});
  const service = new RunService({ store: ts.store, launcher, config });
  const outcome = await service.run(tool, { text: '  many  small words here ', upper: false });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  assert.deepEqual(outcome.outputs, { result: '  many  small words here ', words: 4 });
  const shout = await service.run(tool, { text: 'hi', upper: true });
  assert.deepEqual(shout.outputs, { result: 'HI', words: 1 });
});
