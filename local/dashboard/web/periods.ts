import { dayInZone, formatDay, isTimeZoneName, parseDay } from '../../../lambdas/core/calendar-day';
import type { ViewState } from './view-state';

/** A range of calendar days, first and last included, YYYY-MM-DD. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

/** Today's day number in a zone (UTC for a name the browser does not know; the API will say so). */
export function todayIn(timeZone: string, nowMs: number): number {
  return dayInZone(nowMs, isTimeZoneName(timeZone) ? timeZone : 'UTC');
}

/**
 * The days a state shows. The presets are the last 7, 30 or 90 complete days in the chosen
 * zone, ending yesterday as the KPI API's default range does (today is not over: its figures
 * would only grow, and a comparison with whole days would mislead); a custom range may end today.
 */
export function currentPeriod(state: ViewState, nowMs: number): Period {
  if (state.range === 'custom' && state.start && state.end) return { start: state.start, end: state.end };
  const days = Number(state.range === 'custom' ? '30' : state.range);
  const end = todayIn(state.timezone, nowMs) - 1;
  return { start: formatDay(end - days + 1), end: formatDay(end) };
}

/**
 * Why a custom range cannot be shown, or undefined when it can: its first day must not be after
 * its last, and its last day must not be after today in the chosen zone (days to come have no
 * data yet; the API would answer 0 for them, which reads as a collapse).
 */
export function customRangeProblem(period: Period, timeZone: string, nowMs: number): string | undefined {
  const start = parseDay(period.start);
  const end = parseDay(period.end);
  if (start === undefined || end === undefined) return 'Choose a first and a last day';
  if (start > end) return `The first day (${period.start}) is after the last day (${period.end})`;
  const today = todayIn(timeZone, nowMs);
  if (end > today) {
    return `The last day (${period.end}) is after today (${formatDay(today)} in ${timeZone}); days to come have no data yet`;
  }
  return undefined;
}

/** The same number of days just before a period. */
export function previousPeriod(period: Period): Period {
  const start = parseDay(period.start) ?? 0;
  const end = parseDay(period.end) ?? 0;
  return { start: formatDay(start - (end - start + 1)), end: formatDay(start - 1) };
}

/** Every day of a period, in order (none when the period is backwards). */
export function daysOf(period: Period): string[] {
  const start = parseDay(period.start) ?? 0;
  const end = parseDay(period.end) ?? -1;
  const days: string[] = [];
  for (let day = start; day <= end && days.length <= 366; day++) days.push(formatDay(day));
  return days;
}

/** "Mar 1 – Mar 30, 2026" */
export function describePeriod(period: Period): string {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  const start = Date.parse(`${period.start}T00:00:00Z`);
  const end = Date.parse(`${period.end}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return `${period.start} – ${period.end}`;
  return format.formatRange(start, end);
}
