// Deterministic timestamps for tests (the store needs caller-supplied times).
/** ISO-8601 UTC timestamp `seconds` after 2025-01-01T00:00:00Z: deterministic times for tests. */
export function isoAt(seconds: number): string {
  return new Date(Date.UTC(2025, 0, 1) + seconds * 1000).toISOString();
}
