// JSON sizes without JSON text: the UTF-8 chunker, the escape counters (SIMD and byte by byte) and the string sizer,
// each checked against Buffer.from / JSON.stringify on the strings that make them go wrong (escapes, multi-byte
// characters and surrogate pairs on chunk edges, lone surrogates).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { digestContent } from '../../src/core/artefacts/hash';
import { JsonStringSizer, jsonStringByteLength, measureJson } from '../../src/core/artefacts/jsonBytes';
import { ESCAPE_CHUNK_BYTES, escapeCounter, escapeExtraOf } from '../../src/core/artefacts/jsonEscapes';
import { OutputsJson } from '../../src/core/artefacts/outputsJson';
import { isWellFormedText, Utf8Chunks } from '../../src/core/artefacts/utf8Chunks';

const jsonBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text), 'utf8');

function allChunks(text: string, size: number): Buffer {
  const chunks = new Utf8Chunks(text);
  const buffer = new Uint8Array(size);
  const parts: Buffer[] = [];
  for (let n = chunks.next(buffer); n > 0; n = chunks.next(buffer)) parts.push(Buffer.from(buffer.subarray(0, n)));
  return Buffer.concat(parts);
}

/** A long string with every kind of character JSON or UTF-8 treats specially, in a fixed pseudo-random order. */
function tricky(length: number, seed = 1): string {
  const pieces = ['a', 'Z', ' ', '"', '\\', '\n', '\t', '\r', '\b', '\f', '\u0000', '\u001f', '\u007f', 'é', 'ß', '€', '\u2028', '😀', '𝄞', '/'];
  let state = seed;
  let out = '';
  while (out.length < length) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out += pieces[state % pieces.length];
  }
  return out;
}

describe('Utf8Chunks', () => {
  it('gives exactly the bytes of Buffer.from, whatever the chunk size (pairs never cut)', () => {
    const text = tricky(20_000);
    const expected = Buffer.from(text, 'utf8');
    for (const size of [4, 5, 7, 64, 1000, 4096, 65_536]) {
      assert.ok(allChunks(text, size).equals(expected), `chunk size ${size}`);
    }
  });

  it('puts U+FFFD for a lone surrogate, as Buffer.from does', () => {
    const text = `a\ud800b\udc00c${'x'.repeat(10)}\ud83d`;
    assert.ok(allChunks(text, 4).equals(Buffer.from(text, 'utf8')));
  });

  it('refuses a buffer too small to hold a code point, and ends with 0', () => {
    assert.throws(() => new Utf8Chunks('abc').next(new Uint8Array(3)), RangeError);
    const chunks = new Utf8Chunks('');
    assert.equal(chunks.next(new Uint8Array(8)), 0);
  });
});

describe('isWellFormedText', () => {
  it('finds lone surrogates and accepts pairs', () => {
    assert.equal(isWellFormedText('plain'), true);
    assert.equal(isWellFormedText('pair 😀'), true);
    assert.equal(isWellFormedText('lone \ud800 high'), false);
    assert.equal(isWellFormedText('lone \udc00 low'), false);
    assert.equal(isWellFormedText('reversed \udc00\ud800'), false);
    assert.equal(isWellFormedText('end \ud83d'), false);
  });
});

describe('escape counters', () => {
  const reference = (bytes: Uint8Array): number => jsonBytes(Buffer.from(bytes).toString('utf8')) - 2 - bytes.length;

  it('the process counter is the SIMD one on this Node', () => {
    assert.equal(escapeCounter().kind, 'simd');
  });

  for (const simd of [true, false]) {
    it(`${simd ? 'SIMD' : 'byte-by-byte'}: counts what JSON.stringify adds, every byte value, any length`, () => {
      const counter = escapeCounter({ simd });
      // Every ASCII byte alone (bytes ≥ 0x80 only occur inside valid UTF-8 here).
      for (let c = 0; c < 0x80; c++) {
        counter.bytes[0] = c;
        assert.equal(counter.count(1), jsonBytes(String.fromCharCode(c)) - 3, `byte ${c}`);
      }
      // Lengths around the 16-byte vectors and the 51-vector folds, and a full chunk of control characters (the 8-bit
      // lanes must not wrap).
      for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 815, 816, 817, 2000, 60_000]) {
        for (const text of [tricky(length, length + 7), '\n"a\u0001'.repeat(length).slice(0, length)]) {
          const bytes = Buffer.from(text, 'utf8');
          counter.bytes.set(bytes);
          assert.equal(counter.count(bytes.length), reference(bytes), `length ${length}`);
        }
      }
      counter.bytes.fill(0x01);
      assert.equal(counter.count(ESCAPE_CHUNK_BYTES), ESCAPE_CHUNK_BYTES * 5);
    });
  }

  it('escapeExtraOf counts buffers longer than one chunk', () => {
    const bytes = Buffer.from(tricky(ESCAPE_CHUNK_BYTES + 12_345, 3), 'utf8');
    assert.ok(bytes.length > ESCAPE_CHUNK_BYTES);
    assert.equal(escapeExtraOf(bytes), reference(bytes));
  });

  it('both counters refuse more than their buffer', () => {
    assert.throws(() => escapeCounter().count(ESCAPE_CHUNK_BYTES + 1), RangeError);
    assert.throws(() => escapeCounter({ simd: false }).count(ESCAPE_CHUNK_BYTES + 1), RangeError);
  });
});

describe('jsonStringByteLength', () => {
  it('equals Buffer.byteLength(JSON.stringify(text)) for short, long, tricky and plain strings', () => {
    const cases = [
      '',
      'short "quoted" \\ text\n',
      tricky(70_000, 11),
      tricky(ESCAPE_CHUNK_BYTES * 2 + 5, 5),
      'line of text\n'.repeat(30_000),
      'x'.repeat(ESCAPE_CHUNK_BYTES), // a chunk that ends exactly at the end
      `${'a'.repeat(ESCAPE_CHUNK_BYTES - 1)}😀${'b'.repeat(100_000)}`, // a pair across a chunk edge
    ];
    for (const text of cases) {
      assert.equal(jsonStringByteLength(text), jsonBytes(text), `length ${text.length}`);
      assert.equal(jsonStringByteLength(text, escapeCounter({ simd: false })), jsonBytes(text), `bytewise, length ${text.length}`);
    }
  });

  it('measures long strings with lone surrogates the way JSON.stringify escapes them', () => {
    const text = `${'a'.repeat(100_000)}\ud800${'b'.repeat(100)}`;
    assert.equal(jsonStringByteLength(text), jsonBytes(text));
    assert.notEqual(jsonBytes(text), Buffer.byteLength(text, 'utf8') + 2, 'the case that needs the fallback');
  });

  it('JsonStringSizer sums the same from a pass over the chunks', () => {
    const text = tricky(300_000, 9);
    const sizer = new JsonStringSizer();
    const { size, sha256 } = digestContent(text, (chunk) => sizer.add(chunk));
    assert.equal(sizer.bytes, jsonBytes(text));
    assert.equal(size, Buffer.byteLength(text, 'utf8'));
    assert.equal(sha256, crypto.createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('measureJson', () => {
  it('keeps the text of structured values, not of strings; undefined for what JSON leaves out', () => {
    const table = { rows: [{ a: 1, b: 'two\n' }], note: null };
    assert.deepEqual(measureJson(table), { bytes: Buffer.byteLength(JSON.stringify(table)), text: JSON.stringify(table) });
    assert.deepEqual(measureJson('é"'), { bytes: jsonBytes('é"'), text: undefined });
    assert.deepEqual(measureJson(undefined), { bytes: undefined, text: undefined });
    assert.deepEqual(measureJson(() => 1), { bytes: undefined, text: undefined });
    assert.throws(() => measureJson({ n: 1n }), TypeError, 'a BigInt fails as JSON.stringify fails');
  });

  it('digestContent of bytes and of a string agree with createHash', () => {
    const bytes = crypto.randomBytes(1000);
    assert.deepEqual(digestContent(bytes), { sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: 1000 });
    assert.deepEqual(digestContent(''), { sha256: crypto.createHash('sha256').digest('hex'), size: 0 });
  });
});

describe('OutputsJson', () => {
  it('bytesOf and textOf equal JSON.stringify of the object, built from the values', () => {
    const objects: Record<string, unknown>[] = [
      {},
      { a: 1 },
      { text: tricky(80_000, 2), n: null, nested: { x: [1, 'é', { y: '\n' }] }, gone: undefined, fn: () => 1 },
      JSON.parse('{"__proto__": 1, "é \\"k\\"": "v", "2": "numeric keys come first", "b": true}') as Record<string, unknown>,
      { only: undefined },
      { a: 'x', toJSON: () => ({ replaced: 'yes' }) },
    ];
    for (const obj of objects) {
      const json = new OutputsJson();
      assert.equal(json.bytesOf(obj), Buffer.byteLength(JSON.stringify(obj), 'utf8'));
      assert.equal(json.textOf(obj), JSON.stringify(obj));
    }
  });

  it('measures a key again when its value was replaced, not when it is the same value', () => {
    const json = new OutputsJson();
    const first = { big: 'x'.repeat(100) };
    assert.equal(json.bytesOf(first), 2 + 5 + 1 + 102);
    json.remember('big', first.big, { bytes: 7, text: undefined }); // a measurement from elsewhere is trusted
    assert.equal(json.bytesOf(first), 2 + 5 + 1 + 7);
    const replaced = { big: { _pixie_artefact: 1 } };
    assert.equal(json.bytesOf(replaced), Buffer.byteLength(JSON.stringify(replaced)));
  });
});
