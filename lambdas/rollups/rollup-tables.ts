import type { Column } from '../core/event-record';

/**
 * The rollup tables (docs/ROLLUPS.md): small pre-aggregates of each app's events per UTC day,
 * from which every KPI is computed exactly in any time zone whose offsets are whole quarter-hours.
 * This file is the single source of their names and columns: the local lake writes them, the
 * KPI SQL reads them, and the deployed rollup job creates its tables from them.
 *
 * Time is kept as `quarter`, the UTC quarter-hour of an instant: floor(event_timestamp / 900000).
 * Clients are `client_key`, a small integer per app and client_id, assigned once and never changed
 * ({@link ROLLUP_CLIENTS}): an integer column costs a fraction of the client_id text.
 */

export interface RollupTable {
  /** The Athena/Glue table name, and the DuckDB view over the local lake's files. */
  readonly name: string;
  /** Folder below `rollups/` in the local lake. */
  readonly folder: string;
  readonly description: string;
  /** In path order; `app_id` and, for day tables, `dt` (the UTC day, YYYY-MM-DD). */
  readonly partitionColumns: readonly Column[];
  readonly columns: readonly Column[];
  /** How rows are ordered in a file: clustered keys compress well. */
  readonly sortedBy: readonly string[];
}

const str = (name: string, comment: string): Column => ({ name, type: 'string', comment });
const big = (name: string, comment: string): Column => ({ name, type: 'bigint', comment });
const dbl = (name: string, comment: string): Column => ({ name, type: 'double', comment });

const APP_ID = str('app_id', 'the app id');
const DT = str('dt', 'UTC day YYYY-MM-DD: the day of the events summarised');
const CLIENT_KEY = big('client_key', 'the client, as its key in rollup_clients');
const DAY_PARTITIONS = [APP_ID, DT];

/** What a {@link ROLLUP_EVENT_STATS} row summarises. */
export const MEASURES = {
  /** The distinct events themselves (`name` is empty). */
  event: 'event',
  /** One metric of the events, `name` being its key. */
  metric: 'metric',
  /** The numeric values of one attribute, `name` being its key. */
  attribute: 'attribute',
} as const;

export type Measure = (typeof MEASURES)[keyof typeof MEASURES];

export const ROLLUP_ACTIVITY: RollupTable = {
  name: 'rollup_activity',
  folder: 'activity',
  description:
    'One row per client and UTC quarter-hour in which the client sent a _session.start event (A(d) of docs/CONTRACT.md §4, at quarter-hour grain).',
  partitionColumns: DAY_PARTITIONS,
  columns: [
    CLIENT_KEY,
    big('quarter', 'UTC quarter-hour of the _session.start: floor(event_timestamp / 900000)'),
  ],
  sortedBy: ['client_key', 'quarter'],
};

/**
 * The clients of {@link ROLLUP_ACTIVITY} per UTC day, once each: a UTC day that is one local day
 * (a zone's offset is 0 all day, as in UTC) needs no quarter-hours, and this column alone costs
 * about 44% of the activity's bytes (docs/ROLLUPS.md, ADR 025).
 */
export const ROLLUP_CLIENT_DAYS: RollupTable = {
  name: 'rollup_client_days',
  folder: 'client_days',
  description:
    'One row per client and UTC day in which the client sent a _session.start event: the distinct clients of rollup_activity of the day.',
  partitionColumns: DAY_PARTITIONS,
  columns: [CLIENT_KEY],
  sortedBy: ['client_key'],
};

export const ROLLUP_EVENT_STATS: RollupTable = {
  name: 'rollup_event_stats',
  folder: 'event_stats',
  description:
    'Per event type and UTC quarter-hour: the number of distinct events, and per metric and per numeric attribute the count, sum, min and max of their values (one value per distinct event: the largest its copies carry).',
  partitionColumns: DAY_PARTITIONS,
  columns: [
    str('event_type', 'the event type (_endpoint.* records are not events and have no rows)'),
    big('quarter', 'UTC quarter-hour of the events: floor(event_timestamp / 900000)'),
    str('measure', "'event' (the events), 'metric' or 'attribute' (the values of one key)"),
    str('name', "the metric or attribute key; '' for 'event' rows"),
    big('events', "distinct events: all of them ('event'), or those with a (numeric) value for the key"),
    dbl('value_sum', "sum of the values; null on 'event' rows"),
    dbl('value_min', "smallest value; null on 'event' rows"),
    dbl('value_max', "largest value; null on 'event' rows"),
  ],
  sortedBy: ['event_type', 'measure', 'name', 'quarter'],
};

export const ROLLUP_CLIENTS: RollupTable = {
  name: 'rollup_clients',
  folder: 'clients',
  description:
    "One row per client of the app: its key, and the UTC quarter-hour of its first event, first _session.start and first _monetization.purchase over every day rolled up (first(c) and P(d) of docs/CONTRACT.md §4). Keys are assigned once, in client_id order among the clients a build adds, after the app's largest key, and never change.",
  partitionColumns: [APP_ID],
  columns: [
    big('client_key', 'the key rollup_activity uses: 1, 2, 3, ... per app'),
    str('client_id', 'the client_id of the events'),
    big('first_event_quarter', 'UTC quarter-hour of the earliest event of any type (not _endpoint.*)'),
    big('first_session_quarter', 'UTC quarter-hour of the earliest _session.start; null if none'),
    big('first_purchase_quarter', 'UTC quarter-hour of the earliest _monetization.purchase; null if none'),
  ],
  sortedBy: ['client_key'],
};

export const ROLLUP_TABLES: readonly RollupTable[] = [
  ROLLUP_ACTIVITY,
  ROLLUP_CLIENT_DAYS,
  ROLLUP_EVENT_STATS,
  ROLLUP_CLIENTS,
];

/** Whether a table has a partition per UTC day (all but `rollup_clients`). */
export const isPerDay = (table: RollupTable): boolean => table.partitionColumns.some((c) => c.name === 'dt');

/** The tables with a partition per UTC day: a day's rollup is complete only with its rows in each. */
export const DAY_TABLES: readonly RollupTable[] = ROLLUP_TABLES.filter(isPerDay);
