import { boundsCte, type KpiPlan, scannedCte } from './kpi-sql';
import { sql } from './sql-text';

/**
 * The event types of an app in a range of local days, with the metric and attribute names
 * their events carry (`GET /apps/{appId}/events`, docs/CONTRACT.md §3): one row per event type
 * (`kind` 'event', `name` ''), and one per metric or attribute name of that type. Names come
 * back as rows, never inside arrays, so no name needs quoting on the way back from either
 * engine. `_endpoint.*` records are not events (the shared scan leaves them out).
 */
const READS = { history: false, daysBefore: 0, daysAfter: 0 } as const;

export const EVENT_CATALOGUE_PLAN: KpiPlan = {
  reads: READS,
  sql: sql`WITH
${boundsCte(false)},
${scannedCte({ reads: READS, clientId: false, columns: [sql`event_type`, sql`metrics`, sql`attributes`] })},
in_range AS (
  SELECT scanned.event_type, scanned.metrics, scanned.attributes
  FROM scanned
  CROSS JOIN bounds
  WHERE scanned.day_number BETWEEN bounds.first_day AND bounds.last_day
),
names AS (
  SELECT DISTINCT in_range.event_type, 'event' AS kind, '' AS name
  FROM in_range
  UNION ALL
  SELECT DISTINCT in_range.event_type, 'metric' AS kind, t.name
  FROM in_range
  CROSS JOIN UNNEST(map_keys(in_range.metrics)) AS t (name)
  UNION ALL
  SELECT DISTINCT in_range.event_type, 'attribute' AS kind, t.name
  FROM in_range
  CROSS JOIN UNNEST(map_keys(in_range.attributes)) AS t (name)
)
SELECT event_type, kind, name
FROM names
ORDER BY event_type, kind, name`,
};
