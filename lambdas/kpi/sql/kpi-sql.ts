import {
  type ActivityRead,
  activityCte,
  type EventStatsRead,
  eventStatsCte,
  type FirstKind,
  firstSeenCte,
} from './relations';
import { clientIdentity, dtIn, EVENTS, type SourcePlan } from './source-plan';
import { bound, EMPTY_SQL, joinSql, type ParamName, param, type SqlText, sql } from './sql-text';

/**
 * The skeleton every KPI query shares. One text runs on Athena (Trino) and on DuckDB (which
 * gets the Trino-named functions as macros, see `local/duckdb/duckdb-macros.ts`). Days are
 * handled as day numbers (days since 1970-01-01) so that day arithmetic is plain integer
 * arithmetic in both engines; only the final column turns them back into dates.
 *
 *   bounds      first_day, last_day (and last_complete_day) of the request, as day numbers
 *   days        one row per requested day
 *   activity, first_seen, event_stats
 *               the relations the KPI reads (`relations.ts`), from rollups and raw events as
 *               the plan says; the KPI does not know which days came from where
 *   ...         KPI-specific steps, the last of which is `daily (day_number, value)`
 *   freshness   the latest arrival_timestamp of the raw events read, when any are
 *   SELECT      one row per requested day, in order, with the KPI's value for days without data
 *
 * Trino inlines a CTE at every use, so each relation is used once by the KPI's steps: the
 * data under it is read once.
 */

/** What a KPI reads; the planner reads each from rollups or raw events. */
export interface KpiReads {
  readonly activity?: ActivityRead;
  readonly firstSeen?: readonly FirstKind[];
  readonly eventStats?: EventStatsRead;
}

/**
 * Day bitmaps fit a bigint when the activity a KPI looks at covers at most this many local days:
 * bit i of a client's bitmap is the i-th of those days (never the sign bit).
 */
export const BITMAP_DAYS = 63;

/** What a formula may know about the query its steps are for. */
export interface FormulaShape {
  /** The activity covers at most {@link BITMAP_DAYS} local days: a client's active days fit one bigint. */
  readonly bitmaps: boolean;
  /** Each (client, day_number) pair of `activity` appears once (`SourcePlan.distinctActivity`). */
  readonly distinctActivity: boolean;
}

/** A KPI's computation over the relations it reads. */
export interface KpiFormula {
  readonly reads: KpiReads;
  /** Steps after the relations; the last one is `daily (day_number, value)`. */
  readonly steps: readonly SqlText[] | ((shape: FormulaShape) => readonly SqlText[]);
  /** The value of a requested day, from `daily.value`, `days` and `bounds`. */
  readonly value: SqlText;
  /** Adds `bounds.last_complete_day` (yesterday in the requested time zone). @default false */
  readonly needsLastCompleteDay?: boolean;
}

/** The local days around the requested ones a KPI needs, and whether it needs all history before them. */
export interface KpiSpan {
  readonly daysBefore: number;
  readonly daysAfter: number;
  readonly history: boolean;
}

export function kpiSpan(reads: KpiReads): KpiSpan {
  return {
    daysBefore: reads.activity?.daysBefore ?? 0,
    daysAfter: reads.activity?.daysAfter ?? 0,
    history: reads.firstSeen !== undefined,
  };
}

/** The day number of a 'YYYY-MM-DD' parameter. */
function dayNumber(date: ParamName): SqlText {
  return sql`date_diff('day', DATE '1970-01-01', CAST(${param(date)} AS date))`;
}

function boundsCte(needsLastCompleteDay: boolean, cacheVersion: string | undefined): SqlText {
  const lastComplete = needsLastCompleteDay
    ? sql`,
    ${dayNumber('last_complete_date')} AS last_complete_day`
    : EMPTY_SQL;
  // Athena reuses a result only for the same text: the rollups' version makes the text of an
  // answer from rollups differ once they change.
  const version =
    cacheVersion === undefined
      ? EMPTY_SQL
      : sql`,
    ${bound(cacheVersion)} AS rollup_version`;
  return sql`bounds AS (
  SELECT
    ${dayNumber('start_date')} AS first_day,
    ${dayNumber('end_date')} AS last_day${lastComplete}${version}
)`;
}

const DAYS_CTE = sql`days AS (
  SELECT t.day_number
  FROM bounds
  CROSS JOIN UNNEST(sequence(bounds.first_day, bounds.last_day)) AS t (day_number)
)`;

export function kpiSql(formula: KpiFormula, plan: SourcePlan): SqlText {
  const { reads } = formula;
  const identity = clientIdentity(plan, reads.firstSeen !== undefined);
  const relations = [
    reads.activity ? activityCte(plan, identity, reads.activity) : EMPTY_SQL,
    reads.firstSeen ? firstSeenCte(plan, identity, reads.firstSeen) : EMPTY_SQL,
    reads.eventStats ? eventStatsCte(plan, reads.eventStats) : EMPTY_SQL,
  ].filter((cte) => cte !== EMPTY_SQL);
  const freshness =
    plan.raw.length > 0
      ? sql`freshness AS (
  SELECT max(arrival_timestamp) AS latest_arrival
  FROM ${EVENTS}
  WHERE app_id = ${param('app_id')} AND ${dtIn(plan.raw)}
)`
      : EMPTY_SQL;
  const readsRaw = freshness !== EMPTY_SQL;
  const shape = {
    bitmaps: plan.activityDays !== undefined && plan.activityDays <= BITMAP_DAYS,
    distinctActivity: plan.distinctActivity === true,
  };
  const steps = typeof formula.steps === 'function' ? formula.steps(shape) : formula.steps;
  const ctes = [
    boundsCte(formula.needsLastCompleteDay ?? false, plan.cacheVersion),
    DAYS_CTE,
    ...relations,
    ...steps,
    ...(readsRaw ? [freshness] : []),
  ];
  return sql`WITH
${joinSql(ctes, ',\n')}
SELECT
  date_add('day', days.day_number, DATE '1970-01-01') AS day,
  ${formula.value} AS value${readsRaw ? sql`,\n  freshness.latest_arrival` : EMPTY_SQL}
FROM days
CROSS JOIN bounds${readsRaw ? sql`\nCROSS JOIN freshness` : EMPTY_SQL}
LEFT JOIN daily ON daily.day_number = days.day_number
ORDER BY days.day_number`;
}
