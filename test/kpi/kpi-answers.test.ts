import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { MemoryKpiCache } from '../../lambdas/kpi/kpi-cache';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { LakeScanSizer } from '../../local/duckdb/lake-scan-sizer';
import { compactLake } from '../../local/lake/compact';
import { LakeAppDirectory } from '../../local/lake/lake-app-directory';
import { LakeRollupCatalog } from '../../local/rollups/lake-rollup-catalog';
import { tempDir } from '../local/support/lake-fixtures';
import { eventRecord } from '../support/generate-events';
import { TEST_LAKE } from '../support/lake';
import { writeLake } from '../support/write-lake';

/** What an answer says besides its values: where each day came from, what it cost, how fresh it is, whether it may be cached. */

const start = (clientId: string, iso: string, arrivalIso = iso): EventRecord => ({
  ...eventRecord({
    appId: 'demo',
    clientId,
    eventId: iso,
    eventType: '_session.start',
    timestamp: Date.parse(iso),
  }),
  arrival_timestamp: Date.parse(arrivalIso),
});

const NOW = Date.parse('2026-03-10T12:00:00Z');
const RANGE = 'startDate=2026-03-01&endDate=2026-03-03';

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeEach(async () => {
  dir = await tempDir('kpi-answers');
  instance = await DuckDBInstance.create(':memory:');
  await writeLake(instance, dir.path, [
    start('a', '2026-03-01T10:00:00Z', '2026-03-01T10:00:05Z'),
    start('b', '2026-03-02T10:00:00Z', '2026-03-04T08:00:00Z'),
    start('a', '2026-03-03T10:00:00Z', '2026-03-03T10:00:01Z'),
  ]);
  const connection = await instance.connect();
  await compactLake({ connection, dataDir: dir.path, rebuild: true });
  connection.closeSync();
});

afterEach(async () => {
  instance.closeSync();
  await dir.remove();
});

async function app(cache = new MemoryKpiCache()) {
  const catalog = await LakeRollupCatalog.open(dir.path);
  const engine = new DuckDbEngine({ dataDir: dir.path, instance });
  return {
    catalog,
    app: createKpiApp({
      engine,
      catalog,
      cache,
      sizer: new LakeScanSizer(dir.path, instance),
      lake: TEST_LAKE,
      apps: new LakeAppDirectory(dir.path),
      now: () => NOW,
    }),
  };
}

interface Body {
  values: { date: string; value: number }[];
  source: { rollup: string[]; raw: string[] };
  bytesScanned: number;
  engineMs: number;
  freshness: string | null;
  cached?: boolean;
}

describe('a KPI answer', () => {
  it('from current rollups: says so, carries an ETag, and the same request with it is a 304', async () => {
    const { app: kpis } = await app();
    const first = await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`);
    const body = (await first.json()) as Body;
    expect(body.values.map((v) => v.value)).toEqual([1, 1, 1]);
    expect(body.source).toEqual({ rollup: ['2026-03-01', '2026-03-02', '2026-03-03'], raw: [] });
    expect(body.freshness).toBe('2026-03-04T08:00:00.000Z');
    expect(body.bytesScanned).toBeGreaterThan(0);
    expect(body.engineMs).toBeGreaterThanOrEqual(0);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);

    const again = await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`, {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);

    const cached = (await (await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`)).json()) as Body;
    expect(cached).toMatchObject({ values: body.values, cached: true, engineMs: 0 });
  });

  it('reads a day that got a late event from raw events, counts it, and is neither tagged nor cached', async () => {
    const { app: kpis, catalog } = await app();
    const tagged = await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`);
    await writeLake(instance, dir.path, [start('c', '2026-03-02T11:00:00Z', '2026-03-09T09:00:00Z')]);
    catalog.written([{ appId: 'demo', dt: '2026-03-02', dir: '' }]);

    const late = await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`, {
      headers: { 'If-None-Match': tagged.headers.get('etag') ?? '' },
    });
    expect(late.status).toBe(200);
    expect(late.headers.get('etag')).toBeNull();
    const body = (await late.json()) as Body;
    expect(body.values.map((v) => v.value)).toEqual([1, 2, 1]);
    expect(body.source).toEqual({ rollup: ['2026-03-01', '2026-03-03'], raw: ['2026-03-02'] });
    expect(body.freshness).toBe('2026-03-09T09:00:00.000Z');
    expect(body.cached).toBeUndefined();
  });

  it('in a zone whose days straddle two UTC days, says a date came from raw events when one of them did', async () => {
    const { app: kpis, catalog } = await app();
    catalog.written([{ appId: 'demo', dt: '2026-03-02', dir: '' }]);
    const body = (await (
      await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}&timezone=America/New_York`)
    ).json()) as Body;
    // Local 2026-03-01 ends at 05:00 UTC on 2026-03-02, local 2026-03-02 lies in it too.
    expect(body.source).toEqual({ rollup: ['2026-03-03'], raw: ['2026-03-01', '2026-03-02'] });
  });
});
