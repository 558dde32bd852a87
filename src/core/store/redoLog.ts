// The redo log: committed transactions, fdatasync'd before a commit is acknowledged.
// File: a 16-byte header ("PXRL", version, an 8-byte generation that changes at every reset) then records
// [magic u32][length u32][crc32 u32][JSON payload], then zeros up to the end of the file.
//
// The file is grown ahead of the records with written zeros and records are written in place, like SQLite's WAL
// reusing its frames: an fdatasync then flushes data blocks only. Appending to the end instead changes the file's
// size on every commit, and each fdatasync also has to commit that to the journal (measured ~1.5–2× slower).
// Readers stop at the first bytes that are not a valid record (zeros, a torn record); the writer zeroes a torn
// tail before writing after it, so nothing but zeros ever follows the last record.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { SqlParams } from './types';

export const LOG_HEADER_SIZE = 16;
const LOG_MAGIC = Buffer.from('PXRL', 'latin1');
const LOG_VERSION = 1;
const GENERATION_OFFSET = 8;
const GENERATION_BYTES = 8;
const RECORD_MAGIC = 0x52454431; // "RED1"
const RECORD_HEADER_SIZE = 12;
/** Larger than any sane transaction; a length beyond it means garbage, not a record. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** The file grows in steps of at least this much (doubling up to GROW_MAX_BYTES). */
const GROW_MIN_BYTES = 1024 * 1024;
const GROW_MAX_BYTES = 8 * 1024 * 1024;
/** A reader's first read; most reads find nothing new, so it stays small. */
const FIRST_READ_BYTES = 4096;
const READ_CHUNK_BYTES = 64 * 1024;
const ZEROS = Buffer.alloc(GROW_MIN_BYTES);

export type LoggedStatement = [sql: string, params: SqlParams];

export interface LogRecord {
  lsn: number;
  statements: LoggedStatement[];
  /** Byte offset just past this record. */
  end: number;
}

export interface LogReadResult {
  records: LogRecord[];
  /** Offset just past the last valid record (where the next record belongs). */
  validEnd: number;
  /** File size seen (records, then zeros or a torn tail). */
  fileSize: number;
  /** False when the file is missing or its header is not ours. */
  headerOk: boolean;
  /** Changes at every reset: a reader that sees another generation than it read from missed a checkpoint. */
  generation: string;
}

function headerBytes(generation: Buffer): Buffer {
  const header = Buffer.alloc(LOG_HEADER_SIZE);
  LOG_MAGIC.copy(header, 0);
  header.writeUInt32LE(LOG_VERSION, 4);
  generation.copy(header, GENERATION_OFFSET);
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

function readFully(fd: number, buffer: Buffer, position: number): number {
  let got = 0;
  while (got < buffer.length) {
    const n = fs.readSync(fd, buffer, got, buffer.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function writeFully(fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length) written += fs.writeSync(fd, buffer, written, buffer.length - written, position + written);
}

/** Sequential reads of a file region, a chunk at a time. */
class RegionReader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;

  constructor(
    private readonly fd: number,
    private readonly end: number,
  ) {}

  /** `length` bytes at `at`, or undefined past the end of the region. */
  bytes(at: number, length: number): Buffer | undefined {
    if (at + length > this.end) return undefined;
    const offset = at - this.bufferStart;
    if (offset >= 0 && offset + length <= this.buffer.length) return this.buffer.subarray(offset, offset + length);
    const size = Math.min(this.end - at, Math.max(length, this.buffer.length === 0 ? FIRST_READ_BYTES : READ_CHUNK_BYTES));
    this.buffer = Buffer.allocUnsafe(size);
    this.bufferStart = at;
    const got = readFully(this.fd, this.buffer, at);
    if (got < size) this.buffer = this.buffer.subarray(0, got);
    return got >= length ? this.buffer.subarray(0, length) : undefined;
  }
}

export class RedoLog {
  private fd: number | undefined;
  private fdIno: number | undefined;
  private fdWritable = false;
  /** Writer state (set by prepareForAppend / reset): where the next record goes and how far the file reaches. */
  private writeOffset: number | undefined;
  private allocated = 0;
  private currentGeneration = '';
  /** What the last read() saw (for prepareForAppend's fast path). */
  private lastRead: { ino: number | undefined; generation: string; fileSize: number; validEnd: number; zerosFollow: boolean } | undefined;

  constructor(readonly path: string) {}

  /** The generation of the file this log last prepared or reset (the writer's view). */
  get generation(): string {
    return this.currentGeneration;
  }

  /** Read records starting at `offset` (a record boundary). Never modifies the file. */
  read(offset: number): LogReadResult {
    const opened = this.openForRead();
    if (!opened) return { records: [], validEnd: 0, fileSize: 0, headerOk: false, generation: '' };
    const { fd, size: fileSize } = opened;
    const header = Buffer.alloc(LOG_HEADER_SIZE);
    const headerRead = readFully(fd, header, 0);
    const headerOk = headerRead === LOG_HEADER_SIZE && header.subarray(0, 4).equals(LOG_MAGIC);
    if (!headerOk) return { records: [], validEnd: 0, fileSize, headerOk: false, generation: '' };
    const generation = header.subarray(GENERATION_OFFSET, GENERATION_OFFSET + GENERATION_BYTES).toString('hex');
    const start = Math.max(offset, LOG_HEADER_SIZE);
    if (fileSize <= start) return { records: [], validEnd: Math.min(start, fileSize), fileSize, headerOk, generation };
    const region = new RegionReader(fd, fileSize);
    const records: LogRecord[] = [];
    let position = start;
    let zerosFollow = false;
    for (;;) {
      const head = region.bytes(position, RECORD_HEADER_SIZE);
      if (!head || head.readUInt32LE(0) !== RECORD_MAGIC) {
        zerosFollow = !head || head.every((byte) => byte === 0);
        break;
      }
      const length = head.readUInt32LE(4);
      const checksum = head.readUInt32LE(8);
      if (length > MAX_RECORD_BYTES) break;
      const payload = region.bytes(position + RECORD_HEADER_SIZE, length);
      if (!payload || crc32(payload) !== checksum) break;
      let parsed: { l: number; s: LoggedStatement[] };
      try {
        parsed = JSON.parse(payload.toString('utf8')) as { l: number; s: LoggedStatement[] };
      } catch {
        break;
      }
      position += RECORD_HEADER_SIZE + length;
      records.push({ lsn: parsed.l, statements: parsed.s, end: position });
    }
    this.lastRead = { ino: this.fdIno, generation, fileSize, validEnd: position, zerosFollow };
    return { records, validEnd: position, fileSize, headerOk, generation };
  }

  /**
   * Writer only (under the lock): make sure the file exists with our header, and that only zeros follow
   * `validEnd` (a torn record from a crashed writer is zeroed, never left between records).
   */
  prepareForAppend(validEnd: number): void {
    // Fast path: the read just before this (same lock hold) saw our own file as we left it — same descriptor and
    // generation, same size, nothing but zeros after the last record — so the checks below would find nothing.
    const seen = this.lastRead;
    this.lastRead = undefined;
    if (
      seen !== undefined &&
      this.fdWritable &&
      seen.ino === this.fdIno &&
      seen.generation === this.currentGeneration &&
      seen.validEnd === validEnd &&
      seen.fileSize === this.allocated &&
      seen.zerosFollow
    ) {
      this.writeOffset = validEnd;
      return;
    }
    const fd = this.openForWrite();
    const size = fs.fstatSync(fd).size;
    const header = Buffer.alloc(LOG_HEADER_SIZE);
    if (size < LOG_HEADER_SIZE || validEnd < LOG_HEADER_SIZE || readFully(fd, header, 0) < LOG_HEADER_SIZE || !header.subarray(0, 4).equals(LOG_MAGIC)) {
      this.resetFd(fd);
      return;
    }
    this.currentGeneration = header.subarray(GENERATION_OFFSET, GENERATION_OFFSET + GENERATION_BYTES).toString('hex');
    this.allocated = size;
    this.writeOffset = Math.min(validEnd, size);
    if (size > validEnd) this.zeroTail(fd, validEnd, size);
  }

  /** Write one record after the last one, durably (fdatasync), and return its end offset. */
  append(lsn: number, statements: LoggedStatement[]): number {
    const end = this.appendUnsynced(lsn, statements);
    // One flush covers the record and, after a grow, the new size: both are needed to read the record back.
    fs.fdatasyncSync(this.fd as number);
    return end;
  }

  /**
   * Write one record after the last one without flushing it, and return its end offset and a function that
   * flushes it (fdatasync on the thread pool). The record is in the page cache, so every process reads it at
   * once; the caller keeps the writer lock until the flush is done, so no later record is acknowledged first.
   */
  appendDeferred(lsn: number, statements: LoggedStatement[]): { end: number; flush: () => Promise<void> } {
    const end = this.appendUnsynced(lsn, statements);
    const fd = this.fd as number;
    return { end, flush: () => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve()))) };
  }

  /** fdatasync now (the writer's descriptor). */
  flushSync(): void {
    if (this.fd !== undefined) fs.fdatasyncSync(this.fd);
  }

  private appendUnsynced(lsn: number, statements: LoggedStatement[]): number {
    // prepareForAppend (under the same lock hold) checked that the descriptor still names the file.
    const fd = this.fd;
    if (fd === undefined || !this.fdWritable || this.writeOffset === undefined) {
      throw new Error('redo log: prepareForAppend() must run before append()');
    }
    const record = encodeRecord(lsn, statements);
    const end = this.writeOffset + record.length;
    if (end > this.allocated) this.grow(fd, end);
    writeFully(fd, record, this.writeOffset);
    this.writeOffset = end;
    return end;
  }

  /** Writer only: empty the log after a checkpoint (header only, with a new generation). */
  reset(): void {
    this.resetFd(this.openForWrite());
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.fdIno = undefined;
    this.fdWritable = false;
    this.writeOffset = undefined;
    this.allocated = 0;
  }

  private resetFd(fd: number): void {
    const generation = randomBytes(GENERATION_BYTES);
    fs.ftruncateSync(fd, 0);
    writeFully(fd, headerBytes(generation), 0);
    fs.fdatasyncSync(fd);
    this.currentGeneration = generation.toString('hex');
    this.writeOffset = LOG_HEADER_SIZE;
    this.allocated = LOG_HEADER_SIZE;
  }

  /** Extend the file with written (not sparse) zeros, so later records overwrite allocated blocks in place. */
  private grow(fd: number, needed: number): void {
    const step = Math.min(GROW_MAX_BYTES, Math.max(GROW_MIN_BYTES, this.allocated));
    const target = Math.ceil((needed + step) / GROW_MIN_BYTES) * GROW_MIN_BYTES;
    for (let at = this.allocated; at < target; at += ZEROS.length) {
      writeFully(fd, ZEROS.subarray(0, Math.min(ZEROS.length, target - at)), at);
    }
    this.allocated = target;
  }

  /** Zero [from, to): only after a crash left a torn record there (checked cheaply first). */
  private zeroTail(fd: number, from: number, to: number): void {
    const probe = Buffer.alloc(Math.min(RECORD_HEADER_SIZE, to - from));
    readFully(fd, probe, from);
    if (probe.every((byte) => byte === 0)) return;
    for (let at = from; at < to; at += ZEROS.length) writeFully(fd, ZEROS.subarray(0, Math.min(ZEROS.length, to - at)), at);
    fs.fdatasyncSync(fd);
  }

  /** The open descriptor if it still names the file at `path` (a checkpoint may have replaced nothing, but a
   * user or another version may have removed or renamed it), else a fresh one. */
  private openForRead(): { fd: number; size: number } | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.close();
        return undefined;
      }
      throw error;
    }
    if (this.fd !== undefined && this.fdIno === stat.ino) return { fd: this.fd, size: stat.size };
    this.close();
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const fresh = fs.fstatSync(fd);
    this.fd = fd;
    this.fdIno = fresh.ino;
    return { fd, size: fresh.size };
  }

  private openForWrite(): number {
    if (this.fd !== undefined && this.fdWritable) {
      let ino: number | undefined;
      try {
        ino = fs.statSync(this.path).ino;
      } catch {
        ino = undefined;
      }
      if (ino === this.fdIno) return this.fd;
    }
    this.close();
    const fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    this.fd = fd;
    this.fdIno = fs.fstatSync(fd).ino;
    this.fdWritable = true;
    return fd;
  }
}
