// progress: a fraction 0..1 (a number, or {value, label?}); null is indeterminate. Each update overwrites.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { stringField, textOf, unwrap } from '../values';

export function progressFraction(value: JsonValue): number | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  // 0..100 is read as a percentage: tools send both.
  const fraction = value > 1 && value <= 100 ? value / 100 : value;
  return Math.min(1, Math.max(0, fraction));
}

function paint(bar: HTMLProgressElement, text: HTMLElement, raw: JsonValue, label: string): boolean {
  const { value, extra } = unwrap(raw);
  const fraction = progressFraction(value);
  if (fraction === undefined) return false;
  const note = stringField(extra, 'label') ?? stringField(extra, 'message');
  if (fraction === null) {
    bar.removeAttribute('value');
    text.textContent = note ?? 'Working…';
  } else {
    bar.value = fraction;
    text.textContent = `${Math.round(fraction * 100)}%${note ? ` — ${note}` : ''}`;
  }
  bar.setAttribute('aria-valuetext', text.textContent ?? '');
  bar.setAttribute('aria-label', label);
  return true;
}

registerOutput({
  type: 'progress',
  render(value, spec) {
    const bar = el('progress', { className: 'progress-output', attrs: { max: 1 } });
    const text = el('span', { className: 'progress-text' });
    if (!paint(bar, text, value, spec.label)) return { element: el('div', { className: 'text-output', text: textOf(value) }) };
    return {
      element: el('div', { className: 'progress-row' }, bar, text),
      update: (next) => paint(bar, text, next, spec.label),
    };
  },
});
