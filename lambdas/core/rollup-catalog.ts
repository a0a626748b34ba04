/**
 * Port: which of an app's UTC days (`dt` partitions) can be read from their rollups
 * (docs/ROLLUPS.md), for the KPI planner. Implementations: the local lake's (rollups written by
 * compaction) and, deployed, the scheduled rollup job's (`lambdas/rollups/s3-rollup-catalog.ts`);
 * {@link NO_ROLLUPS} reads every day from raw events.
 *
 * The contract an implementation keeps: a day it does not list in `raw` either has no events,
 * or its rows in `rollup_activity` and `rollup_event_stats` were built from every event the
 * partition holds, and `rollup_clients` includes them. When that stops being true (late events
 * arrived for the day) the day must be listed in `raw` before the events can be counted by any
 * answer from raw events, so that no answer silently misses them.
 */

/** UTC days, inclusive, as `YYYY-MM-DD`; no `from`: every day up to `to`. */
export interface DtRange {
  readonly from?: string;
  readonly to: string;
}

export interface RollupCoverage {
  /** The days of the range to read from raw events, as ranges in order that do not overlap. */
  readonly raw: readonly DtRange[];
  /**
   * Stands for the rollups of the range's other days: whenever one of them (or the app's
   * `rollup_clients` as those days built it) changes, so does the version. Answers and caches
   * are keyed on it.
   */
  readonly version: string;
  /** The latest `arrival_timestamp` (ms) among the events of the range's current rollups; absent when they hold none. */
  readonly latestArrival?: number;
}

export interface RollupCatalog {
  coverage(appId: string, range: DtRange): Promise<RollupCoverage>;
}

/** No rollups: every day is read from raw events. */
export const NO_ROLLUPS: RollupCatalog = {
  coverage: async (_appId, range) => ({ raw: [range], version: 'raw' }),
};
