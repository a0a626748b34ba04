import { DEFAULT_LAKE_START_DATE, lakeWindow, outsideLakeWindow } from '../../lambdas/core/lake-window';

const DAY = 24 * 60 * 60 * 1000;
const lake = lakeWindow('2020-02-29');
const ARRIVAL = Date.parse('2026-03-01T12:00:00Z');

describe('the lake window', () => {
  it('starts at the first millisecond of its first day, 2014-01-01 by default', () => {
    expect(lake).toEqual({
      startDate: '2020-02-29',
      startMs: Date.UTC(2020, 1, 29),
      setting: 'deploy with an earlier -c lakeStartDate=YYYY-MM-DD',
    });
    expect(lakeWindow(DEFAULT_LAKE_START_DATE).startMs).toBe(Date.UTC(2014, 0, 1));
  });

  it.each(['2019-02-29', '2020-2-29', '', 'today'])('refuses %j as a first day', (text) => {
    expect(() => lakeWindow(text)).toThrow(
      `The lake's first day must be a calendar day YYYY-MM-DD, got ${JSON.stringify(text)}`,
    );
  });

  it('holds events from its first day up to a day after their arrival, both ends included', () => {
    for (const eventMs of [lake.startMs, ARRIVAL - 1000 * DAY, ARRIVAL, ARRIVAL + DAY]) {
      expect(outsideLakeWindow(eventMs, ARRIVAL, lake)).toBeUndefined();
    }
  });

  it('says why an event before its first day is not stored', () => {
    expect(outsideLakeWindow(lake.startMs - 1, ARRIVAL, lake)).toBe(
      "is 2020-02-28T23:59:59.999Z, before the lake's first day 2020-02-29; events before it are not stored (check the device clock, or deploy with an earlier -c lakeStartDate=YYYY-MM-DD)",
    );
  });

  it('names the setting that moves the first day where the lake is configured', () => {
    const local = lakeWindow('2020-02-29', 'choose an earlier --lake-start-date');
    expect(outsideLakeWindow(local.startMs - 1, ARRIVAL, local)).toBe(
      "is 2020-02-28T23:59:59.999Z, before the lake's first day 2020-02-29; events before it are not stored (check the device clock, or choose an earlier --lake-start-date)",
    );
  });

  it('says why an event over a day after its arrival is not stored', () => {
    expect(outsideLakeWindow(ARRIVAL + DAY + 1, ARRIVAL, lake)).toBe(
      'is 2026-03-02T12:00:00.001Z, more than a day after the event arrived (2026-03-01T12:00:00.000Z); check the device clock',
    );
  });
});
