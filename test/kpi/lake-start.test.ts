import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lakeWindow } from '../../lambdas/core/lake-window';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { eventRecord } from '../support/generate-events';
import { NO_APPS } from '../support/no-apps';
import { referenceEventCatalogue, referenceKpi } from '../support/reference-kpis';
import { writeLake } from '../support/write-lake';
import { SpyEngine } from './spy-engine';

/**
 * A lake whose first day is 2026-02-01 but whose folder still holds older partitions (written
 * before the first day was moved): no KPI and no event catalogue reads them, so each equals the
 * reference over the events from the first day on, on both sides of the first day's midnight.
 */
const LAKE = lakeWindow('2026-02-01');
const event = (clientId: string, eventType: string, iso: string, metrics: Record<string, number> = {}) =>
  eventRecord({
    appId: 'lake',
    clientId,
    eventId: `${clientId}-${iso}`,
    eventType,
    timestamp: Date.parse(iso),
    metrics,
  });

const EVENTS = [
  event('old', '_session.start', '2026-01-15T12:00:00Z'),
  event('old', '_monetization.purchase', '2026-01-20T12:00:00Z', { _item_price: 5 }),
  event('edge', '_session.start', '2026-01-31T23:59:59.999Z'),
  event('old', 'level_up', '2026-01-31T20:00:00Z', { score: 3 }),
  event('edge', '_session.start', '2026-02-01T00:00:00.000Z'),
  event('a', '_session.start', '2026-02-10T09:00:00Z'),
  event('a', '_monetization.purchase', '2026-02-10T09:05:00Z', { _item_price: 2 }),
  event('old', '_session.start', '2026-03-02T12:00:00Z'),
  event('b', '_session.start', '2026-03-01T10:00:00Z'),
];
const NOW = Date.parse('2026-03-03T12:00:00Z');
const QUERY = { startDate: '2026-02-01', endDate: '2026-03-03', timezone: 'UTC' };
const REQUEST = { ...QUERY, lastCompleteDate: '2026-03-02' };

let instance: DuckDBInstance;
let dataDir: string;
let spy: SpyEngine;
let app: ReturnType<typeof createKpiApp>;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  dataDir = await mkdtemp(join(tmpdir(), 'kpi-lake-start-'));
  await writeLake(instance, dataDir, EVENTS);
  spy = new SpyEngine(new DuckDbEngine({ dataDir, instance }));
  app = createKpiApp({ lake: LAKE, apps: NO_APPS, engine: spy, now: () => NOW });
});

afterAll(async () => {
  instance.closeSync();
  await rm(dataDir, { recursive: true, force: true });
});

async function series(path: string, query: Record<string, string>) {
  spy.calls.length = 0;
  const response = await app.request(`/apps/lake${path}?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { values: { date: string; value: number | null }[] }).values;
}

describe.each([
  '/kpis/new-users/count',
  '/kpis/new-users/lifetime-count',
  '/kpis/pdau/count',
  '/kpis/pmau/count',
  '/kpis/mau/count',
  '/kpis/dau/count',
])("%s reads nothing before the lake's first day", (path) => {
  it('equals the reference over the events from the first day on', async () => {
    const inLake = EVENTS.filter((e) => e.event_timestamp >= LAKE.startMs);
    const expected = referenceKpi(inLake, { appId: 'lake', path, ...REQUEST });
    expect(await series(path, QUERY)).toEqual(expected);
  });
});

it('differs from a reading of the whole folder where history matters, so the checks above can fail', async () => {
  const whole = referenceKpi(EVENTS, { appId: 'lake', path: '/kpis/new-users/lifetime-count', ...REQUEST });
  expect(await series('/kpis/new-users/lifetime-count', QUERY)).not.toEqual(whole);
});

it("starts every dt range at the lake's first day at the earliest", async () => {
  await series('/kpis/mau/count', { startDate: '2026-02-05', endDate: '2026-02-06' });
  const [mau] = spy.calls;
  expect(mau?.params).toContain('2026-02-01');
  expect(mau?.params).not.toContain('2026-01-06');
  await series('/kpis/new-users/count', { startDate: '2026-03-01', endDate: '2026-03-02' });
  expect(spy.calls[0]?.params).toContain('2026-02-01');
});

describe("the event catalogue reads nothing before the lake's first day", () => {
  // 2026-02-01 in Tokyo starts at 2026-01-31T15:00Z: the day before the lake's first UTC day
  // holds a level_up event of that local day.
  const range = { startDate: '2026-02-01', endDate: '2026-02-01', timezone: 'Asia/Tokyo' };

  it('equals the reference over the events from the first day on', async () => {
    spy.calls.length = 0;
    const response = await app.request(`/apps/lake/events?${new URLSearchParams(range)}`);
    expect(response.status).toBe(200);
    const inLake = EVENTS.filter((e) => e.event_timestamp >= LAKE.startMs);
    const expected = referenceEventCatalogue(inLake, { appId: 'lake', ...range });
    expect(await response.json()).toEqual({ appId: 'lake', ...range, events: expected });
    expect(spy.calls[0]?.params).toContain('2026-02-01');
    expect(spy.calls[0]?.params).not.toContain('2026-01-31');
  });

  it('differs from a reading of the whole folder, so the check above can fail', () => {
    const inLake = EVENTS.filter((e) => e.event_timestamp >= LAKE.startMs);
    expect(referenceEventCatalogue(EVENTS, { appId: 'lake', ...range })).not.toEqual(
      referenceEventCatalogue(inLake, { appId: 'lake', ...range }),
    );
  });
});
