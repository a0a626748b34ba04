import { EVENTS_TABLE } from '../../core/lake-layout';
import { EMPTY_SQL, joinSql, type ParamName, param, type SqlText, sql } from './sql-text';

/**
 * The skeleton every KPI query shares. One text runs on Athena (Trino) and on DuckDB (which
 * gets the Trino-named functions as macros, see `local/duckdb/duckdb-macros.ts`). Days are handled as
 * day numbers (days since 1970-01-01) so that day arithmetic is plain integer arithmetic in
 * both engines; only the final column turns them back into dates.
 *
 *   bounds    first_day, last_day (and last_complete_day) of the request, as day numbers
 *   days      one row per requested day
 *   scanned   the events the KPI needs: app_id equality and a dt range (partition pruning),
 *             only the needed columns, and each event's day in the requested time zone
 *   ...       KPI-specific steps, the last of which is `daily (day_number, value)`
 *   SELECT    one row per requested day, in order, with the KPI's value for days without data
 */

/** The table the KPI SQL reads, unqualified (Athena: in the query's database; DuckDB: a view). */
const EVENTS_TABLE_SQL: SqlText = { text: EVENTS_TABLE, params: [] };

/** Which events a KPI reads around the requested days. */
export interface EventReads {
  /** Reads every dt from the lake's first day up to the last needed one: first-seen and P(d) need all history. */
  readonly history: boolean;
  /** Local days before startDate the KPI looks at (29 for a rolling 30-day window). */
  readonly daysBefore: number;
  /** Local days after endDate the KPI looks at (the end of a retention window). */
  readonly daysAfter: number;
}

export interface KpiPlan {
  readonly reads: EventReads;
  readonly sql: SqlText;
}

export interface ScanOptions {
  readonly reads: EventReads;
  /** Columns besides client_id and day_number. */
  readonly columns?: readonly SqlText[];
  /** Condition on event_type, e.g. sql`= '_session.start'`; omitted: events of every type. */
  readonly eventType?: SqlText;
  /** Reads `client_id` (every KPI does). @default true */
  readonly clientId?: boolean;
}

export interface KpiSqlOptions {
  readonly scan: ScanOptions;
  /** Steps after `scanned`; the last one is `daily (day_number, value)`. */
  readonly steps: readonly SqlText[];
  /** The value of a requested day, from `daily.value`, `days` and `bounds`. */
  readonly value: SqlText;
  /** Adds `bounds.last_complete_day` (yesterday in the requested time zone). @default false */
  readonly needsLastCompleteDay?: boolean;
}

export const SESSION_START = sql`'_session.start'`;
export const PURCHASE = sql`'_monetization.purchase'`;

/** The day number of a 'YYYY-MM-DD' parameter. */
function dayNumber(date: ParamName): SqlText {
  return sql`date_diff('day', DATE '1970-01-01', CAST(${param(date)} AS date))`;
}

export function boundsCte(needsLastCompleteDay: boolean): SqlText {
  const lastComplete = needsLastCompleteDay
    ? sql`,
    ${dayNumber('last_complete_date')} AS last_complete_day`
    : EMPTY_SQL;
  return sql`bounds AS (
  SELECT
    ${dayNumber('start_date')} AS first_day,
    ${dayNumber('end_date')} AS last_day${lastComplete}
)`;
}

const DAYS_CTE = sql`days AS (
  SELECT t.day_number
  FROM bounds
  CROSS JOIN UNNEST(sequence(bounds.first_day, bounds.last_day)) AS t (day_number)
)`;

export function scannedCte({ reads, columns = [], eventType, clientId = true }: ScanOptions): SqlText {
  const localDay = sql`date_diff('day', DATE '1970-01-01', CAST(from_unixtime(event_timestamp / 1e3, ${param('timezone')}) AS date)) AS day_number`;
  const firstDt = param(reads.history ? 'lake_start_date' : 'first_dt');
  const dtRange = sql`dt BETWEEN ${firstDt} AND ${param('last_dt')}`;
  const typeFilter = eventType
    ? sql`
    AND event_type ${eventType}`
    : EMPTY_SQL;
  // Endpoint profiles (docs/CONTRACT.md §1, §2d) are stored as `_endpoint.*` records; no KPI counts them.
  const notEndpoint = sql`
    AND NOT starts_with(event_type, '_endpoint.')`;
  return sql`scanned AS (
  SELECT
    ${joinSql([...(clientId ? [sql`client.client_id AS client_id`] : []), ...columns, localDay], ',\n    ')}
  FROM ${EVENTS_TABLE_SQL}
  WHERE app_id = ${param('app_id')}
    AND ${dtRange}${typeFilter}${notEndpoint}
)`;
}

export function kpiSql({ scan, steps, value, needsLastCompleteDay = false }: KpiSqlOptions): SqlText {
  const ctes = [boundsCte(needsLastCompleteDay), DAYS_CTE, scannedCte(scan), ...steps];
  return sql`WITH
${joinSql(ctes, ',\n')}
SELECT
  date_add('day', days.day_number, DATE '1970-01-01') AS day,
  ${value} AS value
FROM days
CROSS JOIN bounds
LEFT JOIN daily ON daily.day_number = days.day_number
ORDER BY days.day_number`;
}
