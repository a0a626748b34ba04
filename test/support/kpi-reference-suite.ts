import { dayInZone, formatDay } from '../../lambdas/core/calendar-day';
import type { EventRecord } from '../../lambdas/core/event-record';
import { KPI_ROUTES } from '../../lambdas/kpi/kpi-routes';
import { expectSameSeries } from './expect-same-series';
import { generateEvents } from './generate-events';
import { type KpiLake, kpiLake, type LakeState } from './kpi-lakes';
import { type ReferenceValue, referenceEventCatalogue, referenceKpi } from './reference-kpis';

/**
 * Every KPI, over HTTP through the KPI app on DuckDB, against the plain TypeScript reference,
 * in four zones (whole hours with DST, half hours, and Lord Howe's half-hour DST shift; London,
 * whose offset is 0 on some days only, where a test file asks for it), on a lake in one of the
 * states of `kpi-lakes.ts`. One test file per state, so they run in parallel.
 */

export const REFERENCE_ZONES = ['UTC', 'Asia/Kolkata', 'America/New_York', 'Australia/Lord_Howe'];
/**
 * Offset 0 until its clocks go forward (2026-03-29, in RANGE): its UTC days are local days before
 * that and split ones after, so one query reads `rollup_client_days` and `rollup_activity`.
 */
export const LONDON = 'Europe/London';
/** 02:00 UTC: yesterday is 2026-03-25 in UTC, Kolkata and Lord Howe but 2026-03-24 in New York. */
export const NOW = Date.parse('2026-03-26T02:00:00Z');
/**
 * Spans New York's DST change (2026-03-08), Lord Howe's (2026-04-05), three UTC days without any
 * event, yesterday and days after it.
 */
const RANGE = { startDate: '2026-02-20', endDate: '2026-04-10' };
/**
 * Ends more than 21 days before yesterday, so every retention value is a number, including
 * those whose window needs the last UTC partition after the range.
 */
const COMPLETE_RANGE = { startDate: '2026-01-25', endDate: '2026-03-02' };
/** 30 days, like a dashboard's: MAU and retention fit day bitmaps (`BITMAP_DAYS`). */
const NARROW_RANGE = { startDate: '2026-02-09', endDate: '2026-03-10' };
const EMPTY_DAYS = ['2026-03-10', '2026-03-11', '2026-03-12'];
const NAMES = { eventName: 'level_complete', metric: 'score', attribute: 'level' };

export function referenceEvents(): EventRecord[] {
  return [
    ...generateEvents({
      seed: 20260326,
      appId: 'demo',
      from: '2025-12-20',
      to: '2026-04-25',
      clients: 120,
      midnightZones: [...REFERENCE_ZONES, LONDON],
      emptyDays: EMPTY_DAYS,
    }),
    ...generateEvents({ seed: 7, appId: 'other-app', from: '2026-02-01', to: '2026-04-01', clients: 15 }),
  ];
}

interface Answer {
  readonly values: ReferenceValue[];
  readonly source: { readonly rollup: string[]; readonly raw: string[] };
  readonly bytesScanned?: number;
  readonly freshness: string | null;
}

export function describeKpiReference(state: LakeState, zones: readonly string[] = REFERENCE_ZONES): void {
  let events: EventRecord[];
  let lake: KpiLake;

  beforeAll(async () => {
    events = referenceEvents();
    lake = await kpiLake(state, events, { now: NOW, seed: 99 });
    // Each of the lake's 190 partitions gets its rollup built and committed on its own.
  }, 240_000);

  afterAll(async () => {
    await lake.close();
  });

  async function fetchAnswer(
    path: string,
    names: Record<string, string>,
    timezone: string,
    range: { startDate: string; endDate: string },
  ): Promise<Answer> {
    const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(names[name] ?? ''));
    const query = new URLSearchParams({ ...range, timezone });
    const response = await lake.app.request(`/apps/demo${concrete}?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  }

  describe.each(zones)(`KPIs in %s on a lake with ${state} match the reference`, (timezone) => {
    const lastCompleteDate = formatDay(dayInZone(NOW, timezone) - 1);
    const request = (path: string, names: Record<string, string>, range: typeof RANGE) => ({
      appId: 'demo',
      path,
      ...range,
      timezone,
      lastCompleteDate,
      ...names,
    });

    it.each(KPI_ROUTES.map((r) => r.definition.path))('%s', async (path) => {
      for (const range of [RANGE, COMPLETE_RANGE, NARROW_RANGE]) {
        const answer = await fetchAnswer(path, NAMES, timezone, range);
        const expected = referenceKpi(events, request(path, NAMES, range));
        expect(expected.some((v) => v.value !== 0 && v.value !== null)).toBe(true);
        expectSameSeries(path, answer.values, expected);
        const dates = answer.values.map((v) => v.date);
        expect([...answer.source.rollup, ...answer.source.raw].sort()).toEqual(dates);
        if (state === 'raw') expect(answer.source.rollup).toEqual([]);
        if (state === 'rollups' || state === 'recompacted' || state === 'upgraded')
          expect(answer.source.raw).toEqual([]);
        expect(answer.bytesScanned).toBeGreaterThan(0);
        expect(answer.freshness).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      }
    });

    it('answers 0 for an event type nobody sent and null for a metric no event has', async () => {
      const names = { eventName: 'never_sent', metric: 'no_such_metric', attribute: 'level' };
      const count = await fetchAnswer('/events/{eventName}/count', names, timezone, RANGE);
      expect(count.values.every((v) => v.value === 0)).toBe(true);
      const missing = { ...NAMES, metric: 'no_such_metric' };
      const path = '/events/{eventName}/metrics/{metric}/max';
      const metric = await fetchAnswer(path, missing, timezone, RANGE);
      expect(metric.values.every((v) => v.value === null)).toBe(true);
      expectSameSeries(path, metric.values, referenceKpi(events, request(path, missing, RANGE)));
    });
  });

  describe.each(zones)(`on a lake with ${state}, in %s`, (timezone) => {
    it.each([RANGE, COMPLETE_RANGE, { startDate: '2026-03-11', endDate: '2026-03-11' }])(
      'lists the event types of %j with their metric and attribute names',
      async (range) => {
        const query = new URLSearchParams({ ...range, timezone });
        const response = await lake.app.request(`/apps/demo/events?${query}`);
        expect(response.status).toBe(200);
        const expected = referenceEventCatalogue(events, { appId: 'demo', ...range, timezone });
        expect(await response.json()).toMatchObject({ appId: 'demo', ...range, timezone, events: expected });
      },
    );

    it('has empty days, null retention past yesterday and counts before it, as the data is meant to', async () => {
      const dau = await fetchAnswer('/kpis/dau/count', NAMES, timezone, RANGE);
      expect(dau.values.find((v) => v.date === '2026-03-11')?.value).toBe(0);
      const retention = await fetchAnswer('/kpis/day-1-retention/count', NAMES, timezone, RANGE);
      const yesterday = formatDay(dayInZone(NOW, timezone) - 1);
      expect(retention.values.filter((v) => v.date >= yesterday).every((v) => v.value === null)).toBe(true);
      expect(
        retention.values.filter((v) => v.date < yesterday).every((v) => typeof v.value === 'number'),
      ).toBe(true);
    });
  });

  it('lists the apps that have events, sorted (GET /apps)', async () => {
    const response = await lake.app.request('/apps');
    expect(response.status).toBe(200);
    const expected = [...new Set(events.map((e) => e.application.app_id))].sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(await response.json()).toEqual({ apps: expected });
  });

  if (state === 'stale') {
    it('reads the days that got late events from raw events, and says so', async () => {
      const answer = await fetchAnswer('/kpis/dau/count', NAMES, 'UTC', COMPLETE_RANGE);
      expect(answer.source.raw.length).toBeGreaterThan(0);
      expect(answer.source.rollup.length).toBeGreaterThan(0);
    });
  }
}
