import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { DuckDbEngine, type EventsSource } from '../../local/duckdb/duckdb-engine';
import { Lake } from '../../local/lake/lake';
import { eventRecord } from '../support/generate-events';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';
import { writeLake } from '../support/write-lake';

let instance: DuckDBInstance;
let tempDir: string;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  tempDir = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
});

afterAll(async () => {
  instance.closeSync();
  await rm(tempDir, { recursive: true, force: true });
});

const start = (appId: string, clientId: string, eventId: string, iso: string) =>
  eventRecord({ appId, clientId, eventId, eventType: '_session.start', timestamp: Date.parse(iso) });

describe('DuckDbEngine', () => {
  it('answers an empty or missing lake as if it had no rows', async () => {
    const engine = new DuckDbEngine({ dataDir: join(tempDir, 'does-not-exist'), instance });
    const { rows } = await engine.query(
      'SELECT count(*) AS n, count(DISTINCT app_id) AS apps FROM events',
      [],
    );
    expect(rows).toEqual([{ n: 0, apps: 0 }]);
    const app = createKpiApp({
      lake: TEST_LAKE,
      apps: NO_APPS,
      engine,
      now: () => Date.parse('2026-03-15T12:00:00Z'),
    });
    const body = await (
      await app.request('/apps/demo/kpis/mau/count?startDate=2026-03-01&endDate=2026-03-03')
    ).json();
    expect(body.values).toEqual([
      { date: '2026-03-01', value: 0 },
      { date: '2026-03-02', value: 0 },
      { date: '2026-03-03', value: 0 },
    ]);
  });

  it('opens its own in-memory database when given none, and closes it', async () => {
    const engine = new DuckDbEngine({ dataDir: tempDir });
    expect((await engine.query('SELECT 40 + 2 AS answer', [])).rows).toEqual([{ answer: 42 }]);
    await engine.close();
    await expect(engine.query('SELECT 1 AS one', [])).rejects.toThrow();
  });

  it('reads files written after an earlier query', async () => {
    const dataDir = join(tempDir, 'growing');
    const engine = new DuckDbEngine({ dataDir, instance });
    const count = async () => (await engine.query('SELECT count(*) AS n FROM events', [])).rows[0]?.n;
    expect(await count()).toBe(0);
    await writeLake(instance, dataDir, [start('demo', 'a', '1', '2026-03-01T10:00:00Z')]);
    expect(await count()).toBe(1);
    await writeLake(instance, dataDir, [start('demo', 'b', '1', '2026-03-01T11:00:00Z')]);
    expect(await count()).toBe(2);
  });

  it('reads app_id and dt from the partition path as text, like Glue', async () => {
    const dataDir = join(tempDir, 'partitions');
    await writeLake(instance, dataDir, [start('007', 'a', '1', '2026-03-01T23:30:00Z')]);
    const engine = new DuckDbEngine({ dataDir, instance });
    const { rows } = await engine.query('SELECT app_id, dt, client.client_id AS client_id FROM events', []);
    expect(rows).toEqual([{ app_id: '007', dt: '2026-03-01', client_id: 'a' }]);
  });

  it('binds parameters by position and never interprets them as SQL', async () => {
    const engine = new DuckDbEngine({ dataDir: tempDir, instance });
    const { rows } = await engine.query('SELECT ? AS text, ? AS whole, ? AS fraction', [
      "x'; DROP TABLE events; --",
      9007199254740991,
      2.5,
    ]);
    expect(rows).toEqual([{ text: "x'; DROP TABLE events; --", whole: 9007199254740991, fraction: 2.5 }]);
  });

  it('runs every connection in UTC, whatever the host zone', async () => {
    const engine = new DuckDbEngine({ dataDir: tempDir, instance });
    const { rows } = await engine.query("SELECT current_setting('TimeZone') AS zone", []);
    expect(rows).toEqual([{ zone: 'UTC' }]);
  });

  it('keeps its connections set up for later queries, and answers after a query that failed', async () => {
    const engine = new DuckDbEngine({ dataDir: tempDir, instance });
    const check = "SELECT current_setting('TimeZone') AS zone, element_at(map(['k'], [7]), 'k') AS value";
    for (let i = 0; i < 3; i++) {
      expect((await engine.query(check, [])).rows).toEqual([{ zone: 'UTC', value: 7 }]);
    }
    await expect(engine.query('SELECT no_such_column FROM events', [])).rejects.toThrow(/no_such_column/);
    const both = await Promise.all([engine.query(check, []), engine.query(check, [])]);
    expect(both.map((r) => r.rows)).toEqual([[{ zone: 'UTC', value: 7 }], [{ zone: 'UTC', value: 7 }]]);
    await engine.close();
  });

  it('reads what each query pinned on a kept connection: its views follow new events, conversions and late events', async () => {
    const dataDir = join(tempDir, 'kept-views');
    const lake = await Lake.open({ dataDir, command: 'a test', instance, convertAfterMs: 60_000 });
    // One query at a time: every query runs on the same kept connection and its views.
    const engine = new DuckDbEngine({ events: lake, instance, maxConcurrentQueries: 1 });
    const count = async () =>
      (await engine.query("SELECT count(*) AS n, max(dt) AS last FROM events WHERE app_id = 'demo'", []))
        .rows[0];
    try {
      expect(await count()).toEqual({ n: 0, last: null });
      await lake.sink.put([start('demo', 'a', '1', '2026-03-01T10:00:00Z')]);
      expect(await count()).toEqual({ n: 1, last: '2026-03-01' });
      await lake.converted();
      await lake.sink.put([start('demo', 'b', '2', '2026-03-02T10:00:00Z')]);
      expect(await count()).toEqual({ n: 2, last: '2026-03-02' });
      await lake.compactAll();
      expect(await count()).toEqual({ n: 2, last: '2026-03-02' });
      // A late event for a day already in a file, then that day rewritten by compaction.
      await lake.sink.put([start('demo', 'c', '3', '2026-03-01T23:00:00Z')]);
      expect(await count()).toEqual({ n: 3, last: '2026-03-02' });
      await lake.compactAll();
      expect(await count()).toEqual({ n: 3, last: '2026-03-02' });
    } finally {
      await engine.close();
      await lake.close();
    }
  });

  it('reads the rollup files each query pinned on a kept connection, not those an earlier query had', async () => {
    const dataDir = join(tempDir, 'kept-rollup-views');
    const day = (dt: string) =>
      join(dataDir, 'rollups', 'activity', 'app_id=demo', `dt=${dt}`, `activity-${dt}.parquet`);
    const writer = await instance.connect();
    for (const [dt, rows] of [
      ['2026-03-01', 2],
      ['2026-03-02', 5],
    ] as const) {
      await writer.run(
        `CREATE OR REPLACE TEMP TABLE one_day AS SELECT range AS client_key, 0 AS quarter FROM range(${rows})`,
      );
      await mkdir(join(day(dt), '..'), { recursive: true });
      await writer.run(`COPY one_day TO '${day(dt)}' (FORMAT parquet)`);
    }
    writer.closeSync();
    let pinned: string[] = [];
    const source: EventsSource = {
      pin: async () => ({
        parts: {},
        rollups: new Map([['rollup_activity', pinned]]),
        release: () => undefined,
      }),
    };
    const engine = new DuckDbEngine({ events: source, instance, maxConcurrentQueries: 1 });
    const rows = async () =>
      (await engine.query('SELECT count(*) AS n, count(DISTINCT dt) AS days FROM rollup_activity', []))
        .rows[0];
    try {
      expect(await rows()).toEqual({ n: 0, days: 0 });
      pinned = [day('2026-03-01')];
      expect(await rows()).toEqual({ n: 2, days: 1 });
      pinned = [day('2026-03-01'), day('2026-03-02')];
      expect(await rows()).toEqual({ n: 7, days: 2 });
      pinned = [day('2026-03-02')];
      expect(await rows()).toEqual({ n: 5, days: 1 });
    } finally {
      await engine.close();
    }
  });

  describe('Trino functions, with the results Trino gives', () => {
    const engine = () => new DuckDbEngine({ dataDir: tempDir, instance });

    it('from_unixtime(x, zone) cast to date is the calendar day in that zone', async () => {
      const { rows } = await engine().query(
        `SELECT
          CAST(from_unixtime(1772303399.999, 'Asia/Kolkata') AS date) AS before_midnight,
          CAST(from_unixtime(1772303400, 'Asia/Kolkata') AS date) AS at_midnight,
          CAST(from_unixtime(1772963999, 'America/Los_Angeles') AS date) AS pst,
          CAST(from_unixtime(1773039600, 'America/Los_Angeles') AS date) AS pdt`,
        [],
      );
      // 2026-02-28T18:29:59.999Z is 23:59:59.999 in Kolkata; 18:30Z is midnight of 03-01.
      // 2026-03-08T09:59:59Z is 01:59:59 PST on 03-08; 2026-03-09T07:00Z is 00:00 PDT on 03-09.
      expect(rows).toEqual([
        { before_midnight: '2026-02-28', at_midnight: '2026-03-01', pst: '2026-03-08', pdt: '2026-03-09' },
      ]);
    });

    it('element_at(map, key) is the value, or null for a missing key', async () => {
      const { rows } = await engine().query(
        "SELECT element_at(MAP {'a': 1.5}, 'a') AS present, element_at(MAP {'a': 1.5}, 'b') AS missing",
        [],
      );
      expect(rows).toEqual([{ present: 1.5, missing: null }]);
    });

    it('sequence, date_add, date_diff and regexp_like behave as in Trino', async () => {
      const { rows } = await engine().query(
        `SELECT
          (SELECT count(*) FROM UNNEST(sequence(3, 5)) AS t (n)) AS three,
          date_add('day', 20513, DATE '1970-01-01') AS day,
          date_diff('day', DATE '1970-01-01', DATE '2026-03-01') AS day_number,
          regexp_like('level 12', '[0-9]+') AS contains,
          regexp_like('12', '^[0-9]{3}$') AS anchored`,
        [],
      );
      expect(rows).toEqual([
        { three: 3, day: '2026-03-01', day_number: 20513, contains: true, anchored: false },
      ]);
    });
  });
});
