// spillOutputs against the real store engine on a temp dir and real files.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { spillOutputs, type SpillOptions } from '../../src/core/artefacts/spill';
import { artefactRefOf, RUN_OUTPUTS_KEY, type ArtefactRef } from '../../src/core/artefacts/reference';
import { loadRunOutputs, readReferencedValue } from '../../src/core/artefacts/replay';
import { resolveArtefactPath } from '../../src/core/artefacts/paths';
import { countArtefactRowsForRelPath, listArtefactsByRun, sumArtefactBytesForRun } from '../../src/core/store/repositories/artefacts';
import { getRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import { createTestStore, type TestStore } from '../helpers/testStore';
import { isoAt } from '../helpers/isoAt';

const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  crypto.randomBytes(200),
]);
const pngDataUrl = (bytes: Buffer = PNG_BYTES): string => `data:image/png;base64,${bytes.toString('base64')}`;
const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');

let ts: TestStore;
let root: string;
let runCounter = 0;

beforeEach(async () => {
  ts = await createTestStore();
  await initSchema(ts.store);
  root = fs.mkdtempSync(path.join(ts.dir ?? os.tmpdir(), 'artefacts-'));
});
afterEach(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  await ts.cleanup();
});

async function newRun(toolId = 'demo'): Promise<string> {
  const id = `run-${++runCounter}`;
  await ts.store.write((q) => insertStartedRun(q, { id, toolId, startedAt: isoAt(runCounter), inputsJson: '{"inputs":{}}' }));
  return id;
}

function options(runId: string, partial: Partial<SpillOptions>): SpillOptions {
  return {
    store: ts.store,
    artefactsRoot: root,
    toolId: 'demo',
    runId,
    outputSpecs: [],
    outputs: {},
    inlineMaxBytes: 65_536,
    dedup: false,
    now: isoAt(1000),
    ...partial,
  };
}

function refAt(value: unknown): ArtefactRef {
  const ref = artefactRefOf(value);
  assert.ok(ref, `not an artefact reference: ${JSON.stringify(value)?.slice(0, 200)}`);
  return ref;
}

function runTotal(runId: string): number {
  return ts.store.read((q) => getRun(q, runId))?.totalArtefactBytes ?? -1;
}

describe('spillOutputs', () => {
  it('keeps small inline outputs as they are', async () => {
    const runId = await newRun();
    const outputs = { answer: 'hello', n: 3, link: { value: 'https://example.com/a.png' } };
    const result = await spillOutputs(
      options(runId, { outputs, outputSpecs: [{ key: 'answer', type: 'text' }, { key: 'n', type: 'number' }, { key: 'link', type: 'image' }] }),
    );
    assert.equal(result.outputsJson, JSON.stringify(outputs));
    assert.deepEqual(result.metaPatch, {});
    assert.deepEqual(result.artefacts, []);
    assert.equal(result.bytesAdded, 0);
    assert.equal(runTotal(runId), 0);
    // Nothing to write: no folder made (the run service made the run's folder before the tool ran).
    assert.equal(fs.existsSync(path.join(root, 'demo', runId)), false);
  });

  it('spills a 1 MB text output: outputs_json NULL, meta flag, outputs.json artefact, exact bytes on disk', async () => {
    const runId = await newRun();
    const big = 'line of text ünïcödé\n'.repeat(50_000);
    assert.ok(Buffer.byteLength(big) > 1_000_000);
    const outputs = { text: big, size: big.length };
    const result = await spillOutputs(
      options(runId, { outputs, outputSpecs: [{ key: 'text', type: 'text' }, { key: 'size', type: 'number' }] }),
    );
    assert.equal(result.outputsJson, null);
    assert.equal(result.metaPatch.outputs_oversize, true);
    assert.equal(result.metaPatch.bytes, Buffer.byteLength(JSON.stringify(outputs)));
    assert.deepEqual(result.metaPatch.spilled_keys, ['text']);

    const rewritten = result.rewrittenOutputs as Record<string, unknown>;
    assert.equal(rewritten.size, big.length, 'the small value stays inline in the rewritten outputs');
    const ref = refAt(rewritten.text);
    assert.equal(ref.kind, 'text');
    assert.equal(ref.rel_path, `demo/${runId}/text.txt`);
    assert.equal(ref.mime, 'text/plain');
    const onDisk = fs.readFileSync(resolveArtefactPath(root, ref.rel_path));
    assert.ok(onDisk.equals(Buffer.from(big, 'utf8')), 'exact bytes on disk');
    assert.equal(ref.sha256, sha(onDisk));
    assert.equal(ref.size, onDisk.length);

    const rows = ts.store.read((q) => listArtefactsByRun(q, runId));
    assert.equal(rows.length, 2);
    const outputsRow = rows.find((r) => r.outputKey === RUN_OUTPUTS_KEY);
    assert.ok(outputsRow);
    assert.equal(outputsRow.filename, 'outputs.json');
    assert.equal(outputsRow.mime, 'application/json');
    const stored = JSON.parse(fs.readFileSync(resolveArtefactPath(root, outputsRow.relPath), 'utf8')) as unknown;
    assert.deepEqual(stored, rewritten);
    assert.ok(outputsRow.sizeBytes < 65_536, 'outputs.json holds references, not the big value');

    // total_artefact_bytes is exact.
    assert.equal(result.bytesAdded, rows.reduce((s, r) => s + r.sizeBytes, 0));
    assert.equal(runTotal(runId), ts.store.read((q) => sumArtefactBytesForRun(q, runId)));

    // History replay rebuilds the output from the run row and the artefacts.
    const replayed = (await loadRunOutputs(ts.store, root, { id: runId, outputsJson: null })) as Record<string, unknown>;
    assert.equal(await readReferencedValue(root, refAt(replayed.text)), big);
  });

  it('spills structured values as JSON, largest first, until the rest fits', async () => {
    const runId = await newRun();
    const rows = Array.from({ length: 3000 }, (_, i) => ({ i, name: `row ${i}`, value: i * 1.5 }));
    const outputs = {
      table: { columns: [{ key: 'i', label: 'i', type: 'number' }], rows },
      note: 'x'.repeat(20_000),
      small: 1,
    };
    const result = await spillOutputs(
      options(runId, {
        outputs,
        inlineMaxBytes: 50_000,
        outputSpecs: [{ key: 'table', type: 'table' }, { key: 'note', type: 'markdown' }, { key: 'small', type: 'number' }],
      }),
    );
    assert.equal(result.outputsJson, null);
    assert.deepEqual(result.metaPatch.spilled_keys, ['table'], 'the note fits once the table is out');
    const rewritten = result.rewrittenOutputs as Record<string, unknown>;
    const ref = refAt(rewritten.table);
    assert.equal(ref.kind, 'json');
    assert.equal(ref.mime, 'application/json');
    assert.deepEqual(await readReferencedValue(root, ref), outputs.table);
    assert.equal(rewritten.note, outputs.note);
  });

  it('uses the output type for text files: markdown → .md, code → language extension', async () => {
    const runId = await newRun();
    const outputs = { doc: '# T\n'.repeat(5000), src: 'print(1)\n'.repeat(5000) };
    const result = await spillOutputs(
      options(runId, {
        outputs,
        inlineMaxBytes: 100,
        outputSpecs: [{ key: 'doc', type: 'markdown' }, { key: 'src', type: 'code', language: 'python' }],
      }),
    );
    const rewritten = result.rewrittenOutputs as Record<string, unknown>;
    assert.equal(refAt(rewritten.doc).filename, 'doc.md');
    assert.equal(refAt(rewritten.doc).mime, 'text/markdown');
    assert.equal(refAt(rewritten.src).filename, 'src.py');
  });

  it('puts many small keys that cannot fit into outputs.json as a whole', async () => {
    const runId = await newRun();
    const outputs = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, `value ${i}`]));
    const result = await spillOutputs(options(runId, { outputs, inlineMaxBytes: 64 }));
    assert.equal(result.outputsJson, null);
    assert.equal(result.metaPatch.outputs_oversize, true);
    assert.equal(result.metaPatch.spilled_keys, undefined, 'no file per tiny value');
    assert.deepEqual(result.artefacts.map((a) => a.outputKey), [RUN_OUTPUTS_KEY]);
    const replayed = await loadRunOutputs(ts.store, root, { id: runId, outputsJson: null });
    assert.deepEqual(replayed, outputs);
  });

  it('with many keys and one huge value, only the huge one gets its own file', async () => {
    const runId = await newRun();
    const outputs: Record<string, unknown> = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, { n: i, label: `item ${i}` }]));
    outputs.log = 'z'.repeat(200_000);
    const result = await spillOutputs(options(runId, { outputs, inlineMaxBytes: 4096 }));
    assert.equal(result.outputsJson, null);
    assert.deepEqual(result.metaPatch.spilled_keys, ['log']);
    assert.equal(result.artefacts.length, 2);
    const replayed = (await loadRunOutputs(ts.store, root, { id: runId, outputsJson: null })) as Record<string, unknown>;
    // Every value is reachable again, inline or through its reference.
    for (const [key, value] of Object.entries(outputs)) {
      const ref = artefactRefOf(replayed[key]);
      assert.deepEqual(ref ? await readReferencedValue(root, ref) : replayed[key], value, key);
    }
  });

  it('always writes a small image data URL to a file with a reference, MIME and hash', async () => {
    const runId = await newRun();
    const outputs = { photo: pngDataUrl(), caption: 'tiny' };
    const result = await spillOutputs(
      options(runId, { outputs, outputSpecs: [{ key: 'photo', type: 'image' }, { key: 'caption', type: 'text' }] }),
    );
    assert.ok(result.outputsJson !== null, 'small outputs stay inline');
    assert.ok(!result.outputsJson.includes('base64'), 'never embedded base64');
    const stored = JSON.parse(result.outputsJson) as Record<string, unknown>;
    const ref = refAt(stored.photo);
    assert.equal(ref.kind, 'file');
    assert.equal(ref.mime, 'image/png');
    assert.equal(ref.filename, 'photo.png');
    assert.equal(ref.sha256, sha(PNG_BYTES));
    assert.equal(ref.size, PNG_BYTES.length);
    assert.ok(fs.readFileSync(resolveArtefactPath(root, ref.rel_path)).equals(PNG_BYTES));
    assert.equal(result.metaPatch.mime_mismatches, undefined);
    assert.deepEqual(result.metaPatch.spilled_keys, ['photo']);
    assert.equal(result.metaPatch.outputs_oversize, undefined);
    const [row] = ts.store.read((q) => listArtefactsByRun(q, runId));
    assert.equal(row.id, ref.id);
    assert.equal(row.outputKey, 'photo');
    assert.equal(runTotal(runId), PNG_BYTES.length);
  });

  it('keeps http URLs and the other fields of file, grid and compare values', async () => {
    const runId = await newRun();
    const pdf = Buffer.from('%PDF-1.4\n% test\n');
    const outputs = {
      remote: 'https://example.com/cat.png',
      doc: { filename: 'report.pdf', data: `data:application/pdf;base64,${pdf.toString('base64')}`, mime_type: 'application/pdf' },
      gallery: { images: [{ value: pngDataUrl(), label: 'one' }, 'https://example.com/2.png', pngDataUrl(Buffer.concat([PNG_BYTES, Buffer.from([1])]))] },
      compare: { before: pngDataUrl(), after: { url: pngDataUrl() }, note: 'n' },
    };
    const result = await spillOutputs(
      options(runId, {
        outputs,
        outputSpecs: [
          { key: 'remote', type: 'image' },
          { key: 'doc', type: 'file' },
          { key: 'gallery', type: 'image_grid' },
          { key: 'compare', type: 'image_compare' },
        ],
      }),
    );
    assert.ok(result.outputsJson && !result.outputsJson.includes(';base64,'));
    const out = JSON.parse(result.outputsJson) as {
      remote: unknown;
      doc: Record<string, unknown>;
      gallery: { images: unknown[] };
      compare: Record<string, unknown>;
    };
    assert.equal(out.remote, 'https://example.com/cat.png');
    const docRef = refAt(out.doc);
    assert.equal(out.doc.filename, 'report.pdf');
    assert.equal(out.doc.mime_type, 'application/pdf');
    assert.equal(out.doc.data, undefined);
    assert.equal(docRef.filename, 'report.pdf');
    assert.equal(docRef.mime, 'application/pdf');
    assert.equal(docRef.rel_path, `demo/${runId}/doc.pdf`);
    assert.equal((out.gallery.images[0] as Record<string, unknown>).label, 'one');
    assert.equal(refAt(out.gallery.images[0]).rel_path, `demo/${runId}/gallery-000.png`);
    assert.equal(out.gallery.images[1], 'https://example.com/2.png');
    assert.equal(refAt(out.gallery.images[2]).rel_path, `demo/${runId}/gallery-002.png`);
    assert.equal(refAt(out.compare.before).filename, 'compare-before.png');
    assert.equal(refAt(out.compare.after).filename, 'compare-after.png');
    assert.equal(out.compare.note, 'n');
    assert.deepEqual(result.metaPatch.spilled_keys, ['doc', 'gallery', 'compare']);
    assert.equal(ts.store.read((q) => listArtefactsByRun(q, runId)).length, 5);
    assert.equal(runTotal(runId), ts.store.read((q) => sumArtefactBytesForRun(q, runId)));
  });

  it('records (does not hide, does not fail on) a PNG data URL that holds text', async () => {
    const runId = await newRun();
    const text = Buffer.from('definitely not a PNG');
    const outputs = { photo: `data:image/png;base64,${text.toString('base64')}`, voice: pngDataUrl() };
    const result = await spillOutputs(
      options(runId, { outputs, outputSpecs: [{ key: 'photo', type: 'image' }, { key: 'voice', type: 'audio' }] }),
    );
    const mismatches = result.metaPatch.mime_mismatches ?? [];
    assert.equal(mismatches.length, 2);
    const photo = mismatches.find((m) => m.key === 'photo');
    assert.deepEqual([photo?.declared, photo?.actual], ['image/png', 'text/plain']);
    assert.match(photo?.message ?? '', /photo/);
    const voice = mismatches.find((m) => m.key === 'voice');
    assert.deepEqual([voice?.declared, voice?.actual], ['audio/*', 'image/png']);
    // Still stored, exactly as sent.
    const ref = refAt((result.rewrittenOutputs as Record<string, unknown>).photo);
    assert.ok(fs.readFileSync(resolveArtefactPath(root, ref.rel_path)).equals(text));
  });

  it('records an undecodable data URL and keeps the value', async () => {
    const runId = await newRun();
    const outputs = { photo: 'data:image/png;base64,!!!!' };
    const result = await spillOutputs(options(runId, { outputs, outputSpecs: [{ key: 'photo', type: 'image' }] }));
    assert.equal(result.metaPatch.mime_mismatches?.[0]?.actual, 'invalid data URL');
    assert.equal(result.outputsJson, JSON.stringify(outputs));
    assert.equal(result.artefacts.length, 0);
  });

  it('dedup on: an identical file is reused — one file, two rows', async () => {
    const first = await newRun();
    const second = await newRun();
    const spec = [{ key: 'photo', type: 'image' }];
    const a = await spillOutputs(options(first, { outputs: { photo: pngDataUrl() }, outputSpecs: spec, dedup: true }));
    const b = await spillOutputs(options(second, { outputs: { photo: pngDataUrl() }, outputSpecs: spec, dedup: true }));
    const refA = refAt((a.rewrittenOutputs as Record<string, unknown>).photo);
    const refB = refAt((b.rewrittenOutputs as Record<string, unknown>).photo);
    assert.notEqual(refA.id, refB.id);
    assert.equal(refB.rel_path, refA.rel_path, 'the second row points at the first file');
    assert.equal(ts.store.read((q) => countArtefactRowsForRelPath(q, refA.rel_path)), 2);
    assert.deepEqual(fs.readdirSync(path.join(root, 'demo', second)), [], 'no second copy');
    assert.equal(runTotal(second), PNG_BYTES.length, "a reused file still counts for the run's total");
  });

  it('dedup on: identical values in one response share one file', async () => {
    const runId = await newRun();
    const result = await spillOutputs(
      options(runId, {
        outputs: { a: pngDataUrl(), b: pngDataUrl() },
        outputSpecs: [{ key: 'a', type: 'image' }, { key: 'b', type: 'image' }],
        dedup: true,
      }),
    );
    assert.equal(result.artefacts.length, 2);
    assert.equal(result.artefacts[0].relPath, result.artefacts[1].relPath);
    assert.deepEqual(fs.readdirSync(path.join(root, 'demo', runId)), ['a.png']);
  });

  it('dedup on: a row whose file is gone is not reused', async () => {
    const first = await newRun();
    const second = await newRun();
    const spec = [{ key: 'photo', type: 'image' }];
    const a = await spillOutputs(options(first, { outputs: { photo: pngDataUrl() }, outputSpecs: spec, dedup: true }));
    fs.rmSync(path.join(root, a.artefacts[0].relPath));
    const b = await spillOutputs(options(second, { outputs: { photo: pngDataUrl() }, outputSpecs: spec, dedup: true }));
    assert.equal(b.artefacts[0].relPath, `demo/${second}/photo.png`);
    assert.ok(fs.existsSync(path.join(root, b.artefacts[0].relPath)));
  });

  it('dedup off: two files', async () => {
    const first = await newRun();
    const second = await newRun();
    const spec = [{ key: 'photo', type: 'image' }];
    const a = await spillOutputs(options(first, { outputs: { photo: pngDataUrl() }, outputSpecs: spec }));
    const b = await spillOutputs(options(second, { outputs: { photo: pngDataUrl() }, outputSpecs: spec }));
    assert.notEqual(a.artefacts[0].relPath, b.artefacts[0].relPath);
    assert.ok(fs.existsSync(path.join(root, a.artefacts[0].relPath)));
    assert.ok(fs.existsSync(path.join(root, b.artefacts[0].relPath)));
    assert.equal(a.artefacts[0].sha256, b.artefacts[0].sha256);
  });

  it('does not overwrite a file the tool wrote under the same name', async () => {
    const runId = await newRun();
    const dir = path.join(root, 'demo', runId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'photo.png'), 'the tool wrote this');
    const result = await spillOutputs(options(runId, { outputs: { photo: pngDataUrl() }, outputSpecs: [{ key: 'photo', type: 'image' }] }));
    assert.equal(result.artefacts[0].relPath, `demo/${runId}/photo-2.png`);
    assert.equal(fs.readFileSync(path.join(dir, 'photo.png'), 'utf8'), 'the tool wrote this');
  });

  it('names files safely for odd keys and redacts secret-looking ones', async () => {
    const runId = await newRun();
    const outputs = { '../../escape': 'a'.repeat(500), api_token: 'b'.repeat(500), ['__proto__']: 'c'.repeat(500) };
    const result = await spillOutputs(options(runId, { outputs: JSON.parse(JSON.stringify(outputs)) as unknown, inlineMaxBytes: 10 }));
    for (const row of result.artefacts) {
      assert.ok(row.relPath.startsWith(`demo/${runId}/`), row.relPath);
      assert.ok(!row.relPath.slice(`demo/${runId}/`.length).includes('/'), row.relPath);
    }
    const token = result.artefacts.find((r) => r.outputKey === 'api_token');
    assert.match(token?.filename ?? '', /^redacted-[0-9a-f]{8}\.txt$/);
    assert.deepEqual(token?.tags, ['_redacted_original:api_token.txt']);
    const rewritten = result.rewrittenOutputs as Record<string, unknown>;
    assert.ok(Object.hasOwn(rewritten, '__proto__'));
    assert.ok(artefactRefOf(rewritten['__proto__']));
    assert.equal(Object.getPrototypeOf(rewritten), Object.prototype);
  });

  it('refuses a negative inline limit and an unknown run (and leaves no file behind)', async () => {
    const runId = await newRun();
    await assert.rejects(spillOutputs(options(runId, { inlineMaxBytes: -1 })), RangeError);
    await assert.rejects(
      spillOutputs(options('no-such-run', { outputs: { photo: pngDataUrl() }, outputSpecs: [{ key: 'photo', type: 'image' }] })),
      /no such run/,
    );
    assert.deepEqual(fs.readdirSync(path.join(root, 'demo', 'no-such-run')), []);
  });
});
