// Folding a real SQLite WAL (made by Python's sqlite3) into a database image: exactly the committed
// transactions, stopping at a torn frame, a bad checksum or a frame of an older generation, as SQLite does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { foldWal } from '../../src/core/store/walFold';
import { StoreCorruptError } from '../../src/core/store/errors';
import { loadSqlJs } from '../../src/core/store/sqljs';
import { expectedRows, makeWalDatabase, pythonMissing, type WalFixture } from '../integration/helpers/pythonWal';
import { nativeIntegrityCheck, withNative } from '../integration/helpers/realSqlite';
import { tempDb } from '../integration/helpers/storeFiles';

const ROWS = 12;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

interface Frame {
  offset: number;
  page: number;
  /** Database size in pages for a commit frame, 0 for other frames. */
  commitSize: number;
}

function framesOf(wal: Buffer): { pageSize: number; frames: Frame[] } {
  const pageSize = wal.readUInt32BE(8);
  const frames: Frame[] = [];
  for (let offset = WAL_HEADER; offset + FRAME_HEADER + pageSize <= wal.length; offset += FRAME_HEADER + pageSize) {
    frames.push({ offset, page: wal.readUInt32BE(offset), commitSize: wal.readUInt32BE(offset + 4) });
  }
  return { pageSize, frames };
}

/** Indexes (into frames) of the commit frames; commit 0 creates the table, 1..ROWS insert, then update, delete. */
function commitFrames(frames: Frame[]): number[] {
  return frames.flatMap((frame, index) => (frame.commitSize > 0 ? [index] : []));
}

/** What a fold that applied the first `commits` transactions must contain. */
function rowsAfter(commits: number): { id: number; body: string }[] {
  return expectedRows(ROWS, { inserts: commits - 1, updated: commits >= ROWS + 2, deleted: commits >= ROWS + 3 });
}

async function rowsOf(image: Uint8Array): Promise<{ id: number; body: string }[]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(image);
  try {
    assert.equal(db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0], 'ok');
    const result = db.exec('SELECT id, body FROM t ORDER BY id')[0];
    return (result?.values ?? []).map(([id, body]) => ({ id: Number(id), body: String(body) }));
  } finally {
    db.close();
  }
}

let fixture: WalFixture | undefined;
function walFixture(): WalFixture {
  if (!fixture) {
    const { dbPath, cleanup } = tempDb();
    try {
      fixture = makeWalDatabase(dbPath, ROWS);
    } finally {
      cleanup();
    }
  }
  return fixture;
}

const skip = pythonMissing;

test('the whole WAL folds to exactly what real SQLite committed', { skip }, async () => {
  const { db, wal } = walFixture();
  const { frames } = framesOf(wal);
  const commits = commitFrames(frames);
  assert.equal(commits.length, ROWS + 3);
  const result = foldWal(db, wal);
  assert.equal(result.transactions, ROWS + 3);
  assert.equal(result.framesApplied, frames.length);
  assert.equal(result.framesIgnored, 0);
  assert.deepEqual(await rowsOf(result.image), rowsAfter(ROWS + 3));
});

test('the folded image is a rollback-journal database whose header page count matches its length', { skip }, () => {
  const { db, wal } = walFixture();
  const { pageSize } = framesOf(wal);
  const { image, pageCount } = foldWal(db, wal);
  assert.deepEqual([image[18], image[19]], [1, 1]);
  const header = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  assert.equal(header.readUInt32BE(28), pageCount);
  assert.equal(header.readUInt32BE(92), header.readUInt32BE(24), 'the page count is marked valid');
  assert.equal(image.length, pageCount * pageSize);
  const { dir, dbPath, cleanup } = tempDb();
  try {
    fs.writeFileSync(path.join(dir, 'pixie.db'), image);
    assert.equal(nativeIntegrityCheck(dbPath), 'ok');
    assert.equal(withNative(dbPath, (native) => (native.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n), ROWS - 1);
  } finally {
    cleanup();
  }
});

test('a WAL torn inside its last frame loses only that unfinished transaction', { skip }, async () => {
  const { db, wal } = walFixture();
  const torn = wal.subarray(0, wal.length - 100);
  const result = foldWal(db, torn);
  assert.equal(result.transactions, ROWS + 2);
  assert.deepEqual(await rowsOf(result.image), rowsAfter(ROWS + 2), 'row 2 is still there: its delete never committed');
});

test('frames after the last commit frame (a transaction without its commit) are ignored', { skip }, async () => {
  const { db, wal } = walFixture();
  const { frames } = framesOf(wal);
  const commits = commitFrames(frames);
  // Cut just before the commit frame of the 8th insert: its earlier frames stay, uncommitted.
  const commitIndex = commits[8];
  const firstOfTransaction = commits[7] + 1;
  assert.ok(commitIndex > firstOfTransaction, 'the fixture needs a multi-frame transaction here');
  const result = foldWal(db, wal.subarray(0, frames[commitIndex].offset));
  assert.equal(result.transactions, 8);
  assert.equal(result.framesIgnored, commitIndex - firstOfTransaction);
  assert.deepEqual(await rowsOf(result.image), rowsAfter(8));
});

test('a frame failing its checksum ends the WAL there: later transactions are not applied', { skip }, async () => {
  const { db, wal } = walFixture();
  const { frames } = framesOf(wal);
  const commits = commitFrames(frames);
  const damaged = Buffer.from(wal);
  const victim = frames[commits[5] + 1]; // first frame of the 6th insert
  damaged[victim.offset + FRAME_HEADER + 1000] ^= 0xff;
  const result = foldWal(db, damaged);
  assert.equal(result.transactions, 6);
  assert.ok(result.framesIgnored >= frames.length - (commits[5] + 1));
  assert.deepEqual(await rowsOf(result.image), rowsAfter(6));
});

test('a frame with other salts (left from an older WAL generation) ends the WAL there', { skip }, async () => {
  const { db, wal } = walFixture();
  const { frames } = framesOf(wal);
  const commits = commitFrames(frames);
  const stale = Buffer.from(wal);
  const victim = frames[commits[3] + 1];
  stale.writeUInt32BE((stale.readUInt32BE(victim.offset + 8) ^ 1) >>> 0, victim.offset + 8);
  const result = foldWal(db, stale);
  assert.equal(result.transactions, 4);
  assert.deepEqual(await rowsOf(result.image), rowsAfter(4));
});

test('a file that is not a WAL, or a WAL with a damaged header, is refused with StoreCorruptError', { skip }, () => {
  const { db, wal } = walFixture();
  const notWal = Buffer.from(wal);
  notWal.writeUInt32BE(0x12345678, 0);
  assert.throws(() => foldWal(db, notWal), (error: Error) => error instanceof StoreCorruptError && /not a SQLite write-ahead log/.test(error.message));
  const badHeader = Buffer.from(wal);
  badHeader[12] ^= 0xff; // checkpoint sequence number, covered by the header checksum
  assert.throws(() => foldWal(db, badHeader), (error: Error) => error instanceof StoreCorruptError && /damaged header/.test(error.message));
});

test('an empty or header-only WAL leaves the database as it is', { skip }, () => {
  const { db, wal } = walFixture();
  for (const part of [wal.subarray(0, 0), wal.subarray(0, 20), wal.subarray(0, WAL_HEADER)]) {
    const result = foldWal(db, part);
    assert.equal(result.transactions, 0);
    assert.ok(Buffer.from(result.image).equals(db));
  }
});

test('a main file whose length does not fit the WAL page size is refused', { skip }, () => {
  const { db, wal } = walFixture();
  const odd = Buffer.concat([db, Buffer.alloc(100)]);
  assert.throws(() => foldWal(odd, wal), (error: Error) => error instanceof StoreCorruptError && /page size/.test(error.message));
});
