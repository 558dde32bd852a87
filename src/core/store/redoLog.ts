// The redo log: an append-only file of committed transactions, fdatasync'd before a commit is acknowledged.
// File: a 16-byte header ("PXRL", version) then records [magic u32][length u32][crc32 u32][JSON payload].
// A torn tail (crash mid-append) fails its checksum; readers stop there and the next writer truncates it.
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { SqlParams } from './types';

export const LOG_HEADER_SIZE = 16;
const LOG_MAGIC = Buffer.from('PXRL', 'latin1');
const LOG_VERSION = 1;
const RECORD_MAGIC = 0x52454431; // "RED1"
const RECORD_HEADER_SIZE = 12;
/** Larger than any sane transaction; a length beyond it means garbage, not a record. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export type LoggedStatement = [sql: string, params: SqlParams];

export interface LogRecord {
  lsn: number;
  statements: LoggedStatement[];
  /** Byte offset just past this record. */
  end: number;
}

export interface LogReadResult {
  records: LogRecord[];
  /** Offset just past the last valid record (where the next append belongs). */
  validEnd: number;
  /** File size seen; larger than validEnd when the tail is torn or garbage. */
  fileSize: number;
  /** False when the file is missing or its header is not ours. */
  headerOk: boolean;
}

function headerBytes(): Buffer {
  const header = Buffer.alloc(LOG_HEADER_SIZE);
  LOG_MAGIC.copy(header, 0);
  header.writeUInt32LE(LOG_VERSION, 4);
  return header;
}

export function encodeRecord(lsn: number, statements: LoggedStatement[]): Buffer {
  const payload = Buffer.from(JSON.stringify({ l: lsn, s: statements }), 'utf8');
  const record = Buffer.allocUnsafe(RECORD_HEADER_SIZE + payload.length);
  record.writeUInt32LE(RECORD_MAGIC, 0);
  record.writeUInt32LE(payload.length, 4);
  record.writeUInt32LE(crc32(payload), 8);
  payload.copy(record, RECORD_HEADER_SIZE);
  return record;
}

export class RedoLog {
  private appendFd: number | undefined;
  private appendIno: number | undefined;

  constructor(readonly path: string) {}

  /** Read records starting at `offset` (a record boundary). Never modifies the file. */
  read(offset: number): LogReadResult {
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validEnd: 0, fileSize: 0, headerOk: false };
      throw error;
    }
    try {
      const fileSize = fs.fstatSync(fd).size;
      const header = Buffer.alloc(LOG_HEADER_SIZE);
      const headerRead = fs.readSync(fd, header, 0, LOG_HEADER_SIZE, 0);
      const headerOk = headerRead === LOG_HEADER_SIZE && header.subarray(0, 4).equals(LOG_MAGIC);
      if (!headerOk) return { records: [], validEnd: 0, fileSize, headerOk: false };
      const start = Math.max(offset, LOG_HEADER_SIZE);
      if (fileSize <= start) return { records: [], validEnd: Math.min(start, fileSize), fileSize, headerOk };
      const body = Buffer.allocUnsafe(fileSize - start);
      let got = 0;
      while (got < body.length) {
        const n = fs.readSync(fd, body, got, body.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      const records: LogRecord[] = [];
      let position = 0;
      while (position + RECORD_HEADER_SIZE <= got) {
        if (body.readUInt32LE(position) !== RECORD_MAGIC) break;
        const length = body.readUInt32LE(position + 4);
        if (length > MAX_RECORD_BYTES || position + RECORD_HEADER_SIZE + length > got) break;
        const payload = body.subarray(position + RECORD_HEADER_SIZE, position + RECORD_HEADER_SIZE + length);
        if (crc32(payload) !== body.readUInt32LE(position + 8)) break;
        let parsed: { l: number; s: LoggedStatement[] };
        try {
          parsed = JSON.parse(payload.toString('utf8')) as { l: number; s: LoggedStatement[] };
        } catch {
          break;
        }
        position += RECORD_HEADER_SIZE + length;
        records.push({ lsn: parsed.l, statements: parsed.s, end: start + position });
      }
      return { records, validEnd: start + position, fileSize, headerOk };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Writer only (under the lock): make sure the file exists with our header and ends at `validEnd`. */
  prepareForAppend(validEnd: number): void {
    const fd = this.openAppendFd();
    const size = fs.fstatSync(fd).size;
    if (size < LOG_HEADER_SIZE || validEnd < LOG_HEADER_SIZE) {
      this.resetFd(fd);
    } else if (size > validEnd) {
      fs.ftruncateSync(fd, validEnd); // drop a torn or garbage tail before appending after it
      fs.fdatasyncSync(fd);
    }
  }

  /** Append one record durably (fdatasync) and return its end offset. */
  append(lsn: number, statements: LoggedStatement[]): number {
    const fd = this.openAppendFd();
    const record = encodeRecord(lsn, statements);
    let written = 0;
    while (written < record.length) written += fs.writeSync(fd, record, written, record.length - written);
    fs.fdatasyncSync(fd);
    return fs.fstatSync(fd).size;
  }

  /** Writer only: empty the log after a checkpoint (header only). */
  reset(): void {
    this.resetFd(this.openAppendFd());
  }

  close(): void {
    if (this.appendFd !== undefined) fs.closeSync(this.appendFd);
    this.appendFd = undefined;
    this.appendIno = undefined;
  }

  private resetFd(fd: number): void {
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, headerBytes(), 0, LOG_HEADER_SIZE, 0);
    fs.fdatasyncSync(fd);
  }

  /** Keep one append descriptor, reopened if the file was removed or replaced behind our back. */
  private openAppendFd(): number {
    if (this.appendFd !== undefined) {
      let current: number | undefined;
      try {
        current = fs.statSync(this.path).ino;
      } catch {
        current = undefined;
      }
      if (current === this.appendIno) return this.appendFd;
      this.close();
    }
    const fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644);
    this.appendFd = fd;
    this.appendIno = fs.fstatSync(fd).ino;
    if (fs.fstatSync(fd).size === 0) this.resetFd(fd);
    return fd;
  }
}
