// Times as tools send them in timeline and gantt values: ISO dates ("2024-03-01"), ISO date-times, epoch seconds or
// milliseconds (Python's time.time(), JavaScript's Date.now()); anything else stays the text it was.
import type { JsonValue } from '../../../src/protocol';
import { textOf } from '../values';

export interface Instant {
  ms: number;
  /** A calendar date without a time: shown and laid out in UTC so it never shifts a day with the time zone. */
  dateOnly: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}(-\d{2})?$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Numbers above this are read as epoch seconds (2001 onwards); above EPOCH_MS as milliseconds. */
const EPOCH_SECONDS = 1e9;
const EPOCH_MS = 1e12;

export function parseInstant(value: JsonValue | undefined): Instant | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < EPOCH_SECONDS) return undefined;
    return { ms: value >= EPOCH_MS ? value : value * 1000, dateOnly: false };
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const dateOnly = ISO_DATE.test(text);
  if (!dateOnly && !ISO_DATE_TIME.test(text)) return undefined;
  const ms = Date.parse(dateOnly && text.length === 7 ? `${text}-01` : text.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : { ms, dateOnly };
}

export function formatInstant(instant: Instant, locale: string, withTime = !instant.dateOnly): string {
  const date = new Date(instant.ms);
  const options: Intl.DateTimeFormatOptions = instant.dateOnly
    ? { dateStyle: 'medium', timeZone: 'UTC' }
    : withTime
      ? { dateStyle: 'medium', timeStyle: date.getSeconds() !== 0 ? 'medium' : 'short' }
      : { dateStyle: 'medium' };
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return date.toISOString();
  }
}

/** A time for display, and its machine-readable form when it is a date. */
export function timeText(value: JsonValue | undefined, locale: string): { text: string; iso?: string } {
  if (value === undefined || value === null) return { text: '' };
  const instant = parseInstant(value);
  if (instant) return { text: formatInstant(instant, locale), iso: new Date(instant.ms).toISOString() };
  return { text: textOf(value) };
}
