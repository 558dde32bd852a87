import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StderrRing } from '../../src/core/runner/launcher/stderrRing';

test('an empty ring snapshots to ""', () => {
  const ring = new StderrRing(16);
  assert.equal(ring.snapshot(), '');
  assert.equal(ring.offset, 0);
  assert.equal(ring.since(0), '');
});

test('keeps the newest bytes within the cap, dropping the oldest', () => {
  const ring = new StderrRing(10);
  ring.push('abcdef');
  ring.push('ghijkl');
  assert.equal(ring.snapshot(), 'cdefghijkl');
  assert.equal(ring.size, 10);
  assert.equal(ring.offset, 12);
  for (let i = 0; i < 100; i++) ring.push(`line ${i}\n`);
  assert.ok(ring.size <= 10);
  assert.equal(ring.snapshot(), ' 98\nline 99\n'.slice(-10));
});

test('a single chunk larger than the cap keeps its tail', () => {
  const ring = new StderrRing(4);
  ring.push('0123456789');
  assert.equal(ring.snapshot(), '6789');
  ring.push(Buffer.alloc(0));
  assert.equal(ring.offset, 10);
});

test('the default cap is 64 KiB', () => {
  const ring = new StderrRing();
  ring.push(Buffer.alloc(200 * 1024, 0x61));
  assert.equal(ring.size, 64 * 1024);
  assert.equal(ring.offset, 200 * 1024);
});

test('since(offset) returns only what was written after the offset', () => {
  const ring = new StderrRing(100);
  ring.push('before run\n');
  const mark = ring.offset;
  ring.push('during run\n');
  assert.equal(ring.since(mark), 'during run\n');
  assert.equal(ring.since(ring.offset), '');
  assert.equal(ring.since(ring.offset + 50), '', 'an offset from the future yields nothing');
  assert.equal(ring.since(-5), ring.snapshot());
});

test('since(offset) says how much was dropped when the cap overtook the offset', () => {
  const ring = new StderrRing(8);
  const mark = ring.offset;
  ring.push('0123456789ABCDEF');
  const text = ring.since(mark);
  assert.match(text, /^\[… 8 earlier bytes of stderr dropped …\]\n/);
  assert.ok(text.endsWith('89ABCDEF'));
});

test('multi-byte characters survive whole chunks', () => {
  const ring = new StderrRing(64);
  ring.push('héllo → wörld\n');
  assert.equal(ring.snapshot(), 'héllo → wörld\n');
});

test('a cap that is not a positive integer is refused', () => {
  assert.throws(() => new StderrRing(0), RangeError);
  assert.throws(() => new StderrRing(1.5), RangeError);
});
