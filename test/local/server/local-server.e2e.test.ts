import { join } from 'node:path';
import type { EventRecord } from '../../../lambdas/core/event-record';
import { MAX_EVENT_AHEAD_MS } from '../../../lambdas/core/lake-window';
import { lakeStats } from '../../../local/lake/lake-files';
import { LOG_DIR } from '../../../local/lake/lake-log';
import { type LocalServer, startLocalServer } from '../../../local/server/local-server';
import { expectSameSeries } from '../../support/expect-same-series';
import { generateEvents } from '../../support/generate-events';
import { TEST_LAKE } from '../../support/lake';
import { type ReferenceValue, referenceKpi } from '../../support/reference-kpis';
import {
  clientContext,
  type DoorRequest,
  mobileAnalyticsRequests,
  pinpointRequests,
} from '../support/door-requests';
import { concretePath, E2E_KPI_PATHS, E2E_NAMES } from '../support/kpi-paths';
import { filesBelow, tempDir } from '../support/lake-fixtures';

/** 2026-03-26 02:00 UTC: yesterday is 2026-03-25 in UTC, 2026-03-24 in Los Angeles. */
const NOW = Date.parse('2026-03-26T02:00:00Z');
const YESTERDAY: Record<string, string> = { UTC: '2026-03-25', 'America/Los_Angeles': '2026-03-24' };
const APP = 'e2e-app';
const RANGE = { startDate: '2026-02-10', endDate: '2026-03-28' };
const NAMES = E2E_NAMES;
const PATHS = E2E_KPI_PATHS;

let dir: Awaited<ReturnType<typeof tempDir>>;
let server: LocalServer;
/** What the clients sent, duplicates included: the reference reads these, not the lake. */
let sent: EventRecord[];

async function send(request: DoorRequest): Promise<Response> {
  return fetch(`${server.url}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
}

async function kpi(path: string, timezone: string, range = RANGE): Promise<ReferenceValue[]> {
  const concrete = concretePath(path);
  const response = await fetch(
    `${server.url}/apps/${APP}${concrete}?${new URLSearchParams({ ...range, timezone })}`,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { values: ReferenceValue[] }).values;
}

function reference(path: string, timezone: string): ReferenceValue[] {
  return referenceKpi(sent, {
    appId: APP,
    path,
    ...RANGE,
    timezone,
    lastCompleteDate: YESTERDAY[timezone] ?? '',
    ...NAMES,
  });
}

beforeAll(async () => {
  dir = await tempDir('local-server');
  server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    sampleData: false,
    rollups: true,
    lakeStartDate: TEST_LAKE.startDate,
    now: () => NOW,
    lake: { convertAfterMs: 300, settleAfterMs: 300 },
  });
  await server.ready;
  sent = generateEvents({
    seed: 99,
    appId: APP,
    from: '2026-01-25',
    to: '2026-03-27',
    clients: 24,
    midnightZones: ['America/Los_Angeles'],
    // Events after NOW are sent too, but not those over a day after it: the doors refuse them (ADR 014).
  }).filter((e) => e.event_timestamp <= NOW + MAX_EVENT_AHEAD_MS);
  const seen = new Set<string>();
  const firsts: EventRecord[] = [];
  const retries: EventRecord[] = [];
  for (const r of sent) {
    const key = `${r.client.client_id}/${r.event_id}`;
    (seen.has(key) ? retries : firsts).push(r);
    seen.add(key);
  }
  const viaPinpoint = (r: EventRecord) => Number(r.client.client_id.split('-')[1]) % 2 === 0;
  const requests = [
    ...pinpointRequests(APP, firsts.filter(viaPinpoint)),
    ...mobileAnalyticsRequests(
      APP,
      firsts.filter((r) => !viaPinpoint(r)),
    ),
    ...pinpointRequests(APP, retries.filter(viaPinpoint)),
    ...mobileAnalyticsRequests(
      APP,
      retries.filter((r) => !viaPinpoint(r)),
    ),
  ];
  for (let i = 0; i < requests.length; i += 8) {
    const responses = await Promise.all(requests.slice(i, i + 8).map(send));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 202));
    // No event refused inside a Pinpoint answer either: the reference counts every one.
    for (const response of responses) expect(await response.text()).not.toContain('"StatusCode":400');
  }
});

afterAll(async () => {
  await server.close();
  await dir.remove();
});

describe('the local server, over real HTTP', () => {
  describe.each(['UTC', 'America/Los_Angeles'])(
    'answers every KPI in %s exactly as the reference',
    (timezone) => {
      it.each(PATHS)('%s', async (path) => {
        expectSameSeries(path, await kpi(path, timezone), reference(path, timezone));
      });
    },
  );

  it('counts a whole request retried by the client once', async () => {
    const before = await kpi('/kpis/sessions/count', 'UTC');
    const [pinpoint] = pinpointRequests(APP, sent.slice(0, 5));
    const [mobileAnalytics] = mobileAnalyticsRequests(
      APP,
      sent.filter((r) => r.client.client_id === 'client-1'),
    );
    for (const request of [pinpoint, pinpoint, mobileAnalytics, mobileAnalytics]) {
      expect((await send(request as DoorRequest)).status).toBe(202);
    }
    expect(await kpi('/kpis/sessions/count', 'UTC')).toEqual(before);
  });

  it('shows an accepted event in the very next KPI answer', async () => {
    const day = { startDate: '2026-03-25', endDate: '2026-03-25' };
    const [before] = await kpi('/kpis/dau/count', 'UTC', day);
    const response = await send({
      path: '/2014-06-05/events',
      headers: { 'x-amz-client-context': clientContext(APP, 'brand-new-client') },
      body: JSON.stringify({ events: [{ eventType: '_session.start', timestamp: '2026-03-25T12:00:00Z' }] }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    const [after] = await kpi('/kpis/dau/count', 'UTC', day);
    expect(after?.value).toBe((before?.value ?? 0) + 1);
  });

  it('keeps the valid events of a Pinpoint request and answers 400 for the invalid one', async () => {
    const body = {
      BatchItem: {
        'mixed-client': {
          Endpoint: {},
          Events: {
            good: { EventType: '_session.start', Timestamp: '2026-03-20T10:00:00Z' },
            bad: { EventType: '_session.start', Timestamp: 'yesterday' },
          },
        },
      },
    };
    const response = await send({ path: `/v1/apps/${APP}/events`, headers: {}, body: JSON.stringify(body) });
    expect(response.status).toBe(202);
    const results = (await response.json()) as {
      Results: Record<string, { EventsItemResponse: Record<string, { StatusCode: number }> }>;
    };
    const items = results.Results['mixed-client']?.EventsItemResponse;
    expect(items?.good?.StatusCode).toBe(202);
    expect(items?.bad?.StatusCode).toBe(400);
  });

  const refusedEvent = { EventType: 'refused', Timestamp: '2026-03-20T10:00:00Z' };
  it.each<[string, number, DoorRequest]>([
    [
      'a Pinpoint body that is not JSON',
      400,
      { path: `/v1/apps/${APP}/events`, headers: {}, body: '{"BatchItem":' },
    ],
    [
      'a Pinpoint request with 101 events',
      400,
      {
        path: `/v1/apps/${APP}/events`,
        headers: {},
        body: JSON.stringify({
          BatchItem: {
            c: { Events: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`e${i}`, refusedEvent])) },
          },
        }),
      },
    ],
    [
      'a Pinpoint body over 4 MB',
      413,
      {
        path: `/v1/apps/${APP}/events`,
        headers: {},
        body: JSON.stringify({
          BatchItem: { c: { Events: { e1: { ...refusedEvent, Pad: 'x'.repeat(4_200_000) } } } },
        }),
      },
    ],
    [
      'a Mobile Analytics request without a client context',
      400,
      {
        path: '/2014-06-05/events',
        headers: {},
        body: JSON.stringify({ events: [{ eventType: 'refused', timestamp: '2026-03-20T10:00:00Z' }] }),
      },
    ],
    [
      'a Mobile Analytics request with one invalid event',
      400,
      {
        path: '/2014-06-05/events',
        headers: { 'x-amz-client-context': clientContext(APP, 'c') },
        body: JSON.stringify({
          events: [
            { eventType: 'refused', timestamp: '2026-03-20T10:00:00Z' },
            { eventType: 'refused', timestamp: 'not a time' },
          ],
        }),
      },
    ],
    [
      'a Mobile Analytics body over 1024 KB',
      413,
      {
        path: '/2014-06-05/events',
        headers: { 'x-amz-client-context': clientContext(APP, 'c') },
        body: JSON.stringify({
          events: [
            {
              eventType: 'refused',
              timestamp: '2026-03-20T10:00:00Z',
              attributes: { pad: 'x'.repeat(1_100_000) },
            },
          ],
        }),
      },
    ],
  ])('refuses %s with %i and a message, storing nothing', async (_name, status, request) => {
    const response = await send(request);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toEqual(expect.any(String));
    const day = { startDate: '2026-03-20', endDate: '2026-03-20' };
    expect(await kpi('/events/refused/count', 'UTC', day)).toEqual([{ date: '2026-03-20', value: 0 }]);
  });

  it('converts its log to Parquet and merges the small files of each partition once writes pause, with the same answers', async () => {
    const before = await kpi('/kpis/mau/count', 'UTC');
    const deadline = Date.now() + 20_000;
    const converted = async () => (await filesBelow(join(server.dataDir, LOG_DIR))).length === 0;
    let stats = await lakeStats(server.dataDir);
    while ((stats.files > stats.partitions || !(await converted())) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      stats = await lakeStats(server.dataDir);
    }
    expect(await converted()).toBe(true);
    expect(stats.files).toBe(stats.partitions);
    expect(await kpi('/kpis/mau/count', 'UTC')).toEqual(before);
  });
});
