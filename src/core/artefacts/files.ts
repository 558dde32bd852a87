// Writing new files into a run folder: never over an existing entry (a tool may have written the same name), and
// through a `.partial` name first so a scan running meanwhile skips the half-written file.
import fs from 'node:fs';
import path from 'node:path';
import { Utf8Chunks } from './utf8Chunks';

/** Characters kept in names Pixie makes up from output keys; anything else becomes `_`. */
export function safeFileStem(text: string, fallback = 'output'): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 100);
  return cleaned === '' ? fallback : cleaned;
}

/** A tool-given file name as a plain base name (no folders, no NUL), or undefined when nothing usable is left. */
export function plainBasename(name: string): string | undefined {
  const base = name.replace(/\0/g, '').split(/[/\\]/).pop()?.trim() ?? '';
  if (base === '' || base === '.' || base === '..') return undefined;
  return base.slice(-200);
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** `name`, or `stem-2.ext`, `stem-3.ext`… — the first that names nothing in `dir` (nor its `.partial`). */
export function pickFreeName(dir: string, name: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem}-${n}${ext}`;
    if (!exists(path.join(dir, candidate)) && !exists(path.join(dir, `${candidate}.partial`))) return candidate;
  }
}

const NEW_FILE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;

/** What to write: bytes, or a string written as its UTF-8. */
export type FileContent = Uint8Array | string;

export interface WrittenFile {
  /** The name used in the folder (`name` or a free variant). */
  name: string;
  /** Bytes written. */
  size: number;
}

/** Size of the pieces written; a string is encoded into a few buffers of this size, reused. */
const WRITE_CHUNK_BYTES = 1024 * 1024;
/** Writes in flight at once (they run on libuv's thread pool while this thread encodes and hashes the next). */
const WRITES_IN_FLIGHT = 4;
/**
 * Start flushing to the disk every this many bytes (one flush at a time, so writes keep most of the thread pool),
 * so the final fdatasync has little left to wait for.
 */
const EARLY_SYNC_BYTES = 8 * 1024 * 1024;

/** pwrite until all of `chunk` is at `position` (a regular file may take less than asked in one call). */
async function writeAt(handle: fs.promises.FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position + done);
    if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
    done += bytesWritten;
  }
}

/** The content's chunks: views of the bytes themselves, or the string's UTF-8 in the slot's buffer. */
function chunkSource(content: FileContent): (slot: number) => Uint8Array | undefined {
  if (typeof content !== 'string') {
    let offset = 0;
    return () => {
      if (offset >= content.length) return undefined;
      const chunk = content.subarray(offset, offset + WRITE_CHUNK_BYTES);
      offset += chunk.length;
      return chunk;
    };
  }
  const chunks = new Utf8Chunks(content);
  const buffers: Uint8Array[] = [];
  return (slot) => {
    const buffer = (buffers[slot] ??= new Uint8Array(WRITE_CHUNK_BYTES));
    const n = chunks.next(buffer);
    return n === 0 ? undefined : buffer.subarray(0, n);
  };
}

/**
 * Writes `content` through `handle` from offset 0 and makes it durable (fdatasync); `onChunk` sees every chunk
 * just before it is written (to hash the very bytes that go to disk) and must not keep it.
 */
async function writeDurably(handle: fs.promises.FileHandle, content: FileContent, onChunk?: (chunk: Uint8Array) => void): Promise<number> {
  const next = chunkSource(content);
  const inFlight: Promise<void>[] = [];
  const earlySyncs: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  // Every promise gets its handler at once: a failed write must not become an unhandled rejection.
  const track = (p: Promise<void>): Promise<void> => p.catch((error: unknown) => void (failure ??= { error }));
  let offset = 0;
  let unsynced = 0;
  let flushing = false;
  try {
    for (let slot = 0; ; slot = (slot + 1) % WRITES_IN_FLIGHT) {
      await inFlight[slot]; // the slot's buffer is free again
      if (failure) break;
      const chunk = next(slot);
      if (chunk === undefined) break;
      onChunk?.(chunk);
      inFlight[slot] = track(writeAt(handle, chunk, offset));
      offset += chunk.length;
      unsynced += chunk.length;
      if (unsynced >= EARLY_SYNC_BYTES && !flushing) {
        unsynced = 0;
        flushing = true;
        earlySyncs.push(track(handle.datasync()).finally(() => (flushing = false)));
      }
    }
  } finally {
    await Promise.all([...inFlight, ...earlySyncs]);
  }
  if (failure) throw failure.error;
  await handle.datasync();
  return offset;
}

/**
 * Writes `content` as a new file `name` (or a free variant) in `dir`, durably: its bytes are on disk when this
 * resolves. A string is written as UTF-8 a chunk at a time (no copy of the whole of it).
 */
export async function writeNewFileContent(
  dir: string,
  name: string,
  content: FileContent,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<WrittenFile> {
  const chosen = pickFreeName(dir, name);
  const partial = path.join(dir, `${chosen}.partial`);
  const handle = await fs.promises.open(partial, NEW_FILE_FLAGS, 0o600);
  let size: number;
  try {
    try {
      size = await writeDurably(handle, content, onChunk);
    } finally {
      await handle.close();
    }
    await fs.promises.rename(partial, path.join(dir, chosen));
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  return { name: chosen, size };
}

/** Writes `bytes` as a new file `name` (or a free variant) in `dir`, durably; returns the name used. */
export async function writeNewFile(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  return (await writeNewFileContent(dir, name, bytes)).name;
}

/** writeNewFile for the rare path that runs inside a (synchronous) store transaction. */
export function writeNewFileSync(dir: string, name: string, bytes: Uint8Array): string {
  const chosen = pickFreeName(dir, name);
  const partial = path.join(dir, `${chosen}.partial`);
  const fd = fs.openSync(partial, NEW_FILE_FLAGS, 0o600);
  try {
    try {
      fs.writeFileSync(fd, bytes);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, path.join(dir, chosen));
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return chosen;
}
