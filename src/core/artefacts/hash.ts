// SHA-256 of artefacts. Files on disk are read in 1 MiB chunks (never whole into memory); the first bytes are kept
// for MIME sniffing so a file is read once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Utf8Chunks } from './utf8Chunks';

export const HASH_CHUNK_BYTES = 1024 * 1024;
/** Bytes kept from the start of a file for sniffMime. */
export const SNIFF_BYTES = 4096;

export interface FileDigest {
  sha256: string;
  /** Bytes actually read (the size the row records, even if the file grew since a stat). */
  size: number;
  /** The first SNIFF_BYTES bytes (fewer for a small file). */
  head: Buffer;
}

/** Hashes a regular file without following a final symlink. */
export async function hashFile(filePath: string): Promise<FileDigest> {
  const hash = crypto.createHash('sha256');
  const handle = await fs.promises.open(filePath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`${filePath} is not a regular file`);
    const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    let size = 0;
    let head = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, buffer.subarray(0, Math.min(bytesRead, SNIFF_BYTES - head.length))]);
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size, head };
  } finally {
    await handle.close();
  }
}

export async function sha256File(filePath: string): Promise<string> {
  return (await hashFile(filePath)).sha256;
}

export function sha256Bytes(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

const TEXT_HASH_CHUNK_BYTES = 256 * 1024;

/**
 * SHA-256 and size of bytes, or of a string's UTF-8 (encoded a chunk at a time, never whole); `onChunk` sees the
 * same bytes, a chunk at a time (it must not keep them).
 */
export function digestContent(content: Uint8Array | string, onChunk?: (chunk: Uint8Array) => void): { sha256: string; size: number } {
  if (typeof content !== 'string') {
    onChunk?.(content);
    return { sha256: sha256Bytes(content), size: content.length };
  }
  const hash = crypto.createHash('sha256');
  const buffer = new Uint8Array(TEXT_HASH_CHUNK_BYTES);
  const chunks = new Utf8Chunks(content);
  let size = 0;
  for (let n = chunks.next(buffer); n > 0; n = chunks.next(buffer)) {
    const chunk = buffer.subarray(0, n);
    hash.update(chunk);
    onChunk?.(chunk);
    size += n;
  }
  return { sha256: hash.digest('hex'), size };
}
