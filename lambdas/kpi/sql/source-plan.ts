import { EVENTS_TABLE } from '../../core/lake-layout';
import { ROLLUP_CLIENTS } from '../../rollups/rollup-tables';
import { type LocalDays, localDayOf } from './local-day-sql';
import { EMPTY_SQL, joinSql, param, type SqlText, sql } from './sql-text';

/**
 * Where a KPI query reads each UTC day from, as the planner decided it (`kpi-planner.ts`), and
 * the SQL pieces that follow from it. KPI definitions never see this: they are written against
 * the relations `activity`, `first_seen` and `event_stats` (`relations.ts`), whose rows are the
 * same whichever source each day came from.
 */

/** A range of UTC days (`dt`), inclusive; no `from`: every day up to `to`. */
export interface DayRange {
  readonly from?: SqlText;
  readonly to: SqlText;
}

/**
 * How client ids appear in the relations: the rollups' integer keys when only rollups are read,
 * the client_id text when only raw events are, and when both are, text: a key's digits, or `~`
 * and the client_id for a client the rollups do not know yet.
 */
export type ClientIdentity = 'key' | 'id' | 'mixed';

export interface SourcePlan {
  /** Instants to local days: precomputed offsets, or the engine's own `from_unixtime(x, zone)` (named queries). */
  readonly localDays: LocalDays | 'zone-function';
  /** Days of the span read from raw events. */
  readonly raw: readonly DayRange[];
  /** Days of the span read from rollups. */
  readonly rollup: readonly DayRange[];
  /**
   * Of the {@link rollup} days, those whose activity is read from `rollup_client_days`: each UTC
   * day that is one local day (the zone's offset is 0 all day), so it needs no time of day. The
   * others are read from `rollup_activity`'s quarter-hours. @default none
   */
  readonly clientDays?: readonly DayRange[];
  /** The other {@link rollup} days, read from `rollup_activity`. @default every rollup day */
  readonly quarterDays?: readonly DayRange[];
  /** Every day up to the span's last read from raw events by history reads (first-seen); rollups cover the others. */
  readonly rawHistory: readonly DayRange[];
  /** Whether the rollups are read at all (then `rollup_clients` holds every client they know). */
  readonly rollups: boolean;
  /**
   * The number of local days the KPI's activity covers (the range with the days before and after
   * it), when known as the SQL is written; formulas may then use day bitmaps (`kpi-sql.ts`).
   */
  readonly activityDays?: number;
  /**
   * Each (client, day_number) pair of `activity` appears once: every UTC day read is one local
   * day, so its rows are `rollup_client_days`' (a client once a day) or raw rows made distinct,
   * and no two UTC days share a local day. Formulas may then count rows. @default false
   */
  readonly distinctActivity?: boolean;
  /** Stands for the versions of the rollups read; set when the answer may be cached and reused. */
  readonly cacheVersion?: string;
}

/** The plan of a query read from raw events only, with the span's partitions as named parameters. */
export const RAW_SPAN_PLAN: Omit<SourcePlan, 'localDays'> = {
  raw: [{ from: sql`${param('first_dt')}`, to: sql`${param('last_dt')}` }],
  rollup: [],
  rawHistory: [{ from: sql`${param('lake_start_date')}`, to: sql`${param('last_dt')}` }],
  rollups: false,
};

export function clientIdentity(plan: SourcePlan, readsHistory: boolean): ClientIdentity {
  if (!plan.rollups) return 'id';
  const readsRaw = plan.raw.length > 0 || (readsHistory && plan.rawHistory.length > 0);
  return readsRaw ? 'mixed' : 'key';
}

export const EVENTS: SqlText = { text: EVENTS_TABLE, params: [] };
export const SESSION_START = sql`'_session.start'`;
export const PURCHASE = sql`'_monetization.purchase'`;
export const NOT_ENDPOINT = sql`NOT starts_with(event_type, '_endpoint.')`;

/** `dt` within one of the ranges (a partition filter both engines prune on). */
export function dtIn(ranges: readonly DayRange[]): SqlText {
  const one = ({ from, to }: DayRange) => (from ? sql`dt BETWEEN ${from} AND ${to}` : sql`dt <= ${to}`);
  const [first, ...rest] = ranges;
  if (!first) throw new Error('dtIn needs at least one range');
  if (rest.length === 0) return one(first);
  return sql`(${joinSql(ranges.map(one), ' OR ')})`;
}

/** The local day of a ms timestamp, as the plan computes local days. */
export function localDay(plan: SourcePlan, ms: SqlText): SqlText {
  return plan.localDays === 'zone-function'
    ? sql`date_diff('day', DATE '1970-01-01', CAST(from_unixtime(${ms} / 1e3, ${param('timezone')}) AS date))`
    : localDayOf(ms, plan.localDays);
}

/** A rollup's client key, as the identity of the plan. */
export function keyAsClient(identity: ClientIdentity, key: SqlText): SqlText {
  return identity === 'mixed' ? sql`CAST(${key} AS varchar)` : key;
}

/**
 * Rows of raw events (a relation with a `client_id` column, aliased `raw_rows`) with their
 * client as the plan's identity: in a mixed plan, looked up in `rollup_clients`.
 */
export function rawWithClient(identity: ClientIdentity, rows: SqlText, columns: SqlText): SqlText {
  if (identity !== 'mixed')
    return sql`SELECT raw_rows.client_id AS client, ${columns} FROM (${rows}) AS raw_rows`;
  const clients: SqlText = { text: ROLLUP_CLIENTS.name, params: [] };
  return sql`SELECT
      coalesce(CAST(known.client_key AS varchar), concat('~', raw_rows.client_id)) AS client, ${columns}
    FROM (${rows}) AS raw_rows
    LEFT JOIN (
      SELECT client_id, client_key FROM ${clients} WHERE app_id = ${param('app_id')}
    ) AS known ON known.client_id = raw_rows.client_id`;
}

/** Joins the SELECTs that produce one relation's rows from each source. */
export function unionAll(parts: readonly SqlText[]): SqlText {
  const present = parts.filter((p) => p !== EMPTY_SQL);
  if (present.length === 0) throw new Error('A relation needs at least one source');
  return joinSql(present, '\n    UNION ALL\n    ');
}
