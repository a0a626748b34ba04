import { DAY_MS, QUARTER_HOUR_MS } from '../../core/time';
import type { OffsetSegment } from '../../core/zone-offsets';
import { bound, type SqlText, sql } from './sql-text';

/**
 * Instants to UTC quarter-hours and to local days, as integer arithmetic both engines do
 * alike. A local day is `floor((ms + offset) / day)` with the zone's offset at that instant,
 * which the planner read from the IANA data (`lambdas/core/zone-offsets.ts`) and passes as
 * values: no time-zone conversion runs per row.
 */

/** The UTC quarter-hour of a ms timestamp: floor(ms / 900000). */
export function quarterOf(ms: SqlText): SqlText {
  return sql`CAST(floor(${ms} / CAST(${QUARTER_HOUR_MS} AS double)) AS bigint)`;
}

/** The first instant (ms) of a UTC quarter-hour. */
export function quarterStart(quarter: SqlText): SqlText {
  return sql`${quarter} * ${QUARTER_HOUR_MS}`;
}

/** How the SQL turns instants into local days. */
export interface LocalDays {
  /** The offsets in force, in time order; the first also holds before its start. */
  readonly segments: readonly OffsetSegment[];
  /**
   * Instants before this one are on a day before every day the KPI looks at; they are given
   * {@link beforeDay} rather than computed (only history reads meet them).
   */
  readonly fromMs: number;
  readonly beforeDay: number;
}

function offsetOf(ms: SqlText, segments: readonly OffsetSegment[]): SqlText {
  const [first, ...rest] = segments;
  if (!first) throw new Error('No UTC offsets for the local days');
  if (rest.length === 0) return sql`${bound(first.offsetMs)}`;
  let arms = sql`CASE`;
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    if (next) arms = sql`${arms} WHEN ${ms} < ${bound(next.fromMs)} THEN ${bound(segment.offsetMs)}`;
    else arms = sql`${arms} ELSE ${bound(segment.offsetMs)} END`;
  });
  return arms;
}

/** The local day number of a ms timestamp. */
export function localDayOf(ms: SqlText, days: LocalDays): SqlText {
  return sql`CASE WHEN ${ms} < ${bound(days.fromMs)} THEN ${bound(days.beforeDay)} ELSE CAST(floor((${ms} + ${offsetOf(ms, days.segments)}) / CAST(${DAY_MS} AS double)) AS bigint) END`;
}
