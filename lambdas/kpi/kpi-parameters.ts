import { formatDay, parseDay } from '../core/calendar-day';
import type { SqlParam } from '../core/query-engine';
import type { KpiQuery } from './kpi-source';
import { kpiSpan } from './sql/kpi-sql';
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
 * The value of a named SQL parameter for a query. `first_dt` and `last_dt` are the partitions
 * of a query read wholly from raw events with the engine's own time-zone conversion (the named
 * queries): local days are at most 14 hours away from UTC, so the dt range is the local range
 * padded by one day on each side (plus the days before or after the range the KPI looks at).
 */
function parameterValue(name: ParamName, query: KpiQuery): string | undefined {
  const span = kpiSpan(query.definition.formula.reads);
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
      return formatDay(dayOf(query.startDate) - span.daysBefore - 1);
    case 'last_dt':
      return formatDay(Math.min(dayOf(query.endDate) + span.daysAfter + 1, LAST_DT));
    default:
      return query.names[NAME_PARAMS[name]];
  }
}

/** The values of a query's SQL, in the order of its `?` placeholders, with the request's names for named ones. */
export function sqlParameters(
  text: SqlText,
  query: KpiQuery,
): { readonly name?: ParamName; readonly value: SqlParam }[] {
  return text.params.map((param) => {
    if (typeof param !== 'string') return { value: param.value };
    const value = parameterValue(param, query);
    if (value === undefined)
      throw new TypeError(`No value for SQL parameter ${param} of ${query.definition.path}`);
    return { name: param, value };
  });
}
