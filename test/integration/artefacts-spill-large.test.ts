// Spilling large values the fast way: files written a chunk at a time (hashed from the same chunks), exact JSON
// sizes without JSON text, the value rows and outputs.json in one commit, and no file left behind when a spill
// fails after its files were written. Against the real store engine on a temp dir.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { writeNewFileContent } from '../../src/core/artefacts/files';
import { resolveArtefactPath, runFolder } from '../../src/core/artefacts/paths';
import { artefactRefOf, RUN_OUTPUTS_KEY, type ArtefactRef } from '../../src/core/artefacts/reference';
import { loadRunOutputs, readReferencedValue } from '../../src/core/artefacts/replay';
import { spillOutputs, type SpillOptions } from '../../src/core/artefacts/spill';
import { listArtefactsByRun } from '../../src/core/store/repositories/artefacts';
import { getRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import type { Store } from '../../src/core/store/types';
import { isoAt } from '../helpers/isoAt';
import { createTestStore, type TestStore } from '../helpers/testStore';

const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');
const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Text with what JSON escapes and multi-byte UTF-8 (incl. surrogate pairs), `lines` lines long. */
function bigText(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `line ${i}\t"quoted" back\\slash ünïcödé 😀 \u0001\n`).join('');
}

/** The store, counting write transactions and optionally failing them. */
class CountingStore implements Store {
  writes = 0;
  failWrites = false;
  constructor(private readonly inner: Store) {}
  get readOnlyReason(): string | undefined {
    return this.inner.readOnlyReason;
  }
  read: Store['read'] = (fn) => this.inner.read(fn);
  write: Store['write'] = (fn) => {
    this.writes++;
    if (this.failWrites) return Promise.reject(new Error('injected commit failure'));
    return this.inner.write(fn);
  };
  checkpoint: Store['checkpoint'] = () => this.inner.checkpoint();
  onDidChange: Store['onDidChange'] = (listener) => this.inner.onDidChange(listener);
  refresh: Store['refresh'] = () => this.inner.refresh();
  info: Store['info'] = () => this.inner.info();
  close: Store['close'] = () => this.inner.close();
}

let ts: TestStore;
let store: CountingStore;
let root: string;
let runCounter = 0;

beforeEach(async () => {
  ts = await createTestStore();
  await initSchema(ts.store);
  store = new CountingStore(ts.store);
  root = fs.mkdtempSync(path.join(ts.dir ?? os.tmpdir(), 'artefacts-'));
});
afterEach(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  await ts.cleanup();
});

async function newRun(): Promise<string> {
  const id = `run-${++runCounter}`;
  await ts.store.write((q) => insertStartedRun(q, { id, toolId: 'demo', startedAt: isoAt(runCounter), inputsJson: '{"inputs":{}}' }));
  return id;
}

function options(runId: string, partial: Partial<SpillOptions>): SpillOptions {
  return {
    store,
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

function filesIn(runId: string): string[] {
  const dir = path.join(root, 'demo', runId);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('writeNewFileContent', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a string as its exact UTF-8 across many chunks and early flushes; onChunk sees the same bytes', async () => {
    const text = bigText(230_000); // ~11 MB: 1 MiB chunks, flushes every 8 MiB
    const expected = Buffer.from(text, 'utf8');
    assert.ok(expected.length > 10 * 1024 * 1024);
    const hash = crypto.createHash('sha256');
    let seen = 0;
    const file = await writeNewFileContent(dir, 'big.txt', text, (chunk) => {
      hash.update(chunk);
      seen += chunk.length;
    });
    assert.deepEqual(file, { name: 'big.txt', size: expected.length });
    assert.equal(seen, expected.length);
    assert.ok(fs.readFileSync(path.join(dir, 'big.txt')).equals(expected));
    assert.equal(hash.digest('hex'), sha(expected));
    assert.deepEqual(fs.readdirSync(dir), ['big.txt'], 'no .partial left');
  });

  it('writes bytes as they are, an empty string as an empty file, and never over an existing name', async () => {
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 7);
    assert.deepEqual(await writeNewFileContent(dir, 'b.bin', bytes), { name: 'b.bin', size: bytes.length });
    assert.ok(fs.readFileSync(path.join(dir, 'b.bin')).equals(bytes));
    assert.deepEqual(await writeNewFileContent(dir, 'b.bin', ''), { name: 'b-2.bin', size: 0 });
    assert.equal(fs.statSync(path.join(dir, 'b-2.bin')).size, 0);
  });

  it('a failure midway leaves neither the file nor its .partial', async () => {
    let chunks = 0;
    await assert.rejects(
      writeNewFileContent(dir, 'x.txt', 'y'.repeat(5 * 1024 * 1024), () => {
        if (++chunks === 3) throw new Error('hash failed');
      }),
      /hash failed/,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('spillOutputs with large values', () => {
  it('a multi-MB text: exact bytes, hash and JSON size; its row and outputs.json in one commit', async () => {
    const runId = await newRun();
    const text = bigText(60_000);
    const outputs = { text, size: text.length, tail: 'small' };
    const writesBefore = store.writes;
    const result = await spillOutputs(options(runId, { outputs, outputSpecs: [{ key: 'text', type: 'text' }] }));
    assert.equal(store.writes - writesBefore, 1, 'one transaction for the text row and outputs.json');
    assert.equal(result.outputsJson, null);
    assert.equal(result.metaPatch.bytes, jsonBytes(outputs));
    assert.deepEqual(result.metaPatch.spilled_keys, ['text']);
    const rewritten = result.rewrittenOutputs as Record<string, unknown>;
    const ref = refAt(rewritten.text);
    const onDisk = fs.readFileSync(resolveArtefactPath(root, ref.rel_path));
    assert.ok(onDisk.equals(Buffer.from(text, 'utf8')));
    assert.equal(ref.sha256, sha(onDisk));
    assert.equal(ref.size, onDisk.length);
    assert.equal(ref.kind, 'text');
    assert.deepEqual(filesIn(runId), ['outputs.json', 'text.txt']);
    const rows = ts.store.read((q) => listArtefactsByRun(q, runId));
    assert.deepEqual(rows.map((r) => r.outputKey).sort(), [RUN_OUTPUTS_KEY, 'text'].sort());
    assert.equal(ts.store.read((q) => getRun(q, runId))?.totalArtefactBytes, rows.reduce((s, r) => s + r.sizeBytes, 0));
    const replayed = (await loadRunOutputs(ts.store, root, { id: runId, outputsJson: null })) as Record<string, unknown>;
    assert.deepEqual(replayed, rewritten);
    assert.equal(await readReferencedValue(root, refAt(replayed.text)), text);
  });

  it('a big string with a lone surrogate goes out as JSON (escaped), with the exact size recorded', async () => {
    const runId = await newRun();
    const odd = `${'a'.repeat(100_000)}\ud800${'b'.repeat(10)}`;
    const outputs = { odd };
    const result = await spillOutputs(options(runId, { outputs }));
    assert.equal(result.metaPatch.bytes, jsonBytes(outputs));
    const ref = refAt((result.rewrittenOutputs as Record<string, unknown>).odd);
    assert.equal(ref.kind, 'json');
    assert.equal(fs.readFileSync(resolveArtefactPath(root, ref.rel_path), 'utf8'), JSON.stringify(odd));
    assert.equal(await readReferencedValue(root, ref), odd);
  });

  it('a structured value goes out as the JSON text it was measured with', async () => {
    const runId = await newRun();
    const table = { rows: Array.from({ length: 5000 }, (_, i) => ({ i, label: `row "${i}"\n` })) };
    const result = await spillOutputs(options(runId, { outputs: { table, n: 1 }, outputSpecs: [{ key: 'table', type: 'table' }] }));
    const ref = refAt((result.rewrittenOutputs as Record<string, unknown>).table);
    assert.equal(fs.readFileSync(resolveArtefactPath(root, ref.rel_path), 'utf8'), JSON.stringify(table));
    assert.equal(result.metaPatch.bytes, jsonBytes({ table, n: 1 }));
  });

  it('outputs_json built from the values equals JSON.stringify (skipped undefined, odd keys, toJSON)', async () => {
    const runId = await newRun();
    const outputs = JSON.parse('{"__proto__": {"x": 1}, "é \\"k\\"": [1, "two"], "n": null}') as Record<string, unknown>;
    outputs.gone = undefined;
    outputs.text = 'line\n'.repeat(10);
    const result = await spillOutputs(options(runId, { outputs }));
    assert.equal(result.outputsJson, JSON.stringify(outputs));
    const withToJson = { a: 'x'.repeat(10), toJSON: () => ({ replaced: true }) };
    const other = await spillOutputs(options(runId, { outputs: withToJson }));
    assert.equal(other.outputsJson, JSON.stringify(withToJson));
  });

  it('dedup on: the same big text in two runs is stored once', async () => {
    const first = await newRun();
    const second = await newRun();
    const text = bigText(5000);
    const spec = [{ key: 'text', type: 'text' }];
    const a = await spillOutputs(options(first, { outputs: { text }, outputSpecs: spec, dedup: true }));
    const b = await spillOutputs(options(second, { outputs: { text }, outputSpecs: spec, dedup: true }));
    const refA = refAt((a.rewrittenOutputs as Record<string, unknown>).text);
    const refB = refAt((b.rewrittenOutputs as Record<string, unknown>).text);
    assert.equal(refB.rel_path, refA.rel_path);
    assert.equal(refB.sha256, sha(Buffer.from(text, 'utf8')));
    assert.deepEqual(filesIn(second), ['outputs.json'], 'no second copy of the text');
    assert.equal(b.metaPatch.bytes, jsonBytes({ text }));
  });

  it('a failed commit leaves no file behind (the text written early, outputs.json)', async () => {
    const runId = await newRun();
    fs.mkdirSync(runFolder(root, 'demo', runId), { recursive: true });
    store.failWrites = true;
    await assert.rejects(spillOutputs(options(runId, { outputs: { text: bigText(3000) } })), /injected commit failure/);
    assert.deepEqual(filesIn(runId), []);
    assert.deepEqual(ts.store.read((q) => listArtefactsByRun(q, runId)), []);
  });

  it('a value JSON cannot serialize fails the spill after the early write, and the early file is removed', async () => {
    const runId = await newRun();
    await assert.rejects(spillOutputs(options(runId, { outputs: { text: bigText(3000), bad: 1n } })), TypeError);
    assert.deepEqual(filesIn(runId), []);
    assert.deepEqual(ts.store.read((q) => listArtefactsByRun(q, runId)), []);
  });
});
