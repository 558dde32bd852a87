// number: Python's math.isclose with rtol/atol (defaults 1e-6 / 1e-9). Booleans are refused, as the
// original does: true is not 1 for a numeric output.
import type { Comparator } from './types';
import { fmt, isClose, isNumber, kindOf, modeSetting, numberMetric, numberSetting, relativeDiff, unwrapValue } from './values';

export const compareNumber: Comparator = (expected, actual, tol, type) => {
  modeSetting(tol, 'numeric_isclose', ['numeric_isclose', 'exact'], type);
  const comparator = 'numeric_isclose';
  const e = unwrapValue(expected);
  const a = unwrapValue(actual);
  if (!isNumber(e)) return { ok: false, comparator, path: '', expected: e, actual: a, metric: `the fixture's expected value is ${kindOf(e)}, not a number` };
  if (!isNumber(a)) return { ok: false, comparator, path: '', expected: e, actual: a, metric: `expected a number, got ${kindOf(a)}` };
  const exact = tol.compare === 'exact';
  const rtol = exact ? 0 : numberSetting(tol, ['rtol', 'float_rtol'], 1e-6);
  const atol = exact ? 0 : numberSetting(tol, ['atol', 'float_atol'], 1e-9);
  if (isClose(e, a, rtol, atol)) {
    return { ok: true, comparator, note: e === a ? undefined : `within tolerance: relative difference ${fmt(relativeDiff(e, a))} ≤ rtol ${fmt(rtol)} or |diff| ≤ atol ${fmt(atol)}` };
  }
  return { ok: false, comparator, path: '', expected: e, actual: a, metric: numberMetric(e, a, rtol, atol) };
};
