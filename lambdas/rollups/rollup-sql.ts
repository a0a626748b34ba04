import { EVENTS_TABLE } from '../core/lake-layout';
import { quarterOf } from '../kpi/sql/local-day-sql';
import { numericAttribute } from '../kpi/sql/numeric-attribute';
import { bound, type SqlText, sql } from '../kpi/sql/sql-text';
import { MEASURES, ROLLUP_ACTIVITY, ROLLUP_CLIENTS } from './rollup-tables';

/**
 * The SQL that builds an app's rollups for a range of UTC days from its raw events
 * (docs/ROLLUPS.md): engine-neutral SELECT texts with Trino's function names, which DuckDB runs
 * with the macros of `local/duckdb/duckdb-macros.ts`. Each is the source of a write: the local
 * lake COPYs it to Parquet, the deployed job uses it in `INSERT INTO ... SELECT` or as the
 * `USING` relation of a `MERGE`. Each returns one row per key of its table, as MERGE requires.
 *
 * They read the tables `events`, `rollup_clients` and `rollup_activity`; build a range's client
 * rows ({@link clientRowsSql}) and write them before its activity ({@link activityRowsSql}),
 * which takes the keys from `rollup_clients`, and write the activity before its client days
 * ({@link clientDaysRowsSql}), which are the activity's clients. Distinct events are docs/CONTRACT.md §4's: one per
 * (client_id, event_id, event_type, event_timestamp); copies of an event share its timestamp,
 * hence its UTC day, so a day's rollup sees them all. `_endpoint.*` records are no events.
 */

/** The UTC days a build covers, inclusive (at most 100 in one Athena statement: one partition each). */
export interface BuildRange {
  readonly appId: string;
  readonly firstDt: string;
  readonly lastDt: string;
}

const EVENTS: SqlText = { text: EVENTS_TABLE, params: [] };
const CLIENTS: SqlText = { text: ROLLUP_CLIENTS.name, params: [] };
const ACTIVITY: SqlText = { text: ROLLUP_ACTIVITY.name, params: [] };
const SESSION_START = sql`'_session.start'`;
const PURCHASE = sql`'_monetization.purchase'`;
const EVENT_QUARTER = quarterOf(sql`event_timestamp`);

function inRange({ appId, firstDt, lastDt }: BuildRange): SqlText {
  return sql`app_id = ${bound(appId)}
    AND dt BETWEEN ${bound(firstDt)} AND ${bound(lastDt)}`;
}

/** The earlier of two quarter-hours, either of which may be null. */
const earlier = (a: SqlText, b: SqlText) => sql`least(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;

/**
 * `rollup_clients` rows (app_id, client_id, client_key, first_event_quarter,
 * first_session_quarter, first_purchase_quarter) for every client with events in the range: a
 * known client keeps its key and gets the earlier of its known and its new first quarter-hours;
 * a new client gets the next free key, in client_id order. Rows of other clients are unchanged.
 */
export function clientRowsSql(range: BuildRange): SqlText {
  const firsts = (type: SqlText) => sql`min(CASE WHEN event_type = ${type} THEN quarter END)`;
  return sql`WITH
range_clients AS (
  SELECT
    client_id,
    min(quarter) AS first_event_quarter,
    ${firsts(SESSION_START)} AS first_session_quarter,
    ${firsts(PURCHASE)} AS first_purchase_quarter
  FROM (
    SELECT client.client_id AS client_id, event_type, ${EVENT_QUARTER} AS quarter
    FROM ${EVENTS}
    WHERE ${inRange(range)}
      AND NOT starts_with(event_type, '_endpoint.')
  ) AS range_events
  GROUP BY client_id
),
known AS (
  SELECT client_id, client_key, first_event_quarter, first_session_quarter, first_purchase_quarter
  FROM ${CLIENTS}
  WHERE app_id = ${bound(range.appId)}
),
last_key AS (
  SELECT coalesce(max(client_key), 0) AS client_key
  FROM ${CLIENTS}
  WHERE app_id = ${bound(range.appId)}
)
SELECT
  ${bound(range.appId)} AS app_id,
  range_clients.client_id,
  coalesce(
    known.client_key,
    last_key.client_key + row_number() OVER (PARTITION BY known.client_key IS NULL ORDER BY range_clients.client_id)
  ) AS client_key,
  ${earlier(sql`known.first_event_quarter`, sql`range_clients.first_event_quarter`)} AS first_event_quarter,
  ${earlier(sql`known.first_session_quarter`, sql`range_clients.first_session_quarter`)} AS first_session_quarter,
  ${earlier(sql`known.first_purchase_quarter`, sql`range_clients.first_purchase_quarter`)} AS first_purchase_quarter
FROM range_clients
LEFT JOIN known ON known.client_id = range_clients.client_id
CROSS JOIN last_key`;
}

/** `rollup_activity` rows (app_id, dt, client_key, quarter): the quarter-hours with a session start of each client. */
export function activityRowsSql(range: BuildRange): SqlText {
  return sql`SELECT DISTINCT
  session_starts.app_id,
  session_starts.dt,
  keys.client_key,
  session_starts.quarter
FROM (
  SELECT app_id, dt, client.client_id AS client_id, ${EVENT_QUARTER} AS quarter
  FROM ${EVENTS}
  WHERE ${inRange(range)}
    AND event_type = ${SESSION_START}
) AS session_starts
JOIN ${CLIENTS} AS keys
  ON keys.app_id = session_starts.app_id
  AND keys.client_id = session_starts.client_id`;
}

/**
 * `rollup_client_days` rows (app_id, dt, client_key): the distinct clients of the range's
 * `rollup_activity` rows of each day, read from that table (a few bytes a row, where the raw
 * events would cost their client_id text again).
 */
export function clientDaysRowsSql(range: BuildRange): SqlText {
  return sql`SELECT DISTINCT app_id, dt, client_key
FROM ${ACTIVITY}
WHERE ${inRange(range)}`;
}

/**
 * `rollup_event_stats` rows (app_id, dt, event_type, quarter, measure, name, events, value_sum,
 * value_min, value_max). An event's value for a key is the largest its copies carry, so that
 * copies that disagree (which retries never do) still give one value.
 */
export function eventStatsRowsSql(range: BuildRange): SqlText {
  const literal = (text: string): SqlText => ({ text: `'${text}'`, params: [] });
  // Each map's keys per event type are found first, from the few distinct key lists, and the
  // events then joined to them: unnesting every event's map (a lateral join) is many times
  // slower in DuckDB.
  const keysOf = (map: string) => {
    const column: SqlText = { text: map, params: [] };
    return sql`SELECT DISTINCT key_lists.event_type, value_keys.name
  FROM (SELECT DISTINCT event_type, map_keys(${column}) AS names FROM range_events) AS key_lists
  CROSS JOIN UNNEST(key_lists.names) AS value_keys (name)`;
  };
  const valueStats = (measure: string, keys: string, value: SqlText) => {
    const keysTable: SqlText = { text: keys, params: [] };
    return sql`SELECT
  app_id, dt, event_type, quarter, ${literal(measure)} AS measure, name,
  count(*) AS events, sum(value) AS value_sum, min(value) AS value_min, max(value) AS value_max
FROM (
  SELECT
    range_events.app_id, range_events.dt, range_events.client_id, range_events.event_id,
    range_events.event_type, range_events.event_timestamp, range_events.quarter, value_keys.name,
    max(${value}) AS value
  FROM range_events
  JOIN ${keysTable} AS value_keys ON value_keys.event_type = range_events.event_type
  GROUP BY
    range_events.app_id, range_events.dt, range_events.client_id, range_events.event_id,
    range_events.event_type, range_events.event_timestamp, range_events.quarter, value_keys.name
) AS event_values
WHERE value IS NOT NULL
GROUP BY app_id, dt, event_type, quarter, name`;
  };
  return sql`WITH
range_events AS (
  SELECT
    app_id, dt, client.client_id AS client_id, event_id, event_type, event_timestamp,
    ${EVENT_QUARTER} AS quarter, metrics, attributes
  FROM ${EVENTS}
  WHERE ${inRange(range)}
    AND NOT starts_with(event_type, '_endpoint.')
),
metric_keys AS (
  ${keysOf('metrics')}
),
attribute_keys AS (
  ${keysOf('attributes')}
)
SELECT
  app_id, dt, event_type, quarter, ${literal(MEASURES.event)} AS measure, '' AS name, count(*) AS events,
  CAST(NULL AS double) AS value_sum, CAST(NULL AS double) AS value_min, CAST(NULL AS double) AS value_max
FROM (
  SELECT DISTINCT app_id, dt, client_id, event_id, event_type, event_timestamp, quarter
  FROM range_events
) AS distinct_events
GROUP BY app_id, dt, event_type, quarter
UNION ALL
${valueStats(MEASURES.metric, 'metric_keys', sql`element_at(range_events.metrics, value_keys.name)`)}
UNION ALL
${valueStats(
  MEASURES.attribute,
  'attribute_keys',
  numericAttribute(sql`element_at(range_events.attributes, value_keys.name)`),
)}`;
}

/**
 * One row per UTC day of the range with events: (app_id, dt, records, latest_arrival), the
 * number of records read (copies and `_endpoint.*` records included) and the latest
 * `arrival_timestamp` among them: what a day's rollup includes (its `freshness`).
 */
export function daySummarySql(range: BuildRange): SqlText {
  return sql`SELECT app_id, dt, count(*) AS records, max(arrival_timestamp) AS latest_arrival
FROM ${EVENTS}
WHERE ${inRange(range)}
GROUP BY app_id, dt`;
}
