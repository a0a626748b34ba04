import { parseDay } from './calendar-day';
import { DAY_MS } from './time';

/**
 * The days the lake holds: from its first day (one setting: the Glue projection's range start,
 * the doors, the transformer, the replay, the import and the KPI SQL's lower `dt` bound all read
 * it) up to a day after an event's arrival (the projection reaches `NOW+1DAYS`). An event dated
 * outside is never stored: the doors answer it 400, the transformer marks it ProcessingFailed,
 * so it is kept under the error prefix and can be replayed after the first day is moved, and
 * the import rejects it into its report (ADR 014).
 */

/**
 * The lake's first day unless configured: Amazon Mobile Analytics opened in 2014, so history
 * imported from it or from Pinpoint fits.
 */
export const DEFAULT_LAKE_START_DATE = '2014-01-01';

/** How far after its arrival an event may be dated: the projection's range ends at NOW+1DAYS. */
export const MAX_EVENT_AHEAD_MS = DAY_MS;

/** How to move a deployed stack's first day, as the reason for refusing an earlier event ends. */
export const STACK_LAKE_START_SETTING = 'deploy with an earlier -c lakeStartDate=YYYY-MM-DD';

/**
 * The lake's first day, checked once (configuration), as text and as its first millisecond, and
 * how to move it where this lake is configured.
 */
export interface LakeWindow {
  /** `YYYY-MM-DD`. */
  readonly startDate: string;
  readonly startMs: number;
  /** The setting to change for an earlier first day, e.g. {@link STACK_LAKE_START_SETTING}. */
  readonly setting: string;
}

/**
 * The window for a first day, configured by `setting` (the stack's context key unless given);
 * throws a TypeError when the text is not a calendar day `YYYY-MM-DD`.
 */
export function lakeWindow(startDate: string, setting: string = STACK_LAKE_START_SETTING): LakeWindow {
  const day = parseDay(startDate);
  if (day === undefined) {
    throw new TypeError(
      `The lake's first day must be a calendar day YYYY-MM-DD, got ${JSON.stringify(startDate)}`,
    );
  }
  return { startDate, startMs: day * DAY_MS, setting };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Why an event dated `eventMs` that arrived at `arrivalMs` would be stored where no query sees it,
 * as the end of a sentence that starts with the field's name; undefined when it is within the lake.
 */
export function outsideLakeWindow(
  eventMs: number,
  arrivalMs: number,
  window: LakeWindow,
): string | undefined {
  if (eventMs < window.startMs) {
    return `is ${iso(eventMs)}, before the lake's first day ${window.startDate}; events before it are not stored (check the device clock, or ${window.setting})`;
  }
  if (eventMs > arrivalMs + MAX_EVENT_AHEAD_MS) {
    return `is ${iso(eventMs)}, more than a day after the event arrived (${iso(arrivalMs)}); check the device clock`;
  }
  return undefined;
}
