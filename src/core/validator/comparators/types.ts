// What a comparator gets (expected value, actual value, the merged tolerance settings) and returns.
import type { JsonValue, OutputType } from '../../tools/model';

/** Merged tolerance settings for one output: built-in < tolerance.yaml defaults < overrides < fixture. */
export type Tolerance = Readonly<Record<string, JsonValue>>;

export interface Mismatch {
  /** The comparison that failed, e.g. `numeric_isclose`, `table_rows_unordered`. */
  comparator: string;
  /** What differs, in words, with the numbers that decided it. */
  metric: string;
  /** Where inside the value, e.g. `rows[3].price`; '' for the value itself. */
  path: string;
  expected?: unknown;
  actual?: unknown;
}

export type CompareOutcome =
  | { ok: true; comparator: string; note?: string; degraded?: boolean }
  | ({ ok: false; degraded?: boolean } & Mismatch);

export type Comparator = (expected: unknown, actual: unknown, tolerance: Tolerance, type: OutputType) => CompareOutcome;

/** A tolerance setting with the wrong type or an unknown compare mode: the fixture fails with this message. */
export class ToleranceSettingError extends Error {
  override name = 'ToleranceSettingError';
}
