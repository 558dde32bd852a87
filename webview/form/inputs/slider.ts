// slider: a native range input (min, max, step) with its value shown; `range: true` has two handles and sends
// [low, high]. There is no "empty": an untouched slider sits at the midpoint, as the original's does.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerInput } from '../registry';

function toNumber(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

registerInput({
  type: 'slider',
  create(spec, ctx) {
    const { min, max } = spec;
    const mid = min + (max - min) / 2;
    // Without a step a native range snaps to whole numbers; a hundredth of the span keeps small ranges usable.
    const step = spec.step ?? (max - min) / 100;
    const handle = (id: string | undefined, label: string): HTMLInputElement => {
      const input = el('input', {
        className: 'slider',
        attrs: { type: 'range', min, max, step, id, 'aria-describedby': ctx.describedBy, 'aria-label': label },
      });
      input.addEventListener('input', () => {
        keepOrder(input);
        showValue();
        ctx.changed();
      });
      return input;
    };
    const low = handle(ctx.controlId, spec.range ? `${spec.label} (low)` : spec.label);
    const high = spec.range ? handle(undefined, `${spec.label} (high)`) : undefined;
    const readout = el('output', { className: 'slider-value', attrs: { for: ctx.controlId } });
    const value = (input: HTMLInputElement): number => Number(input.value);
    const keepOrder = (moved: HTMLInputElement): void => {
      if (!high || value(low) <= value(high)) return;
      if (moved === low) high.value = low.value;
      else low.value = high.value;
    };
    const showValue = (): void => {
      readout.textContent = high ? `${value(low)} – ${value(high)}` : String(value(low));
    };
    const element = el('div', { className: 'slider-row' }, low, high ?? null, readout);
    return {
      element,
      canBeEmpty: false,
      read: () => (high ? [value(low), value(high)] : value(low)),
      write(v) {
        if (high) {
          const pair = Array.isArray(v) && v.length === 2 ? v : [min, mid];
          low.value = String(clamp(toNumber(pair[0]) ?? min, min, max));
          high.value = String(clamp(toNumber(pair[1]) ?? mid, min, max));
          keepOrder(high);
        } else {
          low.value = String(clamp(toNumber(v) ?? mid, min, max));
        }
        showValue();
      },
      check() {
        const values = high ? [value(low), value(high)] : [value(low)];
        return values.some((n) => n < min || n > max) ? `Must be between ${min} and ${max}.` : undefined;
      },
      setInvalid(invalid) {
        element.classList.toggle('invalid', invalid);
      },
      focus() {
        low.focus();
      },
    };
  },
});
