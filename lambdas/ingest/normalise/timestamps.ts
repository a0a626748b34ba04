import { parseDay } from '../../core/calendar-day';
import { type LakeWindow, outsideLakeWindow } from '../../core/lake-window';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../core/time';
import { InvalidEventError, shown } from './invalid-event';
import { MAX_EPOCH_MS, MIN_EPOCH_MS } from './limits';

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

const EXAMPLE = '"2014-06-30T19:07:47.885Z"';

/** ms since epoch of an ISO 8601 date-time with a time zone, or undefined when it is not one. */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const day = parseDay(`${m[1]}-${m[2]}-${m[3]}`);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (day === undefined) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * HOUR_MS + offsetMinutes * MINUTE_MS);
  return day * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS + second * SECOND_MS + millis - offset;
}

function inRange(ms: number, path: string, given: unknown): number {
  if (ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS) return ms;
  throw new InvalidEventError(
    `${path} is ${shown(given)}, outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z`,
  );
}

/** A PutEvents timestamp: an ISO 8601 date-time string with a time zone (`Z` or `±hh:mm`). */
export function isoTimestampAt(value: unknown, path: string): number {
  if (value === undefined || value === null) {
    throw new InvalidEventError(`${path} is required (an ISO 8601 date-time, e.g. ${EXAMPLE})`);
  }
  const ms = typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
  if (ms === undefined) {
    throw new InvalidEventError(
      `${path} is ${shown(value)}, not an ISO 8601 date-time with a time zone; use e.g. ${EXAMPLE}`,
    );
  }
  return inRange(ms, path, value);
}

/** A stream-record timestamp: integer ms since epoch, or an ISO 8601 date-time string. */
export function epochMsAt(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return inRange(value, path, value);
  if (typeof value === 'string') {
    const ms = parseIsoTimestamp(value);
    if (ms !== undefined) return inRange(ms, path, value);
  }
  if (value === undefined || value === null) {
    throw new InvalidEventError(`${path} is required (integer ms since epoch, or ISO 8601 like ${EXAMPLE})`);
  }
  throw new InvalidEventError(
    `${path} is ${shown(value)}; expected integer ms since epoch (e.g. 1517537724812) or ISO 8601 like ${EXAMPLE}`,
  );
}

/** What decides whether an event's day is in the lake: when it arrived, and the lake's first day. */
export interface LakeArrival {
  readonly arrivalTimestamp: number;
  readonly lake: LakeWindow;
}

/**
 * An event's timestamp (ms), when the lake holds its day (`lambdas/core/lake-window.ts`); else an
 * InvalidEventError naming the field, so that the event is never stored where no query sees it.
 */
export function withinLake(ms: number, path: string, at: LakeArrival): number {
  const reason = outsideLakeWindow(ms, at.arrivalTimestamp, at.lake);
  if (reason !== undefined) throw new InvalidEventError(`${path} ${reason}`);
  return ms;
}

/** An optional session duration: integer milliseconds, zero or more (null counts as absent). */
export function optionalDurationAt(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InvalidEventError(
    `${path} must be a whole number of milliseconds (0 or more), got ${shown(value)}`,
  );
}
