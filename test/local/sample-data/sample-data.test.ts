import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS } from '../../../lambdas/core/event-record';
import { lakeStats } from '../../../local/lake/lake-files';
import { writeSampleData } from '../../../local/sample-data/sample-data';
import { filesBelow, lakeRows, sqlRows, tempDir, withLake } from '../support/lake-fixtures';

const NOW = Date.parse('2026-03-26T10:00:00Z');

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeAll(async () => {
  dir = await tempDir('sample-data');
  instance = await DuckDBInstance.create(':memory:');
  await withLake(instance, dir.path, (lake) =>
    writeSampleData({ instance, lake, events: 20_000, now: () => NOW }),
  );
});

afterAll(async () => {
  instance.closeSync();
  await dir.remove();
});

/** The first row of a query over the lake; `lake` in the SQL stands for all its events. */
const one = async (sql: string) => {
  const lake = `read_parquet('${dir.path}/events/*/*/*.parquet', hive_partitioning = true)`;
  return (await sqlRows(instance, sql.replaceAll('lake', lake)))[0] ?? {};
};

describe('sample data', () => {
  it('covers the 90 days ending yesterday, one Parquet file per day, with exactly the event columns', async () => {
    const days = await lakeRows(instance, dir.path, 'DISTINCT app_id, dt');
    expect(days.map((d) => d.app_id)).toEqual(Array(90).fill('demo'));
    expect(days.map((d) => String(d.dt)).sort()[0]).toBe('2025-12-26');
    expect(days.map((d) => String(d.dt)).sort()[89]).toBe('2026-03-25');
    expect(await lakeStats(dir.path)).toMatchObject({ partitions: 90, files: 90 });
    const [file] = (await filesBelow(dir.path)).filter((f) => f.endsWith('.parquet'));
    const columns = await sqlRows(
      instance,
      `DESCRIBE SELECT * FROM read_parquet('${dir.path}/${file}', hive_partitioning = false)`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(EVENT_COLUMNS.map((c) => c.name));
  });

  it('makes about the number of events asked for (within 8%), every one dated on its partition day', async () => {
    const counts = await one(
      `SELECT count(*) AS n, count(*) FILTER (WHERE strftime(to_timestamp(event_timestamp / 1000), '%Y-%m-%d') <> dt) AS misplaced FROM lake`,
    );
    expect(Number(counts.n)).toBeGreaterThan(18_400);
    expect(Number(counts.n)).toBeLessThan(21_600);
    expect(counts.misplaced).toBe('0');
  });

  it('has the event types of a game with sessions, levels, ads and purchases', async () => {
    const types = await lakeRows(instance, dir.path, 'DISTINCT event_type');
    expect(types.map((t) => t.event_type).sort()).toEqual([
      '_monetization.purchase',
      '_session.start',
      '_session.stop',
      'ad_impression',
      'level_complete',
      'level_fail',
      'level_start',
      'tutorial_complete',
    ]);
  });

  it('gives every purchase a price, quantity, currency and product, as Pinpoint SDKs record them', async () => {
    const purchases = await one(`SELECT count(*) AS n,
      count(*) FILTER (WHERE metrics['_item_price'] > 0 AND metrics['_quantity'] = 1
        AND attributes['_currency'] = 'USD' AND attributes['_product_id'] IS NOT NULL) AS complete
      FROM lake WHERE event_type = '_monetization.purchase'`);
    expect(Number(purchases.n)).toBeGreaterThan(10);
    expect(purchases.complete).toBe(purchases.n);
  });

  it('gives completed levels a score, duration and level attribute', async () => {
    const levels = await one(`SELECT count(*) AS n,
      count(*) FILTER (WHERE metrics['score'] > 0 AND metrics['duration_seconds'] > 0 AND attributes['level'] IS NOT NULL) AS complete
      FROM lake WHERE event_type = 'level_complete'`);
    expect(Number(levels.n)).toBeGreaterThan(100);
    expect(levels.complete).toBe(levels.n);
  });

  it('closes every session it opens, later, with the same session id', async () => {
    const sessions = await one(`SELECT count(*) AS starts, count(stop.stopped_at) AS stopped,
      count(*) FILTER (WHERE stop.stopped_at > start.started_at) AS later
      FROM (SELECT DISTINCT session.session_id AS id, event_timestamp AS started_at FROM lake WHERE event_type = '_session.start') start
      LEFT JOIN (SELECT DISTINCT session.session_id AS id, session.stop_timestamp AS stopped_at FROM lake WHERE event_type = '_session.stop') stop
      USING (id)`);
    expect(Number(sessions.starts)).toBeGreaterThan(1000);
    expect(sessions.stopped).toBe(sessions.starts);
    expect(sessions.later).toBe(sessions.starts);
  });

  it('spreads users over platforms, devices and locales', async () => {
    const spread =
      await one(`SELECT count(DISTINCT device.platform.name) AS platforms, count(DISTINCT device.model) AS models,
      count(DISTINCT device.locale.code) AS locales, count(DISTINCT application.version_name) AS versions FROM lake`);
    expect(spread).toEqual({ platforms: '2', models: '12', locales: '10', versions: '3' });
  });

  it('has users arriving over time and churning: many play one day only, a few play for weeks', async () => {
    const lifetimes = await one(`SELECT count(*) AS users, count(*) FILTER (WHERE days = 1) AS one_day,
      count(*) FILTER (WHERE days >= 20) AS loyal, count(DISTINCT first) AS arrival_days
      FROM (SELECT client.client_id, count(DISTINCT dt) AS days, min(dt) AS first
            FROM lake GROUP BY 1)`);
    const users = Number(lifetimes.users);
    expect(Number(lifetimes.one_day) / users).toBeGreaterThan(0.25);
    expect(Number(lifetimes.loyal)).toBeGreaterThan(0);
    expect(Number(lifetimes.loyal) / users).toBeLessThan(0.25);
    expect(Number(lifetimes.arrival_days)).toBeGreaterThan(80);
  });

  it('sends a few events twice, as at-least-once delivery does, with the same event id', async () => {
    const copies = await one(
      `SELECT count(*) - count(DISTINCT (client.client_id, event_id)) AS duplicates FROM lake`,
    );
    expect(Number(copies.duplicates)).toBeGreaterThan(0);
    expect(Number(copies.duplicates)).toBeLessThan(200);
  });

  it('is the same for the same seed, and different for another', async () => {
    const rowsFor = async (seed: number) => {
      const other = await tempDir('sample-seed');
      try {
        await withLake(instance, other.path, (lake) =>
          writeSampleData({ instance, lake, events: 2_000, days: 7, seed, now: () => NOW }),
        );
        return (await lakeRows(instance, other.path, 'to_json(COLUMNS(*)) AS row'))
          .map((r) => String(r.row))
          .sort();
      } finally {
        await other.remove();
      }
    };
    const first = await rowsFor(7);
    expect(await rowsFor(7)).toEqual(first);
    expect(await rowsFor(8)).not.toEqual(first);
  });

  it('publishes nothing when stopped before it is done', async () => {
    const other = await tempDir('sample-stop');
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(
        withLake(instance, other.path, (lake) =>
          writeSampleData({ instance, lake, events: 2_000, now: () => NOW, signal: controller.signal }),
        ),
      ).rejects.toThrow(/abort/i);
      expect(await filesBelow(other.path)).toEqual([]);
    } finally {
      await other.remove();
    }
  });
});
