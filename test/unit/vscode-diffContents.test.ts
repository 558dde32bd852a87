// The in-memory texts behind "Open in Diff Editor": ids, both sides, the bounds (pairs and total size, oldest out
// first, the newest always kept), and the pixie-diff URI paths (language extension, parsing, junk refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIFF_SCHEME, DiffContents, diffPath, parseDiffPath } from '../../src/vscode/panels/diffContents';

test('pairs get increasing ids and keep both texts (unicode and empty texts too)', () => {
  const contents = new DiffContents();
  const a = contents.add('left 😀', 'right 日本');
  const b = contents.add('', '');
  assert.ok(b > a);
  assert.equal(contents.text(a, 'left'), 'left 😀');
  assert.equal(contents.text(a, 'right'), 'right 日本');
  assert.equal(contents.text(b, 'left'), '');
  assert.equal(contents.text(999, 'left'), undefined);
  assert.equal(contents.size, 2);
  assert.equal(contents.totalChars, 'left 😀'.length + 'right 日本'.length);
});

test('the number of pairs is bounded: the oldest go first', () => {
  const contents = new DiffContents(3, 1_000_000);
  const ids = Array.from({ length: 5 }, (_, i) => contents.add(`l${i}`, `r${i}`));
  assert.equal(contents.size, 3);
  assert.equal(contents.text(ids[0], 'left'), undefined);
  assert.equal(contents.text(ids[1], 'left'), undefined);
  assert.equal(contents.text(ids[2], 'left'), 'l2');
  assert.equal(contents.text(ids[4], 'right'), 'r4');
});

test('the total size is bounded; a single pair over the limit is still kept (it is the one being opened)', () => {
  const contents = new DiffContents(100, 100);
  const small = contents.add('a'.repeat(30), 'b'.repeat(30));
  const second = contents.add('c'.repeat(20), 'd'.repeat(20));
  assert.equal(contents.size, 2);
  assert.equal(contents.totalChars, 100);
  const third = contents.add('e', 'f');
  assert.equal(contents.text(small, 'left'), undefined, 'over 100 characters: the oldest went');
  assert.equal(contents.text(second, 'left'), 'c'.repeat(20));
  assert.equal(contents.totalChars, 42);
  const huge = contents.add('x'.repeat(500), 'y');
  assert.equal(contents.size, 1);
  assert.equal(contents.text(huge, 'left')?.length, 500);
  assert.equal(contents.text(third, 'left'), undefined);
  assert.equal(contents.totalChars, 501);
  contents.clear();
  assert.equal(contents.size, 0);
  assert.equal(contents.totalChars, 0);
});

test('URI paths: id and side, an extension for known languages, and only well-formed paths parse', () => {
  assert.equal(DIFF_SCHEME, 'pixie-diff');
  assert.equal(diffPath(7, 'left'), '/7/left');
  assert.equal(diffPath(7, 'right', 'python'), '/7/right.py');
  assert.equal(diffPath(7, 'right', 'TypeScript'), '/7/right.ts');
  assert.equal(diffPath(7, 'right', 'no-such-language'), '/7/right');
  assert.deepEqual(parseDiffPath('/7/left'), { id: 7, side: 'left' });
  assert.deepEqual(parseDiffPath('/12/right.py'), { id: 12, side: 'right' });
  for (const bad of ['', '/', '/x/left', '/7/middle', '/7/left/../../etc/passwd', '7/left', '/7/left.py.exe', '/99999999999999999999/left']) {
    assert.equal(parseDiffPath(bad), undefined, bad);
  }
});
