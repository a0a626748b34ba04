import type { FormulaShape, KpiFormula } from './kpi-sql';
import { EMPTY_SQL, type SqlText, sql } from './sql-text';

/**
 * active_bits (client, bits): each client's active days as one bigint, bit i being the i-th local
 * day from `first_day - daysBefore`; for activity covering at most 63 days (`BITMAP_DAYS`). A
 * window test per day is then a shift and a mask: cheaper in both engines than sorting pairs.
 */
export function activeBitsCte(daysBefore: number): SqlText {
  return sql`active_bits AS (
  SELECT
    activity.client,
    bitwise_or_agg(bitwise_left_shift(CAST(1 AS bigint), activity.day_number - (bounds.first_day - ${daysBefore}))) AS bits
  FROM activity
  CROSS JOIN bounds
  GROUP BY activity.client
)`;
}

/** Whether any of `length` bits from bit `from` is set (`length` up to 62). */
export function anyBits(bits: SqlText, from: SqlText, length: number): SqlText {
  return sql`bitwise_and(bitwise_right_shift(${bits}, ${from}), ${2 ** length - 1}) <> 0`;
}

/**
 * Active clients over a window of days ending on d: |A(d-w+1) ∪ ... ∪ A(d)|, DAU for w = 1 and
 * MAU for w = 30; with `payingOnly`, intersected with P(d) (PDAU, PMAU).
 *
 * When each (client, day) of the activity appears once (every UTC day read is one local day, as
 * in UTC), DAU and PDAU count rows per day: no distinct and no group per client. Otherwise, when
 * the activity fits day bitmaps, a client counts on d when its bitmap has a bit in d's
 * window, for any w: one group per client is cheaper than distinct clients per day (DAU over
 * rollups: about 40% less in DuckDB, docs/benchmarks.md). Otherwise, w = 1 counts distinct
 * clients per day, and for w > 1 each active (client, day a) covers the days from a to the day before the client's
 * next active day, at most w days: the days it is the latest active day of the window for. The
 * covered stretches of one client do not overlap, so the count of day d is the number of
 * stretches holding d, summed from +1 at each stretch's start and -1 after its end: work linear
 * in the active (client, day) pairs, where joining each pair to the w days of its window would
 * multiply them by w. A pair that repeats covers nothing the first time (its next day is its
 * own). A paying client's stretch starts no earlier than its first purchase day.
 */
export function activeClientsFormula(windowDays: number, payingOnly: boolean): KpiFormula {
  const reads = {
    activity: { daysBefore: windowDays - 1, daysAfter: 0 },
    ...(payingOnly ? { firstSeen: ['purchase'] as const } : {}),
  };
  const payers = payingOnly
    ? sql`
  JOIN first_seen ON first_seen.client = activity.client AND first_seen.first_purchase_day IS NOT NULL`
    : EMPTY_SQL;
  const whenPaying = payingOnly
    ? sql`
  WHERE first_seen.first_purchase_day <= activity.day_number`
    : EMPTY_SQL;
  const perDay = (count: SqlText) => [
    sql`daily AS (
  SELECT activity.day_number, ${count} AS value
  FROM activity${payers}${whenPaying}
  GROUP BY activity.day_number
)`,
  ];
  const lastCovered = sql`activity.day_number + ${windowDays - 1}`;
  const streaks = [
    sql`covered AS (
  SELECT
    ${payingOnly ? sql`greatest(activity.day_number, first_seen.first_purchase_day)` : sql`activity.day_number`} AS first_day,
    least(
      ${lastCovered},
      coalesce(lead(activity.day_number) OVER (PARTITION BY activity.client ORDER BY activity.day_number) - 1, ${lastCovered})
    ) AS last_day
  FROM activity${payers}
)`,
    sql`changes AS (
  SELECT
    CASE WHEN edge.delta = 1 THEN covered.first_day ELSE covered.last_day + 1 END AS day_number,
    sum(edge.delta) AS delta
  FROM covered
  CROSS JOIN (VALUES (1), (-1)) AS edge (delta)
  WHERE covered.first_day <= covered.last_day
  GROUP BY 1
)`,
    sql`daily AS (
  SELECT days.day_number, sum(changes.delta) AS value
  FROM days
  JOIN changes ON changes.day_number <= days.day_number
  GROUP BY days.day_number
)`,
  ];
  // Bit 0 is first_day - (windowDays - 1): day d's window starts at bit d - first_day.
  const bitmaps = [
    activeBitsCte(windowDays - 1),
    sql`daily AS (
  SELECT days.day_number, count(*) AS value
  FROM active_bits${
    payingOnly
      ? sql`
  JOIN first_seen ON first_seen.client = active_bits.client AND first_seen.first_purchase_day IS NOT NULL`
      : EMPTY_SQL
  }
  CROSS JOIN days
  CROSS JOIN bounds
  WHERE ${anyBits(sql`active_bits.bits`, sql`days.day_number - bounds.first_day`, windowDays)}${
    payingOnly
      ? sql`
    AND first_seen.first_purchase_day <= days.day_number`
      : EMPTY_SQL
  }
  GROUP BY days.day_number
)`,
  ];
  return {
    reads,
    steps: (shape: FormulaShape) => {
      if (windowDays === 1 && shape.distinctActivity) return perDay(sql`count(*)`);
      if (shape.bitmaps) return bitmaps;
      return windowDays === 1 ? perDay(sql`count(DISTINCT activity.client)`) : streaks;
    },
    value: sql`coalesce(daily.value, 0)`,
  };
}
