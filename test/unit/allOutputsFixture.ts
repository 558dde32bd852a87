// The all-outputs fixture tool (test/fixtures/tools/all-outputs) for webview tests: its tool.json outputs, the values
// its /run and /stream send in each mode (values.mjs, the same module the tool's server uses), and what the host turns
// them into before the webview sees them (data URLs of file outputs become file references with webview URIs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseToolJson } from '../../src/core/tools/parse';
import { FILE_REF_KEY, type FileRef, type JsonValue, type OutputSpec, type RequestMethod, type RunView } from '../../src/protocol';
import type { OutputContext } from '../../webview/outputs/registry';

export const ALL_OUTPUTS_DIR = path.resolve(__dirname, '..', 'fixtures', 'tools', 'all-outputs');

/** Where the host's webview URIs of artefacts point (a real panel's `asWebviewUri` gives this scheme and host). */
export const ARTEFACT_URI_PREFIX = 'https://file+.vscode-resource.vscode-cdn.net/ws/artefacts/all-outputs/run-1/';

export type Mode = 'normal' | 'xss' | 'big';
export type Outputs = Record<string, JsonValue>;

export interface StreamUpdate {
  key: string;
  value: JsonValue;
}

interface ValuesModule {
  outputsFor(mode: Mode): Outputs;
  streamUpdates(mode: Mode): StreamUpdate[];
  xss(tag?: string): string;
  XSS_FLAG: string;
}

export interface AllOutputsFixture {
  /** The tool's declared outputs, in tool.json order. */
  specs: OutputSpec[];
  /** The output of that type (the fixture declares one per type). */
  specOf(type: string): OutputSpec | undefined;
  /** What /run answers. */
  outputsFor(mode: Mode): Outputs;
  /** What /stream sends, in order. */
  streamUpdates(mode: Mode): StreamUpdate[];
  /** The XSS payload, tagged. */
  payload(tag?: string): string;
  /** The global the payloads would set. */
  flag: string;
}

let loaded: AllOutputsFixture | undefined;

export async function loadAllOutputs(): Promise<AllOutputsFixture> {
  if (loaded) return loaded;
  const parsed = parseToolJson(fs.readFileSync(path.join(ALL_OUTPUTS_DIR, 'tool.json'), 'utf8'));
  assert.ok(parsed.ok, `all-outputs tool.json: ${JSON.stringify(parsed.ok ? '' : parsed.errors)}`);
  const specs = parsed.spec.outputs;
  // values.mjs is an ES module shared with the tool's server: imported, not copied.
  const values = (await import(pathToFileURL(path.join(ALL_OUTPUTS_DIR, 'values.mjs')).href)) as ValuesModule;
  loaded = {
    specs,
    specOf: (type) => specs.find((s) => s.type === type),
    outputsFor: (mode) => values.outputsFor(mode),
    streamUpdates: (mode) => values.streamUpdates(mode),
    payload: (tag) => values.xss(tag),
    flag: values.XSS_FLAG,
  };
  return loaded;
}

function isRecord(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mimeOfDataUrl(url: string): string {
  return /^data:([^;,]*)/i.exec(url)?.[1] || 'application/octet-stream';
}

export function fileRef(name: string, mime: string, over: Partial<FileRef> = {}): FileRef {
  return { id: 1, uri: `${ARTEFACT_URI_PREFIX}${encodeURIComponent(name)}`, filename: name, mime, size: 1234, kind: 'file', problem: null, ...over };
}

const BYTE_FIELDS = ['value', 'data', 'url'];

/**
 * One file-carrying value as the host sends it: a data URL (alone, or in `value`/`data`/`url` of an object) becomes
 * `{"_pixie_file": ref, …the object's other fields}`, the shapes spill.ts writes and the resolver turns into refs.
 */
function asRef(value: JsonValue, name: string, edit: (ref: FileRef) => FileRef): JsonValue {
  if (typeof value === 'string' && value.startsWith('data:')) return { [FILE_REF_KEY]: edit(fileRef(name, mimeOfDataUrl(value))) };
  if (!isRecord(value)) return value;
  const field = BYTE_FIELDS.find((f) => typeof value[f] === 'string' && (value[f] as string).startsWith('data:'));
  if (!field) return value;
  const { [field]: bytes, ...rest } = value;
  const filename = typeof rest.filename === 'string' ? rest.filename : name;
  return { [FILE_REF_KEY]: edit(fileRef(filename, mimeOfDataUrl(bytes as string))), ...rest };
}

/** A run's outputs as the webview receives them from the host: file outputs' bytes replaced by file references. */
export function hostView(outputs: Outputs, edit: (ref: FileRef) => FileRef = (ref) => ref): Outputs {
  const out: Outputs = { ...outputs };
  for (const key of ['image', 'audio', 'video', 'file']) if (key in out) out[key] = asRef(out[key], key, edit);
  const grid = out.image_grid;
  if (isRecord(grid) && Array.isArray(grid.images)) {
    out.image_grid = { ...grid, images: grid.images.map((image, i) => asRef(image, `image_grid-00${i}.png`, edit)) };
  }
  const compare = out.image_compare;
  if (isRecord(compare)) {
    out.image_compare = { ...compare, before: asRef(compare.before ?? null, 'image_compare-before.png', edit), after: asRef(compare.after ?? null, 'image_compare-after.png', edit) };
  }
  return out;
}

export interface FakeContext {
  ctx: OutputContext;
  sent: { method: RequestMethod; params: unknown }[];
}

/** An output context whose host answers every request with success. */
export function fakeContext(): FakeContext {
  const sent: FakeContext['sent'] = [];
  const ctx: OutputContext = {
    locale: 'en-US',
    request: ((method: RequestMethod, params: unknown) => {
      sent.push({ method, params });
      return Promise.resolve({ opened: true, revealed: true, saved: true, suggestions: [] });
    }) as OutputContext['request'],
    notify: () => undefined,
  };
  return { ctx, sent };
}

export function runViewOf(outputs: Outputs, over: Partial<RunView> = {}): RunView {
  return {
    id: 'run-1', toolId: 'all-outputs', status: 'ok', startedAt: '2026-01-15T09:30:00.000Z', finishedAt: '2026-01-15T09:30:02.000Z', durationMs: 2000,
    inputs: { mode: 'normal' }, outputs, error: null, starred: false, label: null, artefacts: [], notices: [], ...over,
  };
}
