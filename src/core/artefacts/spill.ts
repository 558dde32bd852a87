// Moves output values out of the inline outputs_json into artefact files (the seed's "Artefact handling" steps):
// write `<tool_id>/<run_id>/<key>.<ext>`, MIME from the name and checked against the declared type and the bytes,
// SHA-256, optional dedup, the row, and the value rewritten to an artefact reference. See docs/ARTEFACTS.md.
//  1. Byte-carrying values of file/image/audio/video (and the images of image_grid / image_compare) always go to
//     files; http(s) URLs stay as they are.
//  2. When the serialized outputs exceed the inline limit, the largest remaining values are spilled until the rest
//     fits; outputs_json is then NULL, meta records outputs_oversize, and the rewritten outputs object is kept as the
//     `_pixie_run_outputs` artefact `outputs.json` for history replay.
import fs from 'node:fs';
import path from 'node:path';
import type { ArtefactRecord, NewArtefact } from '../store/repositories/artefacts';
import type { Store } from '../store/types';
import { decodeDataUrl, isDataUrl } from './dataUrl';
import { plainBasename, safeFileStem, writeNewFile, writeNewFileSync } from './files';
import { sha256Bytes, SNIFF_BYTES } from './hash';
import { baseMime, checkMime, extensionForMime, FALLBACK_MIME, mimeForFilename, sniffMime } from './mime';
import { resolveArtefactPath, runFolder, runFolderRel } from './paths';
import {
  containsArtefactReference,
  makeArtefactReference,
  RUN_OUTPUTS_KEY,
  type ArtefactReference,
  type ArtefactValueKind,
} from './reference';
import { findReusableArtefact, insertRunArtefacts } from './registry';
import { redactName } from './secretNames';

/** The parts of a declared output spilling needs (tool.json `outputs[]`). */
export interface SpillOutputSpec {
  key: string;
  type: string;
  /** code outputs: picks the spilled file's extension. */
  language?: string | null;
}

export interface MimeMismatch {
  key: string;
  declared: string;
  actual: string;
  message: string;
}

/** Keys to merge into the run's meta_json. */
export interface SpillMetaPatch {
  outputs_oversize?: true;
  /** Serialized size of the outputs as the tool returned them (set with outputs_oversize). */
  bytes?: number;
  spilled_keys?: string[];
  mime_mismatches?: MimeMismatch[];
}

export interface SpillOptions {
  store: Store;
  artefactsRoot: string;
  toolId: string;
  runId: string;
  outputSpecs: readonly SpillOutputSpec[];
  /** The tool's response body (a JSON object keyed by output key). */
  outputs: unknown;
  inlineMaxBytes: number;
  dedup: boolean;
  /** ISO-8601 UTC timestamp for created_at. */
  now: string;
}

export interface SpillResult {
  /** What goes into runs.outputs_json: the rewritten outputs, or null when the outputs were oversize. */
  outputsJson: string | null;
  /** The outputs with spilled values replaced by artefact references (what the renderer gets). */
  rewrittenOutputs: unknown;
  metaPatch: SpillMetaPatch;
  artefacts: ArtefactRecord[];
  /** Added to runs.total_artefact_bytes (already applied in the store). */
  bytesAdded: number;
}

/** Output types whose values are files (reference §3.4 value shapes). */
const MEDIA_TYPES = new Set(['image', 'audio', 'video']);
/** Fields of an object value that may carry the bytes, in the order renderers read them. */
const BYTE_FIELDS = ['value', 'data', 'url'] as const;

const TEXT_EXTENSIONS: Readonly<Record<string, string>> = {
  text: 'txt',
  stream_text: 'txt',
  markdown: 'md',
  latex: 'tex',
};

const CODE_EXTENSIONS: Readonly<Record<string, string>> = {
  python: 'py', javascript: 'js', typescript: 'ts', json: 'json', bash: 'sh', shell: 'sh', sh: 'sh', sql: 'sql',
  html: 'html', css: 'css', yaml: 'yaml', yml: 'yaml', rust: 'rs', go: 'go', java: 'java', c: 'c', cpp: 'cpp',
  r: 'r', markdown: 'md', xml: 'xml', toml: 'toml', csv: 'csv',
};

/** One value (or part of one) on its way to a file. `place` puts the reference where the value was. */
interface SpillItem {
  /** Top-level output key the value belongs to ('' for the run's outputs.json). */
  topKey: string;
  outputKey: string;
  /** Name wanted in the run folder. */
  diskName: string;
  rowFilename: string;
  mime: string;
  bytes: Buffer;
  sha256: string;
  kind: ArtefactValueKind;
  tags: string[];
  place(record: ArtefactRecord): void;
}

interface SpillContext {
  options: SpillOptions;
  runDir: string;
  runRel: string;
  mismatches: MimeMismatch[];
  spilledKeys: Set<string>;
  artefacts: ArtefactRecord[];
  bytesAdded: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function byteLengthOfJson(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

function withoutField(value: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== field));
}

/** obj[key] = value as an own data property: a key such as `__proto__` (valid in JSON) must not hit a setter. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Disk name and row filename, secret-looking ones redacted (the tags record the original). */
function namesFor(diskName: string, rowFilename: string): { diskName: string; rowFilename: string; tags: string[] } {
  const disk = redactName(diskName);
  // A row filename that is the disk name follows its redaction; a tool-given one is checked on its own.
  const row = rowFilename === diskName ? disk : redactName(rowFilename);
  return { diskName: disk.name, rowFilename: row.name, tags: [...new Set([...disk.tags, ...row.tags])] };
}

/** Where a data URL sits inside an output value, and how to put the reference back. */
interface BytePart {
  /** Path-like label for messages and the disk name: `photo`, `gallery-001`, `compare-before`. */
  label: string;
  dataUrl: string;
  /** For file outputs: the tool's file name and MIME type fields. */
  filename?: string;
  mimeHint?: string;
  /** Type the content must fit: the output type, `image` for grid/compare images. */
  checkType: string;
  /** Puts the reference made by `make` (given the value's other fields) where the data URL was. */
  place(make: (siblings: Record<string, unknown>) => ArtefactReference): void;
}

/** A media value (string, or object with value/data/url) that holds a data URL, as a part placed by `set`. */
function mediaPart(
  value: unknown,
  label: string,
  checkType: string,
  set: (v: unknown) => void,
): BytePart | undefined {
  if (isDataUrl(value)) {
    return { label, dataUrl: value, checkType, place: (make) => set(make({})) };
  }
  if (!isRecord(value)) return undefined;
  const field = BYTE_FIELDS.find((f) => isDataUrl(value[f]));
  if (field === undefined) return undefined;
  const siblings = withoutField(value, field);
  return {
    label,
    dataUrl: value[field] as string,
    filename: typeof value.filename === 'string' ? value.filename : undefined,
    mimeHint: typeof value.mime_type === 'string' ? value.mime_type : typeof value.mime === 'string' ? value.mime : undefined,
    checkType,
    place: (make) => set(make(siblings)),
  };
}

/** The byte-carrying parts of one declared output's value; `out` is the rewritten outputs object. */
function byteParts(spec: SpillOutputSpec, out: Record<string, unknown>): BytePart[] {
  const key = spec.key;
  const value = out[key];
  const setTop = (v: unknown): void => setOwn(out, key, v);
  if (MEDIA_TYPES.has(spec.type) || spec.type === 'file') {
    const part = mediaPart(value, key, spec.type, setTop);
    return part ? [part] : [];
  }
  if (spec.type === 'image_grid' && isRecord(value) && Array.isArray(value.images)) {
    const images = [...(value.images as unknown[])];
    const parts: BytePart[] = [];
    images.forEach((image, i) => {
      const part = mediaPart(image, `${key}-${String(i).padStart(3, '0')}`, 'image', (v) => {
        images[i] = v;
        setOwn(out, key, { ...(out[key] as Record<string, unknown>), images });
      });
      if (part) parts.push(part);
    });
    return parts;
  }
  if (spec.type === 'image_compare' && isRecord(value)) {
    const parts: BytePart[] = [];
    for (const side of ['before', 'after'] as const) {
      const part = mediaPart(value[side], `${key}-${side}`, 'image', (v) => {
        setOwn(out, key, { ...(out[key] as Record<string, unknown>), [side]: v });
      });
      if (part) parts.push(part);
    }
    return parts;
  }
  return [];
}

/** Turns a data URL part into a spill item, recording a MIME mismatch or an undecodable data URL. */
function itemForPart(ctx: SpillContext, spec: SpillOutputSpec, part: BytePart): SpillItem | undefined {
  const decoded = decodeDataUrl(part.dataUrl);
  if ('error' in decoded) {
    ctx.mismatches.push({
      key: spec.key,
      declared: spec.type,
      actual: 'invalid data URL',
      message: `output "${part.label}": ${decoded.error}; the value was kept as it is`,
    });
    return undefined;
  }
  const head = decoded.bytes.subarray(0, SNIFF_BYTES);
  const declaredMime = decoded.mime === '' || baseMime(decoded.mime) === FALLBACK_MIME ? undefined : baseMime(decoded.mime);
  const hintMime = part.mimeHint ? baseMime(part.mimeHint) : undefined;
  const toolName = part.filename !== undefined ? plainBasename(part.filename) : undefined;
  const claimed = declaredMime ?? (hintMime && hintMime !== FALLBACK_MIME ? hintMime : undefined) ?? (toolName ? undefined : sniffMime(head));
  const ext = toolName && path.extname(toolName) !== '' ? path.extname(toolName).slice(1) : extensionForMime(claimed ?? FALLBACK_MIME);
  const diskName = `${safeFileStem(part.label)}.${safeFileStem(ext, 'bin')}`;
  const rowFilename = toolName ?? diskName;
  const byName = mimeForFilename(rowFilename);
  const mime = byName === FALLBACK_MIME && claimed ? claimed : byName;
  const problem = checkMime(part.checkType, mime, head);
  if (problem) ctx.mismatches.push({ key: spec.key, ...problem, message: `output "${part.label}": ${problem.message}` });
  const names = namesFor(diskName, rowFilename);
  return {
    topKey: spec.key,
    outputKey: spec.key,
    ...names,
    mime,
    bytes: decoded.bytes,
    sha256: sha256Bytes(decoded.bytes),
    kind: 'file',
    place: (record) => part.place((siblings) => makeArtefactReference(record, 'file', siblings)),
  };
}

/** A whole top-level value as a file: strings as text (extension by output type), anything else as JSON. */
function itemForValue(spec: SpillOutputSpec | undefined, key: string, value: unknown, out: Record<string, unknown>): SpillItem {
  let bytes: Buffer;
  let ext: string;
  let kind: ArtefactValueKind;
  const asText = typeof value === 'string' ? Buffer.from(value, 'utf8') : undefined;
  // A string with lone surrogates would not survive UTF-8: keep those as JSON, which escapes them.
  if (asText !== undefined && asText.toString('utf8') === value) {
    bytes = asText;
    kind = 'text';
    const language = spec?.language?.toLowerCase();
    ext = (spec?.type === 'code' && language ? CODE_EXTENSIONS[language] : undefined) ?? TEXT_EXTENSIONS[spec?.type ?? ''] ?? 'txt';
  } else {
    bytes = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
    kind = 'json';
    ext = 'json';
  }
  const diskName = `${safeFileStem(key)}.${ext}`;
  const names = namesFor(diskName, diskName);
  return {
    topKey: key,
    outputKey: key,
    ...names,
    mime: mimeForFilename(names.diskName),
    bytes,
    sha256: sha256Bytes(bytes),
    kind,
    place: (record) => setOwn(out, key, makeArtefactReference(record, kind)),
  };
}

/**
 * Writes (or, with dedup, reuses) the files of `items`, inserts their rows in one transaction, then places the
 * references. Files written for rows that end up not inserted are removed again.
 */
async function commit(ctx: SpillContext, items: readonly SpillItem[]): Promise<void> {
  if (items.length === 0) return;
  const { store, artefactsRoot, dedup, runId, toolId, now } = ctx.options;
  const reusable = (sha256: string, size: number) =>
    dedup ? store.read((q) => findReusableArtefact(q, artefactsRoot, sha256, size)) : undefined;
  const written = new Map<SpillItem, string>();
  const unused: string[] = [];
  try {
    for (const item of items) {
      if (!reusable(item.sha256, item.bytes.length)) written.set(item, await writeNewFile(ctx.runDir, item.diskName, item.bytes));
    }
    const records = await store.write((q) =>
      items.flatMap((item) => {
        // Checked again inside the transaction, row by row: the file we meant to reuse may have been deleted
        // meanwhile, and an identical item inserted just before in this batch is reusable now.
        const reuse = dedup ? findReusableArtefact(q, artefactsRoot, item.sha256, item.bytes.length) : undefined;
        let relPath: string;
        if (reuse) {
          relPath = reuse.relPath;
          const own = written.get(item);
          if (own !== undefined) unused.push(own);
        } else {
          const name = written.get(item) ?? writeNewFileSync(ctx.runDir, item.diskName, item.bytes);
          written.set(item, name);
          relPath = `${ctx.runRel}/${name}`;
        }
        const row: NewArtefact = {
          runId,
          toolId,
          outputKey: item.outputKey,
          relPath,
          filename: item.rowFilename,
          mime: item.mime,
          sizeBytes: item.bytes.length,
          sha256: item.sha256,
          createdAt: now,
          tags: item.tags,
        };
        return insertRunArtefacts(q, runId, [row]);
      }),
    );
    items.forEach((item, i) => {
      item.place(records[i]);
      if (item.topKey !== '') ctx.spilledKeys.add(item.topKey);
      ctx.bytesAdded += records[i].sizeBytes;
    });
    ctx.artefacts.push(...records);
  } catch (error) {
    unused.length = 0;
    unused.push(...written.values());
    throw error;
  } finally {
    for (const name of unused) {
      await removeOwnFile(ctx, name);
    }
  }
}

async function removeOwnFile(ctx: SpillContext, name: string): Promise<void> {
  await fs.promises.rm(resolveArtefactPath(ctx.options.artefactsRoot, `${ctx.runRel}/${name}`), { force: true });
}

/** Upper bound of a reference's serialized size for a value of `size` bytes spilled from `key`. */
function estimateReferenceBytes(runRel: string, key: string, size: number): number {
  const longName = `${safeFileStem(key)}-000.extension`;
  return byteLengthOfJson(
    makeArtefactReference(
      {
        id: Number.MAX_SAFE_INTEGER,
        relPath: `${runRel}/${longName}`,
        mime: 'application/vnd.a-rather-long-mime-type+json',
        sizeBytes: size,
        sha256: '0'.repeat(64),
        filename: longName,
      },
      'text',
    ),
  );
}

/**
 * Keys of the top-level values to spill, largest first, until the outputs fit the limit. A value no bigger than
 * its reference is never worth a file. When even spilling all of them cannot make the outputs fit (many small
 * keys), the values stay together in outputs.json and only those too big to ever be inline get their own file.
 */
function planValueSpill(out: Record<string, unknown>, limit: number, current: number, runRel: string): string[] {
  const candidates = Object.entries(out)
    .filter(([, value]) => value !== undefined && !containsArtefactReference(value))
    .map(([key, value]) => {
      const size = byteLengthOfJson(value);
      return { key, size, gain: size - estimateReferenceBytes(runRel, key, size) };
    })
    .filter((c) => c.gain > 0)
    .sort((a, b) => b.size - a.size);
  const chosen: string[] = [];
  let size = current;
  for (const candidate of candidates) {
    if (size <= limit) break;
    size -= candidate.gain;
    chosen.push(candidate.key);
  }
  if (size <= limit) return chosen;
  return candidates.filter((c) => c.size > limit).map((c) => c.key);
}

/** Spills what the rules above say and returns the values for the run row and the renderer. */
export async function spillOutputs(options: SpillOptions): Promise<SpillResult> {
  if (!Number.isSafeInteger(options.inlineMaxBytes) || options.inlineMaxBytes < 0) {
    throw new RangeError(`inlineMaxBytes must be a non-negative integer, got ${String(options.inlineMaxBytes)}`);
  }
  const ctx: SpillContext = {
    options,
    runDir: runFolder(options.artefactsRoot, options.toolId, options.runId),
    runRel: runFolderRel(options.toolId, options.runId),
    mismatches: [],
    spilledKeys: new Set(),
    artefacts: [],
    bytesAdded: 0,
  };
  const originalBytes = byteLengthOfJson(options.outputs);
  const limit = options.inlineMaxBytes;
  let rewritten: unknown = options.outputs;

  if (isRecord(options.outputs)) {
    const out: Record<string, unknown> = { ...options.outputs };
    rewritten = out;
    // 1. Files are files, whatever their size.
    const fileItems: SpillItem[] = [];
    for (const spec of options.outputSpecs) {
      if (!Object.hasOwn(out, spec.key)) continue;
      for (const part of byteParts(spec, out)) {
        const item = itemForPart(ctx, spec, part);
        if (item) fileItems.push(item);
      }
    }
    await commit(ctx, fileItems);

    // 2. Too big inline: the largest values go to files until the rest fits.
    const current = byteLengthOfJson(out);
    if (originalBytes > limit || current > limit) {
      const specs = new Map(options.outputSpecs.map((s) => [s.key, s]));
      const items = planValueSpill(out, limit, current, ctx.runRel).map((key) => itemForValue(specs.get(key), key, out[key], out));
      await commit(ctx, items);
    }
  }

  const oversize = originalBytes > limit || byteLengthOfJson(rewritten) > limit;
  let outputsJson: string | null = JSON.stringify(rewritten) ?? 'null';
  if (oversize) {
    // The replayable record of the run's outputs: references instead of the big values.
    const bytes = Buffer.from(outputsJson, 'utf8');
    outputsJson = null;
    await commit(ctx, [
      {
        topKey: '',
        outputKey: RUN_OUTPUTS_KEY,
        diskName: 'outputs.json',
        rowFilename: 'outputs.json',
        mime: 'application/json',
        bytes,
        sha256: sha256Bytes(bytes),
        kind: 'json',
        tags: [],
        place: () => undefined,
      },
    ]);
  }

  const metaPatch: SpillMetaPatch = {};
  if (oversize) {
    metaPatch.outputs_oversize = true;
    metaPatch.bytes = originalBytes;
  }
  if (ctx.spilledKeys.size > 0) metaPatch.spilled_keys = [...ctx.spilledKeys];
  if (ctx.mismatches.length > 0) metaPatch.mime_mismatches = ctx.mismatches;
  return { outputsJson, rewrittenOutputs: rewritten, metaPatch, artefacts: ctx.artefacts, bytesAdded: ctx.bytesAdded };
}
