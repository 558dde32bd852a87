// Writing new files into a run folder: never over an existing entry (a tool may have written the same name), and
// through a `.partial` name first so a scan running meanwhile skips the half-written file.
import fs from 'node:fs';
import path from 'node:path';

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

/** Writes `bytes` as a new file `name` (or a free variant) in `dir`, durably; returns the name used. */
export async function writeNewFile(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const chosen = pickFreeName(dir, name);
  const partial = path.join(dir, `${chosen}.partial`);
  const handle = await fs.promises.open(partial, NEW_FILE_FLAGS, 0o600);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(partial, path.join(dir, chosen));
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  return chosen;
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
