// Facts read from (and small fixes made to) the 100-byte SQLite database header.
import { StoreCorruptError } from './errors';

const MAGIC = 'SQLite format 3\0';

export interface HeaderFacts {
  pageSize: number;
  /** Pages according to the header, when the header's size field is valid. */
  pageCount: number | undefined;
  walMode: boolean;
}

export function readHeader(bytes: Uint8Array, file: string): HeaderFacts {
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== MAGIC) {
    throw new StoreCorruptError(
      `${file} is not a SQLite database (bad or missing header, ${bytes.length} bytes). Pixie did not change it. ` +
        `Restore it from a backup, or move it aside to let Pixie start a new one.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const changeCounter = view.getUint32(24);
  const validFor = view.getUint32(92);
  const headerPages = view.getUint32(28);
  const pageCount = headerPages > 0 && changeCounter === validFor ? headerPages : undefined;
  return { pageSize, pageCount, walMode: bytes[18] === 2 || bytes[19] === 2 };
}

/** Refuse an image that is shorter than its header says (a truncated copy): loading it would lose rows silently. */
export function assertComplete(bytes: Uint8Array, file: string): HeaderFacts {
  const facts = readHeader(bytes, file);
  if (bytes.length % facts.pageSize !== 0 || (facts.pageCount !== undefined && bytes.length < facts.pageCount * facts.pageSize)) {
    const expected = facts.pageCount !== undefined ? facts.pageCount * facts.pageSize : 'a multiple of the page size';
    throw new StoreCorruptError(
      `${file} is truncated: ${bytes.length} bytes, expected ${expected}. Pixie did not change it. ` +
        `Restore it from a backup (or move it aside to start a new database).`,
    );
  }
  return facts;
}

/** Mark the image as rollback-journal mode: our file must never make real SQLite look for a -wal. */
export function setRollbackJournalMode(bytes: Uint8Array): void {
  bytes[18] = 1;
  bytes[19] = 1;
}
