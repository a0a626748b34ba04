import { formatDay, parseDay } from '../core/calendar-day';
import type { LakeWindow } from '../core/lake-window';
import type { SqlParam } from '../core/query-engine';
import type { KpiRange } from './kpi-source';
import type { KpiSpan } from './sql/kpi-sql';
import type { ParamName, SqlText } from './sql/sql-text';

/** The last day a `dt` partition can name: later padding is clamped to it. */
const LAST_DT = parseDay('9999-12-31') as number;

/** Which path parameter of a KPI route fills which SQL parameter. */
const NAME_PARAMS = { event_name: 'eventName', metric: 'metric', attribute: 'attribute' } as const;

function dayOf(date: string): number {
  const day = parseDay(date);
  if (day === undefined) throw new TypeError(`Not a calendar day: ${date}`);
  return day;
}

/**
 * The value of a named SQL parameter for a request. `first_dt` and `last_dt` are the partitions
 * of a query read wholly from raw events with the engine's own time-zone conversion (the named
 * queries): local days are at most 14 hours away from UTC, so the dt range is the local range
 * padded by one day on each side (plus the days before or after the range the KPI looks at). No
 * event is stored before the lake's first day (`lambdas/core/lake-window.ts`), so no range starts
 * earlier; all-history reads start there (`lake_start_date`).
 */
function parameterValue(
  name: ParamName,
  span: KpiSpan,
  range: KpiRange,
  lake: LakeWindow,
): string | undefined {
  switch (name) {
    case 'app_id':
      return range.appId;
    case 'start_date':
      return range.startDate;
    case 'end_date':
      return range.endDate;
    case 'last_complete_date':
      return range.lastCompleteDate;
    case 'timezone':
      return range.timezone;
    case 'first_dt':
      return formatDay(Math.max(dayOf(range.startDate) - span.daysBefore - 1, dayOf(lake.startDate)));
    case 'lake_start_date':
      return lake.startDate;
    case 'last_dt':
      return formatDay(Math.min(dayOf(range.endDate) + span.daysAfter + 1, LAST_DT));
    default:
      return range.names[NAME_PARAMS[name]];
  }
}

/**
 * The values of a SQL text for a request on a lake, in the order of its `?` placeholders, with the
 * request's names for the named ones; `what` names the SQL in errors.
 */
export function sqlParameters(
  text: SqlText,
  span: KpiSpan,
  range: KpiRange,
  lake: LakeWindow,
  what: string,
): { readonly name?: ParamName; readonly value: SqlParam }[] {
  return text.params.map((param) => {
    if (typeof param !== 'string') return { value: param.value };
    const value = parameterValue(param, span, range, lake);
    if (value === undefined) throw new TypeError(`No value for SQL parameter ${param} of ${what}`);
    return { name: param, value };
  });
}
