import { EVENT_COLUMNS } from '../core/event-record';
import { EVENTS_TABLE } from '../core/lake-layout';
import { bound, joinSql, type SqlText, sql } from '../kpi/sql/sql-text';
import {
  activityRowsSql,
  type BuildRange,
  clientDaysRowsSql,
  clientRowsSql,
  eventStatsRowsSql,
} from './rollup-sql';
import {
  isPerDay,
  ROLLUP_ACTIVITY,
  ROLLUP_CLIENT_DAYS,
  ROLLUP_CLIENTS,
  ROLLUP_EVENT_STATS,
  type RollupTable,
} from './rollup-tables';

/**
 * The Athena statements of the deployed rollup job (ADR 019), built on the SELECTs of
 * `rollup-sql.ts`. Each write is one statement, hence one Iceberg commit: a reader sees a table
 * before it or after it, never half of it. Values are bound placeholders, rendered as literals by
 * `inlineParameters` (the one escaping path).
 */

const name = (text: string): SqlText => ({ text, params: [] });
const list = (names: readonly string[], prefix = '') => name(names.map((n) => `${prefix}${n}`).join(', '));
const allColumns = (table: RollupTable) => [...table.partitionColumns, ...table.columns].map((c) => c.name);

/** The firsts of `rollup_clients`, the columns a rebuild may lower. */
const FIRSTS = ['first_event_quarter', 'first_session_quarter', 'first_purchase_quarter'];

/**
 * Adds the range's clients to `rollup_clients` and lowers the firsts of known ones: a known client
 * keeps its key, a new one gets the next (guarantee 2: keys never change nor are reused). Runs
 * before the range's day tables, which take their keys from it.
 */
export function mergeClientsSql(range: BuildRange): SqlText {
  const columns = allColumns(ROLLUP_CLIENTS);
  const differs = FIRSTS.map((c) => `t.${c} IS DISTINCT FROM s.${c}`).join(' OR ');
  return sql`MERGE INTO ${name(ROLLUP_CLIENTS.name)} AS t
USING (
${clientRowsSql(range)}
) AS s
ON t.app_id = s.app_id AND t.client_id = s.client_id
WHEN MATCHED AND (${name(differs)}) THEN UPDATE SET ${name(FIRSTS.map((c) => `${c} = s.${c}`).join(', '))}
WHEN NOT MATCHED THEN INSERT (${list(columns)}) VALUES (${list(columns, 's.')})`;
}

/**
 * Makes a day table's rows of the range exactly `rows` in one MERGE. Its source is the fresh
 * rows FULL JOINed to the keys of the range's present rows, so that a present row without a
 * fresh one comes out `gone` (deleted) and the fresh rows are computed once. `keys` identify a
 * row; `values` (the other columns) are updated where they changed.
 */
function replaceRangeSql(
  table: RollupTable,
  rows: SqlText,
  keys: readonly string[],
  range: BuildRange,
): SqlText {
  const columns = allColumns(table);
  const values = columns.filter((c) => !keys.includes(c));
  const same = (a: string, b: string) => name(keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND '));
  const sourceColumns = [
    ...keys.map((k) => `coalesce(fresh.${k}, present.${k}) AS ${k}`),
    ...values.map((v) => `fresh.${v} AS ${v}`),
    'fresh.app_id IS NULL AS gone',
  ];
  const update =
    values.length === 0
      ? name('')
      : sql`
WHEN MATCHED AND NOT s.gone AND (${name(values.map((c) => `t.${c} IS DISTINCT FROM s.${c}`).join(' OR '))}) THEN UPDATE SET ${name(values.map((c) => `${c} = s.${c}`).join(', '))}`;
  return sql`MERGE INTO ${name(table.name)} AS t
USING (
  SELECT ${name(sourceColumns.join(', '))}
  FROM (
${rows}
  ) AS fresh
  FULL OUTER JOIN (
    SELECT ${list(keys)}
    FROM ${name(table.name)}
    WHERE app_id = ${bound(range.appId)}
      AND dt BETWEEN ${bound(range.firstDt)} AND ${bound(range.lastDt)}
  ) AS present ON ${same('fresh', 'present')}
) AS s
ON ${same('t', 's')}
WHEN MATCHED AND s.gone THEN DELETE${update}
WHEN NOT MATCHED AND NOT s.gone THEN INSERT (${list(columns)}) VALUES (${list(columns, 's.')})`;
}

/** Replaces the range's `rollup_activity` rows (reads `rollup_clients`: after {@link mergeClientsSql}). */
export function mergeActivitySql(range: BuildRange): SqlText {
  return replaceRangeSql(ROLLUP_ACTIVITY, activityRowsSql(range), allColumns(ROLLUP_ACTIVITY), range);
}

/** Replaces the range's `rollup_client_days` rows (reads `rollup_activity`: after {@link mergeActivitySql}). */
export function mergeClientDaysSql(range: BuildRange): SqlText {
  return replaceRangeSql(ROLLUP_CLIENT_DAYS, clientDaysRowsSql(range), allColumns(ROLLUP_CLIENT_DAYS), range);
}

/** Replaces the range's `rollup_event_stats` rows. */
export function mergeEventStatsSql(range: BuildRange): SqlText {
  const keys = ['app_id', 'dt', 'event_type', 'quarter', 'measure', 'name'];
  return replaceRangeSql(ROLLUP_EVENT_STATS, eventStatsRowsSql(range), keys, range);
}

/**
 * Rewrites a range's small data files and position deletes (each MERGE adds some: Athena's
 * Iceberg writes are merge-on-read) into few files; rows and their values are unchanged.
 * `OPTIMIZE` takes only partition columns in its WHERE.
 */
export function optimizeSql(table: RollupTable, range: BuildRange): SqlText {
  const days = isPerDay(table)
    ? sql` AND dt BETWEEN ${bound(range.firstDt)} AND ${bound(range.lastDt)}`
    : name('');
  return sql`OPTIMIZE ${name(table.name)} REWRITE DATA USING BIN_PACK
WHERE app_id = ${bound(range.appId)}${days}`;
}

/** One partition's objects, as `s3://` paths (Athena's `"$path"`). */
export interface PartitionObjects {
  readonly appId: string;
  readonly dt: string;
  readonly paths: readonly string[];
}

function ofObjects({ appId, dt, paths }: PartitionObjects): SqlText {
  const inList = joinSql(
    paths.map((p) => sql`${bound(p)}`),
    ', ',
  );
  return sql`FROM ${name(EVENTS_TABLE)}
WHERE app_id = ${bound(appId)} AND dt = ${bound(dt)} AND "$path" IN (${inList})`;
}

/** The number of records in exactly these objects of a partition (`records`). */
export function countRecordsSql(objects: PartitionObjects): SqlText {
  return sql`SELECT count(*) AS records
${ofObjects(objects)}`;
}

/** The records of exactly these objects, every column of `events` but the partition's. */
export function recordsOfSql(objects: PartitionObjects): SqlText {
  return sql`SELECT ${name(EVENT_COLUMNS.map((c) => `"${c.name}"`).join(', '))}
${ofObjects(objects)}`;
}

/**
 * Writes the records of these objects as Parquet (Snappy, as Firehose writes them) under
 * `location` (an empty `s3://` prefix), for compaction: every record is kept, copies included
 * (KPIs count distinct events, docs/CONTRACT.md §4).
 */
export function unloadSql(objects: PartitionObjects, location: string): SqlText {
  return sql`UNLOAD (
${recordsOfSql(objects)}
) TO ${bound(location)} WITH (format = 'PARQUET', compression = 'SNAPPY')`;
}
