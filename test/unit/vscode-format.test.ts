import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationBetween, formatBytes, formatDuration, formatLocalDateTime, formatRelative, formatRunTime } from '../../src/vscode/trees/format';

describe('vscode tree formatting', () => {
  it('formats sizes 1024-based with one decimal below 10', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(10 * 1024 * 1024), '10 MB');
    assert.equal(formatBytes(3.25 * 1024 ** 3), '3.3 GB');
    assert.equal(formatBytes(-1), '?');
    assert.equal(formatBytes(Number.NaN), '?');
  });

  it('formats durations from milliseconds to hours', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(3210), '3.2 s');
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(245_000), '4 m 05 s');
    assert.equal(formatDuration(2 * 3600_000 + 3 * 60_000), '2 h 03 m');
    assert.equal(formatDuration(-5), '?');
  });

  it('measures a run only when both ends are readable and in order', () => {
    assert.equal(durationBetween('2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.500Z'), 1500);
    assert.equal(durationBetween('2025-01-01T00:00:00.000Z', null), undefined);
    assert.equal(durationBetween('garbage', '2025-01-01T00:00:01.500Z'), undefined);
    assert.equal(durationBetween('2025-01-01T00:00:02.000Z', '2025-01-01T00:00:01.000Z'), undefined);
  });

  it('shortens run times by distance from now (local time)', () => {
    const now = new Date(2025, 4, 10, 18, 0, 0);
    assert.equal(formatRunTime(new Date(2025, 4, 10, 9, 5).toISOString(), now), '09:05');
    assert.equal(formatRunTime(new Date(2025, 0, 2, 14, 3).toISOString(), now), 'Jan 2 14:03');
    assert.equal(formatRunTime(new Date(2023, 11, 31, 23, 59).toISOString(), now), '2023-12-31 23:59');
    assert.equal(formatRunTime('not a date', now), 'not a date');
  });

  it('writes a full local date and time without Intl (the Runs tooltip)', () => {
    assert.equal(formatLocalDateTime(new Date(2025, 4, 10, 9, 5, 7).toISOString()), '2025-05-10 09:05:07');
    assert.equal(formatLocalDateTime(new Date(2023, 11, 31, 23, 59, 59).toISOString()), '2023-12-31 23:59:59');
    assert.equal(formatLocalDateTime('not a date'), 'not a date');
  });

  it('says how long ago, falling back to the date after a month', () => {
    const now = new Date('2025-05-10T12:00:00.000Z');
    assert.equal(formatRelative('2025-05-10T11:59:30.000Z', now), 'just now');
    assert.equal(formatRelative('2025-05-10T11:55:00.000Z', now), '5 min ago');
    assert.equal(formatRelative('2025-05-10T09:00:00.000Z', now), '3 h ago');
    assert.equal(formatRelative('2025-05-08T12:00:00.000Z', now), '2 d ago');
    assert.match(formatRelative('2025-01-01T12:00:00.000Z', now), /^Jan 1 \d\d:\d\d$/);
    assert.equal(formatRelative('2025-05-10T12:30:00.000Z', now), 'just now', 'a clock skew into the future is not negative');
  });
});
