import { type KpiPlan, kpiSql } from './kpi-sql';
import { EMPTY_SQL, type SqlText, sql } from './sql-text';

/**
 * KPIs over distinct events of one type. An event is one (client_id, event_id, event_type,
 * event_timestamp) (docs/CONTRACT.md §4): records repeating it (at-least-once delivery) count
 * once, and a client that reuses an id for another occurrence is counted twice. The type is fixed
 * by the scan, so the distinct key here is (client_id, event_id, event_timestamp).
 */

const READS = { history: false, daysBefore: 0, daysAfter: 0 } as const;

/** Number of distinct events of the type on d. */
export function eventCountPlan(eventType: SqlText): KpiPlan {
  return {
    reads: READS,
    sql: kpiSql({
      scan: { reads: READS, columns: [sql`event_id`, sql`event_timestamp`], eventType: sql`= ${eventType}` },
      steps: [
        sql`distinct_events AS (
  SELECT DISTINCT client_id, event_id, event_timestamp, day_number
  FROM scanned
)`,
        sql`daily AS (
  SELECT day_number, count(*) AS value
  FROM distinct_events
  GROUP BY day_number
)`,
      ],
      value: sql`coalesce(daily.value, 0)`,
    }),
  };
}

export type Aggregate = 'sum' | 'min' | 'max' | 'avg';

const AGGREGATE_SQL: Record<Aggregate, SqlText> = {
  sum: sql`sum`,
  min: sql`min`,
  max: sql`max`,
  avg: sql`avg`,
};

/**
 * The text of an attribute value that counts as a number: a plain decimal such as 12, -3.5 or
 * 1.2e3 (at most 30 digits on each side of the point, a two-digit exponent, so every such
 * value is a finite double in both engines). Anything else is ignored. Written with {0,1}
 * rather than `?`, so that every `?` in KPI SQL is a parameter placeholder.
 */
const NUMERIC_ATTRIBUTE_PATTERN = '^-{0,1}[0-9]{1,30}([.][0-9]{1,30}){0,1}([eE][-+]{0,1}[0-9]{1,2}){0,1}$';

/** The pattern as a SQL string literal (a constant of this module, it has no quote to escape). */
const NUMERIC_PATTERN_LITERAL: SqlText = { text: `'${NUMERIC_ATTRIBUTE_PATTERN}'`, params: [] };

export interface ValueSource {
  /** `metrics` (map<string,double>) or `attributes` (map<string,string>, numeric values only). */
  readonly map: 'metrics' | 'attributes';
  /** The key: a constant (sql`'_item_price'`) or a parameter. */
  readonly key: SqlText;
}

export interface AggregateOptions {
  readonly eventType: SqlText;
  readonly source: ValueSource;
  readonly aggregate: Aggregate;
  /** What a day without values reports: 0 (daily revenue) or null (custom metrics). */
  readonly emptyDay: 'zero' | 'null';
}

/**
 * sum/min/max/avg of the values of distinct events on d; events without the key (or with a
 * non-numeric attribute) do not take part. When duplicates of one event disagree, which
 * retries never do, the largest value stands for the event so the result is deterministic.
 */
export function aggregatePlan({ eventType, source, aggregate, emptyDay }: AggregateOptions): KpiPlan {
  const isAttribute = source.map === 'attributes';
  const amount = isAttribute
    ? sql`element_at(attributes, ${source.key}) AS attribute_value`
    : sql`element_at(metrics, ${source.key}) AS amount`;
  const numeric = sql`amounts AS (
  SELECT
    client_id,
    event_id,
    event_timestamp,
    day_number,
    CASE WHEN regexp_like(attribute_value, ${NUMERIC_PATTERN_LITERAL}) THEN CAST(attribute_value AS double) END AS amount
  FROM scanned
),
`;
  return {
    reads: READS,
    sql: kpiSql({
      scan: {
        reads: READS,
        columns: [sql`event_id`, sql`event_timestamp`, amount],
        eventType: sql`= ${eventType}`,
      },
      steps: [
        sql`${isAttribute ? numeric : EMPTY_SQL}distinct_events AS (
  SELECT client_id, event_id, event_timestamp, day_number, max(amount) AS amount
  FROM ${isAttribute ? sql`amounts` : sql`scanned`}
  GROUP BY client_id, event_id, event_timestamp, day_number
)`,
        sql`daily AS (
  SELECT day_number, ${AGGREGATE_SQL[aggregate]}(amount) AS value
  FROM distinct_events
  GROUP BY day_number
)`,
      ],
      value: emptyDay === 'zero' ? sql`coalesce(daily.value, 0)` : sql`daily.value`,
    }),
  };
}
