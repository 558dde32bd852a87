// The Artefacts view without vscode: MIME family → icon and how to open, and item texts.
import type { ArtefactRecord } from '../../core/store/repositories/artefacts';
import { escapeMarkdown } from './toolItemText';
import { formatBytes, formatRunTime } from './format';

export type MimeFamily = 'image' | 'audio' | 'video' | 'markdown' | 'json' | 'csv' | 'text' | 'pdf' | 'archive' | 'binary';

const TEXT_APPLICATION = new Set([
  'application/xml',
  'application/javascript',
  'application/x-ndjson',
  'application/geo+json',
  'application/gpx+xml',
  'application/vnd.google-earth.kml+xml',
  'application/x-tex',
  'application/x-yaml',
  'application/yaml',
  'application/toml',
  'application/x-sh',
  'application/sql',
]);
const ARCHIVES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/x-xz',
]);

export function mimeFamily(mime: string, filename = ''): MimeFamily {
  const base = mime.split(';')[0]!.trim().toLowerCase();
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (base.startsWith('image/')) return 'image';
  if (base.startsWith('audio/')) return 'audio';
  if (base.startsWith('video/')) return 'video';
  if (base === 'text/markdown' || ext === 'md' || ext === 'markdown') return 'markdown';
  if (base === 'application/json' || base.endsWith('+json') || ext === 'json') return 'json';
  if (base === 'text/csv' || base === 'text/tab-separated-values' || ext === 'csv' || ext === 'tsv') return 'csv';
  if (base.startsWith('text/') || TEXT_APPLICATION.has(base)) return 'text';
  if (base === 'application/pdf') return 'pdf';
  if (ARCHIVES.has(base)) return 'archive';
  return 'binary';
}

/** Codicon per family (ThemeIcon ids). */
export const FAMILY_ICONS: Record<MimeFamily, string> = {
  image: 'file-media',
  audio: 'unmute',
  video: 'device-camera-video',
  markdown: 'markdown',
  json: 'json',
  csv: 'table',
  text: 'file-text',
  pdf: 'file-pdf',
  archive: 'file-zip',
  binary: 'file-binary',
};

/** `media`: VS Code's built-in preview through `vscode.open`; `document`: a text editor. */
export type OpenKind = 'media' | 'document' | 'other';

export function openKindOf(family: MimeFamily): OpenKind {
  switch (family) {
    case 'image':
    case 'audio':
    case 'video':
      return 'media';
    case 'markdown':
    case 'json':
    case 'csv':
    case 'text':
      return 'document';
    default:
      return 'other';
  }
}

export type ArtefactRow = Pick<
  ArtefactRecord,
  'id' | 'runId' | 'toolId' | 'outputKey' | 'relPath' | 'filename' | 'mime' | 'sizeBytes' | 'createdAt' | 'starred' | 'label' | 'tags' | 'deletedAt'
>;

export interface ArtefactItemText {
  label: string;
  description: string;
  tooltip: string;
}

export function artefactItemText(artefact: ArtefactRow, now: Date = new Date()): ArtefactItemText {
  const parts = [formatBytes(artefact.sizeBytes)];
  if (artefact.label) parts.push(artefact.label);
  if (artefact.tags.length > 0) parts.push(artefact.tags.map((t) => `#${t}`).join(' '));
  if (artefact.deletedAt) parts.push('deleted');
  const lines = [
    `**${escapeMarkdown(artefact.filename)}**${artefact.starred ? ' ★' : ''}${artefact.deletedAt ? ' (deleted)' : ''}`,
    '',
    `${escapeMarkdown(artefact.mime)} · ${formatBytes(artefact.sizeBytes)}  `,
    `Output: \`${artefact.outputKey}\` of \`${artefact.toolId}\`  `,
    `Created: ${escapeMarkdown(formatRunTime(artefact.createdAt, now))}  `,
  ];
  if (artefact.label) lines.push(`Label: ${escapeMarkdown(artefact.label)}  `);
  if (artefact.tags.length > 0) lines.push(`Tags: ${artefact.tags.map((t) => `#${escapeMarkdown(t)}`).join(' ')}  `);
  if (artefact.deletedAt) lines.push(`Deleted: ${escapeMarkdown(formatRunTime(artefact.deletedAt, now))}  `);
  lines.push(`Path: \`artefacts/${artefact.relPath}\``);
  return { label: `${artefact.starred ? '★ ' : ''}${artefact.filename}`, description: parts.join(' · '), tooltip: lines.join('\n') };
}

/** Tags typed as `a, b c` → `['a', 'b', 'c']` (commas or spaces; duplicates and `#` dropped). */
export function parseTagList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,\s]+/)) {
    const tag = raw.replace(/^#/, '').trim();
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}
