import type { KpiDefinition } from './kpi-definitions';

/**
 * The seam between the HTTP API and whatever computes a KPI: {@link PlannedKpiSource} plans
 * each query over rollups and raw events and runs it on a query engine.
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

/** Which requested dates came from rollups only, and which (partly) from raw events. */
export interface SeriesSource {
  readonly rollup: readonly string[];
  readonly raw: readonly string[];
}

export interface KpiSeries {
  /** One entry per requested day, in order. */
  readonly values: readonly DayValue[];
  readonly source: SeriesSource;
  /** Bytes the query read: the engine's figure (Athena), else the column chunks of the files read. */
  readonly bytesScanned?: number;
  /** Time the engine took (ms); 0 for an answer from the cache. */
  readonly engineMs: number;
  /** The latest arrival_timestamp (ms) among the events the answer includes; absent when none. */
  readonly freshness?: number;
  /** Set when the answer depends only on current rollups: it stays the same until they change. */
  readonly etag?: string;
  /** True when the answer was a cached one (ours, or Athena's result reuse). */
  readonly cached?: boolean;
}

export interface SeriesOptions {
  /** The client's `If-None-Match` header: when it names the answer's ETag, {@link KpiSource.series} says so and does not run the query. */
  readonly ifNoneMatch?: string;
}

export type SeriesAnswer = KpiSeries | { readonly notModified: true; readonly etag: string };

export interface KpiSource {
  series(query: KpiQuery, options?: SeriesOptions): Promise<SeriesAnswer>;
}
