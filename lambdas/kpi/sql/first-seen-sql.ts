import { type KpiPlan, kpiSql, SESSION_START } from './kpi-sql';
import { sql } from './sql-text';

const HISTORY = { history: true, daysBefore: 0, daysAfter: 0 } as const;

const FIRST_SEEN = sql`first_seen AS (
  SELECT client_id, min(day_number) AS first_day_number
  FROM scanned
  GROUP BY client_id
)`;

/** |{c : first(c) = d}|, first(c) being the day of c's earliest `_session.start` in all data. */
export function newUsersPlan(): KpiPlan {
  return {
    reads: HISTORY,
    sql: kpiSql({
      scan: { reads: HISTORY, eventType: sql`= ${SESSION_START}` },
      steps: [
        FIRST_SEEN,
        sql`daily AS (
  SELECT first_day_number AS day_number, count(*) AS value
  FROM first_seen
  GROUP BY first_day_number
)`,
      ],
      value: sql`coalesce(daily.value, 0)`,
    }),
  };
}

/** Distinct client_id over all events (of any type) on or before d. */
export function lifetimeUsersPlan(): KpiPlan {
  return {
    reads: HISTORY,
    sql: kpiSql({
      scan: { reads: HISTORY },
      steps: [
        FIRST_SEEN,
        sql`newcomers AS (
  SELECT first_day_number, count(*) AS clients
  FROM first_seen
  GROUP BY first_day_number
)`,
        sql`daily AS (
  SELECT days.day_number, sum(newcomers.clients) AS value
  FROM days
  JOIN newcomers ON newcomers.first_day_number <= days.day_number
  GROUP BY days.day_number
)`,
      ],
      value: sql`coalesce(daily.value, 0)`,
    }),
  };
}
