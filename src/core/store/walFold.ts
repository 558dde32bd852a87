// Fold the committed frames of a real SQLite write-ahead log (`pixie.db-wal`, as left by the original Pixie)
// into a database image, in memory. Frames are trusted only while their salts match the WAL header and their
// cumulative checksums verify; only frames up to the last valid commit frame are applied (SQLite's own rule).
import { StoreCorruptError } from './errors';

const WAL_HEADER_SIZE = 32;
const FRAME_HEADER_SIZE = 24;

export interface WalFoldResult {
  image: Uint8Array;
  /** Committed frames applied. */
  framesApplied: number;
  /** Frames after the last commit (an unfinished transaction) or failing their checksum, ignored. */
  framesIgnored: number;
  transactions: number;
  pageCount: number;
}

function checksum(data: Uint8Array, bigEndian: boolean, s0: number, s1: number): [number, number] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = view.getUint32(i, !bigEndian);
    const x1 = view.getUint32(i + 4, !bigEndian);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

export function foldWal(dbBytes: Uint8Array, walBytes: Uint8Array): WalFoldResult {
  if (walBytes.length < WAL_HEADER_SIZE) {
    return { image: new Uint8Array(dbBytes), framesApplied: 0, framesIgnored: 0, transactions: 0, pageCount: 0 };
  }
  const wal = new DataView(walBytes.buffer, walBytes.byteOffset, walBytes.byteLength);
  const magic = wal.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) {
    throw new StoreCorruptError('pixie.db-wal is not a SQLite write-ahead log (bad magic number); nothing was changed.');
  }
  const bigEndian = (magic & 1) === 1;
  const pageSize = wal.getUint32(8) === 1 ? 65536 : wal.getUint32(8);
  const salt1 = wal.getUint32(16);
  const salt2 = wal.getUint32(20);
  let [s0, s1] = checksum(walBytes.subarray(0, 24), bigEndian, 0, 0);
  if (s0 !== wal.getUint32(24) || s1 !== wal.getUint32(28)) {
    throw new StoreCorruptError('pixie.db-wal has a damaged header (checksum mismatch); nothing was changed.');
  }

  const committed = new Map<number, Uint8Array>();
  let pending = new Map<number, Uint8Array>();
  let committedPageCount = 0;
  let framesApplied = 0;
  let pendingFrames = 0;
  let transactions = 0;
  let offset = WAL_HEADER_SIZE;
  let invalidFrames = 0;
  while (offset + FRAME_HEADER_SIZE + pageSize <= walBytes.length) {
    const pageNumber = wal.getUint32(offset);
    const dbSizeAfterCommit = wal.getUint32(offset + 4);
    const page = walBytes.subarray(offset + FRAME_HEADER_SIZE, offset + FRAME_HEADER_SIZE + pageSize);
    if (wal.getUint32(offset + 8) !== salt1 || wal.getUint32(offset + 12) !== salt2) break; // a frame from an older generation
    [s0, s1] = checksum(walBytes.subarray(offset, offset + 8), bigEndian, s0, s1);
    [s0, s1] = checksum(page, bigEndian, s0, s1);
    if (s0 !== wal.getUint32(offset + 16) || s1 !== wal.getUint32(offset + 20)) {
      invalidFrames = Math.floor((walBytes.length - offset) / (FRAME_HEADER_SIZE + pageSize));
      break;
    }
    pending.set(pageNumber, page);
    pendingFrames += 1;
    if (dbSizeAfterCommit !== 0) {
      for (const [number, data] of pending) committed.set(number, data);
      framesApplied += pendingFrames;
      pending = new Map();
      pendingFrames = 0;
      committedPageCount = dbSizeAfterCommit;
      transactions += 1;
    }
    offset += FRAME_HEADER_SIZE + pageSize;
  }
  const framesIgnored = pendingFrames + invalidFrames;
  if (transactions === 0) {
    return { image: new Uint8Array(dbBytes), framesApplied: 0, framesIgnored, transactions: 0, pageCount: 0 };
  }
  if (dbBytes.length > 0 && dbBytes.length % pageSize !== 0) {
    throw new StoreCorruptError('pixie.db and pixie.db-wal disagree on the page size; nothing was changed.');
  }
  const image = new Uint8Array(committedPageCount * pageSize);
  image.set(dbBytes.subarray(0, Math.min(dbBytes.length, image.length)));
  for (const [number, data] of committed) {
    if (number >= 1 && number <= committedPageCount) image.set(data, (number - 1) * pageSize);
  }
  // Make the header's page count authoritative (valid when the change counter equals "version-valid-for").
  const header = new DataView(image.buffer, image.byteOffset, image.byteLength);
  header.setUint32(28, committedPageCount);
  header.setUint32(92, header.getUint32(24));
  image[18] = 1; // rollback-journal mode: this image is for sql.js and our own file, never a WAL database
  image[19] = 1;
  return { image, framesApplied, framesIgnored, transactions, pageCount: committedPageCount };
}
