import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeDiscoveryHash, discoverTools, isUsable, runtimeFor, venvPythonPath } from '../../src/core/tools/discovery';

function toolJson(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, name: id, inputs: [], outputs: [{ key: 'o', type: 'text', label: 'O' }], ...extra }, null, 2);
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

describe('discoverTools', () => {
  let root: string;
  let toolsDir: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
    toolsDir = path.join(root, 'tools');
    // A complete Python tool with a venv and a fixture; its folder name differs from its id.
    write(path.join(toolsDir, 'example-good', 'tool.json'), toolJson('good'));
    write(path.join(toolsDir, 'example-good', 'main.py'), 'print("hi")\n');
    write(path.join(toolsDir, 'example-good', 'pyproject.toml'), '[project]\nname = "good"\n');
    write(path.join(toolsDir, 'example-good', '.venv', 'bin', 'python'), '');
    write(path.join(toolsDir, 'example-good', 'reference', 'fixture_basic.json'), '{}');
    // Broken JSON, and a schema-broken file that still names a Node entrypoint.
    write(path.join(toolsDir, 'broken', 'tool.json'), '{"id": "broken",\n "name": }');
    write(path.join(toolsDir, 'broken-node', 'tool.json'), JSON.stringify({ id: 'bn', entrypoint: 'main.js' }));
    fs.mkdirSync(path.join(toolsDir, 'empty'), { recursive: true });
    write(path.join(toolsDir, '.hidden', 'tool.json'), toolJson('hidden'));
    write(path.join(toolsDir, '_scratch', 'tool.json'), toolJson('scratch'));
    write(path.join(toolsDir, 'README.md'), 'not a tool');
    write(path.join(toolsDir, 'node-tool', 'tool.json'), toolJson('node-tool', { entrypoint: 'server.mjs' }));
    write(path.join(toolsDir, 'node-tool', 'server.mjs'), 'console.log(1)\n');
    write(path.join(toolsDir, 'node-tool', 'reference', 'tolerance.yaml'), 'options: {}\n');
    write(path.join(toolsDir, 'zz-dup', 'tool.json'), toolJson('good'));
    write(path.join(toolsDir, 'escape', 'tool.json'), toolJson('escape', { entrypoint: '../outside.py' }));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('returns [] for a missing tools folder', async () => {
    assert.deepEqual(await discoverTools(path.join(root, 'nope')), []);
  });

  it('lists direct subfolders sorted, skipping dot and underscore folders and files', async () => {
    const tools = await discoverTools(toolsDir);
    assert.deepEqual(tools.map((t) => t.folderName), ['broken', 'broken-node', 'empty', 'escape', 'example-good', 'node-tool', 'zz-dup']);
  });

  it('describes a good Python tool completely', async () => {
    const good = (await discoverTools(toolsDir)).find((t) => t.folderName === 'example-good');
    assert.ok(good && isUsable(good));
    assert.equal(good.toolId, 'good');
    assert.equal(good.spec.id, 'good');
    assert.deepEqual(good.errors, []);
    assert.equal(good.runtime, 'python');
    assert.equal(good.dir, path.join(toolsDir, 'example-good'));
    assert.equal(good.toolJsonPath, path.join(toolsDir, 'example-good', 'tool.json'));
    assert.equal(good.entrypointPath, path.join(toolsDir, 'example-good', 'main.py'));
    assert.equal(good.hasVenv, true);
    assert.equal(good.venvPython, path.join(toolsDir, 'example-good', '.venv', 'bin', 'python'));
    assert.equal(good.hasReferenceFixtures, true);
    assert.match(good.discoveryHash, /^[0-9a-f]{64}$/);
  });

  it('lists broken tools under their folder name, with positioned errors', async () => {
    const tools = await discoverTools(toolsDir);
    const broken = tools.find((t) => t.folderName === 'broken');
    assert.ok(broken);
    assert.equal(broken.toolId, 'broken');
    assert.equal(broken.spec, undefined);
    assert.equal(isUsable(broken), false);
    assert.equal(broken.errors.length, 1);
    assert.equal(broken.errors[0].line, 2);
    assert.equal(broken.errors[0].file, broken.toolJsonPath);
    const brokenNode = tools.find((t) => t.folderName === 'broken-node');
    assert.equal(brokenNode?.toolId, 'broken-node');
    assert.equal(brokenNode?.runtime, 'node', 'the entrypoint of a schema-broken file still decides the runtime');
    assert.deepEqual(brokenNode?.errors.map((e) => e.path), ['name', 'inputs', 'outputs']);
  });

  it('reports a missing tool.json', async () => {
    const empty = (await discoverTools(toolsDir)).find((t) => t.folderName === 'empty');
    assert.deepEqual(empty?.errors.map((e) => e.message), ['tool.json missing']);
    assert.equal(empty?.hasVenv, false);
    assert.equal(empty?.hasReferenceFixtures, false);
    assert.equal(empty?.runtime, 'python');
  });

  it('recognises a Node entrypoint; a tolerance.yaml alone is not a fixture', async () => {
    const node = (await discoverTools(toolsDir)).find((t) => t.folderName === 'node-tool');
    assert.ok(node && isUsable(node));
    assert.equal(node.runtime, 'node');
    assert.equal(node.entrypointPath, path.join(toolsDir, 'node-tool', 'server.mjs'));
    assert.equal(node.hasReferenceFixtures, false);
  });

  it('keeps both tools of a duplicate id and marks the second', async () => {
    const tools = await discoverTools(toolsDir);
    const dups = tools.filter((t) => t.toolId === 'good');
    assert.deepEqual(dups.map((t) => t.folderName), ['example-good', 'zz-dup']);
    assert.deepEqual(dups[0].errors, []);
    assert.equal(dups[1].errors.length, 1);
    assert.equal(dups[1].errors[0].message, 'id: duplicate tool id "good": also declared by tools/example-good');
    assert.deepEqual([dups[1].errors[0].line, dups[1].errors[0].column], [2, 9]);
    assert.equal(isUsable(dups[1]), false);
  });

  it('refuses an entrypoint outside the tool folder', async () => {
    const escape = (await discoverTools(toolsDir)).find((t) => t.folderName === 'escape');
    assert.equal(escape?.errors.length, 1);
    assert.match(escape?.errors[0].message ?? '', /outside the tool folder/);
    assert.equal(escape?.errors[0].path, 'entrypoint');
  });

  it('builds the Windows venv path', () => {
    assert.equal(venvPythonPath('C:\\tools\\x', 'win32'), 'C:\\tools\\x\\.venv\\Scripts\\python.exe');
    assert.equal(venvPythonPath('/t/x', 'linux'), '/t/x/.venv/bin/python');
  });

  it('chooses the runtime from the entrypoint extension', () => {
    assert.equal(runtimeFor('main.py'), 'python');
    assert.equal(runtimeFor('index.js'), 'node');
    assert.equal(runtimeFor('dist/server.cjs'), 'node');
    assert.equal(runtimeFor('app.MJS'), 'node');
    assert.equal(runtimeFor('main'), 'python');
  });
});

describe('computeDiscoveryHash', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
    write(path.join(dir, 'tool.json'), toolJson('h'));
    write(path.join(dir, 'main.py'), 'print(1)\n');
    write(path.join(dir, 'pyproject.toml'), '[project]\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stays the same when a file is touched without changing', async () => {
    const before = await computeDiscoveryHash(dir);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dir, 'main.py'), later, later);
    fs.writeFileSync(path.join(dir, 'tool.json'), toolJson('h'));
    assert.equal(await computeDiscoveryHash(dir), before);
  });

  it('changes when any defining file changes, even keeping its size', async () => {
    const start = await computeDiscoveryHash(dir);
    fs.writeFileSync(path.join(dir, 'main.py'), 'print(2)\n');
    const afterEntry = await computeDiscoveryHash(dir);
    assert.notEqual(afterEntry, start);
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool]\n\n\n');
    const afterManifest = await computeDiscoveryHash(dir);
    assert.notEqual(afterManifest, afterEntry);
    fs.writeFileSync(path.join(dir, 'README.md'), 'docs do not count');
    assert.equal(await computeDiscoveryHash(dir), afterManifest);
  });

  it('follows the entrypoint and the runtime manifest, and notices missing files', async () => {
    const py = await computeDiscoveryHash(dir);
    const node = await computeDiscoveryHash(dir, { entrypoint: 'server.js' });
    assert.notEqual(node, py);
    write(path.join(dir, 'server.js'), 'x');
    const withServer = await computeDiscoveryHash(dir, { entrypoint: 'server.js' });
    assert.notEqual(withServer, node);
    write(path.join(dir, 'package.json'), '{}');
    assert.notEqual(await computeDiscoveryHash(dir, { entrypoint: 'server.js' }), withServer);
    fs.rmSync(path.join(dir, 'main.py'));
    assert.notEqual(await computeDiscoveryHash(dir), py);
  });
});
