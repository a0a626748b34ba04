import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { MemoryKpiCache } from '../../lambdas/kpi/kpi-cache';
import { tempDir } from '../local/support/lake-fixtures';
import { eventRecord } from '../support/generate-events';
import { type OpenedKpiLake, openKpiLake } from '../support/kpi-lakes';
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
let opened: OpenedKpiLake | undefined;

beforeEach(async () => {
  dir = await tempDir('kpi-answers');
  instance = await DuckDBInstance.create(':memory:');
  await writeLake(instance, dir.path, [
    start('a', '2026-03-01T10:00:00Z', '2026-03-01T10:00:05Z'),
    start('b', '2026-03-02T10:00:00Z', '2026-03-04T08:00:00Z'),
    start('a', '2026-03-03T10:00:00Z', '2026-03-03T10:00:01Z'),
  ]);
});

afterEach(async () => {
  await opened?.close();
  opened = undefined;
  instance.closeSync();
  await dir.remove();
});

/** The KPI API over the lake, its rollups built as `npm run compact` builds them. */
async function app(cache = new MemoryKpiCache()) {
  opened = await openKpiLake(instance, dir.path, {
    rollups: true,
    now: NOW,
    lakeStartDate: TEST_LAKE.startDate,
    cache,
  });
  await opened.lake.compactAll();
  return opened;
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

  it('is a 304 when If-None-Match names its ETag among others, weakly or as *, and a 200 when it names another', async () => {
    const { app: kpis } = await app();
    const etag = (await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`)).headers.get('etag') ?? '';
    const status = async (ifNoneMatch: string) =>
      (
        await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`, {
          headers: { 'If-None-Match': ifNoneMatch },
        })
      ).status;
    // RFC 9110 §13.1.2: a list of entity tags compared weakly, or "*".
    expect(await status(`"older", ${etag}`)).toBe(304);
    expect(await status(`W/${etag}`)).toBe(304);
    expect(await status('*')).toBe(304);
    expect(await status('"older", W/"other"')).toBe(200);
    expect(await status(`${etag.slice(0, -2)}"`)).toBe(200);
  });

  it('reads a day that got a late event from raw events, counts it, and is neither tagged nor cached', async () => {
    const { app: kpis, lake } = await app();
    const tagged = await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`);
    // Still in the lake's log: the next query counts it.
    await lake.sink.put([start('c', '2026-03-02T11:00:00Z', '2026-03-09T09:00:00Z')]);

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

    // Once the day settles its rollup holds the event: a new version, a new ETag, not the cached answer.
    await lake.settled();
    const rebuilt = await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}`);
    const etag = rebuilt.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(etag).not.toBe(tagged.headers.get('etag'));
    const current = (await rebuilt.json()) as Body;
    expect(current.values.map((v) => v.value)).toEqual([1, 2, 1]);
    expect(current.source).toEqual({ rollup: ['2026-03-01', '2026-03-02', '2026-03-03'], raw: [] });
    expect(current.cached).toBeUndefined();
  });

  it('in a zone whose days straddle two UTC days, says a date came from raw events when one of them did', async () => {
    const { app: kpis, lake } = await app();
    await lake.sink.put([start('a', '2026-03-02T12:00:00Z')]);
    const body = (await (
      await kpis.request(`/apps/demo/kpis/dau/count?${RANGE}&timezone=America/New_York`)
    ).json()) as Body;
    // Local 2026-03-01 ends at 05:00 UTC on 2026-03-02, local 2026-03-02 lies in it too.
    expect(body.source).toEqual({ rollup: ['2026-03-03'], raw: ['2026-03-01', '2026-03-02'] });
  });
});
