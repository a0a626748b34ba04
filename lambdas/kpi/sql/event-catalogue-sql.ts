import type { LocalDays } from './local-day-sql';
import { type DayRange, dtIn, EVENTS, localDay, NOT_ENDPOINT } from './source-plan';
import { param, type SqlText, sql } from './sql-text';

/**
 * The event types of an app in a range of local days, with the metric and attribute names
 * their events carry (`GET /apps/{appId}/events`, docs/CONTRACT.md §3): one row per event type
 * (`kind` 'event', `name` ''), and one per metric or attribute name of that type. Names come
 * back as rows, never inside arrays, so no name needs quoting on the way back from either
 * engine. `_endpoint.*` records are not events. The names are taken from the distinct key lists
 * of each type, which are few: unnesting every event's map is many times slower in DuckDB.
 */
export function eventCatalogueSql(localDays: LocalDays, days: DayRange): SqlText {
  const plan = { localDays, raw: [days], rollup: [], rawHistory: [], rollups: false };
  const namesOf = (kind: string, map: string) => {
    const kindText: SqlText = { text: `'${kind}'`, params: [] };
    const mapColumn: SqlText = { text: map, params: [] };
    return sql`SELECT DISTINCT key_lists.event_type, ${kindText} AS kind, t.name
  FROM (SELECT DISTINCT event_type, map_keys(${mapColumn}) AS names FROM in_range) AS key_lists
  CROSS JOIN UNNEST(key_lists.names) AS t (name)`;
  };
  return sql`WITH
bounds AS (
  SELECT
    date_diff('day', DATE '1970-01-01', CAST(${param('start_date')} AS date)) AS first_day,
    date_diff('day', DATE '1970-01-01', CAST(${param('end_date')} AS date)) AS last_day
),
in_range AS (
  SELECT scanned.event_type, scanned.metrics, scanned.attributes
  FROM (
    SELECT event_type, metrics, attributes, ${localDay(plan, sql`event_timestamp`)} AS day_number
    FROM ${EVENTS}
    WHERE app_id = ${param('app_id')} AND ${dtIn(plan.raw)} AND ${NOT_ENDPOINT}
  ) AS scanned
  CROSS JOIN bounds
  WHERE scanned.day_number BETWEEN bounds.first_day AND bounds.last_day
),
names AS (
  SELECT DISTINCT in_range.event_type, 'event' AS kind, '' AS name
  FROM in_range
  UNION ALL
  ${namesOf('metric', 'metrics')}
  UNION ALL
  ${namesOf('attribute', 'attributes')}
)
SELECT event_type, kind, name
FROM names
ORDER BY event_type, kind, name`;
}
