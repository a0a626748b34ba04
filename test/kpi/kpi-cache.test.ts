import { MemoryKpiCache } from '../../lambdas/kpi/kpi-cache';
import type { KpiSeries } from '../../lambdas/kpi/kpi-source';

const series = (value: number): KpiSeries => ({
  values: [{ date: '2026-03-01', value }],
  source: { rollup: ['2026-03-01'], raw: [] },
  engineMs: 1,
});

describe('MemoryKpiCache', () => {
  it('keeps the most recently used answers up to its size', () => {
    const cache = new MemoryKpiCache(2);
    cache.set('a', series(1));
    cache.set('b', series(2));
    expect(cache.get('a')?.values[0]?.value).toBe(1);
    cache.set('c', series(3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.values[0]?.value).toBe(1);
    expect(cache.get('c')?.values[0]?.value).toBe(3);
  });

  it('refuses a size that is not a positive integer, saying what was given', () => {
    expect(() => new MemoryKpiCache(0)).toThrow('maxEntries must be a positive integer, got 0');
  });
});
