import { DAY_MS, HOUR_MS, QUARTER_HOUR_MS, SECOND_MS } from './time';

/**
 * The UTC offsets of an IANA time zone over a stretch of time, read once from Intl (the IANA data
 * the KPI request's `timezone` is validated against), so that KPI SQL turns an instant into its
 * local day with integer arithmetic, `floor((ms + offset) / day)`, instead of converting every
 * event with the engine's own time-zone functions (slow in both engines, and two copies of the
 * IANA data that could disagree). Offsets are exact to the second, historical ones included
 * (Africa/Monrovia was UTC-0:44:30 until 1972).
 *
 * Offsets are sampled every {@link SAMPLE_STEP_MS} and each change is found to the second by
 * bisection: a zone is assumed not to change its offset twice within that step (no zone in the
 * IANA data does).
 */

/** From `fromMs` on (until the next segment), local time is UTC + `offsetMs`. */
export interface OffsetSegment {
  readonly fromMs: number;
  readonly offsetMs: number;
}

export interface ZoneOffsets {
  readonly timeZone: string;
  /** In time order. The first one also holds for every instant before its `fromMs`. */
  readonly segments: readonly OffsetSegment[];
}

const SAMPLE_STEP_MS = 12 * HOUR_MS;
/** The end of a formatted instant, e.g. `GMT`, `GMT+05:30` or `GMT-00:44:30`. */
const OFFSET_TEXT = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in ms (a whole number of seconds). */
function offsetAt(timeZone: string, epochMs: number): number {
  const key = timeZone.toLowerCase();
  let formatter = offsetFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset', hour: 'numeric' });
    offsetFormatters.set(key, formatter);
  }
  const text = formatter.format(epochMs);
  const match = OFFSET_TEXT.exec(text);
  if (!match) throw new Error(`Cannot read the UTC offset of ${timeZone} from ${JSON.stringify(text)}`);
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
  const ms = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * SECOND_MS;
  return sign === '-' ? -ms : ms;
}

interface MonthOffsets {
  readonly startOffsetMs: number;
  /** Changes within the month, each the first instant of its new offset. */
  readonly changes: readonly OffsetSegment[];
}

const MAX_CACHED_MONTHS = 10_000;
const monthCache = new Map<string, MonthOffsets>();

/** The first second in (lowMs, highMs] whose offset is no longer the one at lowMs. */
function changeBetween(timeZone: string, lowMs: number, highMs: number, lowOffset: number): number {
  let low = Math.floor(lowMs / SECOND_MS);
  let high = Math.ceil(highMs / SECOND_MS);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, mid * SECOND_MS) === lowOffset) low = mid;
    else high = mid;
  }
  return high * SECOND_MS;
}

function monthOffsets(timeZone: string, year: number, month: number): MonthOffsets {
  const key = `${timeZone.toLowerCase()}|${year}|${month}`;
  const cached = monthCache.get(key);
  if (cached) return cached;
  const start = Date.UTC(year, month, 1);
  const end = Date.UTC(year, month + 1, 1);
  const startOffsetMs = offsetAt(timeZone, start);
  const changes: OffsetSegment[] = [];
  let previous = { at: start, offset: startOffsetMs };
  for (let at = Math.min(start + SAMPLE_STEP_MS, end); ; at = Math.min(at + SAMPLE_STEP_MS, end)) {
    const offset = offsetAt(timeZone, at);
    if (offset !== previous.offset) {
      const fromMs = changeBetween(timeZone, previous.at, at, previous.offset);
      changes.push({ fromMs, offsetMs: offsetAt(timeZone, fromMs) });
    }
    previous = { at, offset };
    if (at === end) break;
  }
  const result = { startOffsetMs, changes: changes.filter((c) => c.fromMs < end) };
  if (monthCache.size >= MAX_CACHED_MONTHS) monthCache.clear();
  monthCache.set(key, result);
  return result;
}

/** The zone's offsets from `fromMs` to `toMs` (both within years 0001 to 9999). */
export function zoneOffsets(timeZone: string, fromMs: number, toMs: number): ZoneOffsets {
  const from = new Date(fromMs);
  const segments: OffsetSegment[] = [];
  const add = (segment: OffsetSegment) => {
    if (segments.at(-1)?.offsetMs !== segment.offsetMs) segments.push(segment);
  };
  // Month by month: `Date.UTC` carries month 12 over into the next year.
  for (
    let month = from.getUTCMonth(), year = from.getUTCFullYear();
    Date.UTC(year, month, 1) <= toMs;
    month++
  ) {
    const start = new Date(Date.UTC(year, month, 1));
    const offsets = monthOffsets(timeZone, start.getUTCFullYear(), start.getUTCMonth());
    add({ fromMs: start.getTime(), offsetMs: offsets.startOffsetMs });
    for (const change of offsets.changes) add(change);
  }
  return { timeZone, segments };
}

function segmentAt(offsets: ZoneOffsets, epochMs: number): OffsetSegment {
  let found = offsets.segments[0];
  for (const segment of offsets.segments) {
    if (segment.fromMs > epochMs) break;
    found = segment;
  }
  if (!found) throw new Error(`No UTC offsets known for ${offsets.timeZone}`);
  return found;
}

/** The day number of the local calendar day an instant falls on. */
export function localDayOf(offsets: ZoneOffsets, epochMs: number): number {
  return Math.floor((epochMs + segmentAt(offsets, epochMs).offsetMs) / DAY_MS);
}

/**
 * Whether local dates only move forward over these offsets: no change of offset sends the
 * clock back across midnight. Then the instants of a local day are one unbroken stretch of
 * time, and a client's earliest local day is the local day of its earliest instant.
 */
export function datesMoveForward(offsets: ZoneOffsets): boolean {
  return offsets.segments.every((segment, i) => {
    const before = offsets.segments[i - 1];
    if (!before) return true;
    const lastBefore = Math.floor((segment.fromMs - 1 + before.offsetMs) / DAY_MS);
    return Math.floor((segment.fromMs + segment.offsetMs) / DAY_MS) >= lastBefore;
  });
}

/**
 * Whether every local midnight over these offsets falls on a UTC quarter-hour (every offset and
 * every change of offset is a whole number of quarter-hours) and dates move forward: then each
 * UTC quarter-hour lies within one local day, and quarter-hour rollups give local days exactly.
 * True for every zone's offsets since 1972; false e.g. for Africa/Monrovia before 1972.
 */
export function quarterAligned(offsets: ZoneOffsets): boolean {
  const whole = (ms: number) => ms % QUARTER_HOUR_MS === 0;
  return (
    datesMoveForward(offsets) &&
    offsets.segments.every((segment, i) => whole(segment.offsetMs) && (i === 0 || whole(segment.fromMs)))
  );
}

/**
 * Whether every instant of UTC day `day` (a day number) falls on the local day of the same date:
 * the offset is 0 all day long (as in UTC, or in London in winter). Such a day's activity needs
 * no time of day.
 */
export function sameAsUtcDay(offsets: ZoneOffsets, day: number): boolean {
  const start = day * DAY_MS;
  const end = start + DAY_MS;
  return (
    segmentAt(offsets, start).offsetMs === 0 &&
    offsets.segments.every(
      (segment) => segment.fromMs <= start || segment.fromMs >= end || segment.offsetMs === 0,
    )
  );
}

/**
 * The first instant of a local day (its local midnight, or the first instant after it when the
 * clock skipped it), for offsets whose dates move forward and that cover the day.
 */
export function localDayStart(offsets: ZoneOffsets, dayNumber: number): number {
  let low = dayNumber * DAY_MS - 26 * HOUR_MS;
  let high = dayNumber * DAY_MS + 26 * HOUR_MS;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localDayOf(offsets, mid) >= dayNumber) high = mid;
    else low = mid;
  }
  return high;
}
