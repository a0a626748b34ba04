import type { KpiFormula } from './kpi-sql';
import type { EventStatsRead } from './relations';
import { type SqlText, sql } from './sql-text';

/**
 * KPIs over the distinct events of one type (docs/CONTRACT.md §4: one per (client_id, event_id,
 * event_type, event_timestamp)), read from `event_stats`: records repeating an event count
 * once, and a client that reuses an id for another occurrence is counted twice.
 */

/** Number of distinct events of the type on d. */
export function eventCountFormula(eventType: SqlText): KpiFormula {
  return {
    reads: { eventStats: { eventType, measure: 'events' } },
    steps: [
      sql`daily AS (
  SELECT day_number, events AS value
  FROM event_stats
)`,
    ],
    value: sql`coalesce(daily.value, 0)`,
  };
}

export type Aggregate = 'sum' | 'min' | 'max' | 'avg';

const AGGREGATE_SQL: Record<Aggregate, SqlText> = {
  sum: sql`value_sum`,
  min: sql`value_min`,
  max: sql`value_max`,
  avg: sql`value_sum / events`,
};

export interface AggregateOptions {
  readonly eventType: SqlText;
  /** `metrics` (map<string,double>) or `attributes` (map<string,string>, numeric values only). */
  readonly source: Exclude<EventStatsRead['measure'], 'events'>;
  readonly aggregate: Aggregate;
  /** What a day without values reports: 0 (daily revenue) or null (custom metrics). */
  readonly emptyDay: 'zero' | 'null';
}

/**
 * sum/min/max/avg of the values of distinct events on d; events without the key (or with a
 * non-numeric attribute) do not take part. When copies of one event disagree, which retries
 * never do, the largest value stands for the event so the result is deterministic.
 */
export function aggregateFormula({ eventType, source, aggregate, emptyDay }: AggregateOptions): KpiFormula {
  return {
    reads: { eventStats: { eventType, measure: source } },
    steps: [
      sql`daily AS (
  SELECT day_number, ${AGGREGATE_SQL[aggregate]} AS value
  FROM event_stats
  WHERE events > 0
)`,
    ],
    value: emptyDay === 'zero' ? sql`coalesce(daily.value, 0)` : sql`daily.value`,
  };
}
