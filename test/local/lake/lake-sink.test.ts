import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { BadRequestError, ServiceUnavailableError } from '../../../lambdas/core/errors';
import { EVENT_COLUMNS, type EventRecord } from '../../../lambdas/core/event-record';
import { sqlString } from '../../../lambdas/core/sql-literal';
import { DAY_MS, HOUR_MS } from '../../../lambdas/core/time';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import { Lake } from '../../../local/lake/lake';
import { LOG_DIR } from '../../../local/lake/lake-log';
import { eventRecord } from '../../support/generate-events';
import { filesBelow, lakeRows, sqlRows, tempDir } from '../support/lake-fixtures';

const DAY = Date.parse('2026-02-10T00:00:00Z');

const event = (appId: string, clientId: string, eventId: string, offsetMs: number): EventRecord =>
  eventRecord({ appId, clientId, eventId, eventType: '_session.start', timestamp: DAY + offsetMs });

/** A record with every optional field filled, including awkward text. */
const FULL_RECORD: EventRecord = {
  event_id: 'e-1',
  event_type: 'level_complete',
  event_timestamp: DAY + HOUR_MS,
  arrival_timestamp: DAY + 3_601_234,
  event_version: '3.1',
  application: {
    app_id: 'full.app',
    cognito_identity_pool_id: 'us-east-1:0000',
    package_name: 'com.example.full',
    title: 'Dragon\'s "Lair"',
    version_name: '2.1.0',
    version_code: '210',
    sdk: { name: 'aws-sdk-android', version: '2.75.0' },
  },
  client: { client_id: 'client-ü', cognito_id: 'us-east-1:1111' },
  device: {
    locale: { code: 'de_DE', country: 'DE', language: 'de' },
    make: 'Google',
    model: 'Pixel 8',
    platform: { name: 'Android', version: '14' },
  },
  session: { session_id: 's-1', start_timestamp: DAY + 3_500_000, stop_timestamp: DAY + 3_700_000 },
  attributes: { level: '12', "quote'key": 'line\nbreak', ProductId: 'Case Kept' },
  metrics: { score: 1234.5, tiny: 1e-300, negative: -2 },
  endpoint: JSON.stringify({ ChannelType: 'GCM', Demographic: { Locale: 'de_DE' } }),
  awsAccountId: '123456789012',
};

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;
let lake: Lake;
let engine: DuckDbEngine;

/** Rows over every event of the lake through the engine (log and Parquet). */
async function viewRows(select: string) {
  return (await engine.query(`SELECT ${select} FROM events`, [])).rows;
}

beforeEach(async () => {
  dir = await tempDir('lake-sink');
  instance = await DuckDBInstance.create(':memory:');
  lake = await Lake.open({ dataDir: dir.path, command: 'a test', instance, convertAfterMs: 60_000 });
  engine = new DuckDbEngine({ events: lake, instance });
});

afterEach(async () => {
  await lake.close();
  instance.closeSync();
  await dir.remove();
});

describe('the lake sink', () => {
  it('stores every record of concurrent puts exactly once, converted into app_id/dt partitions of Parquet files', async () => {
    const puts = Array.from({ length: 24 }, (_, i) =>
      Array.from({ length: 10 }, (_, j) =>
        event(i % 2 === 0 ? 'app-a' : 'app-b', `c${i}`, `e${j}`, (i % 3) * DAY_MS + j),
      ),
    );
    await Promise.all(puts.map((records) => lake.sink.put(records)));
    expect(await viewRows('count(*) AS n')).toEqual([{ n: 240 }]);
    expect(await filesBelow(join(dir.path, 'events'))).toEqual([]);

    await lake.converted();

    const rows = await lakeRows(instance, dir.path, 'app_id, dt, client.client_id AS c, event_id');
    expect(rows).toHaveLength(240);
    expect(new Set(rows.map((r) => `${r.c}/${r.event_id}`)).size).toBe(240);
    const partitions = new Set(rows.map((r) => `${r.app_id}/${r.dt}`));
    expect([...partitions].sort()).toEqual([
      'app-a/2026-02-10',
      'app-a/2026-02-11',
      'app-a/2026-02-12',
      'app-b/2026-02-10',
      'app-b/2026-02-11',
      'app-b/2026-02-12',
    ]);
    const files = await filesBelow(dir.path);
    expect(files.filter((f) => f !== '.lock')).toEqual(
      files.filter((f) => /^events\/app_id=[^/]+\/dt=[^/]+\/events-\d{16}-[^/]+\.parquet$/.test(f)),
    );
    expect(await readdir(join(dir.path, '.staging'))).toEqual([]);
  });

  it('writes puts that arrive during a write together: fewer commits than puts', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => lake.sink.put([event('app-a', `c${i}`, '1', i)])));
    const pinned = await lake.pin();
    const commits = pinned.version('app-a', '2026-02-10');
    pinned.release();
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThan(20);
  });

  it('writes Parquet files with exactly the event columns and no partition columns inside', async () => {
    await lake.sink.put([FULL_RECORD]);
    await lake.converted();
    const [file] = await filesBelow(join(dir.path, 'events'));
    const path = join(dir.path, 'events', file ?? '');
    const columns = await sqlRows(
      instance,
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(EVENT_COLUMNS.map((c) => c.name));
  });

  it('keeps every field of a record, nested and custom ones included, in the log and in Parquet', async () => {
    await lake.sink.put([FULL_RECORD]);
    const { awsAccountId, ...rest } = FULL_RECORD;
    const expected = { ...rest, awsaccountid: awsAccountId };
    const decode = (row: Record<string, unknown> | undefined) =>
      Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, JSON.parse(String(v))]));
    const select = `to_json(COLUMNS(* EXCLUDE (app_id, dt)))`;
    expect(decode((await viewRows(select))[0])).toEqual(expected);
    await lake.converted();
    expect(decode((await lakeRows(instance, dir.path, select))[0])).toEqual(expected);
    expect(decode((await viewRows(select))[0])).toEqual(expected);
  });

  it('makes a put visible to the very next query once it resolves, before and after conversion', async () => {
    const count = async () =>
      (await engine.query('SELECT count(*) AS n FROM events WHERE app_id = ?', ['app-a'])).rows[0]?.n;
    expect(await count()).toBe(0);
    for (let i = 1; i <= 6; i++) {
      await lake.sink.put([event('app-a', 'c1', `e${i}`, i)]);
      expect(await count()).toBe(i);
      if (i % 2 === 0) await lake.converted();
      expect(await count()).toBe(i);
    }
  });

  it('rejects with a 503 error when the log cannot be written, and keeps serving later puts', async () => {
    await lake.sink.put([event('app-a', 'c1', 'e1', 0)]);
    await lake.converted();
    const logDir = join(dir.path, LOG_DIR);
    await rename(logDir, `${logDir}.away`);
    await writeFile(logDir, 'not a folder');
    const failure = lake.sink.put([event('app-a', 'c1', 'e2', 0)]);
    await expect(failure).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(failure).rejects.toMatchObject({ status: 503 });
    await rm(logDir);
    await rename(`${logDir}.away`, logDir);
    await lake.sink.put([event('app-a', 'c1', 'e3', 0)]);
    expect((await viewRows('event_id')).map((r) => r.event_id).sort()).toEqual(['e1', 'e3']);
  });

  it('refuses an app id that cannot be a folder name', async () => {
    await expect(lake.sink.put([event('../escape', 'c1', 'e1', 0)])).rejects.toBeInstanceOf(BadRequestError);
    await lake.converted();
    expect((await filesBelow(dir.path)).filter((f) => f !== '.lock')).toEqual([]);
  });

  it('finishes queued puts on close, converts them, and refuses puts after it', async () => {
    const pending = lake.sink.put([event('app-a', 'c1', 'e1', 0)]);
    await lake.close();
    await pending;
    await expect(lake.sink.put([event('app-a', 'c1', 'e2', 0)])).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(await lakeRows(instance, dir.path, 'event_id')).toEqual([{ event_id: 'e1' }]);
    expect(await filesBelow(join(dir.path, LOG_DIR))).toEqual([]);
  });
});
