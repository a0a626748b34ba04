import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { KPI_ROUTES } from '../../lambdas/kpi/kpi-routes';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { LakeAppDirectory } from '../../local/lake/lake-app-directory';
import { expectSameSeries } from '../support/expect-same-series';
import { generateEvents } from '../support/generate-events';
import { TEST_LAKE } from '../support/lake';
import { type ReferenceValue, referenceEventCatalogue, referenceKpi } from '../support/reference-kpis';
import { writeLake } from '../support/write-lake';

const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'];
/** 02:00 UTC: yesterday is 2026-03-25 in UTC and Kolkata but 2026-03-24 in Los Angeles. */
const NOW = Date.parse('2026-03-26T02:00:00Z');
const YESTERDAY: Record<string, string> = {
  UTC: '2026-03-25',
  'America/Los_Angeles': '2026-03-24',
  'Asia/Kolkata': '2026-03-25',
};
/** Spans the Los Angeles DST change (2026-03-08), three UTC days without any event and yesterday. */
const RANGE = { startDate: '2026-02-20', endDate: '2026-03-31' };
/**
 * Ends more than 21 days before yesterday, so every retention value is a number, including
 * those whose window needs the last UTC partition after the range (its local evening in
 * Los Angeles is the next UTC day).
 */
const COMPLETE_RANGE = { startDate: '2026-01-25', endDate: '2026-03-02' };
const EMPTY_DAYS = ['2026-03-10', '2026-03-11', '2026-03-12'];
const NAMES = { eventName: 'level_complete', metric: 'score', attribute: 'level' };

let instance: DuckDBInstance;
let dataDir: string;
let events: EventRecord[];
let app: ReturnType<typeof createKpiApp>;

beforeAll(async () => {
  events = [
    ...generateEvents({
      seed: 20260326,
      appId: 'demo',
      from: '2025-12-20',
      to: '2026-04-25',
      clients: 120,
      midnightZones: ZONES,
      emptyDays: EMPTY_DAYS,
    }),
    ...generateEvents({ seed: 7, appId: 'other-app', from: '2026-02-01', to: '2026-04-01', clients: 15 }),
  ];
  instance = await DuckDBInstance.create(':memory:');
  dataDir = await mkdtemp(join(tmpdir(), 'kpi-reference-'));
  await writeLake(instance, dataDir, events);
  app = createKpiApp({
    engine: new DuckDbEngine({ dataDir, instance }),
    lake: TEST_LAKE,
    apps: new LakeAppDirectory({ dataDir }),
    now: () => NOW,
  });
});

afterAll(async () => {
  instance.closeSync();
  await rm(dataDir, { recursive: true, force: true });
});

async function fetchValues(
  path: string,
  names: Record<string, string>,
  timezone: string,
  range = RANGE,
): Promise<ReferenceValue[]> {
  const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(names[name] ?? ''));
  const query = new URLSearchParams({ ...range, timezone });
  const response = await app.request(`/apps/demo${concrete}?${query}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { values: ReferenceValue[] };
  return body.values;
}

describe.each(ZONES)('KPIs in %s match the plain TypeScript reference', (timezone) => {
  const request = (path: string, names: Record<string, string> = NAMES, range = RANGE) => ({
    appId: 'demo',
    path,
    ...range,
    timezone,
    lastCompleteDate: YESTERDAY[timezone] ?? '',
    ...names,
  });

  it.each(KPI_ROUTES.map((r) => r.definition.path))('%s', async (path) => {
    const actual = await fetchValues(path, NAMES, timezone);
    const expected = referenceKpi(events, request(path));
    expect(expected.some((v) => v.value !== 0 && v.value !== null)).toBe(true);
    expectSameSeries(path, actual, expected);
  });

  it.each(KPI_ROUTES.map((r) => r.definition.path))(
    '%s, over days whose windows are all complete',
    async (path) => {
      const actual = await fetchValues(path, NAMES, timezone, COMPLETE_RANGE);
      const expected = referenceKpi(events, request(path, NAMES, COMPLETE_RANGE));
      expect(expected.some((v) => v.value !== 0 && v.value !== null)).toBe(true);
      expect(expected.every((v) => v.value !== null || path.includes('/events/'))).toBe(true);
      expectSameSeries(path, actual, expected);
    },
  );

  it('answers 0 for an event type nobody sent and null for a metric no event has', async () => {
    const names = { eventName: 'never_sent', metric: 'no_such_metric', attribute: 'level' };
    const count = await fetchValues('/events/{eventName}/count', names, timezone);
    expect(count.every((v) => v.value === 0)).toBe(true);
    const missing = { ...NAMES, metric: 'no_such_metric' };
    const metric = await fetchValues('/events/{eventName}/metrics/{metric}/max', missing, timezone);
    expect(metric.every((v) => v.value === null)).toBe(true);
    expectSameSeries(
      '/events/{eventName}/metrics/{metric}/max',
      metric,
      referenceKpi(events, request('/events/{eventName}/metrics/{metric}/max', missing)),
    );
  });

  it.each([RANGE, COMPLETE_RANGE, { startDate: '2026-03-11', endDate: '2026-03-11' }])(
    'lists the event types of %j with their metric and attribute names',
    async (range) => {
      const query = new URLSearchParams({ ...range, timezone });
      const response = await app.request(`/apps/demo/events?${query}`);
      expect(response.status).toBe(200);
      const expected = referenceEventCatalogue(events, { appId: 'demo', ...range, timezone });
      expect(await response.json()).toEqual({ appId: 'demo', ...range, timezone, events: expected });
    },
  );

  it('has empty days, null retention past yesterday and counts before it, as the data is meant to', async () => {
    const dau = await fetchValues('/kpis/dau/count', NAMES, timezone);
    expect(dau.find((v) => v.date === '2026-03-11')?.value).toBe(0);
    const retention = await fetchValues('/kpis/day-1-retention/count', NAMES, timezone);
    const yesterday = YESTERDAY[timezone] ?? '';
    expect(retention.filter((v) => v.date >= yesterday).every((v) => v.value === null)).toBe(true);
    expect(retention.filter((v) => v.date < yesterday).every((v) => typeof v.value === 'number')).toBe(true);
  });
});

describe('GET /apps', () => {
  it('lists the apps that have events, sorted', async () => {
    const response = await app.request('/apps');
    expect(response.status).toBe(200);
    const expected = [...new Set(events.map((e) => e.application.app_id))].sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(await response.json()).toEqual({ apps: expected });
  });
});
