// Output values on their way to the webview: every artefact reference becomes a file reference with a webview URI
// (the path checked by resolveArtefactPath first), and small text/JSON values that were spilled are read back and
// inlined. Bytes are never embedded: the webview loads files through its own URIs.
import fs from 'node:fs';
import { artefactRefOf, ARTEFACT_REF_KEY, readReferencedValue, resolveArtefactPath, type ArtefactRef } from '../../core/artefacts';
import { toJsonValue } from '../../core/tools/inputValues';
import { FILE_REF_KEY, type FileRef, type JsonValue } from '../../protocol';

/** Spilled text values up to this size are read and shown inline; larger ones are offered as a file to open. */
export const INLINE_READ_MAX_BYTES = 512 * 1024;
/** Spilled structured values (a 100k-row table, a 100k-point chart: a few MiB) are read back up to this size, so the
 *  panel renders them (tables page, charts sample); beyond it they are offered as a file. */
export const STRUCTURED_READ_MAX_BYTES = 32 * 1024 * 1024;

export interface ResolveContext {
  artefactsRoot: string;
  /** The webview URI of an absolute path below the artefacts root. */
  toUri(absolutePath: string): string;
  inlineMaxBytes?: number;
}

/** Where a referenced file is, or why it cannot be shown. */
export function locateArtefact(artefactsRoot: string, relPath: string): { path: string } | { problem: string } {
  let absolute: string;
  try {
    absolute = resolveArtefactPath(artefactsRoot, relPath);
  } catch (error) {
    return { problem: `Not shown: ${(error as Error).message}` };
  }
  if (!fs.existsSync(absolute)) return { problem: 'The file is no longer there (it may have been swept or deleted).' };
  return { path: absolute };
}

function fileRef(ref: ArtefactRef, ctx: ResolveContext): FileRef {
  const where = locateArtefact(ctx.artefactsRoot, ref.rel_path);
  return {
    id: ref.id,
    uri: 'path' in where ? ctx.toUri(where.path) : null,
    filename: ref.filename,
    mime: ref.mime,
    size: ref.size,
    kind: ref.kind,
    problem: 'problem' in where ? where.problem : null,
  };
}

export async function resolveOutputValue(value: unknown, ctx: ResolveContext, depth = 0): Promise<JsonValue> {
  if (depth > 64) return toJsonValue(value) ?? null;
  const ref = artefactRefOf(value);
  if (ref) {
    const readLimit = ctx.inlineMaxBytes ?? (ref.kind === 'json' ? STRUCTURED_READ_MAX_BYTES : INLINE_READ_MAX_BYTES);
    if (ref.kind !== 'file' && ref.size <= readLimit) {
      try {
        return toJsonValue(await readReferencedValue(ctx.artefactsRoot, ref)) ?? null;
      } catch {
        // Fall through: shown as a file reference with its problem.
      }
    }
    const out: Record<string, JsonValue> = {};
    for (const [key, sibling] of Object.entries(value as Record<string, unknown>)) {
      if (key !== ARTEFACT_REF_KEY) defineOwn(out, key, await resolveOutputValue(sibling, ctx, depth + 1));
    }
    defineOwn(out, FILE_REF_KEY, fileRef(ref, ctx));
    return out;
  }
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) out.push(await resolveOutputValue(item, ctx, depth + 1));
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) defineOwn(out, key, await resolveOutputValue(item, ctx, depth + 1));
    return out;
  }
  return toJsonValue(value) ?? null;
}

/** A whole outputs object (keyed by output key). */
export async function resolveOutputs(outputs: unknown, ctx: ResolveContext): Promise<Record<string, JsonValue> | null> {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) return null;
  const resolved = await resolveOutputValue(outputs, ctx);
  return typeof resolved === 'object' && resolved !== null && !Array.isArray(resolved) ? resolved : null;
}

/** `__proto__` is a legal JSON key: store it as data, never as the prototype. */
function defineOwn(obj: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
