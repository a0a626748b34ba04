import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';
import { SpyEngine } from './spy-engine';

/** 2026-03-15 12:00 UTC: yesterday is 2026-03-14 in UTC. */
const NOW = Date.parse('2026-03-15T12:00:00Z');

let instance: DuckDBInstance;
let dataDir: string;
let engine: SpyEngine;
let app: ReturnType<typeof createKpiApp>;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  dataDir = await mkdtemp(join(tmpdir(), 'kpi-validation-'));
  engine = new SpyEngine(new DuckDbEngine({ dataDir, instance }));
  app = createKpiApp({ lake: TEST_LAKE, apps: NO_APPS, engine, now: () => NOW });
});

beforeEach(() => {
  engine.calls.length = 0;
});

afterAll(async () => {
  instance.closeSync();
  await rm(dataDir, { recursive: true, force: true });
});

async function get(path: string) {
  const response = await app.request(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function expectRejected(path: string, parameter: string) {
  const { status, body } = await get(path);
  expect({ path, status }).toEqual({ path, status: 400 });
  expect(body.message).toEqual(expect.stringContaining(parameter));
  expect(engine.calls).toHaveLength(0);
}

const DAU = '/apps/demo/kpis/dau/count';

describe('KPI request validation', () => {
  it('defaults to the 30 days ending yesterday, in UTC', async () => {
    const { status, body } = await get(DAU);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      appId: 'demo',
      kpi: 'dau/count',
      startDate: '2026-02-13',
      endDate: '2026-03-14',
    });
    expect(body.timezone).toBe('UTC');
    expect(body.values).toHaveLength(30);
  });

  it('sets x-amzn-RequestId on answers and on errors', async () => {
    for (const path of [DAU, `${DAU}?timezone=Nowhere`]) {
      const response = await app.request(path);
      expect(response.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('takes yesterday in the requested time zone as the default end date', async () => {
    const { body } = await get(`${DAU}?timezone=Pacific/Kiritimati`);
    expect(body.endDate).toBe('2026-03-15');
    const { body: west } = await get(`${DAU}?timezone=Pacific/Pago_Pago`);
    expect(west.endDate).toBe('2026-03-14');
  });

  it('starts 29 days before a given end date when no start date is given', async () => {
    const { body } = await get(`${DAU}?endDate=2026-01-31`);
    expect(body).toMatchObject({ startDate: '2026-01-02', endDate: '2026-01-31' });
  });

  it('accepts a range of exactly 366 days', async () => {
    const { status, body } = await get(`${DAU}?startDate=2024-01-01&endDate=2024-12-31`);
    expect(status).toBe(200);
    expect(body.values).toHaveLength(366);
  });

  it('rejects a range longer than 366 days', async () => {
    await expectRejected(`${DAU}?startDate=2024-01-01&endDate=2025-01-01`, '366');
  });

  it('rejects a start date after the end date', async () => {
    await expectRejected(`${DAU}?startDate=2026-02-02&endDate=2026-02-01`, 'startDate');
  });

  it('rejects a start date after the default end date, saying the end date is yesterday', async () => {
    await expectRejected(`${DAU}?startDate=2026-03-15`, 'default: yesterday');
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '26-01-01',
    '2026-1-1',
    '2026-01-01T00:00:00Z',
    "2026-01-01'",
    '2026-01-01;DROP TABLE events',
    '２０２６-０１-０１',
    '1969-12-31',
    '',
  ])('rejects the start date %j', async (value) => {
    await expectRejected(`${DAU}?startDate=${encodeURIComponent(value)}&endDate=2026-03-01`, 'startDate');
  });

  it.each(['2025-02-29', 'yesterday', "' OR 1=1 --"])('rejects the end date %j', async (value) => {
    await expectRejected(`${DAU}?endDate=${encodeURIComponent(value)}`, 'endDate');
  });

  it.each([
    'UTC; DROP TABLE events',
    "UTC'",
    'Not/AZone',
    '+05:30',
    'UTC+5',
    '../../etc/passwd',
    'America/Los_Angeles ',
    '',
    'A'.repeat(65),
    'Europe/Paris\u0000',
  ])('rejects the time zone %j', async (value) => {
    await expectRejected(`${DAU}?timezone=${encodeURIComponent(value)}`, 'timezone');
  });

  it.each([
    "bad'id",
    'a;b',
    '../../etc',
    '..%2F..',
    '-starts-with-dash',
    'spa ce',
    'caf\u00e9',
    'a'.repeat(129),
    'nul\u0000',
    'app_id=x/dt=y',
  ])('rejects the app id %j', async (value) => {
    await expectRejected(`/apps/${encodeURIComponent(value)}/kpis/dau/count`, 'appId');
  });

  it.each([
    ['metric', '/apps/demo/events/e/metrics/{}/sum'],
    ['attribute', '/apps/demo/events/e/attributes/{}/avg'],
  ])('rejects the %s name over 50 characters, the most the doors store', async (name, template) => {
    for (const value of ['x'.repeat(51), '🎮'.repeat(51)]) {
      await expectRejected(template.replace('{}', encodeURIComponent(value)), name);
    }
  });

  it('accepts every name the doors store: event types of any length, 50-character keys, any character', async () => {
    for (const path of [
      `/apps/demo/events/${encodeURIComponent('x'.repeat(51))}/count`,
      `/apps/demo/events/${encodeURIComponent('line\nbreak\ttab\u0000nul\u200bzero')}/count`,
      `/apps/demo/events/e/metrics/${encodeURIComponent('🎮'.repeat(50))}/sum`,
      `/apps/demo/events/e/attributes/${encodeURIComponent('tab\there\u2028')}/avg`,
    ]) {
      const { status } = await get(path);
      expect({ path, status }).toEqual({ path, status: 200 });
    }
  });

  it('rejects unknown and misspelt query parameters, naming them', async () => {
    await expectRejected(`${DAU}?startdate=2026-01-01`, 'startdate');
    await expectRejected(`${DAU}?foo=bar`, 'foo');
    await expectRejected(`${DAU}?timezone=UTC&timezone=UTC;DROP`, 'timezone');
    await expectRejected('/apps/demo/events?foo=bar', 'foo');
    await expectRejected('/apps?startDate=2026-01-01', 'startDate');
  });

  it('answers 404 with a message for unknown paths and methods', async () => {
    for (const path of [
      '/apps/demo/kpis/wau/count',
      '/apps/demo/kpis/dau',
      '/kpis/dau/count',
      '/apps/demo/events//count',
    ]) {
      const { status, body } = await get(path);
      expect({ path, status }).toEqual({ path, status: 404 });
      expect(typeof body.message).toBe('string');
    }
    const traversal = await get('/apps/%2e%2e/kpis/dau/count');
    expect(traversal.status).toBe(404);
    const response = await app.request(DAU, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(engine.calls).toHaveLength(0);
  });

  it('accepts printable names with quotes, semicolons and emoji, and binds them as values', async () => {
    const eventName = "it's; DROP TABLE events; --";
    const attribute = "x' OR '1'='1";
    const path = `/apps/demo/events/${encodeURIComponent(eventName)}/attributes/${encodeURIComponent(attribute)}/max`;
    const { status, body } = await get(`${path}?startDate=2026-03-01&endDate=2026-03-02`);
    expect(status).toBe(200);
    expect(body.kpi).toBe(`events/${eventName}/attributes/${attribute}/max`);
    expect(body.values).toEqual([
      { date: '2026-03-01', value: null },
      { date: '2026-03-02', value: null },
    ]);
    const [call] = engine.calls;
    expect(call?.params).toEqual(expect.arrayContaining([eventName, attribute]));
    expect(call?.sql).not.toContain('DROP');
    const { status: emoji } = await get('/apps/demo/events/%F0%9F%8E%AE%20Level%20%C3%BC/count');
    expect(emoji).toBe(200);
  });
});
