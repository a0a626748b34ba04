import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { record } from 'aws-amplify/analytics';
import { configureAmplifyPinpoint, redirectPinpointFetch } from './support/amplify-pinpoint';
import { ConformanceServer, expectedSummary } from './support/conformance-server';
import { withFrozenClock } from './support/frozen-clock';
import type { Exchange } from './support/recording-proxy';

/**
 * `aws-amplify` v6 Analytics (Pinpoint provider), unmodified, against the local server: it
 * creates its endpoint (UpdateEndpoint) before its first event, sends events, retries a request
 * whose answer was lost, and reads each event's status; a rejected UpdateEndpoint reaches the
 * app as a typed BadRequestException.
 */

const APP = 'conformance-amplify';
const API_KEY = 'conformance-api-key';

/** What the test records, from which the expected KPIs are computed. */
const PURCHASES = [
  { product: 'gems_100', price: 1.99 },
  { product: 'gems_500', price: 4.99 },
];

interface EventsRequest {
  BatchItem: Record<string, { Events: Record<string, { EventType: string; Timestamp: string }> }>;
}
interface EventsResponse {
  Results: Record<string, { EventsItemResponse: Record<string, { StatusCode: number }> }>;
}

/** Event type → status of every event in an exchange's request and answer. */
function statuses(exchange: Exchange): [string, number | undefined][] {
  const request = JSON.parse(exchange.requestBody) as EventsRequest;
  const response = JSON.parse(exchange.responseBody) as EventsResponse;
  return Object.entries(request.BatchItem).flatMap(([endpointId, item]) =>
    Object.entries(item.Events).map(([eventId, event]): [string, number | undefined] => [
      event.EventType,
      response.Results[endpointId]?.EventsItemResponse[eventId]?.StatusCode,
    ]),
  );
}

let lab: ConformanceServer;
let restoreFetch: () => void;
// Amplify's event buffer runs a setInterval it never clears: collect them, or jest cannot exit.
const intervals: ReturnType<typeof setInterval>[] = [];
const realSetInterval = globalThis.setInterval;

beforeAll(async () => {
  lab = await ConformanceServer.start('amplify');
  restoreFetch = redirectPinpointFetch(lab.url, { 'x-api-key': API_KEY });
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const handle = realSetInterval(...args);
    intervals.push(handle);
    return handle;
  }) as typeof setInterval;
  configureAmplifyPinpoint(APP, 100);
});

afterAll(async () => {
  for (const handle of intervals) clearInterval(handle);
  globalThis.setInterval = realSetInterval;
  restoreFetch();
  await lab.close();
});

const eventPosts = () => lab.proxy.sent('POST', new RegExp(`^/v1/apps/${APP}/events$`));
const answered = (type: string) => () =>
  eventPosts().some((e) => !e.dropped && statuses(e).some(([t]) => t === type));

describe('aws-amplify v6 Analytics against the local server', () => {
  it('creates its endpoint with UpdateEndpoint, then sends its first event', async () => {
    record({ name: '_session.start' });
    await lab.proxy.waitFor('the session start', answered('_session.start'));
    const [update] = lab.proxy.sent('PUT', new RegExp(`^/v1/apps/${APP}/endpoints/`));
    expect(update?.status).toBe(202);
    expect(JSON.parse(update?.responseBody ?? '')).toEqual({
      RequestID: update?.responseHeaders['x-amzn-requestid'],
      Message: 'Accepted',
    });
    const endpointId = update?.path.split('/').at(-1);
    const first = eventPosts()[0];
    expect(Object.keys((JSON.parse(first?.requestBody ?? '') as EventsRequest).BatchItem)).toEqual([
      endpointId,
    ]);
  });

  it('retries the request whose answer was lost, and gets each event its own status', async () => {
    lab.proxy.dropNextAnswer(
      (method, path, body) =>
        method === 'POST' && path.endsWith('/events') && body.includes('_monetization.purchase'),
    );
    await withFrozenClock(async () => {
      record({ name: 'level_complete', attributes: { level: '3' }, metrics: { score: 120 } });
      for (const p of PURCHASES) {
        record({
          name: '_monetization.purchase',
          attributes: { _currency: 'USD', _product_id: p.product },
          metrics: { _item_price: p.price, _quantity: 1 },
        });
      }
      record({ name: 'broken', metrics: { score: Number.NaN } }); // NaN goes out as null
      await lab.proxy.waitFor('the purchases', () => eventPosts().some((e) => e.dropped));
    });
    await lab.proxy.waitFor('the purchases again', answered('_monetization.purchase'));
    await lab.proxy.waitFor('the broken event', answered('broken'));
    const later = eventPosts().slice(1);
    const lost = later.filter((e) => e.dropped);
    const lostEvents = Object.values(
      (JSON.parse(lost[0]?.requestBody ?? '') as EventsRequest).BatchItem,
    ).flatMap((item) => Object.values(item.Events));
    const purchaseTimes = lostEvents
      .filter((e) => e.EventType === '_monetization.purchase')
      .map((e) => e.Timestamp);
    expect(purchaseTimes).toHaveLength(2);
    expect(purchaseTimes[0]).toBe(purchaseTimes[1]);
    expect(lost).toHaveLength(1);
    expect(later.some((e) => !e.dropped && e.requestBody === lost[0]?.requestBody)).toBe(true);
    const seen = later.filter((e) => !e.dropped).flatMap(statuses);
    expect(seen.sort()).toEqual(
      [
        ['level_complete', 202],
        ['_monetization.purchase', 202],
        ['_monetization.purchase', 202],
        ['broken', 400],
      ].sort(),
    );
  });

  it('sent the API key with every request', () => {
    expect(lab.apiKeysSent).toEqual(new Set([API_KEY]));
  });

  it('counts exactly what was sent: the retry once, both purchases of the same millisecond', async () => {
    expect(await lab.summary(APP)).toEqual(
      expectedSummary(PURCHASES, { sessions: 1, lifetimeUsers: 1, levelCompletes: 1, scoreSum: 120 }),
    );
    expect(await lab.total(APP, '/events/broken/count')).toBe(0);
  });

  it('meets a rejected UpdateEndpoint as an unhandled BadRequestException (child process)', async () => {
    const app = join(__dirname, 'support', 'amplify-app.ts');
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      app,
      lab.url,
      'not an app id',
      JSON.stringify(['lost']),
    ]);
    const { unhandled } = JSON.parse(stdout) as {
      unhandled: { name: string; message: string; status: number }[];
    };
    expect(unhandled).toEqual([
      {
        name: 'BadRequestException',
        message: expect.stringContaining('The appId in the path is'),
        status: 400,
      },
    ]);
    const updates = lab.proxy.sent('PUT', /^\/v1\/apps\/not%20an%20app%20id\/endpoints\//);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.map((e) => e.responseHeaders['x-amzn-errortype'])).toEqual(
      updates.map(() => 'BadRequestException'),
    );
  });
});
