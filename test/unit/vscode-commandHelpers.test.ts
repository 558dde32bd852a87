import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getArtefact, insertArtefact } from '../../src/core/store/repositories/artefacts';
import { getRun, insertStartedRun, type RunRecord } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import { parseToolJson } from '../../src/core/tools/parse';
import { deleteRunWithFiles, RunStillRunningError } from '../../src/vscode/commands/runDeletion';
import { parseRunDocumentPath, runDocumentPath, runErrorText, runJsonText } from '../../src/vscode/commands/runDocuments';
import { MAIN_MJS, scaffoldNodeTool, titleFromId, toolIdProblem, toolJsonFor, TOOL_ID_PATTERN } from '../../src/vscode/commands/scaffold';
import { createTestStore, type TestStore } from '../helpers/testStore';

describe('Create Tool scaffold', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('validates ids like the original (^[a-z][a-z0-9-]*$) and refuses taken ones', () => {
    for (const good of ['a', 'word-count', 'x2']) assert.equal(toolIdProblem(good, dir), undefined, good);
    for (const bad of ['', 'Word', '2x', '-x', 'a_b', 'a b', 'ä', 'a/b', '..']) assert.ok(toolIdProblem(bad, dir), bad);
    assert.ok(TOOL_ID_PATTERN.test('a-1'));
    assert.match(toolIdProblem('x'.repeat(65), dir)!, /64/);
    assert.match(toolIdProblem('echo', dir, ['echo'])!, /already exists/);
    fs.mkdirSync(path.join(dir, 'taken'));
    assert.match(toolIdProblem('taken', dir)!, /tools\/taken already exists/);
  });

  it('writes a tool.json Pixie parses and a main.mjs; never overwrites', () => {
    const created = scaffoldNodeTool(path.join(dir, 'tools'), { id: 'word-count', name: titleFromId('word-count') });
    assert.equal(titleFromId('word-count'), 'Word Count');
    const parsed = parseToolJson(fs.readFileSync(created.toolJsonPath, 'utf8'));
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
    if (parsed.ok) {
      assert.equal(parsed.spec.id, 'word-count');
      assert.equal(parsed.spec.entrypoint, 'main.mjs');
      assert.deepEqual(parsed.spec.outputs.map((o) => o.key), ['result', 'words']);
    }
    assert.equal(fs.readFileSync(created.mainPath, 'utf8'), MAIN_MJS);
    assert.throws(() => scaffoldNodeTool(path.join(dir, 'tools'), { id: 'word-count', name: 'Again' }), /already exists/);
    assert.throws(() => scaffoldNodeTool(path.join(dir, 'tools'), { id: 'Bad', name: 'Bad' }), /lowercase/);
    assert.match(toolJsonFor({ id: 'a', name: 'A', description: 'd' }), /"description": "d"/);
  });
});

describe('run documents', () => {
  const run: RunRecord = {
    id: 'r-1', toolId: 'echo', startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:01.000Z',
    inputsJson: JSON.stringify({ run_id: 'r-1', inputs: { b: 2, a: { z: 1, y: 2 } }, _pixie: { run_id: 'r-1' } }),
    outputsJson: null, errorText: "tool 'echo' returned 500: boom\n--- stderr ---\nTraceback (most recent call last)", status: 'error',
    starred: false, label: null, totalArtefactBytes: 0, metaJson: null,
  };

  it('round-trips the virtual document path (tool in the path, run id and kind parsed back)', () => {
    const p = runDocumentPath('my tool', 'r/1', 'json');
    assert.deepEqual(parseRunDocumentPath(p), { runId: 'r/1', kind: 'json' });
    assert.deepEqual(parseRunDocumentPath(runDocumentPath('echo', 'r-1', 'error')), { runId: 'r-1', kind: 'error' });
    assert.equal(parseRunDocumentPath('/echo/r-1.txt'), undefined);
    assert.equal(parseRunDocumentPath('/r-1.json'), undefined);
  });

  it('inputs+outputs JSON with sorted keys (a diff shows only real changes); error first line only', () => {
    const text = runJsonText(run, { z: 1, a: [{ d: 1, c: 2 }] });
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc.inputs as object), ['a', 'b']);
    assert.deepEqual(Object.keys((doc.inputs as { a: object }).a), ['y', 'z']);
    assert.deepEqual(Object.keys((doc.outputs as { a: object[] }).a[0]!), ['c', 'd']);
    assert.equal(doc.error, "tool 'echo' returned 500: boom");
    assert.equal(JSON.parse(runJsonText(run, undefined, 'gone')).outputs_note, 'gone');
  });

  it('the error document keeps the stderr', () => {
    assert.match(runErrorText(run), /Traceback/);
    assert.match(runErrorText({ ...run, errorText: null, status: 'ok' }), /has no error text/);
  });
});

describe('deleting a run with its files', () => {
  let ts: TestStore;
  let root: string;
  let outside: string;
  beforeEach(async () => {
    ts = await createTestStore();
    await initSchema(ts.store);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-art-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-outside-'));
  });
  afterEach(async () => {
    await ts.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  function file(rel: string, text = 'data'): void {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }

  async function seed(): Promise<void> {
    file('echo/r1/own.txt', 'own');
    file('echo/r0/shared.txt', 'shared');
    await ts.store.write((q) => {
      for (const id of ['r0', 'r1']) insertStartedRun(q, { id, toolId: 'echo', startedAt: `2025-01-01T00:00:0${id[1]}.000Z`, inputsJson: '{}' });
      const base = { toolId: 'echo', outputKey: 'x', mime: 'text/plain', sizeBytes: 3, sha256: 's', createdAt: '2025-01-01T00:00:00Z' };
      insertArtefact(q, { ...base, runId: 'r1', relPath: 'echo/r1/own.txt', filename: 'own.txt' });
      insertArtefact(q, { ...base, runId: 'r1', relPath: 'echo/r0/shared.txt', filename: 'shared.txt' }); // dedup: shared with r0
      insertArtefact(q, { ...base, runId: 'r0', relPath: 'echo/r0/shared.txt', filename: 'shared.txt' });
    });
  }

  it('removes the run, its rows, the files no other row uses, and its empty folder', async () => {
    await seed();
    const result = await deleteRunWithFiles(ts.store, root, 'r1', () => false);
    assert.deepEqual({ ...result, skipped: result.skipped.length }, { deleted: true, artefactRows: 2, filesRemoved: 1, bytesRemoved: 3, skipped: 0 });
    assert.equal(ts.store.read((q) => getRun(q, 'r1')), undefined);
    assert.equal(fs.existsSync(path.join(root, 'echo/r1')), false, 'the run folder went');
    assert.equal(fs.existsSync(path.join(root, 'echo')), true, 'the tool folder stays');
    assert.equal(fs.readFileSync(path.join(root, 'echo/r0/shared.txt'), 'utf8'), 'shared', 'a file another run uses stays');
    assert.ok(ts.store.read((q) => getArtefact(q, 3)));
  });

  it('refuses a path from the db that leaves the artefacts root, and deletes nothing outside', async () => {
    const victim = path.join(outside, 'precious.txt');
    fs.writeFileSync(victim, 'keep me');
    const rel = path.relative(root, victim).split(path.sep).join('/');
    await ts.store.write((q) => {
      insertStartedRun(q, { id: 'evil', toolId: 'echo', startedAt: '2025-01-01T00:00:00.000Z', inputsJson: '{}' });
      // A crafted db: the repository would refuse this rel_path, so it is written raw.
      q.run(`INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, starred)
             VALUES('evil', 'echo', 'x', ?, 'p', 'text/plain', 7, 's', '2025', 0)`, [rel]);
    });
    const result = await deleteRunWithFiles(ts.store, root, 'evil', () => false);
    assert.equal(result.deleted, true);
    assert.equal(result.filesRemoved, 0);
    assert.equal(result.skipped.length, 1);
    assert.match(result.skipped[0]!, /outside the artefacts root/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me');
  });

  it('refuses a run in progress and reports an unknown run as not deleted', async () => {
    await seed();
    await assert.rejects(deleteRunWithFiles(ts.store, root, 'r1', (id) => id === 'r1'), RunStillRunningError);
    assert.ok(ts.store.read((q) => getRun(q, 'r1')));
    assert.deepEqual((await deleteRunWithFiles(ts.store, root, 'nope', () => false)).deleted, false);
  });
});
