import AWS from 'aws-sdk';
import { ConformanceServer, expectedSummary } from './support/conformance-server';
import { sendApiKeyWithV2Requests } from './support/v2-api-key';

/**
 * `aws-sdk` v2 (`AWS.Pinpoint` and `AWS.MobileAnalytics`), unmodified, against the local server:
 * the configuration the README gives (the doors' URL, an API key added to every request, since
 * v2 cannot sign for `execute-api`), its retry of a request whose answer was lost, and the typed
 * errors it reports (`err.code`).
 */

const PINPOINT_APP = 'conformance-v2-pinpoint';
const MA_APP = 'conformance-v2-ma';
const BASE = Date.now() - 60_000;
const at = (offsetMs: number) => new Date(BASE + offsetMs).toISOString();

/** What the test sends, from which the expected KPIs are computed. */
const PURCHASES = [
  { product: 'gems_100', price: 1.99 },
  { product: 'gems_500', price: 4.99 },
];

const API_KEY = 'conformance-api-key';

let lab: ConformanceServer;
let stopApiKey: () => void;
let pinpoint: AWS.Pinpoint;
let mobileAnalytics: AWS.MobileAnalytics;

beforeAll(async () => {
  lab = await ConformanceServer.start('v2');
  stopApiKey = sendApiKeyWithV2Requests(API_KEY);
  const options = {
    endpoint: lab.url,
    region: 'us-east-1',
    credentials: new AWS.Credentials('AKIDEXAMPLE', 'local'),
    maxRetries: 1, // one retry, for the lost answers below
    retryDelayOptions: { base: 10 },
  };
  pinpoint = new AWS.Pinpoint(options);
  mobileAnalytics = new AWS.MobileAnalytics(options);
});

afterAll(async () => {
  stopApiKey();
  await lab.close();
});

/** The error of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<AWS.AWSError & { RequestID?: string }> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: AWS.AWSError) => err,
  );
}

describe('aws-sdk v2 AWS.Pinpoint against the local server', () => {
  const session = { Id: 'session-1', StartTimestamp: at(0) };
  const request: AWS.Pinpoint.PutEventsRequest = {
    ApplicationId: PINPOINT_APP,
    EventsRequest: {
      BatchItem: {
        'device-1': {
          Endpoint: { Demographic: { Platform: 'iOS', Locale: 'fr_FR' } },
          Events: {
            'start-1': { EventType: '_session.start', Timestamp: at(0), Session: session },
            ...Object.fromEntries(
              PURCHASES.map((p, i) => [
                `buy-${i}`,
                {
                  EventType: '_monetization.purchase',
                  Timestamp: at(1_000),
                  Session: session,
                  Attributes: { _currency: 'EUR', _product_id: p.product },
                  Metrics: { _item_price: p.price, _quantity: 1 },
                },
              ]),
            ),
            'bad-1': {
              EventType: 'level_complete',
              Timestamp: at(2_000),
              Attributes: { level: 'x'.repeat(201) },
            },
          },
        },
      },
    },
  };

  it('updates an endpoint and reads the MessageBody', async () => {
    const out = await pinpoint
      .updateEndpoint({
        ApplicationId: PINPOINT_APP,
        EndpointId: 'device-1',
        EndpointRequest: { ChannelType: 'APNS', Demographic: { Platform: 'iOS' }, User: { UserId: 'u-1' } },
      })
      .promise();
    expect(out.MessageBody).toEqual({ Message: 'Accepted', RequestID: out.$response.requestId });
  });

  it('sends events, retries the request whose answer was lost, and sees each event with its own status', async () => {
    lab.proxy.dropNextAnswer(
      (method, path) => method === 'POST' && path.startsWith(`/v1/apps/${PINPOINT_APP}/`),
    );
    const out = await pinpoint.putEvents(request).promise();
    expect(out.$response.retryCount).toBe(1);
    const items = out.EventsResponse.Results?.['device-1']?.EventsItemResponse ?? {};
    expect(Object.fromEntries(Object.entries(items).map(([id, r]) => [id, r.StatusCode]))).toEqual({
      'start-1': 202,
      'buy-0': 202,
      'buy-1': 202,
      'bad-1': 400,
    });
    expect(items['bad-1']?.Message).toContain('values may have at most 200');
  });

  it('counts exactly what was sent', async () => {
    expect(await lab.summary(PINPOINT_APP)).toEqual(
      expectedSummary(PURCHASES, { sessions: 1, lifetimeUsers: 1, levelCompletes: 0, scoreSum: 0 }),
    );
  });

  it('reports BadRequestException for a request of the wrong shape, and does not retry it', async () => {
    const err = await failure(
      pinpoint
        .updateEndpointsBatch({
          ApplicationId: PINPOINT_APP,
          EndpointBatchRequest: { Item: [{ Id: 'd-1' }, { Address: 'no-id' }] },
        })
        .promise(),
    );
    expect(err).toMatchObject({
      code: 'BadRequestException',
      statusCode: 400,
      retryable: false,
    });
    expect(err.message).toContain('Item[1].Id is required');
    expect(lab.proxy.sent('PUT', /\/endpoints$/)).toHaveLength(1);
    expect(err.RequestID).toBe(err.requestId);
  });
});

describe('aws-sdk v2 AWS.MobileAnalytics against the local server', () => {
  const clientContext = JSON.stringify({
    client: {
      client_id: 'ma-client-1',
      app_title: 'Conformance',
      app_version_name: '1.0',
      app_package_name: 'com.example',
    },
    env: { platform: 'Android', model: 'Pixel 7', make: 'Google', locale: 'en_US' },
    services: { mobile_analytics: { app_id: MA_APP } },
  });
  const session = { id: 'ma-session-1', startTimestamp: at(0) };
  const events: AWS.MobileAnalytics.EventListDefinition = [
    { eventType: '_session.start', timestamp: at(0), session, version: 'v2.0' },
    {
      eventType: 'level_complete',
      timestamp: at(1_000),
      session,
      attributes: { level: '3' },
      metrics: { score: 120 },
    },
    ...PURCHASES.map((p) => ({
      eventType: '_monetization.purchase',
      timestamp: at(2_000), // both purchases in the same millisecond of the session
      session,
      attributes: { _currency: 'USD', _product_id: p.product },
      metrics: { _item_price: p.price, _quantity: 1 },
    })),
    {
      eventType: '_session.stop',
      timestamp: at(3_000),
      session: { ...session, stopTimestamp: at(3_000), duration: 3_000 },
    },
  ];

  it('sends events and retries the request whose answer was lost', async () => {
    lab.proxy.dropNextAnswer((method, path) => method === 'POST' && path === '/2014-06-05/events');
    const out = await mobileAnalytics.putEvents({ clientContext, events }).promise();
    expect(out.$response.httpResponse.statusCode).toBe(202);
    expect(out.$response.retryCount).toBe(1);
    const sent = lab.proxy.sent('POST', /^\/2014-06-05\/events$/);
    expect(sent.map((e) => [e.dropped, e.status])).toEqual([
      [true, 202],
      [false, 202],
    ]);
    expect(sent[1]?.requestBody).toBe(sent[0]?.requestBody);
  });

  it('counts exactly what was sent: the retry once, both purchases of the same millisecond', async () => {
    expect(await lab.summary(MA_APP)).toEqual(
      expectedSummary(PURCHASES, { sessions: 1, lifetimeUsers: 1, levelCompletes: 1, scoreSum: 120 }),
    );
  });

  it.each<[string, AWS.MobileAnalytics.PutEventsInput, string]>([
    [
      'an invalid event',
      { clientContext, events: [events[0]!, { eventType: 'x', timestamp: 'not a time' }] },
      'events[1]: timestamp is "not a time"',
    ],
    [
      'a client context without its app id',
      { clientContext: '{"client":{"client_id":"c","app_title":"t"},"env":{"platform":"iOS"}}', events },
      'The x-amz-client-context header is invalid: services must be a JSON object',
    ],
  ])('reports BadRequestException for %s, and does not retry it', async (_name, input, message) => {
    const before = lab.proxy.sent('POST', /^\/2014-06-05\/events$/).length;
    const err = await failure(mobileAnalytics.putEvents(input).promise());
    expect(lab.proxy.sent('POST', /^\/2014-06-05\/events$/)).toHaveLength(before + 1);
    expect(err).toMatchObject({
      code: 'BadRequestException',
      statusCode: 400,
      retryable: false,
    });
    expect(err.message).toContain(message);
  });

  it('reports PayloadTooLargeException for a body over 1024 KB', async () => {
    const big = {
      ...events[1]!,
      attributes: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a${i}`, 'x'.repeat(40_000)])),
    };
    const err = await failure(mobileAnalytics.putEvents({ clientContext, events: [big] }).promise());
    expect(err).toMatchObject({ code: 'PayloadTooLargeException', statusCode: 413, retryable: false });
  });
});

it('sent the API key with every request', () => {
  expect(lab.apiKeysSent).toEqual(new Set([API_KEY]));
});
