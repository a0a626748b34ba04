import type { ReferenceValue } from './reference-kpis';

/**
 * Compares a KPI series with the reference's: the same days in order; counts exactly, sums and
 * averages of doubles up to rounding in the last digits.
 */
export function expectSameSeries(
  actual: readonly ReferenceValue[],
  expected: readonly ReferenceValue[],
): void {
  expect(actual.map((v) => v.date)).toEqual(expected.map((v) => v.date));
  actual.forEach((v, i) => {
    const want = expected[i]?.value ?? null;
    if (v.value === null || want === null || Number.isInteger(want)) {
      expect({ date: v.date, value: v.value }).toEqual({ date: v.date, value: want });
    } else {
      expect(Math.abs(v.value - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
    }
  });
}
