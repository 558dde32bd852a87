// Durations as the original's `pixie sweep --older-than` takes them: a whole number with a unit s, m, h, d or w,
// or a plain number of seconds. Errors say what was wrong and what is accepted, so the CLI can show them as is.

export class DurationError extends Error {
  override name = 'DurationError';
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };
const UNIT_NAMES: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };
const ACCEPTED = 'a whole number followed by s, m, h, d or w (e.g. 45s, 90m, 12h, 30d, 2w), or plain seconds';
/** 1000 years: more is a typo, and it keeps the cutoff a valid date. */
const MAX_SECONDS = 1_000 * 365 * 86_400;

/** Seconds in `text` (`30d` → 2592000). Throws DurationError for anything else, including negatives and fractions. */
export function parseDurationSeconds(text: string): number {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') throw new DurationError(`a duration is required: ${ACCEPTED}.`);
  const match = /^(\d+)([a-zA-Z]*)$/.exec(trimmed);
  if (!match) {
    const hint = trimmed.startsWith('-') ? ' Durations cannot be negative.' : /[.,]/.test(trimmed) ? ' Use whole numbers (90m, not 1.5h).' : '';
    throw new DurationError(`"${text}" is not a duration: expected ${ACCEPTED}.${hint}`);
  }
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit !== '' && UNIT_SECONDS[unit] === undefined) {
    // `M` could mean months or minutes: refuse rather than guess.
    throw new DurationError(`"${text}": unknown unit "${unit}"; expected ${ACCEPTED}.`);
  }
  const seconds = amount * (unit === '' ? 1 : UNIT_SECONDS[unit]);
  if (!Number.isSafeInteger(seconds) || seconds > MAX_SECONDS) {
    throw new DurationError(`"${text}" is too long a duration (at most 1000 years).`);
  }
  return seconds;
}

/** The largest exact unit: 2592000 → "30d", 5400 → "90m", 0 → "0s". */
export function formatDurationSeconds(seconds: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit];
    if (seconds > 0 && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** "30 days", "1 hour", "90 minutes". */
export function describeDurationSeconds(seconds: number): string {
  const short = formatDurationSeconds(seconds);
  const amount = Number(short.slice(0, -1));
  const name = UNIT_NAMES[short.slice(-1)];
  return `${amount} ${name}${amount === 1 ? '' : 's'}`;
}

/** ISO time `seconds` before `now`. */
export function cutoffBefore(now: Date, seconds: number): string {
  return new Date(now.getTime() - seconds * 1000).toISOString();
}
