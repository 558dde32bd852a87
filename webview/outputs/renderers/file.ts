// file: a produced file — name, size and type, with Open (an editor tab: VS Code's own viewers) and Reveal.
// Accepts the stored reference (with the tool's `filename` beside it) and, while a run streams, `{filename, data}`.
import { fileRefOf } from '../../../src/protocol';
import { el, formatBytes, icon } from '../../dom';
import { registerOutput } from '../registry';
import { isJsonRecord, stringField } from '../values';
import { artefactButtons, artefactMeta } from './artefactActions';
import { jsonView } from './json';
import { remoteLink } from './image';

function dataUrlSize(dataUrl: string): number {
  const body = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor(((body.length - padding) * 3) / 4));
}

registerOutput({
  type: 'file',
  render(value, _spec, ctx) {
    const record = isJsonRecord(value) ? value : undefined;
    const ref = fileRefOf(value) ?? (record ? (fileRefOf(record.data) ?? fileRefOf(record.url)) : undefined);
    const name = record ? (stringField(record, 'filename') ?? stringField(record, 'name')) : undefined;
    if (ref) {
      return { element: el('div', { className: 'file-output' }, icon('file'), artefactMeta(ref, name ?? ref.filename), artefactButtons(ref, ctx, name ?? ref.filename)) };
    }
    const data = record ? (stringField(record, 'data') ?? stringField(record, 'url')) : typeof value === 'string' ? value : undefined;
    if (data && /^https?:\/\//i.test(data)) return { element: remoteLink(data, ctx) };
    if (data && data.startsWith('data:')) {
      const mime = (record && (stringField(record, 'mime_type') ?? stringField(record, 'mime'))) ?? data.slice(5, data.search(/[;,]/));
      return {
        element: el(
          'div',
          { className: 'file-output' },
          icon('file'),
          el('div', { className: 'artefact-meta' }, el('span', { className: 'artefact-name', text: name ?? 'file' }), el('span', { text: ` · ${formatBytes(dataUrlSize(data))} · ${mime}` })),
          el('div', { className: 'output-note', text: 'The file can be opened once the run has finished and stored it.' }),
        ),
      };
    }
    return jsonView(value);
  },
});
