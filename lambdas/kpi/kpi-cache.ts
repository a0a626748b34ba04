import type { KpiSeries } from './kpi-source';

/** Answers by ETag: an answer with one depends only on rollups that had that version. */
export interface KpiCache {
  get(etag: string): KpiSeries | undefined;
  set(etag: string, series: KpiSeries): void;
}

/** A {@link KpiCache} in memory, keeping the most recently used answers. */
export class MemoryKpiCache implements KpiCache {
  private readonly entries = new Map<string, KpiSeries>();

  constructor(private readonly maxEntries = 1000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get(etag: string): KpiSeries | undefined {
    const series = this.entries.get(etag);
    if (series) {
      this.entries.delete(etag);
      this.entries.set(etag, series);
    }
    return series;
  }

  set(etag: string, series: KpiSeries): void {
    this.entries.delete(etag);
    this.entries.set(etag, series);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
