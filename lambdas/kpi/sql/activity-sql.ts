import { type KpiPlan, kpiSql, PURCHASE, SESSION_START } from './kpi-sql';
import { EMPTY_SQL, sql } from './sql-text';

/**
 * Active clients over a window of days ending on d: |A(d-w+1) ∪ ... ∪ A(d)|, DAU for w = 1 and
 * MAU for w = 30; with `payingOnly`, intersected with P(d) (PDAU, PMAU). Each active
 * (client, day) pair is joined to the w days whose window contains it (an equi-join on
 * day_number - offset), which keeps the work linear in the number of pairs. A client's first
 * purchase day comes from a window function over the same rows, so the events (all history,
 * for P(d)) are read once: Trino inlines a CTE at every use.
 */
export function activeClientsPlan(windowDays: number, payingOnly: boolean): KpiPlan {
  const reads = { history: payingOnly, daysBefore: windowDays - 1, daysAfter: 0 };
  const firstPurchase = sql`with_first_purchase AS (
  SELECT
    client_id,
    day_number,
    event_type,
    min(CASE WHEN event_type = ${PURCHASE} THEN day_number END) OVER (PARTITION BY client_id) AS first_purchase_day
  FROM scanned
),
`;
  return {
    reads,
    sql: kpiSql({
      scan: payingOnly
        ? { reads, columns: [sql`event_type`], eventType: sql`IN (${SESSION_START}, ${PURCHASE})` }
        : { reads, eventType: sql`= ${SESSION_START}` },
      steps: [
        sql`${payingOnly ? firstPurchase : EMPTY_SQL}active AS (
  SELECT DISTINCT events_read.client_id, events_read.day_number${payingOnly ? sql`, events_read.first_purchase_day` : EMPTY_SQL}
  FROM ${payingOnly ? sql`with_first_purchase` : sql`scanned`} AS events_read
  CROSS JOIN bounds
  WHERE events_read.day_number BETWEEN bounds.first_day - ${windowDays - 1} AND bounds.last_day${
    payingOnly
      ? sql`
    AND events_read.event_type = ${SESSION_START}`
      : EMPTY_SQL
  }
),
window_offsets AS (
  SELECT t.offset_days
  FROM UNNEST(sequence(0, ${windowDays - 1})) AS t (offset_days)
),
daily AS (
  SELECT days.day_number, count(DISTINCT active.client_id) AS value
  FROM days
  CROSS JOIN window_offsets
  JOIN active ON active.day_number = days.day_number - window_offsets.offset_days${
    payingOnly
      ? sql`
  WHERE active.first_purchase_day <= days.day_number`
      : EMPTY_SQL
  }
  GROUP BY days.day_number
)`,
      ],
      value: sql`coalesce(daily.value, 0)`,
    }),
  };
}
