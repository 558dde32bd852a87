// number: formatted by `format` (currency, percent, scientific, decimal) and `precision`, from the spec or from a
// `{value, format?, precision?}` value, with the unit. Currency uses the unit as the symbol (an ISO code such as
// USD formats as that currency); percent takes a fraction (0.25 → 25%).
import type { JsonValue, NumberFormat } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { textOf, unwrap } from '../values';

const FORMATS: readonly string[] = ['currency', 'percent', 'scientific', 'decimal'];

function asNumber(value: JsonValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function fractionDigits(precision: number | null, fallback: number): { minimumFractionDigits: number; maximumFractionDigits: number } {
  const p = precision === null ? undefined : Math.min(20, Math.max(0, Math.round(precision)));
  return p === undefined ? { minimumFractionDigits: 0, maximumFractionDigits: fallback } : { minimumFractionDigits: p, maximumFractionDigits: p };
}

export function formatNumber(n: number, format: NumberFormat, precision: number | null, unit: string | null, locale: string): string {
  switch (format) {
    case 'currency': {
      const digits = fractionDigits(precision ?? 2, 2);
      if (unit && /^[A-Z]{3}$/.test(unit)) {
        try {
          return new Intl.NumberFormat(locale, { style: 'currency', currency: unit, ...digits }).format(n);
        } catch {
          // Not a currency Intl knows: fall through to symbol + number.
        }
      }
      const body = new Intl.NumberFormat(locale, digits).format(Math.abs(n));
      return `${n < 0 ? '-' : ''}${unit ?? ''}${body}`;
    }
    case 'percent':
      return `${new Intl.NumberFormat(locale, fractionDigits(precision, 2)).format(n * 100)}%${unit ? ` ${unit}` : ''}`;
    case 'scientific': {
      const text = precision === null ? n.toExponential() : n.toExponential(Math.min(100, Math.max(0, Math.round(precision))));
      return unit ? `${text} ${unit}` : text;
    }
    default: {
      const text = new Intl.NumberFormat(locale, fractionDigits(precision, 10)).format(n);
      return unit ? `${text} ${unit}` : text;
    }
  }
}

registerOutput({
  type: 'number',
  render(raw, spec, ctx) {
    const { value, extra } = unwrap(raw);
    const n = asNumber(value);
    if (n === undefined) return { element: el('div', { className: 'number-output', text: value === null ? '—' : textOf(value) }) };
    const format = typeof extra.format === 'string' && FORMATS.includes(extra.format) ? (extra.format as NumberFormat) : spec.format;
    const precision = typeof extra.precision === 'number' ? extra.precision : spec.precision;
    const unit = typeof extra.unit === 'string' ? extra.unit : spec.unit;
    const text = formatNumber(n, format, precision, unit, ctx.locale);
    return { element: el('div', { className: 'number-output', text, attrs: { title: String(n) } }) };
  },
});
