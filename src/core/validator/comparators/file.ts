// file outputs: sha256 compares the bytes; mime_dispatch (default) compares by what the file is — JSON as
// data (numbers within tolerance), CSV as a table, other text exactly — and anything else by bytes.
import path from 'node:path';
import { mimeTable } from '../../mimeTable';
import { decodeDataUrl, fingerprint, mediaSource } from './binary';
import { compareRows } from './table';
import { firstDifference } from './text';
import type { Comparator, CompareOutcome } from './types';
import { deepDiff, floatTolerance, isRecord, kindOf, modeSetting } from './values';

/** RFC 4180-ish CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function csvCell(s: string): string | number {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : s;
}

interface FileValue {
  source: string;
  mime: string;
}

function fileValue(v: unknown): FileValue | undefined {
  const source = mediaSource(v);
  if (source === undefined) return undefined;
  const declared = isRecord(v) ? (v.mime_type ?? v.mime) : undefined;
  const filename = isRecord(v) && typeof v.filename === 'string' ? v.filename : undefined;
  const fromName = filename ? mimeTable().lookup(path.extname(filename)) : false;
  const mime = typeof declared === 'string' ? declared : decodeDataUrl(source)?.mime ?? (fromName || 'application/octet-stream');
  return { source, mime: mime.split(';')[0].trim().toLowerCase() };
}

function textOf(source: string): string | undefined {
  const blob = decodeDataUrl(source);
  return blob ? blob.bytes.toString('utf8') : undefined;
}

export const compareFile: Comparator = (expected, actual, tol, type): CompareOutcome => {
  const mode = modeSetting(tol, 'mime_dispatch', ['mime_dispatch', 'sha256', 'skip'], type);
  if (mode === 'skip') return { ok: true, comparator: 'file_skip', note: 'skipped (compare: skip)' };
  const e = fileValue(expected);
  const a = fileValue(actual);
  if (!e) return { ok: false, comparator: `file_${mode}`, path: '', expected, actual, metric: 'the fixture\'s expected file has no data URL' };
  if (!a) return { ok: false, comparator: `file_${mode}`, path: '', expected: e.mime, actual, metric: `expected {filename, data}, got ${kindOf(actual)}` };
  const bytes = (comparator: string): CompareOutcome => {
    const fe = fingerprint(e.source);
    const fa = fingerprint(a.source);
    return fe.sha256 === fa.sha256
      ? { ok: true, comparator }
      : { ok: false, comparator, path: 'data', expected: { size: fe.size, sha256: fe.sha256 }, actual: { size: fa.size, sha256: fa.sha256 }, metric: `file bytes differ: ${fa.size} bytes (sha256 ${fa.sha256.slice(0, 12)}…) vs expected ${fe.size} bytes (${fe.sha256.slice(0, 12)}…)` };
  };
  if (mode === 'sha256') return bytes('file_sha256');
  const et = textOf(e.source);
  const at = textOf(a.source);
  if (et === undefined || at === undefined) return bytes('file_sha256');
  const t = floatTolerance(tol);
  if (e.mime === 'application/json' || e.mime.endsWith('+json')) {
    const comparator = 'file_json';
    try {
      const d = deepDiff(JSON.parse(et), JSON.parse(at), t, 'data');
      return d ? { ok: false, comparator, ...d } : { ok: true, comparator };
    } catch {
      return bytes('file_sha256');
    }
  }
  if (e.mime === 'text/csv') {
    const [eh = [], ...er] = parseCsv(et);
    const [ah = [], ...ar] = parseCsv(at);
    const comparator = 'file_csv_rows_ordered';
    if (eh.join('\u0000') !== ah.join('\u0000')) {
      return { ok: false, comparator, path: 'data.header', expected: eh, actual: ah, metric: `CSV header differs: expected ${eh.join(',')}, got ${ah.join(',')}` };
    }
    return compareRows(comparator, er.map((r) => r.map(csvCell)), ar.map((r) => r.map(csvCell)), eh, true, t, 'data.rows');
  }
  if (e.mime.startsWith('text/')) {
    return et === at ? { ok: true, comparator: 'file_text' } : { ok: false, comparator: 'file_text', path: 'data', expected: et.slice(0, 200), actual: at.slice(0, 200), metric: firstDifference(et, at) };
  }
  return bytes('file_sha256');
};
