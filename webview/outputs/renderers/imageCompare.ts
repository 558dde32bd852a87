// image_compare: two images over each other with a slider that reveals one against the other (drag on the image, or
// the range control — arrow keys work on it). Accepts `{before, after}` (the spec's shape), `{old, new}`, `{left,
// right}`, `{original, modified}`, `{images: [a, b]}` or a list of two; each side a produced file, a data URL, or a
// record holding one, with optional `before_label`/`after_label` (or `labels: [a, b]`). A side that cannot be shown
// turns the view into two cells, each saying what it has.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput, type OutputContext } from '../registry';
import { isJsonRecord, type JsonRecord } from '../values';
import { jsonFallback, note, pickText } from './fields';
import { captionOf, mediaSourceOf, sourceProblemView, type MediaSource } from './mediaSource';

const PAIRS: [string, string][] = [
  ['before', 'after'],
  ['old', 'new'],
  ['left', 'right'],
  ['original', 'modified'],
  ['a', 'b'],
];

interface Side {
  value: JsonValue;
  label: string;
}

function sides(raw: JsonValue): [Side, Side] | undefined {
  const record: JsonRecord | undefined = isJsonRecord(raw) ? raw : undefined;
  const labels = record && Array.isArray(record.labels) ? record.labels.map((l) => (typeof l === 'string' ? l : undefined)) : [];
  const pair = Array.isArray(raw) ? raw : record && Array.isArray(record.images) ? record.images : record && Array.isArray(record.value) ? record.value : undefined;
  if (pair) {
    if (pair.length !== 2) return undefined;
    return [
      { value: pair[0], label: labels[0] ?? captionOf(pair[0]) ?? 'Before' },
      { value: pair[1], label: labels[1] ?? captionOf(pair[1]) ?? 'After' },
    ];
  }
  if (!record) return undefined;
  for (const [l, r] of PAIRS) {
    if (!Object.hasOwn(record, l) || !Object.hasOwn(record, r)) continue;
    const name = (key: string): string => key.charAt(0).toUpperCase() + key.slice(1);
    return [
      { value: record[l], label: pickText(record, [`${l}_label`, 'left_label']) ?? labels[0] ?? captionOf(record[l]) ?? name(l) },
      { value: record[r], label: pickText(record, [`${r}_label`, 'right_label']) ?? labels[1] ?? captionOf(record[r]) ?? name(r) },
    ];
  }
  return undefined;
}

function slider(left: { src: string; label: string }, right: { src: string; label: string }, title: string): HTMLElement {
  const base = el('img', { className: 'compare-image compare-before', attrs: { src: left.src, alt: left.label } });
  const top = el('img', { className: 'compare-image compare-after', attrs: { src: right.src, alt: right.label } });
  const divider = el('div', { className: 'compare-divider', attrs: { 'aria-hidden': 'true' } });
  const stage = el(
    'div',
    { className: 'compare-stage' },
    base,
    top,
    divider,
    el('span', { className: 'compare-label compare-label-before', attrs: { 'aria-hidden': 'true' }, text: left.label }),
    el('span', { className: 'compare-label compare-label-after', attrs: { 'aria-hidden': 'true' }, text: right.label }),
  );
  const range = el('input', {
    className: 'compare-range',
    attrs: { type: 'range', min: 0, max: 100, step: 1, value: 50, 'aria-label': `${title}: how much of “${left.label}” to show against “${right.label}”` },
  });
  const set = (percent: number): void => {
    const p = Math.min(100, Math.max(0, percent));
    // The top image shows right of the divider; clip-path and left are set through the CSSOM (CSP-safe).
    top.style.clipPath = `inset(0 0 0 ${p}%)`;
    divider.style.left = `${p}%`;
    range.value = String(Math.round(p));
    range.setAttribute('aria-valuetext', `${Math.round(p)}% ${left.label}`);
  };
  range.addEventListener('input', () => set(Number(range.value)));
  let dragging = false;
  const follow = (event: PointerEvent): void => {
    const box = stage.getBoundingClientRect();
    if (box.width > 0) set(((event.clientX - box.left) / box.width) * 100);
  };
  stage.addEventListener('pointerdown', (event) => {
    dragging = true;
    stage.setPointerCapture?.(event.pointerId);
    follow(event);
  });
  stage.addEventListener('pointermove', (event) => {
    if (dragging) follow(event);
  });
  const stop = (): void => {
    dragging = false;
  };
  stage.addEventListener('pointerup', stop);
  stage.addEventListener('pointercancel', stop);
  set(50);
  return el('div', { className: 'compare-output' }, stage, range);
}

function loadable(source: MediaSource | undefined): string | undefined {
  return source && (source.kind === 'file' || source.kind === 'data') ? source.src : undefined;
}

function sideCell(side: Side, ctx: OutputContext): HTMLElement {
  const source = mediaSourceOf(side.value, 'image');
  const body =
    !source ? note('No image.')
    : source.kind === 'file' || source.kind === 'data' ? el('img', { className: 'grid-image', attrs: { src: source.src, alt: side.label } })
    : sourceProblemView(source, ctx);
  return el('figure', { className: 'grid-cell' }, body, el('figcaption', { className: 'grid-caption', text: side.label }));
}

registerOutput({
  type: 'image_compare',
  render(raw, spec, ctx) {
    const pair = sides(raw);
    if (!pair) return jsonFallback(raw, 'An image comparison needs {before, after} images.');
    const [left, right] = pair;
    const a = mediaSourceOf(left.value, 'image');
    const b = mediaSourceOf(right.value, 'image');
    const aSrc = loadable(a);
    const bSrc = loadable(b);
    if (aSrc !== undefined && bSrc !== undefined) return { element: slider({ src: aSrc, label: left.label }, { src: bSrc, label: right.label }, spec.label) };
    return {
      element: el(
        'div',
        { className: 'compare-fallback' },
        note('Both images are needed for the slider; here is what each side has.'),
        el('div', { className: 'image-grid' }, sideCell(left, ctx), sideCell(right, ctx)),
      ),
    };
  },
});
