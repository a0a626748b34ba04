import {
  MEASURES,
  ROLLUP_ACTIVITY,
  ROLLUP_CLIENT_DAYS,
  ROLLUP_CLIENTS,
  ROLLUP_EVENT_STATS,
} from '../../rollups/rollup-tables';
import { quarterStart } from './local-day-sql';
import { numericAttribute } from './numeric-attribute';
import {
  type ClientIdentity,
  dtIn,
  EVENTS,
  keyAsClient,
  localDay,
  NOT_ENDPOINT,
  PURCHASE,
  rawWithClient,
  SESSION_START,
  type SourcePlan,
  unionAll,
} from './source-plan';
import { EMPTY_SQL, joinSql, param, type SqlText, sql } from './sql-text';

/**
 * The relations KPI definitions are written against. Each is built from the rollups for the
 * days the plan reads from rollups and from raw events (the same aggregation, on the fly) for
 * the others, and has the same rows either way:
 *
 *   activity (client, day_number)      clients with a _session.start on a local day (A(d));
 *                                      a pair may repeat (rollup rows are per quarter-hour):
 *                                      count clients with count(DISTINCT client)
 *   first_seen (client, first_<kind>_day...)
 *                                      each client's first local day with an event, a session
 *                                      start, a purchase, over all history (first(c), P(d))
 *   event_stats (day_number, events, value_sum, value_min, value_max)
 *                                      per local day, the distinct events of one type, or the
 *                                      count, sum, min and max of one metric or numeric attribute
 *
 * Local days are docs/CONTRACT.md §4's. Rollup rows carry UTC quarter-hours, whose local day is
 * exact when the zone's offsets are whole quarter-hours (the planner reads raw events otherwise),
 * or are per UTC day (`rollup_client_days`), read only for a UTC day that is one local day.
 */

const table = (name: string): SqlText => ({ text: name, params: [] });
const ACTIVITY_TABLE = table(ROLLUP_ACTIVITY.name);
const CLIENT_DAYS_TABLE = table(ROLLUP_CLIENT_DAYS.name);
const CLIENTS_TABLE = table(ROLLUP_CLIENTS.name);
const EVENT_STATS_TABLE = table(ROLLUP_EVENT_STATS.name);
const literal = (text: string): SqlText => ({ text: `'${text}'`, params: [] });

export interface ActivityRead {
  /** Local days before startDate the KPI needs (29 for a rolling 30-day window). */
  readonly daysBefore: number;
  /** Local days after endDate the KPI needs (the end of a retention window). */
  readonly daysAfter: number;
}

export type FirstKind = 'event' | 'session' | 'purchase';

export interface EventStatsRead {
  readonly eventType: SqlText;
  /** The events themselves, or the values of one metric or attribute key. */
  readonly measure: 'events' | { readonly map: 'metrics' | 'attributes'; readonly key: SqlText };
}

const APP = sql`app_id = ${param('app_id')}`;

/**
 * activity (client, day_number), for local days from first_day - daysBefore to last_day + daysAfter.
 * Not made distinct here: KPIs count distinct clients per day, which is much cheaper for
 * DuckDB than distinct pairs (small hash tables per day instead of one for every pair).
 */
export function activityCte(plan: SourcePlan, identity: ClientIdentity, read: ActivityRead): SqlText {
  const quarterDays = plan.quarterDays ?? plan.rollup;
  const clientDays = plan.clientDays ?? [];
  const client = keyAsClient(identity, sql`client_key`);
  const fromQuarters =
    quarterDays.length > 0
      ? sql`SELECT ${client} AS client, ${localDay(plan, quarterStart(sql`quarter`))} AS day_number
    FROM ${ACTIVITY_TABLE}
    WHERE ${APP} AND ${dtIn(quarterDays)}`
      : EMPTY_SQL;
  // A UTC day that is one local day: the local day is the partition's date.
  const fromClientDays =
    clientDays.length > 0
      ? sql`SELECT ${client} AS client, date_diff('day', DATE '1970-01-01', CAST(dt AS date)) AS day_number
    FROM ${CLIENT_DAYS_TABLE}
    WHERE ${APP} AND ${dtIn(clientDays)}`
      : EMPTY_SQL;
  const fromRaw =
    plan.raw.length > 0
      ? rawWithClient(
          identity,
          sql`SELECT DISTINCT client.client_id AS client_id, ${localDay(plan, sql`event_timestamp`)} AS day_number
      FROM ${EVENTS}
      WHERE ${APP} AND ${dtIn(plan.raw)} AND event_type = ${SESSION_START}`,
          sql`raw_rows.day_number`,
        )
      : EMPTY_SQL;
  return sql`activity AS (
  SELECT active_rows.client, active_rows.day_number
  FROM (
    ${unionAll([fromClientDays, fromQuarters, fromRaw])}
  ) AS active_rows
  CROSS JOIN bounds
  WHERE active_rows.day_number BETWEEN bounds.first_day - ${read.daysBefore} AND bounds.last_day + ${read.daysAfter}
)`;
}

const FIRST_COLUMNS: Record<FirstKind, { readonly quarter: string; readonly day: string }> = {
  event: { quarter: 'first_event_quarter', day: 'first_event_day' },
  session: { quarter: 'first_session_quarter', day: 'first_session_day' },
  purchase: { quarter: 'first_purchase_quarter', day: 'first_purchase_day' },
};

/** first_seen (client, first_<kind>_day for each kind), over every day up to the span's last. */
export function firstSeenCte(
  plan: SourcePlan,
  identity: ClientIdentity,
  kinds: readonly FirstKind[],
): SqlText {
  const columns = (render: (kind: FirstKind) => SqlText) =>
    joinSql(
      kinds.map((kind) => sql`${render(kind)} AS ${table(FIRST_COLUMNS[kind].day)}`),
      ',\n      ',
    );
  const [only] = kinds;
  const onlyOne = kinds.length === 1 && only !== undefined;
  const fromRollups = plan.rollups
    ? sql`SELECT ${keyAsClient(identity, sql`client_key`)} AS client,
      ${columns((kind) => localDay(plan, quarterStart(table(FIRST_COLUMNS[kind].quarter))))}
    FROM ${CLIENTS_TABLE}
    WHERE ${APP}${onlyOne ? sql` AND ${table(FIRST_COLUMNS[only].quarter)} IS NOT NULL` : EMPTY_SQL}`
    : EMPTY_SQL;
  const rawFirst = (kind: FirstKind) => {
    if (kind === 'event') return sql`min(day_number)`;
    return sql`min(CASE WHEN event_type = ${kind === 'session' ? SESSION_START : PURCHASE} THEN day_number END)`;
  };
  const types = kinds.includes('event')
    ? NOT_ENDPOINT
    : sql`event_type IN (${joinSql(
        kinds.map((kind) => (kind === 'session' ? SESSION_START : PURCHASE)),
        ', ',
      )})`;
  const fromRaw =
    plan.rawHistory.length > 0
      ? rawWithClient(
          identity,
          sql`SELECT client_id,
        ${columns(rawFirst)}
      FROM (
        SELECT client.client_id AS client_id, event_type, ${localDay(plan, sql`event_timestamp`)} AS day_number
        FROM ${EVENTS}
        WHERE ${APP} AND ${dtIn(plan.rawHistory)} AND ${types}
      ) AS history
      GROUP BY client_id`,
          joinSql(
            kinds.map((kind) => table(`raw_rows.${FIRST_COLUMNS[kind].day}`)),
            ', ',
          ),
        )
      : EMPTY_SQL;
  if (fromRaw === EMPTY_SQL) return sql`first_seen AS (\n  ${fromRollups}\n)`;
  return sql`first_seen AS (
  SELECT firsts.client,
      ${columns((kind) => sql`min(${table(`firsts.${FIRST_COLUMNS[kind].day}`)})`)}
  FROM (
    ${unionAll([fromRollups, fromRaw])}
  ) AS firsts
  GROUP BY firsts.client
)`;
}

/** event_stats (day_number, events, value_sum, value_min, value_max), for the requested days. */
export function eventStatsCte(plan: SourcePlan, read: EventStatsRead): SqlText {
  const { eventType, measure } = read;
  const measureFilter =
    measure === 'events'
      ? sql`measure = ${literal(MEASURES.event)} AND name = ''`
      : sql`measure = ${literal(measure.map === 'metrics' ? MEASURES.metric : MEASURES.attribute)} AND name = ${measure.key}`;
  const fromRollups =
    plan.rollup.length > 0
      ? sql`SELECT ${localDay(plan, quarterStart(sql`quarter`))} AS day_number, events, value_sum, value_min, value_max
    FROM ${EVENT_STATS_TABLE}
    WHERE ${APP} AND ${dtIn(plan.rollup)} AND event_type = ${eventType} AND ${measureFilter}`
      : EMPTY_SQL;
  const rawEvents = (value: SqlText) => sql`SELECT client.client_id AS client_id, event_id, event_timestamp,
          ${localDay(plan, sql`event_timestamp`)} AS day_number${value}
        FROM ${EVENTS}
        WHERE ${APP} AND ${dtIn(plan.raw)} AND event_type = ${eventType} AND ${NOT_ENDPOINT}`;
  let fromRaw = EMPTY_SQL;
  if (plan.raw.length > 0 && measure === 'events') {
    fromRaw = sql`SELECT day_number, count(*) AS events,
      CAST(NULL AS double) AS value_sum, CAST(NULL AS double) AS value_min, CAST(NULL AS double) AS value_max
    FROM (
      SELECT DISTINCT client_id, event_id, event_timestamp, day_number
      FROM (
        ${rawEvents(EMPTY_SQL)}
      ) AS raw_events
    ) AS distinct_events
    GROUP BY day_number`;
  } else if (plan.raw.length > 0 && measure !== 'events') {
    const element = sql`element_at(${table(measure.map)}, ${measure.key})`;
    const value = measure.map === 'attributes' ? numericAttribute(element) : element;
    // When copies of an event disagree, which retries never do, the largest value stands for it.
    fromRaw = sql`SELECT day_number, count(*) AS events,
      sum(value) AS value_sum, min(value) AS value_min, max(value) AS value_max
    FROM (
      SELECT client_id, event_id, event_timestamp, day_number, max(value) AS value
      FROM (
        ${rawEvents(sql`,\n          ${value} AS value`)}
      ) AS raw_events
      GROUP BY client_id, event_id, event_timestamp, day_number
    ) AS distinct_events
    WHERE value IS NOT NULL
    GROUP BY day_number`;
  }
  return sql`event_stats AS (
  SELECT
    stats_rows.day_number,
    sum(stats_rows.events) AS events,
    sum(stats_rows.value_sum) AS value_sum,
    min(stats_rows.value_min) AS value_min,
    max(stats_rows.value_max) AS value_max
  FROM (
    ${unionAll([fromRollups, fromRaw])}
  ) AS stats_rows
  CROSS JOIN bounds
  WHERE stats_rows.day_number BETWEEN bounds.first_day AND bounds.last_day
  GROUP BY stats_rows.day_number
)`;
}
