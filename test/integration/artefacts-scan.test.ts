// scanRunFolder against the real store engine on a temp dir and real files.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runFolder } from '../../src/core/artefacts/paths';
import { inferOutputKey, scanRunFolder, type ScanOptions } from '../../src/core/artefacts/scan';
import { spillOutputs } from '../../src/core/artefacts/spill';
import { listArtefactsByRun, softDeleteArtefact, sumArtefactBytesForRun } from '../../src/core/store/repositories/artefacts';
import { getRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import type { Store } from '../../src/core/store/types';
import { isoAt } from '../helpers/isoAt';
import { createTestStore, type TestStore } from '../helpers/testStore';

let ts: TestStore;
let tmp: string;
let root: string;
let runDir: string;
const runId = 'run-1';

beforeEach(async () => {
  ts = await createTestStore();
  await initSchema(ts.store);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  root = path.join(tmp, 'artefacts');
  await ts.store.write((q) => insertStartedRun(q, { id: runId, toolId: 'demo', startedAt: isoAt(0), inputsJson: '{}' }));
  runDir = runFolder(root, 'demo', runId);
});
afterEach(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await ts.cleanup();
});

function write(rel: string, content: string | Buffer): void {
  const file = path.join(runDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function scan(partial: Partial<ScanOptions> = {}) {
  return scanRunFolder({
    store: ts.store,
    artefactsRoot: root,
    toolId: 'demo',
    runId,
    outputKeys: ['chart', 'gallery', 'api_key'],
    maxFiles: 10_000,
    now: isoAt(60),
    ...partial,
  });
}

function assertTotalExact(): void {
  const total = ts.store.read((q) => getRun(q, runId))?.totalArtefactBytes;
  assert.equal(total, ts.store.read((q) => sumArtefactBytesForRun(q, runId)));
}

describe('scanRunFolder', () => {
  it('registers files with MIME, SHA-256, size and inferred output keys', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), crypto.randomBytes(3000)]);
    write('chart.png', png);
    write('gallery/001.png', 'g1');
    write('gallery/sub/002.jpg', 'g2');
    write('data/table.parquet', 'pq');
    write('notes.md', '# hi');
    const result = await scan();
    const byPath = new Map(result.registered.map((r) => [r.relPath.slice(`demo/${runId}/`.length), r]));
    assert.deepEqual([...byPath.keys()].sort(), ['chart.png', 'data/table.parquet', 'gallery/001.png', 'gallery/sub/002.jpg', 'notes.md']);
    const chart = byPath.get('chart.png');
    assert.equal(chart?.outputKey, 'chart');
    assert.equal(chart?.mime, 'image/png');
    assert.equal(chart?.sizeBytes, png.length);
    assert.equal(chart?.sha256, crypto.createHash('sha256').update(png).digest('hex'));
    assert.equal(chart?.filename, 'chart.png');
    assert.equal(byPath.get('gallery/001.png')?.outputKey, 'gallery');
    assert.equal(byPath.get('gallery/sub/002.jpg')?.outputKey, 'gallery');
    assert.equal(byPath.get('data/table.parquet')?.outputKey, '');
    assert.equal(byPath.get('data/table.parquet')?.mime, 'application/x-parquet');
    assert.equal(byPath.get('notes.md')?.mime, 'text/markdown');
    assert.equal(result.bytesAdded, png.length + 2 + 2 + 2 + 4);
    assertTotalExact();
  });

  it('skips dotfiles, dot-folders, *.partial and symlinks that stay inside', async () => {
    write('.hidden', 'h');
    write('.cache/blob.bin', 'c');
    write('big.bin.partial', 'half');
    write('kept.txt', 'k');
    fs.symlinkSync(path.join(runDir, 'kept.txt'), path.join(runDir, 'alias.txt'));
    fs.mkdirSync(path.join(root, 'demo', 'other-run'), { recursive: true });
    fs.symlinkSync(path.join(root, 'demo', 'other-run'), path.join(runDir, 'neighbour'));
    const result = await scan();
    assert.deepEqual(result.registered.map((r) => r.filename), ['kept.txt']);
    assert.equal(result.skipped.hidden, 2);
    assert.equal(result.skipped.partial, 1);
    assert.equal(result.skipped.symlink, 2);
    assert.deepEqual(result.quarantined, []);
    assert.ok(fs.lstatSync(path.join(runDir, 'alias.txt')).isSymbolicLink(), 'inside symlinks are left alone');
  });

  it('redacts a secret-looking name on disk and tags the original', async () => {
    write('api_key.txt', 'sk-123');
    write('nested/password.json', '{}');
    const result = await scan();
    const sha1 = crypto.createHash('sha1').update('api_key.txt').digest('hex').slice(0, 8);
    const row = result.registered.find((r) => r.filename === `redacted-${sha1}.txt`);
    assert.ok(row, JSON.stringify(result.registered.map((r) => r.filename)));
    assert.equal(row.relPath, `demo/${runId}/redacted-${sha1}.txt`);
    assert.deepEqual(row.tags, ['_redacted_original:api_key.txt']);
    assert.equal(row.outputKey, 'api_key', 'the key is inferred from the original name');
    assert.equal(row.mime, 'text/plain');
    assert.ok(!fs.existsSync(path.join(runDir, 'api_key.txt')));
    assert.equal(fs.readFileSync(path.join(runDir, `redacted-${sha1}.txt`), 'utf8'), 'sk-123');
    assert.equal(result.redacted.length, 2);
    assert.ok(result.registered.some((r) => r.relPath.startsWith(`demo/${runId}/nested/redacted-`)));
    assert.ok(result.registered.every((r) => !/password|api_key/.test(r.filename)));
  });

  it('quarantines symlinks leading out of the root (a folder and a file), never their targets', async () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'id_rsa'), 'PRIVATE');
    fs.symlinkSync(outside, path.join(runDir, 'leak'));
    fs.symlinkSync(path.join(outside, 'id_rsa'), path.join(runDir, 'gallery.png'));
    fs.symlinkSync('/nonexistent/pixie/dangling', path.join(runDir, '.dangling'));
    write('ok.txt', 'fine');
    const result = await scan();
    assert.deepEqual(result.registered.map((r) => r.filename), ['ok.txt']);
    assert.equal(result.quarantined.length, 3);
    for (const q of result.quarantined) {
      assert.match(q.quarantinedTo, new RegExp(`^_quarantine/20250101T000100Z-path-escape/demo/${runId}/`));
      assert.ok(fs.lstatSync(path.join(root, q.quarantinedTo)).isSymbolicLink(), 'the link was moved');
    }
    assert.deepEqual(result.quarantined.map((q) => q.relPath).sort(), [`demo/${runId}/.dangling`, `demo/${runId}/gallery.png`, `demo/${runId}/leak`]);
    assert.equal(fs.readFileSync(path.join(outside, 'id_rsa'), 'utf8'), 'PRIVATE', 'the target is untouched');
    assert.ok(!fs.existsSync(path.join(runDir, 'leak')));
    const rows = ts.store.read((q) => listArtefactsByRun(q, runId));
    assert.ok(rows.every((r) => !r.relPath.startsWith('_quarantine')));
  });

  it('refuses to scan a run folder reached through a symlink', async () => {
    const outside = path.join(tmp, 'outside-run');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'x.txt'), 'x');
    fs.rmSync(runDir, { recursive: true });
    fs.symlinkSync(outside, runDir);
    await assert.rejects(scan(), /outside the artefacts root|symlink/);
    assert.equal(ts.store.read((q) => listArtefactsByRun(q, runId)).length, 0);
  });

  it('respects the file cap and reports what it left', async () => {
    for (let i = 0; i < 12; i++) write(`f${String(i).padStart(2, '0')}.txt`, `file ${i}`);
    const result = await scan({ maxFiles: 5 });
    assert.equal(result.registered.length, 5);
    assert.equal(result.skipped.over_cap, 7);
    assert.deepEqual(result.registered.map((r) => r.filename), ['f00.txt', 'f01.txt', 'f02.txt', 'f03.txt', 'f04.txt']);
    // The cap counts rows already there; a soft-deleted row frees its place.
    const again = await scan({ maxFiles: 5 });
    assert.equal(again.registered.length, 0);
    await ts.store.write((q) => softDeleteArtefact(q, result.registered[0].id, isoAt(100)));
    const third = await scan({ maxFiles: 5 });
    assert.deepEqual(third.registered.map((r) => r.filename), ['f05.txt']);
  });

  it('is idempotent: a second scan registers nothing, totals stay exact', async () => {
    write('a.txt', 'aaa');
    write('b/c.csv', '1,2');
    const first = await scan();
    assert.equal(first.registered.length, 2);
    const second = await scan();
    assert.deepEqual(second.registered, []);
    assert.equal(second.skipped.already_registered, 2);
    assert.equal(second.bytesAdded, 0);
    write('late.txt', 'written after the first scan');
    const third = await scan();
    assert.deepEqual(third.registered.map((r) => r.filename), ['late.txt']);
    assert.equal(ts.store.read((q) => listArtefactsByRun(q, runId)).length, 3);
    assertTotalExact();
  });

  it('refreshes the row of a registered file that grew or shrank since (streaming scans)', async () => {
    write('stream.log', 'first line\n');
    const first = await scan();
    assert.equal(first.registered[0].sizeBytes, 11);
    fs.appendFileSync(path.join(runDir, 'stream.log'), 'second line\n');
    const second = await scan();
    assert.deepEqual(second.registered, []);
    assert.equal(second.refreshed.length, 1);
    assert.equal(second.refreshed[0].id, first.registered[0].id);
    assert.equal(second.refreshed[0].sizeBytes, 23);
    assert.equal(second.refreshed[0].sha256, crypto.createHash('sha256').update('first line\nsecond line\n').digest('hex'));
    assert.equal(second.bytesAdded, 12);
    assertTotalExact();
    fs.writeFileSync(path.join(runDir, 'stream.log'), 'x');
    const third = await scan();
    assert.equal(third.bytesAdded, -22);
    assertTotalExact();
    const fourth = await scan();
    assert.deepEqual([fourth.refreshed.length, fourth.skipped.already_registered], [0, 1]);
  });

  it('does not register spilled files twice', async () => {
    const png = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]).toString('base64')}`;
    const spilled = await spillOutputs({
      store: ts.store,
      artefactsRoot: root,
      toolId: 'demo',
      runId,
      outputSpecs: [{ key: 'chart', type: 'image' }],
      outputs: { chart: png, text: 'y'.repeat(1000) },
      inlineMaxBytes: 200,
      dedup: false,
      now: isoAt(30),
    });
    assert.equal(spilled.artefacts.length, 3, 'chart.png, text.txt, outputs.json');
    write('extra.txt', 'tool file');
    const result = await scan();
    assert.deepEqual(result.registered.map((r) => r.filename), ['extra.txt']);
    assert.equal(result.skipped.already_registered, 3);
    assertTotalExact();
  });

  it('concurrent scans of one run do not register a file twice', async () => {
    for (let i = 0; i < 20; i++) write(`c${i}.txt`, `content ${i}`);
    const [a, b] = await Promise.all([scan(), scan()]);
    assert.equal(a.registered.length + b.registered.length, 20);
    assert.equal(ts.store.read((q) => listArtefactsByRun(q, runId)).length, 20);
    assertTotalExact();
  });

  it('an empty or missing run folder registers nothing, and reads and writes nothing in the store', async () => {
    let calls = 0;
    const inner = ts.store;
    const counted: Store = {
      get readOnlyReason() {
        return inner.readOnlyReason;
      },
      read: (fn) => (calls++, inner.read(fn)),
      write: (fn) => (calls++, inner.write(fn)),
      checkpoint: () => inner.checkpoint(),
      onDidChange: (listener) => inner.onDidChange(listener),
      refresh: () => inner.refresh(),
      info: () => inner.info(),
      close: () => inner.close(),
    };
    assert.deepEqual((await scan({ store: counted })).registered, []);
    assert.equal(calls, 0, 'an empty folder needs no rows');
    write('only.txt', 'x');
    assert.equal((await scan({ store: counted })).registered.length, 1);
    assert.ok(calls > 0, 'the counter counts');
    fs.rmSync(runDir, { recursive: true });
    calls = 0;
    assert.deepEqual((await scan({ store: counted })).registered, []);
    assert.equal(calls, 0);
  });
});

describe('inferOutputKey', () => {
  it('uses the first folder, then the stem', () => {
    assert.equal(inferOutputKey('chart.png', ['chart']), 'chart');
    assert.equal(inferOutputKey('gallery/001.png', ['gallery']), 'gallery');
    assert.equal(inferOutputKey('x/chart.png', ['chart']), 'chart');
    assert.equal(inferOutputKey('chart.tar.gz', ['chart']), '');
    assert.equal(inferOutputKey('other.png', ['chart']), '');
    assert.equal(inferOutputKey('_pixie_run_outputs.json', ['_pixie_run_outputs']), '', 'the reserved key is never inferred');
  });
});
