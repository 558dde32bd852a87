// The redo log file format: header, records [magic][length][crc32][JSON], and what readers and the writer do
// with a torn or damaged tail (readers stop before it, never modify the file; the writer zeroes it). The file is
// grown with zeros ahead of the records, which are written in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LOG_HEADER_SIZE, RedoLog, encodeRecord, type LoggedStatement } from '../../src/core/store/redoLog';
import { tempDb } from '../integration/helpers/storeFiles';

const INSERT = 'INSERT INTO settings (key, value) VALUES (?, ?)';

function withLog(fn: (log: RedoLog, file: string) => void): void {
  const { dir, cleanup } = tempDb();
  const file = path.join(dir, 'pixie.db.redo');
  const log = new RedoLog(file);
  try {
    fn(log, file);
  } finally {
    log.close();
    cleanup();
  }
}

function statements(n: number): LoggedStatement[] {
  return [[INSERT, [`key-${n}`, `value ${n} – ünïcødé ✓`]]];
}

/** A log with records 1..count, appended the way the engine does. */
function fill(log: RedoLog, count: number): number[] {
  log.prepareForAppend(0);
  const ends: number[] = [];
  for (let lsn = 1; lsn <= count; lsn++) ends.push(log.append(lsn, statements(lsn)));
  return ends;
}

test('a new log starts with the 16-byte header "PXRL" + version 1; a missing or foreign file reads as "no header"', () => {
  withLog((log, file) => {
    assert.deepEqual(log.read(LOG_HEADER_SIZE), { records: [], validEnd: 0, fileSize: 0, headerOk: false, generation: '' });
    log.prepareForAppend(0);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.length, LOG_HEADER_SIZE);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PXRL');
    assert.equal(bytes.readUInt32LE(4), 1);
    assert.match(log.generation, /^[0-9a-f]{16}$/);
    assert.equal(bytes.subarray(8, 16).toString('hex'), log.generation);
    assert.deepEqual(log.read(LOG_HEADER_SIZE), { records: [], validEnd: LOG_HEADER_SIZE, fileSize: LOG_HEADER_SIZE, headerOk: true, generation: log.generation });
    fs.writeFileSync(file, 'SQLite format 3\u0000 and more');
    const foreign = log.read(LOG_HEADER_SIZE);
    assert.equal(foreign.headerOk, false);
    assert.equal(foreign.records.length, 0);
  });
});

test('records round-trip with their lsn, statements (unicode, nulls, numbers) and end offsets', () => {
  withLog((log, file) => {
    const ends = fill(log, 3);
    log.append(4, [
      ['UPDATE t SET a = ?, b = ?, c = ?', [null, -1.5, 2 ** 53 - 1]],
      ['DELETE FROM t', []],
    ]);
    const read = log.read(LOG_HEADER_SIZE);
    assert.equal(read.headerOk, true);
    assert.equal(read.validEnd, ends[2] + encodeRecord(4, [
      ['UPDATE t SET a = ?, b = ?, c = ?', [null, -1.5, 2 ** 53 - 1]],
      ['DELETE FROM t', []],
    ]).length);
    assert.ok(fs.statSync(file).size >= read.validEnd + 1024 * 1024, 'grown ahead of the records');
    assert.ok(fs.readFileSync(file).subarray(read.validEnd).every((byte) => byte === 0));
    assert.deepEqual(read.records.map((record) => record.lsn), [1, 2, 3, 4]);
    assert.deepEqual(read.records[1].statements, statements(2));
    assert.deepEqual(read.records[3].statements[0][1], [null, -1.5, 2 ** 53 - 1]);
    assert.deepEqual(read.records.slice(0, 3).map((record) => record.end), ends);
    // Reading from a record boundary returns only what follows.
    assert.deepEqual(log.read(ends[1]).records.map((record) => record.lsn), [3, 4]);
  });
});

test('each record is [magic "RED1"][length][crc32 of the payload][JSON payload]', () => {
  const record = encodeRecord(7, statements(7));
  assert.equal(record.readUInt32LE(0), 0x52454431);
  const length = record.readUInt32LE(4);
  assert.equal(record.length, 12 + length);
  const payload = JSON.parse(record.subarray(12).toString('utf8')) as { l: number; s: LoggedStatement[] };
  assert.deepEqual(payload, { l: 7, s: statements(7) });
});

test('a torn tail (half a record) is ignored by readers, who never modify the file', () => {
  withLog((log, file) => {
    const ends = fill(log, 2);
    const half = encodeRecord(3, statements(3));
    for (const cut of [3, 12, 20, half.length - 1]) {
      fs.truncateSync(file, ends[1]);
      fs.appendFileSync(file, half.subarray(0, cut));
      const read = log.read(LOG_HEADER_SIZE);
      assert.deepEqual(read.records.map((record) => record.lsn), [1, 2], `cut at ${cut}`);
      assert.equal(read.validEnd, ends[1]);
      assert.equal(read.fileSize, ends[1] + cut);
      assert.equal(fs.statSync(file).size, ends[1] + cut);
    }
  });
});

test('a bad checksum, a wrong magic or an absurd length ends the valid part of the log', () => {
  withLog((log, file) => {
    const ends = fill(log, 4);
    const good = fs.readFileSync(file);
    const damage = (at: number, bytes: number[]): void => {
      const copy = Buffer.from(good);
      bytes.forEach((byte, i) => (copy[at + i] = byte));
      fs.writeFileSync(file, copy);
    };
    damage(ends[1] + 12 + 5, [good[ends[1] + 12 + 5] ^ 0xff]); // a payload byte of record 3
    assert.deepEqual(log.read(LOG_HEADER_SIZE).records.map((record) => record.lsn), [1, 2], 'crc mismatch');
    damage(ends[1], [0, 0, 0, 0]); // record 3's magic
    assert.deepEqual(log.read(LOG_HEADER_SIZE).records.map((record) => record.lsn), [1, 2], 'magic');
    damage(ends[1] + 4, [0xff, 0xff, 0xff, 0x7f]); // record 3's length
    assert.deepEqual(log.read(LOG_HEADER_SIZE).records.map((record) => record.lsn), [1, 2], 'length');
    assert.equal(log.read(LOG_HEADER_SIZE).validEnd, ends[1]);
  });
});

test('garbage appended after the last record is ignored', () => {
  withLog((log, file) => {
    const ends = fill(log, 2);
    fs.appendFileSync(file, Buffer.from('\u0000garbage left by something else, not a record at all'));
    const read = log.read(LOG_HEADER_SIZE);
    assert.deepEqual(read.records.map((record) => record.lsn), [1, 2]);
    assert.equal(read.validEnd, ends[1]);
  });
});

test('the writer zeroes a torn tail before writing, so the next record is readable and only zeros follow it', () => {
  withLog((log, file) => {
    const ends = fill(log, 2);
    // A crashed writer's partial record 3, longer than the record that replaces it.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, encodeRecord(3, [[INSERT, ['k', 'a long value '.repeat(40)]]]).subarray(0, 300), 0, 300, ends[1]);
    fs.closeSync(fd);
    const read = log.read(LOG_HEADER_SIZE);
    assert.equal(read.validEnd, ends[1]);
    log.prepareForAppend(read.validEnd);
    assert.ok(fs.readFileSync(file).subarray(ends[1]).every((byte) => byte === 0), 'the torn record is zeroed');
    const end = log.append(3, statements(33));
    const after = log.read(LOG_HEADER_SIZE);
    assert.deepEqual(after.records.map((record) => record.lsn), [1, 2, 3]);
    assert.deepEqual(after.records[2].statements, statements(33));
    assert.equal(after.validEnd, end);
    assert.ok(fs.readFileSync(file).subarray(end).every((byte) => byte === 0));
  });
});

test('a log written by an older Pixie (appended, no preallocation, zero generation) is read and continued', () => {
  withLog((log, file) => {
    const header = Buffer.alloc(LOG_HEADER_SIZE);
    header.write('PXRL', 0, 'latin1');
    header.writeUInt32LE(1, 4);
    fs.writeFileSync(file, Buffer.concat([header, encodeRecord(1, statements(1)), encodeRecord(2, statements(2))]));
    const read = log.read(LOG_HEADER_SIZE);
    assert.deepEqual(read.records.map((record) => record.lsn), [1, 2]);
    assert.equal(read.generation, '0000000000000000');
    assert.equal(read.validEnd, read.fileSize);
    log.prepareForAppend(read.validEnd);
    log.append(3, statements(3));
    assert.deepEqual(log.read(LOG_HEADER_SIZE).records.map((record) => record.lsn), [1, 2, 3]);
  });
});

test('reset() gives the log a new generation, so a reader holding an offset knows it missed a checkpoint', () => {
  withLog((log) => {
    fill(log, 2);
    const before = log.read(LOG_HEADER_SIZE).generation;
    log.reset();
    const after = log.read(LOG_HEADER_SIZE).generation;
    assert.notEqual(after, before);
    assert.equal(after, log.generation);
  });
});

test('reset() empties the log to its header; a log removed behind the writer\'s back is recreated', () => {
  withLog((log, file) => {
    fill(log, 3);
    log.reset();
    assert.equal(fs.statSync(file).size, LOG_HEADER_SIZE);
    assert.deepEqual(log.read(LOG_HEADER_SIZE).records, []);
    log.append(4, statements(4));
    fs.rmSync(file);
    log.prepareForAppend(0);
    log.append(5, statements(5));
    assert.deepEqual(log.read(LOG_HEADER_SIZE).records.map((record) => record.lsn), [5]);
  });
});

test('a header shorter than 16 bytes (crash while resetting) is not taken for a log', () => {
  withLog((log, file) => {
    fs.writeFileSync(file, 'PXRL');
    assert.equal(log.read(LOG_HEADER_SIZE).headerOk, false);
    log.prepareForAppend(0);
    assert.equal(fs.statSync(file).size, LOG_HEADER_SIZE);
    assert.equal(log.read(LOG_HEADER_SIZE).headerOk, true);
  });
});
