import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../lambdas/core/time';
import {
  datesMoveForward,
  localDayOf,
  localDayStart,
  quarterAligned,
  sameAsUtcDay,
  zoneOffsets,
} from '../../lambdas/core/zone-offsets';

const at = (iso: string) => Date.parse(iso);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/** The local date of an instant by Intl, independently of the offsets. */
function intlDay(ms: number, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const parts: Record<string, number> = Object.fromEntries(
    format.formatToParts(ms).map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1) / DAY_MS;
}

describe('zone offsets', () => {
  it('finds each change of offset to the second: New York in 2026', () => {
    const offsets = zoneOffsets('America/New_York', at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'));
    expect(offsets.segments.map((s) => [new Date(s.fromMs).toISOString(), s.offsetMs / HOUR_MS])).toEqual([
      ['2026-01-01T00:00:00.000Z', -5],
      ['2026-03-08T07:00:00.000Z', -4],
      ['2026-11-01T06:00:00.000Z', -5],
    ]);
    expect(quarterAligned(offsets)).toBe(true);
  });

  it('sees Lord Howe move its clock by half an hour, which is still whole quarter-hours', () => {
    const offsets = zoneOffsets(
      'Australia/Lord_Howe',
      at('2026-03-01T00:00:00Z'),
      at('2026-05-01T00:00:00Z'),
    );
    expect(offsets.segments.map((s) => s.offsetMs / MINUTE_MS)).toEqual([660, 630]);
    expect(offsets.segments[1]?.fromMs).toBe(at('2026-04-04T15:00:00Z'));
    expect(quarterAligned(offsets)).toBe(true);
  });

  it('reads an offset in seconds: Africa/Monrovia was UTC-0:44:30 until 1972, not whole quarter-hours', () => {
    const offsets = zoneOffsets('Africa/Monrovia', at('1971-12-01T00:00:00Z'), at('1972-02-01T00:00:00Z'));
    expect(offsets.segments.map((s) => s.offsetMs)).toEqual([-(44 * MINUTE_MS + 30 * SECOND_MS), 0]);
    expect(offsets.segments[1]?.fromMs).toBe(at('1972-01-07T00:44:30Z'));
    expect(quarterAligned(offsets)).toBe(false);
    expect(datesMoveForward(offsets)).toBe(true);
    const later = zoneOffsets('Africa/Monrovia', at('1973-01-01T00:00:00Z'), at('1973-02-01T00:00:00Z'));
    expect(quarterAligned(later)).toBe(true);
  });

  it.each([
    'UTC',
    'Asia/Kolkata',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'Africa/Monrovia',
  ])('gives %s the local day Intl gives, at and around every local midnight', (timeZone) => {
    const from = timeZone === 'Africa/Monrovia' ? at('1971-12-20T00:00:00Z') : at('2026-03-01T00:00:00Z');
    const offsets = zoneOffsets(timeZone, from - 2 * DAY_MS, from + 50 * DAY_MS);
    for (let d = Math.floor(from / DAY_MS); d < Math.floor(from / DAY_MS) + 45; d++) {
      const start = localDayStart(offsets, d);
      for (const ms of [start - 1, start, start + 1, start + 12 * HOUR_MS]) {
        expect({ ms, day: localDayOf(offsets, ms) }).toEqual({ ms, day: intlDay(ms, timeZone) });
      }
      expect(intlDay(start, timeZone)).toBe(d);
      expect(intlDay(start - 1, timeZone)).toBe(d - 1);
    }
  });

  it('knows where local days start in a zone that skipped a whole day (Samoa, 2011-12-30)', () => {
    const offsets = zoneOffsets('Pacific/Apia', at('2011-12-25T00:00:00Z'), at('2012-01-05T00:00:00Z'));
    expect(localDayStart(offsets, day('2011-12-30'))).toBe(localDayStart(offsets, day('2011-12-31')));
    expect(localDayStart(offsets, day('2011-12-31'))).toBe(at('2011-12-30T10:00:00Z'));
  });

  it('knows the UTC days that are one local day: offset 0 all day, checked against Intl every quarter-hour', () => {
    const days = [
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
    ];
    const expected: Record<string, readonly string[]> = {
      UTC: days,
      'Africa/Abidjan': days,
      // London: clocks forward at 01:00 UTC on 2026-03-29, back at 01:00 UTC on 2026-10-25.
      'Europe/London': ['2026-03-27', '2026-03-28', '2026-10-26'],
      'America/New_York': [],
      'Asia/Kolkata': [],
    };
    for (const [timeZone, whole] of Object.entries(expected)) {
      const offsets = zoneOffsets(timeZone, at('2026-03-20T00:00:00Z'), at('2026-11-05T00:00:00Z'));
      const found = days.filter((d) => sameAsUtcDay(offsets, day(d)));
      expect({ timeZone, found }).toEqual({ timeZone, found: whole });
      for (const d of found) {
        for (let q = 0; q < 96; q++)
          expect(intlDay((day(d) * 96 + q) * 15 * MINUTE_MS, timeZone)).toBe(day(d));
        expect(intlDay((day(d) + 1) * DAY_MS - 1, timeZone)).toBe(day(d));
      }
    }
  });
});
