import type { KpiFormula } from './kpi-sql';
import { sql } from './sql-text';

/** |{c : first(c) = d}|, first(c) being the day of c's earliest `_session.start` in all data. */
export function newUsersFormula(): KpiFormula {
  return {
    reads: { firstSeen: ['session'] },
    steps: [
      sql`daily AS (
  SELECT first_session_day AS day_number, count(*) AS value
  FROM first_seen
  GROUP BY first_session_day
)`,
    ],
    value: sql`coalesce(daily.value, 0)`,
  };
}

/** Distinct client_id over all events (of any type) on or before d. */
export function lifetimeUsersFormula(): KpiFormula {
  return {
    reads: { firstSeen: ['event'] },
    steps: [
      sql`newcomers AS (
  SELECT first_event_day, count(*) AS clients
  FROM first_seen
  GROUP BY first_event_day
)`,
      sql`daily AS (
  SELECT days.day_number, sum(newcomers.clients) AS value
  FROM days
  JOIN newcomers ON newcomers.first_event_day <= days.day_number
  GROUP BY days.day_number
)`,
    ],
    value: sql`coalesce(daily.value, 0)`,
  };
}
