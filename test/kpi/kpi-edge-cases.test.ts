import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { type EventFields, eventRecord } from '../support/generate-events';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';
import { referenceKpi } from '../support/reference-kpis';
import { writeLake } from '../support/write-lake';

/**
 * A handful of events whose KPIs are worked out by hand below, one per docs/CONTRACT.md §4 rule:
 * duplicates, an event id reused by another client, events either side of midnight in
 * Kolkata, a client first seen and a purchase made before the range, and a client F that
 * never starts a session (counted by the lifetime count, which reads every event, but not
 * as a new user, which needs a `_session.start`).
 */
const event = (
  clientId: string,
  eventId: string,
  eventType: string,
  iso: string,
  extra: Partial<EventFields> = {},
) => eventRecord({ appId: 'edge', clientId, eventId, eventType, timestamp: Date.parse(iso), ...extra });
const start = (clientId: string, eventId: string, iso: string) =>
  event(clientId, eventId, '_session.start', iso);
const twice = (record: EventRecord) => [
  record,
  { ...record, arrival_timestamp: record.arrival_timestamp + 5000 },
];

const EVENTS: EventRecord[] = [
  ...twice(start('A', '1', '2026-03-01T10:00:00Z')),
  start('B', '1', '2026-03-01T11:00:00Z'),
  start('C', '1', '2026-02-28T18:29:59.999Z'),
  start('D', '1', '2026-02-28T18:30:00.000Z'),
  start('E', '1', '2026-01-15T12:00:00Z'),
  event('E', '2', '_monetization.purchase', '2026-01-20T12:00:00Z', { metrics: { _item_price: 5 } }),
  start('E', '3', '2026-03-02T12:00:00Z'),
  start('A', '2', '2026-03-02T09:00:00Z'),
  event('A', '3', 'level_complete', '2026-03-01T10:01:00Z', {
    metrics: { score: 10 },
    attributes: { level: '3' },
  }),
  event('B', '2', 'level_complete', '2026-03-01T11:01:00Z', { attributes: { level: 'abc' } }),
  ...twice(
    event('B', '3', 'level_complete', '2026-03-01T11:02:00Z', {
      metrics: { score: 30 },
      attributes: { level: '12.5' },
    }),
  ),
  ...twice(
    event('B', '4', '_monetization.purchase', '2026-03-01T11:05:00Z', { metrics: { _item_price: 2.5 } }),
  ),
  event('F', '1', 'app_installed', '2026-03-01T19:00:00Z'),
];

/** Yesterday is 2026-03-02 in UTC and in Kolkata. */
const NOW = Date.parse('2026-03-03T12:00:00Z');

let instance: DuckDBInstance;
let dataDir: string;
let app: ReturnType<typeof createKpiApp>;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  dataDir = await mkdtemp(join(tmpdir(), 'kpi-edge-'));
  await writeLake(instance, dataDir, EVENTS);
  app = createKpiApp({
    lake: TEST_LAKE,
    apps: NO_APPS,
    engine: new DuckDbEngine({ dataDir, instance }),
    now: () => NOW,
  });
});

afterAll(async () => {
  instance.closeSync();
  await rm(dataDir, { recursive: true, force: true });
});

const NAMES = { eventName: 'level_complete', metric: 'score', attribute: 'level' };

async function values(template: string, timezone: string): Promise<(number | null)[]> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: keyof typeof NAMES) => NAMES[name]);
  const response = await app.request(
    `/apps/edge${path}?startDate=2026-03-01&endDate=2026-03-03&timezone=${timezone}`,
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { values: { value: number | null }[] };
  return body.values.map((v) => v.value);
}

describe.each([
  ['/kpis/dau/count', 'UTC', [2, 2, 0]],
  ['/kpis/sessions/count', 'UTC', [2, 2, 0]],
  ['/kpis/new-users/count', 'UTC', [2, 0, 0]],
  ['/kpis/new-users/lifetime-count', 'UTC', [6, 6, 6]],
  ['/kpis/mau/count', 'UTC', [4, 5, 5]],
  ['/kpis/daily-revenue/sum', 'UTC', [2.5, 0, 0]],
  ['/kpis/pdau/count', 'UTC', [1, 1, 0]],
  ['/kpis/pmau/count', 'UTC', [1, 2, 2]],
  ['/kpis/day-1-retention/count', 'UTC', [1, null, null]],
  ['/events/{eventName}/count', 'UTC', [3, 0, 0]],
  ['/events/{eventName}/metrics/{metric}/sum', 'UTC', [40, null, null]],
  ['/events/{eventName}/metrics/{metric}/avg', 'UTC', [20, null, null]],
  ['/events/{eventName}/metrics/{metric}/min', 'UTC', [10, null, null]],
  ['/events/{eventName}/attributes/{attribute}/sum', 'UTC', [15.5, null, null]],
  ['/events/{eventName}/attributes/{attribute}/avg', 'UTC', [7.75, null, null]],
  ['/events/{eventName}/attributes/{attribute}/max', 'UTC', [12.5, null, null]],
  ['/kpis/dau/count', 'Asia/Kolkata', [3, 2, 0]],
  ['/kpis/sessions/count', 'Asia/Kolkata', [3, 2, 0]],
  ['/kpis/new-users/count', 'Asia/Kolkata', [3, 0, 0]],
  ['/kpis/new-users/lifetime-count', 'Asia/Kolkata', [5, 6, 6]],
])('%s in %s, worked out by hand', (path, timezone, expected) => {
  it(`is ${JSON.stringify(expected)} from the API`, async () => {
    expect(await values(path, timezone)).toEqual(expected);
  });

  it('is the same from the reference', () => {
    const reference = referenceKpi(EVENTS, {
      appId: 'edge',
      path,
      startDate: '2026-03-01',
      endDate: '2026-03-03',
      timezone,
      lastCompleteDate: '2026-03-02',
      ...NAMES,
    });
    expect(reference.map((v) => v.value)).toEqual(expected);
  });
});
