import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cutoffBefore,
  describeDurationSeconds,
  DurationError,
  formatDurationSeconds,
  parseDurationSeconds,
} from '../../src/core/sweeper/durations';

describe('sweeper durations', () => {
  it('parses every unit and plain seconds', () => {
    assert.equal(parseDurationSeconds('45s'), 45);
    assert.equal(parseDurationSeconds('90m'), 5_400);
    assert.equal(parseDurationSeconds('12h'), 43_200);
    assert.equal(parseDurationSeconds('30d'), 2_592_000);
    assert.equal(parseDurationSeconds('7d'), 604_800);
    assert.equal(parseDurationSeconds('2w'), 1_209_600);
    assert.equal(parseDurationSeconds('3600'), 3_600);
    assert.equal(parseDurationSeconds(' 0s '), 0);
  });

  for (const bad of ['', '   ', 'd', '-5d', '1.5h', '30x', '30M', '30 d', '1e3', 'ten days', '99999999999w']) {
    it(`refuses ${JSON.stringify(bad)} with a message that says what is accepted`, () => {
      assert.throws(
        () => parseDurationSeconds(bad),
        (error: unknown) => error instanceof DurationError && /s, m, h, d or w|1000 years/.test(error.message),
      );
    });
  }

  it('explains negatives and fractions specifically', () => {
    assert.throws(() => parseDurationSeconds('-1d'), /cannot be negative/);
    assert.throws(() => parseDurationSeconds('1.5h'), /whole numbers/);
  });

  it('formats with the largest exact unit and describes in words', () => {
    assert.equal(formatDurationSeconds(2_592_000), '30d');
    assert.equal(formatDurationSeconds(1_209_600), '2w');
    assert.equal(formatDurationSeconds(5_400), '90m');
    assert.equal(formatDurationSeconds(61), '61s');
    assert.equal(formatDurationSeconds(0), '0s');
    assert.equal(describeDurationSeconds(86_400), '1 day');
    assert.equal(describeDurationSeconds(7_200), '2 hours');
    for (const text of ['45s', '90m', '12h', '30d', '2w']) assert.equal(formatDurationSeconds(parseDurationSeconds(text)), text);
  });

  it('computes a cutoff before now', () => {
    assert.equal(cutoffBefore(new Date('2025-02-01T00:00:00.000Z'), 86_400), '2025-01-31T00:00:00.000Z');
  });
});
