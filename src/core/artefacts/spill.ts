// Moves output values out of the inline outputs_json into artefact files (the seed's "Artefact handling" steps):
// write `<tool_id>/<run_id>/<key>.<ext>`, MIME from the name and checked against the declared type and the bytes,
// SHA-256, optional dedup, the row, and the value rewritten to an artefact reference. See docs/ARTEFACTS.md.
//  1. Byte-carrying values of file/image/audio/video (and the images of image_grid / image_compare) always go to
//     files; http(s) URLs stay as they are.
//  2. When the serialized outputs exceed the inline limit, the largest remaining values are spilled until the rest
//     fits; outputs_json is then NULL, meta records outputs_oversize, and the rewritten outputs object is kept as the
//     `_pixie_run_outputs` artefact `outputs.json` for history replay.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ArtefactRecord, NewArtefact } from '../store/repositories/artefacts';
import type { Store, WriteQueries } from '../store/types';
import { decodeDataUrl, isDataUrl } from './dataUrl';
import { plainBasename, safeFileStem, writeNewFileContent, writeNewFileSync, type FileContent } from './files';
import { digestContent, SNIFF_BYTES } from './hash';
import { JsonStringSizer, measureJson } from './jsonBytes';
import { jsonBytesOrNull, OutputsJson } from './outputsJson';
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
import { isWellFormedText } from './utf8Chunks';

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
  /** The file's bytes, or a string that goes to the file as UTF-8 (hashed as it is written, never copied whole). */
  content: FileContent;
  kind: ArtefactValueKind;
  tags: string[];
  place(record: ArtefactRecord): void;
  /** Digest (and file, once written) worked out early, while the value was measured (see writeEarly). */
  prepared?: PreparedFile;
}

interface SpillContext {
  options: SpillOptions;
  /** The run folder, (re)created on first use (the first commit): outputs that all stay inline touch no folder. */
  runDir(): string;
  runRel: string;
  mismatches: MimeMismatch[];
  spilledKeys: Set<string>;
  artefacts: ArtefactRecord[];
  bytesAdded: number;
  /** Value items whose content was hashed (and written) while being measured, by key; taken out once committed. */
  early: Map<string, SpillItem>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    content: decoded.bytes,
    kind: 'file',
    place: (record) => part.place((siblings) => makeArtefactReference(record, 'file', siblings)),
  };
}

/**
 * A whole top-level value as a file: strings as text (extension by output type), anything else as JSON (the text
 * built when the value was measured).
 */
function itemForValue(
  spec: SpillOutputSpec | undefined,
  key: string,
  value: unknown,
  out: Record<string, unknown>,
  json: OutputsJson,
): SpillItem {
  let content: string;
  let ext: string;
  let kind: ArtefactValueKind;
  // A string with lone surrogates would not survive UTF-8: keep those as JSON, which escapes them.
  if (typeof value === 'string' && isWellFormedText(value)) {
    content = value;
    kind = 'text';
    const language = spec?.language?.toLowerCase();
    ext = (spec?.type === 'code' && language ? CODE_EXTENSIONS[language] : undefined) ?? TEXT_EXTENSIONS[spec?.type ?? ''] ?? 'txt';
  } else {
    content = json.text(key, value) ?? 'null';
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
    content,
    kind,
    place: (record) => setOwn(out, key, makeArtefactReference(record, kind)),
  };
}

/** The run's whole rewritten outputs as the `_pixie_run_outputs` artefact (for history replay). */
function runOutputsItem(text: string): SpillItem {
  return {
    topKey: '',
    outputKey: RUN_OUTPUTS_KEY,
    diskName: 'outputs.json',
    rowFilename: 'outputs.json',
    mime: 'application/json',
    content: text,
    kind: 'json',
    tags: [],
    place: () => undefined,
  };
}

/** What becomes of the rewritten outputs once every reference is in place. */
interface FinalOutputs {
  text: string;
  /** Too big inline: outputs_json is NULL and `text` goes to outputs.json. */
  oversize: boolean;
}

/** An item's file as prepared before the transaction: its digest, and its name when this spill wrote it. */
interface PreparedFile {
  sha256: string;
  size: number;
  name?: string;
}

/**
 * Hashes and writes one item's content, durably. With dedup the content is hashed first and not written when an
 * identical live file exists; otherwise it is hashed from the very chunks being written.
 */
async function prepareFile(ctx: SpillContext, item: SpillItem, written: string[]): Promise<PreparedFile> {
  const { store, artefactsRoot, dedup } = ctx.options;
  if (item.prepared?.name !== undefined) return item.prepared;
  if (dedup) {
    const digest = item.prepared ?? digestContent(item.content);
    if (store.read((q) => findReusableArtefact(q, artefactsRoot, digest.sha256, digest.size))) return digest;
    const file = await writeNewFileContent(ctx.runDir(), item.diskName, item.content);
    written.push(file.name);
    return { ...digest, name: file.name };
  }
  const hash = createHash('sha256');
  const file = await writeNewFileContent(ctx.runDir(), item.diskName, item.content, (chunk) => hash.update(chunk));
  written.push(file.name);
  return { sha256: hash.digest('hex'), size: file.size, name: file.name };
}

/**
 * Inserts an item's row inside the transaction. With dedup the reuse is checked again here, row by row: the file
 * we meant to reuse may have been deleted meanwhile, and an identical item inserted just before in this batch is
 * reusable now. A file still missing is written here (synchronously: this runs inside the transaction).
 */
function insertItem(
  ctx: SpillContext,
  q: WriteQueries,
  item: SpillItem,
  file: PreparedFile,
  written: string[],
  unused: string[],
): ArtefactRecord {
  const { artefactsRoot, dedup, runId, toolId, now } = ctx.options;
  const reuse = dedup ? findReusableArtefact(q, artefactsRoot, file.sha256, file.size) : undefined;
  let relPath: string;
  if (reuse) {
    relPath = reuse.relPath;
    if (file.name !== undefined) unused.push(file.name);
  } else {
    let name = file.name;
    if (name === undefined) {
      const bytes = typeof item.content === 'string' ? Buffer.from(item.content, 'utf8') : item.content;
      name = writeNewFileSync(ctx.runDir(), item.diskName, bytes);
      written.push(name);
    }
    relPath = `${ctx.runRel}/${name}`;
  }
  const row: NewArtefact = {
    runId,
    toolId,
    outputKey: item.outputKey,
    relPath,
    filename: item.rowFilename,
    mime: item.mime,
    sizeBytes: file.size,
    sha256: file.sha256,
    createdAt: now,
    tags: item.tags,
  };
  return insertRunArtefacts(q, runId, [row])[0];
}

/**
 * Writes (or, with dedup, reuses) the files of `items` — each on disk (fdatasync) before the transaction that
 * inserts their rows — then, in that one transaction, inserts the rows and places the references. `finalise`, when
 * given, then sees the outputs with those references and, if they are oversize, its outputs.json (written and
 * synced inside the transaction: it names the new rows' ids) is inserted in the same commit. Files written for
 * rows that end up not inserted are removed again.
 */
async function commit(ctx: SpillContext, items: readonly SpillItem[], finalise?: () => FinalOutputs): Promise<FinalOutputs | undefined> {
  if (items.length === 0) return undefined;
  ctx.runDir(); // the run folder exists once anything is spilled, even when dedup then writes no file into it
  const written: string[] = [];
  const unused: string[] = [];
  let remove = unused;
  for (const item of items) {
    // From here on an early file is this commit's to insert or to remove.
    if (item.prepared?.name !== undefined) written.push(item.prepared.name);
    if (ctx.early.get(item.topKey) === item) ctx.early.delete(item.topKey);
  }
  try {
    const files: PreparedFile[] = [];
    for (const item of items) files.push(await prepareFile(ctx, item, written));
    const { records, final, all } = await ctx.options.store.write((q) => {
      const inserted = items.map((item, i) => insertItem(ctx, q, item, files[i], written, unused));
      items.forEach((item, i) => item.place(inserted[i]));
      const done = finalise?.();
      const spilled = [...items];
      if (done?.oversize) {
        const outputsItem = runOutputsItem(done.text);
        inserted.push(insertItem(ctx, q, outputsItem, digestContent(outputsItem.content), written, unused));
        spilled.push(outputsItem);
      }
      return { records: inserted, final: done, all: spilled };
    });
    all.forEach((item, i) => {
      if (item.topKey !== '') ctx.spilledKeys.add(item.topKey);
      ctx.bytesAdded += records[i].sizeBytes;
    });
    ctx.artefacts.push(...records);
    return final;
  } catch (error) {
    remove = written;
    throw error;
  } finally {
    for (const name of new Set(remove)) {
      await removeOwnFile(ctx, name);
    }
  }
}

/**
 * Writes a string that can never be inline (its length alone is over the limit, so the plan below always spills
 * it) while measuring it: one pass over its UTF-8 hashes it, sums its exact JSON size and writes it. With dedup
 * the pass only hashes and measures; commit writes the file unless an identical one can be reused.
 */
async function writeEarly(ctx: SpillContext, json: OutputsJson, item: SpillItem, text: string): Promise<void> {
  const sizer = new JsonStringSizer();
  ctx.early.set(item.topKey, item);
  if (ctx.options.dedup) {
    item.prepared = digestContent(text, (chunk) => sizer.add(chunk));
  } else {
    const hash = createHash('sha256');
    const file = await writeNewFileContent(ctx.runDir(), item.diskName, text, (chunk) => {
      hash.update(chunk);
      sizer.add(chunk);
    });
    item.prepared = { sha256: hash.digest('hex'), size: file.size, name: file.name };
  }
  json.remember(item.topKey, text, { bytes: sizer.bytes, text: undefined });
}

/** Whether `value` (at `key`) is a string no outputs holding it could ever keep inline: see writeEarly. */
function alwaysSpilled(ctx: SpillContext, key: string, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // JSON takes at least one byte per code unit, plus the quotes.
  const atLeast = value.length + 2;
  const limit = ctx.options.inlineMaxBytes;
  return atLeast > limit && atLeast > estimateReferenceBytes(ctx.runRel, key, Number.MAX_SAFE_INTEGER) && isWellFormedText(value);
}

/** Early files no commit took (the spill failed before): not left behind. */
async function removeEarlyFiles(ctx: SpillContext): Promise<void> {
  for (const item of ctx.early.values()) {
    if (item.prepared?.name !== undefined) await removeOwnFile(ctx, item.prepared.name);
  }
  ctx.early.clear();
}

async function removeOwnFile(ctx: SpillContext, name: string): Promise<void> {
  await fs.promises.rm(resolveArtefactPath(ctx.options.artefactsRoot, `${ctx.runRel}/${name}`), { force: true });
}

/** Upper bound of a reference's serialized size for a value of `size` bytes spilled from `key`. */
function estimateReferenceBytes(runRel: string, key: string, size: number): number {
  const longName = `${safeFileStem(key)}-000.extension`;
  const reference = JSON.stringify(
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
  return Buffer.byteLength(reference, 'utf8');
}

/**
 * Keys of the top-level values to spill, largest first, until the outputs fit the limit. A value no bigger than
 * its reference is never worth a file. When even spilling all of them cannot make the outputs fit (many small
 * keys), the values stay together in outputs.json and only those too big to ever be inline get their own file.
 */
function planValueSpill(out: Record<string, unknown>, json: OutputsJson, limit: number, current: number, runRel: string): string[] {
  const candidates = Object.entries(out)
    .filter(([, value]) => value !== undefined && !containsArtefactReference(value))
    .map(([key, value]) => {
      const size = jsonBytesOrNull(json.measure(key, value));
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
  const runRel = runFolderRel(options.toolId, options.runId);
  let runDir: string | undefined;
  const ctx: SpillContext = {
    options,
    runDir: () => (runDir ??= runFolder(options.artefactsRoot, options.toolId, options.runId)),
    runRel,
    mismatches: [],
    spilledKeys: new Set(),
    artefacts: [],
    bytesAdded: 0,
    early: new Map(),
  };
  try {
    return await spill(ctx);
  } finally {
    await removeEarlyFiles(ctx);
  }
}

async function spill(ctx: SpillContext): Promise<SpillResult> {
  const { options } = ctx;
  const json = new OutputsJson();
  const limit = options.inlineMaxBytes;
  let rewritten: unknown = options.outputs;
  let originalBytes: number;
  let final: FinalOutputs | undefined;
  const finalise = (): FinalOutputs => {
    const text = isRecord(rewritten) ? json.textOf(rewritten) : (JSON.stringify(rewritten) as string | undefined) ?? 'null';
    return { text, oversize: originalBytes > limit || Buffer.byteLength(text, 'utf8') > limit };
  };

  if (isRecord(options.outputs)) {
    const out: Record<string, unknown> = { ...options.outputs };
    rewritten = out;
    const specs = new Map(options.outputSpecs.map((s) => [s.key, s]));
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

    // 2. Too big inline: the largest values go to files until the rest fits; outputs.json in the same commit.
    // Strings that go whatever the plan says are written while they are measured.
    for (const [key, value] of Object.entries(out)) {
      if (alwaysSpilled(ctx, key, value)) await writeEarly(ctx, json, itemForValue(specs.get(key), key, value, out, json), value);
    }
    originalBytes = json.bytesOf(options.outputs);
    const current = json.bytesOf(out);
    if (originalBytes > limit || current > limit) {
      const items = planValueSpill(out, json, limit, current, ctx.runRel).map(
        (key) => ctx.early.get(key) ?? itemForValue(specs.get(key), key, out[key], out, json),
      );
      final = await commit(ctx, items, finalise);
    }
  } else {
    originalBytes = jsonBytesOrNull(measureJson(options.outputs));
  }

  if (final === undefined) {
    final = finalise();
    // The replayable record of the run's outputs: references instead of the big values.
    if (final.oversize) await commit(ctx, [runOutputsItem(final.text)]);
  }

  const metaPatch: SpillMetaPatch = {};
  if (final.oversize) {
    metaPatch.outputs_oversize = true;
    metaPatch.bytes = originalBytes;
  }
  if (ctx.spilledKeys.size > 0) metaPatch.spilled_keys = [...ctx.spilledKeys];
  if (ctx.mismatches.length > 0) metaPatch.mime_mismatches = ctx.mismatches;
  return {
    outputsJson: final.oversize ? null : final.text,
    rewrittenOutputs: rewritten,
    metaPatch,
    artefacts: ctx.artefacts,
    bytesAdded: ctx.bytesAdded,
  };
}
