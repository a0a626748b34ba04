import type { ReferenceValue } from './reference-kpis';

/**
 * Compares a KPI series with the reference's: the same days in order, and the same value each
 * day. Counts (paths ending in `count`) must be equal exactly. Sums and averages of doubles may
 * differ in the last digits: an engine adds in whatever order its threads finish, so even a sum
 * of values like 12.34 can come out as 4755.000000000001 on one run and 4755 on the next.
 */
export function expectSameSeries(
  path: string,
  actual: readonly ReferenceValue[],
  expected: readonly ReferenceValue[],
): void {
  const isCount = /count$/.test(path);
  expect(actual.map((v) => v.date)).toEqual(expected.map((v) => v.date));
  actual.forEach((v, i) => {
    const want = expected[i]?.value ?? null;
    if (isCount || v.value === null || want === null) {
      expect({ date: v.date, value: v.value }).toEqual({ date: v.date, value: want });
    } else {
      expect(Math.abs(v.value - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
    }
  });
}
