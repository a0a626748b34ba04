import type { KpiDefinition } from './kpi-definitions';

/**
 * The seam between the HTTP API and whatever computes a KPI. Today the only source runs the
 * definition's SQL on a query engine ({@link SqlKpiSource}); a rollup layer would be another
 * source answering the same queries, without changing the API.
 */
/** What a request asks of an app, whatever it asks for: the app, the days and the names in its path. */
export interface KpiRange {
  readonly appId: string;
  /** First and last requested day (inclusive), `YYYY-MM-DD` in {@link timezone}. */
  readonly startDate: string;
  readonly endDate: string;
  /** IANA time zone name that sets the day boundaries. */
  readonly timezone: string;
  /** Yesterday in {@link timezone}: values whose window ends later are null (retention). */
  readonly lastCompleteDate: string;
  /** The definition's other path parameters, e.g. `{ eventName: 'level_up', metric: 'score' }`. */
  readonly names: Readonly<Record<string, string>>;
}

export interface KpiQuery extends KpiRange {
  readonly definition: KpiDefinition;
}

export interface DayValue {
  readonly date: string;
  readonly value: number | null;
}

export interface KpiSeries {
  /** One entry per requested day, in order. */
  readonly values: readonly DayValue[];
  /** Bytes the engine read, where it reports them. */
  readonly bytesScanned?: number;
  /** True when the engine answered from a cached result. */
  readonly cached?: boolean;
}

export interface KpiSource {
  series(query: KpiQuery): Promise<KpiSeries>;
}
