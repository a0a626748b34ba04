import {
  BadRequestException,
  type Event,
  PayloadTooLargeException,
  PinpointClient,
  type PinpointClientConfig,
  PutEventsCommand,
  type PutEventsCommandInput,
  UpdateEndpointCommand,
  UpdateEndpointsBatchCommand,
} from '@aws-sdk/client-pinpoint';
import { ConformanceServer, expectedSummary } from './support/conformance-server';

/**
 * `@aws-sdk/client-pinpoint` (AWS SDK for JavaScript v3), unmodified, against the local server:
 * the configuration the README gives (the doors' URL without a trailing slash, the signing name
 * `execute-api` that API Gateway's IAM auth checks, the app's credentials), its retry of a
 * request whose answer was lost, and the typed errors it raises.
 */

const APP = 'conformance-v3';
const BASE = Date.now() - 60_000;
const at = (offsetMs: number) => new Date(BASE + offsetMs).toISOString();
const session = { Id: 'session-1', StartTimestamp: at(0) };

/** What the test sends, from which the expected KPIs are computed. */
const PURCHASES = [
  { id: 'buy-1', product: 'gems_100', price: 1.99 },
  { id: 'buy-2', product: 'gems_500', price: 4.99 },
];
const LEVEL = { score: 120, seconds: 64.5 };

const purchase = (product: string, price: number): Event => ({
  EventType: '_monetization.purchase',
  Timestamp: at(2_000), // both purchases in the same millisecond
  Session: session,
  Attributes: { _currency: 'USD', _product_id: product },
  Metrics: { _item_price: price, _quantity: 1 },
});

const putEvents: PutEventsCommandInput = {
  ApplicationId: APP,
  EventsRequest: {
    BatchItem: {
      'device-1': {
        Endpoint: {
          ChannelType: 'GCM',
          Demographic: { Platform: 'Android', Locale: 'en_GB', Model: 'Pixel 7' },
        },
        Events: {
          'start-1': { EventType: '_session.start', Timestamp: at(0), Session: session },
          'level-1': {
            EventType: 'level_complete',
            Timestamp: at(1_000),
            Session: session,
            Attributes: { level: '3', mode: 'hard' },
            Metrics: LEVEL,
          },
          ...Object.fromEntries(PURCHASES.map((p) => [p.id, purchase(p.product, p.price)])),
          'bad-1': { EventType: 'level_complete', Timestamp: 'yesterday at noon' },
        },
      },
      'device-2': {
        Endpoint: {},
        Events: {
          'start-1': {
            EventType: '_session.start',
            Timestamp: at(500),
            Session: { Id: 'session-2', StartTimestamp: at(500) },
          },
        },
      },
    },
  },
};

let lab: ConformanceServer;
let client: PinpointClient;

beforeAll(async () => {
  lab = await ConformanceServer.start('v3');
  // `signingName` is an option the v3 SDK reads but leaves out of its TypeScript types.
  const config: PinpointClientConfig & { signingName: string } = {
    endpoint: lab.url,
    region: 'us-east-1',
    signingName: 'execute-api',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local' },
    maxAttempts: 2, // one retry, for the lost answer below; transient retries wait at most 100 ms
  };
  client = new PinpointClient(config);
});

afterAll(async () => {
  client.destroy();
  await lab.close();
});

describe('@aws-sdk/client-pinpoint v3 against the local server', () => {
  it('updates endpoints (UpdateEndpoint, UpdateEndpointsBatch) and reads the MessageBody', async () => {
    const one = await client.send(
      new UpdateEndpointCommand({
        ApplicationId: APP,
        EndpointId: 'device-1',
        EndpointRequest: {
          ChannelType: 'GCM',
          Address: 'fcm-token-1',
          Demographic: { Platform: 'Android', AppVersion: '2.1.0' },
          Location: { Country: 'GB', Latitude: 53.8, Longitude: -1.55 },
          User: { UserId: 'user-1', UserAttributes: { tier: ['gold'] } },
          EffectiveDate: at(0),
          OptOut: 'NONE',
          RequestId: 'req-1',
        },
      }),
    );
    expect(one.MessageBody).toEqual({ Message: 'Accepted', RequestID: one.$metadata.requestId });
    expect(one.$metadata.httpStatusCode).toBe(202);
    const batch = await client.send(
      new UpdateEndpointsBatchCommand({
        ApplicationId: APP,
        EndpointBatchRequest: { Item: [{ Id: 'device-2', ChannelType: 'APNS' }, { Id: 'device-3' }] },
      }),
    );
    expect(batch.MessageBody?.Message).toBe('Accepted');
  });

  it('sends events, retries the request whose answer was lost, and sees each event with its own status', async () => {
    lab.proxy.dropNextAnswer((method, path) => method === 'POST' && path.endsWith('/events'));
    const out = await client.send(new PutEventsCommand(putEvents));
    expect(out.$metadata.attempts).toBe(2);
    const sent = lab.proxy.sent('POST', /\/events$/);
    expect(sent.map((e) => [e.dropped, e.status])).toEqual([
      [true, 202],
      [false, 202],
    ]);
    expect(sent[1]?.requestBody).toBe(sent[0]?.requestBody);

    const results = out.EventsResponse?.Results ?? {};
    expect(results['device-1']?.EndpointItemResponse).toEqual({ StatusCode: 202, Message: 'Accepted' });
    const statuses = Object.fromEntries(
      Object.entries(results['device-1']?.EventsItemResponse ?? {}).map(([id, r]) => [id, r.StatusCode]),
    );
    expect(statuses).toEqual({ 'start-1': 202, 'level-1': 202, 'buy-1': 202, 'buy-2': 202, 'bad-1': 400 });
    expect(results['device-1']?.EventsItemResponse?.['bad-1']?.Message).toContain('Timestamp is');
    expect(results['device-2']?.EventsItemResponse?.['start-1']?.StatusCode).toBe(202);
  });

  it('answers a batch the app itself sends again the same way', async () => {
    const again = await client.send(new PutEventsCommand(putEvents));
    expect(again.EventsResponse?.Results?.['device-1']?.EventsItemResponse?.['buy-2']?.StatusCode).toBe(202);
  });

  it('counts exactly what was sent: retries once, both purchases of the same millisecond, no endpoint-only client', async () => {
    // device-3 only has an endpoint profile
    expect(await lab.summary(APP)).toEqual(
      expectedSummary(PURCHASES, { sessions: 2, lifetimeUsers: 2, levelCompletes: 1, scoreSum: LEVEL.score }),
    );
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'a PutEvents with 101 events',
      () =>
        client.send(
          new PutEventsCommand({
            ApplicationId: APP,
            EventsRequest: {
              BatchItem: {
                d: {
                  Endpoint: {},
                  Events: Object.fromEntries(
                    Array.from({ length: 101 }, (_, i) => [`e${i}`, { EventType: 'x', Timestamp: at(0) }]),
                  ),
                },
              },
            },
          }),
        ),
      'The request has 101 events; at most 100 are allowed per request',
    ],
    [
      'a malformed app id',
      () =>
        client.send(new PutEventsCommand({ ApplicationId: 'no such app', EventsRequest: { BatchItem: {} } })),
      'The appId in the path is "no such app"',
    ],
    [
      'an UpdateEndpoint with an unknown ChannelType',
      () =>
        client.send(
          new UpdateEndpointCommand({
            ApplicationId: APP,
            EndpointId: 'device-1',
            EndpointRequest: { ChannelType: 'FAX' as 'GCM' },
          }),
        ),
      'ChannelType is "FAX"',
    ],
  ])('raises BadRequestException for %s, without retrying', async (_name, send, message) => {
    const err = await send().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    const typed = err as BadRequestException;
    expect(typed.message).toContain(message);
    expect(typed.$fault).toBe('client');
    expect(typed.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(typed.RequestID).toBe(typed.$metadata.requestId);
  });

  it('signed every request for execute-api, as API Gateway IAM auth needs', () => {
    expect(lab.proxy.exchanges.length).toBeGreaterThan(0);
    for (const exchange of lab.proxy.exchanges) {
      expect(exchange.requestHeaders.authorization).toMatch(/\/us-east-1\/execute-api\/aws4_request, /);
    }
  });

  it('raises PayloadTooLargeException for a body over 4 MB', async () => {
    const err = await client
      .send(
        new PutEventsCommand({
          ApplicationId: APP,
          EventsRequest: {
            BatchItem: {
              d: {
                Endpoint: { Address: 'x'.repeat(4 * 1024 * 1024) },
                Events: { e: { EventType: 'x', Timestamp: at(0) } },
              },
            },
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeException);
    expect((err as PayloadTooLargeException).$metadata.httpStatusCode).toBe(413);
  });
});
