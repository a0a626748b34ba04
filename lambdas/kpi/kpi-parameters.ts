import { formatDay, parseDay } from '../core/calendar-day';
import type { LakeWindow } from '../core/lake-window';
import type { SqlParam } from '../core/query-engine';
import type { KpiQuery, KpiRange } from './kpi-source';
import type { EventReads, KpiPlan } from './sql/kpi-sql';
import type { ParamName } from './sql/sql-text';

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
 * The value of a SQL parameter for a query. `dt` is the UTC day of an event, and local days
 * are at most 14 hours away from UTC, so the dt range is the local range padded by one day
 * on each side (plus the days before or after the range that the KPI looks at). No event is
 * stored before the lake's first day (`lambdas/core/lake-window.ts`), so no range starts
 * earlier; all-history reads start there (`lake_start_date`).
 */
function parameterValue(
  name: ParamName,
  reads: EventReads,
  query: KpiRange,
  lake: LakeWindow,
): string | undefined {
  switch (name) {
    case 'app_id':
      return query.appId;
    case 'start_date':
      return query.startDate;
    case 'end_date':
      return query.endDate;
    case 'last_complete_date':
      return query.lastCompleteDate;
    case 'timezone':
      return query.timezone;
    case 'first_dt':
      return formatDay(Math.max(dayOf(query.startDate) - reads.daysBefore - 1, dayOf(lake.startDate)));
    case 'lake_start_date':
      return lake.startDate;
    case 'last_dt':
      return formatDay(Math.min(dayOf(query.endDate) + reads.daysAfter + 1, LAST_DT));
    default:
      return query.names[NAME_PARAMS[name]];
  }
}

/** The parameters of a query's SQL on a lake, by name, in the order of its `?` placeholders. */
export function namedParameters(
  query: KpiQuery,
  lake: LakeWindow,
): { readonly name: ParamName; readonly value: SqlParam }[] {
  return planParameters(query.definition, query, lake, query.definition.path);
}

/**
 * The parameters of a plan's SQL for a request on a lake, in the order of its `?` placeholders;
 * `what` names the plan in errors.
 */
export function planParameters(
  plan: KpiPlan,
  range: KpiRange,
  lake: LakeWindow,
  what: string,
): { readonly name: ParamName; readonly value: SqlParam }[] {
  return plan.sql.params.map((name) => {
    const value = parameterValue(name, plan.reads, range, lake);
    if (value === undefined) throw new TypeError(`No value for SQL parameter ${name} of ${what}`);
    return { name, value };
  });
}
