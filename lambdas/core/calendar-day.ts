import { DAY_MS } from './time';

/**
 * Calendar days: the one home of the `YYYY-MM-DD` rule (a real day of the Gregorian calendar,
 * years 0000 to 9999), of day numbers (days since 1970-01-01, the unit the KPI SQL works in),
 * and the one place that reads the clock in a time zone (through Intl, the same IANA data the
 * KPI request's `timezone` is validated against). The KPI API, the doors' timestamps, the local
 * commands and the tests all use it.
 */
const DAY_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** The day number of a `YYYY-MM-DD` text, or undefined when it is not a real calendar day. */
export function parseDay(text: string): number | undefined {
  const match = DAY_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.getTime() / DAY_MS;
}

/** `YYYY-MM-DD` of a day number (years 0000 to 9999). */
export function formatDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day (`YYYY-MM-DD`) of a ms timestamp: the `dt` partition value of an event. */
export function utcDay(epochMs: number): string {
  return formatDay(Math.floor(epochMs / DAY_MS));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formatters by lower-cased zone name, so the cache is bounded by the number of zones. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const key = timeZone.toLowerCase();
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The day number of the calendar day an instant falls on in a time zone. */
export function dayInZone(epochMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS;
}

/**
 * Whether a text names an IANA time zone Intl knows (case-insensitively, as Trino and DuckDB
 * also match them). Only names are accepted, not offsets such as `+05:30`.
 */
export function isTimeZoneName(name: string): boolean {
  if (name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}
