import { activeBitsCte, anyBits } from './activity-sql';
import type { FormulaShape, KpiFormula } from './kpi-sql';
import { sql } from './sql-text';

/**
 * |A(d) ∩ (A(d+from) ∪ ... ∪ A(d+to))|: day-N retention is from = to = N, week-N retention
 * is from = 7N-6, to = 7N. Null when d+to is after the last complete day (yesterday in the
 * requested time zone), as the window is not complete yet. A window function counts each
 * client's active days inside the window after each active day, so the activity is read once
 * (Trino inlines a CTE at every use, and a self-join would read it twice); when the activity fits
 * day bitmaps, the client's bitmap answers both tests.
 */
export function retentionFormula(fromOffset: number, toOffset: number): KpiFormula {
  const windows = [
    sql`with_later_activity AS (
  SELECT
    client,
    day_number,
    count(*) OVER (
      PARTITION BY client
      ORDER BY day_number
      RANGE BETWEEN ${fromOffset} FOLLOWING AND ${toOffset} FOLLOWING
    ) AS later_active_days
  FROM activity
)`,
    sql`daily AS (
  SELECT day_number, count(DISTINCT client) AS value
  FROM with_later_activity
  WHERE later_active_days > 0
  GROUP BY day_number
)`,
  ];
  // Bit 0 is first_day: day d is bit d - first_day.
  const position = sql`days.day_number - bounds.first_day`;
  const bitmaps = [
    activeBitsCte(0),
    sql`daily AS (
  SELECT days.day_number, count(*) AS value
  FROM days
  CROSS JOIN bounds
  CROSS JOIN active_bits
  WHERE ${anyBits(sql`active_bits.bits`, position, 1)}
    AND ${anyBits(sql`active_bits.bits`, sql`${position} + ${fromOffset}`, toOffset - fromOffset + 1)}
  GROUP BY days.day_number
)`,
  ];
  return {
    reads: { activity: { daysBefore: 0, daysAfter: toOffset } },
    steps: (shape: FormulaShape) => (shape.bitmaps ? bitmaps : windows),
    value: sql`CASE WHEN days.day_number + ${toOffset} <= bounds.last_complete_day THEN coalesce(daily.value, 0) END`,
    needsLastCompleteDay: true,
  };
}
