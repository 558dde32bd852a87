// The real clock; tests pass their own ValidatorClock for deterministic timestamps and ids.
import { randomUUID } from 'node:crypto';
import type { ValidatorClock } from './types';

export const systemClock: ValidatorClock = {
  now: () => new Date(),
  newId: () => randomUUID(),
};

/** ISO-8601 UTC with milliseconds. */
export function isoTimestamp(clock: ValidatorClock): string {
  return clock.now().toISOString();
}
