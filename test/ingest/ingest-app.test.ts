import { ServiceUnavailableError, TooManyRequestsError } from '../../lambdas/core/errors';
import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { TEST_LAKE } from '../support/lake';
import mobileBody from './fixtures/mobile-analytics-body.json';
import clientContext from './fixtures/mobile-analytics-client-context.json';
import full from './fixtures/pinpoint-put-events-full.json';
import endpoint from './fixtures/pinpoint-update-endpoint-full.json';
import { RecordingSink } from './support/recording-sink';

/** The events below are dated 2026-03-01; they arrive that day. */
const NOW = Date.parse('2026-03-01T12:00:00Z');
const PINPOINT = '/v1/apps/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6/events';
const MOBILE = '/2014-06-05/events';
const CONTEXT = JSON.stringify(clientContext);
const valid = { EventType: 'level_complete', Timestamp: '2026-03-01T09:41:12.345Z' };

function setup(sink = new RecordingSink()) {
  return { sink, app: createIngestApp({ sink, lake: TEST_LAKE, now: () => NOW }) };
}

const post = (body: string | ArrayBuffer, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json', ...headers },
});

/** Checks an error is answered as AWS services answer it (docs/CONTRACT.md §2, "Errors of the doors"). */
async function expectAwsError(res: Response, status: number, type: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('x-amzn-ErrorType')).toBe(type);
  const requestId = res.headers.get('x-amzn-RequestId');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const body = await res.json();
  expect(Object.keys(body).sort()).toEqual(['Message', 'RequestID', 'message']);
  expect(body.message).toContain(message);
  expect(body.Message).toBe(body.message);
  expect(body.RequestID).toBe(requestId);
}

/** A JSON text of exactly `bytes` bytes (the value followed by spaces, which JSON allows). */
function paddedTo(value: unknown, bytes: number): string {
  const text = JSON.stringify(value);
  return text + ' '.repeat(bytes - Buffer.byteLength(text));
}

describe('POST /v1/apps/{appId}/events (Pinpoint PutEvents)', () => {
  it('answers 202 with the EventsResponse as the body and hands every event to the sink first', async () => {
    const { app, sink } = setup();
    const res = await app.request(PINPOINT, post(JSON.stringify(full)));
    expect(res.status).toBe(202);
    expect(res.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({
      Results: {
        'e7b3a1c0-4f2d-4e8a-9b6c-1d2e3f4a5b6c': {
          EndpointItemResponse: { StatusCode: 202, Message: 'Accepted' },
          EventsItemResponse: {
            '7a2c5e90-1b3d-4f6a-8c0e-2d4f6a8c0e1b': { StatusCode: 202, Message: 'Accepted' },
            '0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f': { StatusCode: 202, Message: 'Accepted' },
          },
        },
      },
    });
    expect(sink.records.map((r) => [r.event_id, r.arrival_timestamp])).toEqual([
      ['7a2c5e90-1b3d-4f6a-8c0e-2d4f6a8c0e1b', NOW],
      ['0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f', NOW],
    ]);
  });

  it('answers an invalid event 400 in its own result and keeps the valid ones', async () => {
    const { app, sink } = setup();
    const body = {
      BatchItem: { ep: { Endpoint: {}, Events: { good: valid, bad: { ...valid, Timestamp: 'now' } } } },
    };
    const res = await app.request(PINPOINT, post(JSON.stringify(body)));
    expect(res.status).toBe(202);
    const results = (await res.json()).Results.ep.EventsItemResponse;
    expect(results.good).toEqual({ StatusCode: 202, Message: 'Accepted' });
    expect(results.bad.StatusCode).toBe(400);
    expect(results.bad.Message).toContain('Timestamp is "now", not an ISO 8601 date-time');
    expect(sink.records.map((r) => r.event_id)).toEqual(['good']);
  });

  it('answers an empty BatchItem (an empty flush, as Amplify sends) 202 with empty Results', async () => {
    const { app, sink } = setup();
    const res = await app.request(PINPOINT, post('{"BatchItem":{}}'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ Results: {} });
    expect(sink.batches).toHaveLength(0);
  });

  it('does not call the sink when every event is invalid', async () => {
    const { app, sink } = setup();
    const body = { BatchItem: { ep: { Events: { bad: { EventType: 'x' } } } } };
    const res = await app.request(PINPOINT, post(JSON.stringify(body)));
    expect(res.status).toBe(202);
    expect(sink.batches).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"BatchItem":', 'The request body is not valid JSON'],
    ['empty', '', 'The request body is empty'],
    [
      'not an EventsRequest',
      '{"events": []}',
      'Not a Pinpoint EventsRequest: the body (the EventsRequest itself',
    ],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]).buffer, 'The request body is not valid UTF-8 text'],
  ])('answers a body that is %s 400 as a whole', async (_name, body, message) => {
    const { app, sink } = setup();
    const res = await app.request(PINPOINT, post(body));
    await expectAwsError(res, 400, 'BadRequestException', message);
    expect(sink.batches).toHaveLength(0);
  });

  it('answers 101 events 400 as a whole', async () => {
    const { app } = setup();
    const events = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`e${i}`, valid]));
    const res = await app.request(PINPOINT, post(JSON.stringify({ BatchItem: { ep: { Events: events } } })));
    await expectAwsError(
      res,
      400,
      'BadRequestException',
      'The request has 101 events; at most 100 are allowed per request',
    );
  });

  it('answers a malformed app id 400, naming the rule', async () => {
    const { app } = setup();
    const res = await app.request('/v1/apps/-bad/events', post(JSON.stringify(full)));
    await expectAwsError(
      res,
      400,
      'BadRequestException',
      'The appId in the path is "-bad"; an app id is 1 to 128 characters: letters, digits, "_", "." or "-", starting with a letter or digit',
    );
  });

  it('takes a body of exactly 4 MB and answers one byte more 413', async () => {
    const body = { BatchItem: { ep: { Events: { e: valid } } } };
    const { app, sink } = setup();
    const at = await app.request(PINPOINT, post(paddedTo(body, 4 * 1024 * 1024)));
    expect(at.status).toBe(202);
    const over = await app.request(PINPOINT, post(paddedTo(body, 4 * 1024 * 1024 + 1)));
    await expectAwsError(
      over,
      413,
      'PayloadTooLargeException',
      'The request body is 4194305 bytes; at most 4194304 (4 MB) are allowed',
    );
    expect(over.headers.get('Connection')).toBe('close');
    expect(sink.records).toHaveLength(1);
  });

  it('reads a body over the limit to its end before answering 413, up to 10 MB', async () => {
    const { app } = setup();
    const streamed = (bytes: number) => {
      let sent = 0;
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes) return controller.close();
          const next = chunk.subarray(0, Math.min(chunk.byteLength, bytes - sent));
          sent += next.byteLength;
          controller.enqueue(next);
        },
      });
      const request = new Request(`http://localhost${PINPOINT}`, {
        method: 'POST',
        body: stream,
        duplex: 'half',
      } as RequestInit);
      return { request, sent: () => sent };
    };
    const drained = streamed(10 * 1024 * 1024);
    const res = await app.request(drained.request);
    await expectAwsError(res, 413, 'PayloadTooLargeException', 'The request body is 10485760 bytes');
    expect(drained.sent()).toBe(10 * 1024 * 1024);
    const endless = streamed(100 * 1024 * 1024);
    const cut = await app.request(endless.request);
    await expectAwsError(cut, 413, 'PayloadTooLargeException', 'The request body is over 10485760 bytes');
    expect(cut.headers.get('Connection')).toBe('close');
    expect(endless.sent()).toBeLessThan(11 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over 10 MB without reading the body', async () => {
    const { app } = setup();
    const req = new Request(`http://localhost${PINPOINT}`, post('{}', { 'content-length': '10485761' }));
    const res = await app.request(req);
    await expectAwsError(res, 413, 'PayloadTooLargeException', 'The request body is 10485761 bytes');
  });

  it('answers a compressed body 415, typed as a bad request', async () => {
    const { app } = setup();
    const res = await app.request(PINPOINT, post('{}', { 'content-encoding': 'gzip' }));
    await expectAwsError(res, 415, 'BadRequestException', 'Content-Encoding "gzip" is not supported');
  });

  it.each([
    [
      500,
      'InternalServerErrorException',
      new ServiceUnavailableError('The event store is unavailable', { retryAfterSeconds: 1 }),
    ],
    [
      429,
      'TooManyRequestsException',
      new TooManyRequestsError('The event store is throttling', { retryAfterSeconds: 1 }),
    ],
  ])(
    'answers %i (%s) with Retry-After when the sink refuses, never 202 nor 503',
    async (status, type, error) => {
      const { app } = setup(new RecordingSink(error));
      const res = await app.request(PINPOINT, post(JSON.stringify(full)));
      expect(res.headers.get('Retry-After')).toBe('1');
      await expectAwsError(res, status, type, error.message);
    },
  );

  it('uses API Gateway request id when the Lambda adapter provides it', async () => {
    const { app } = setup();
    const res = await app.request(PINPOINT, post(JSON.stringify(full)), {
      event: { requestContext: { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' } },
    });
    expect(res.headers.get('x-amzn-RequestId')).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
  });
});

describe('POST /2014-06-05/events (Mobile Analytics PutEvents)', () => {
  it('answers 202 with x-amzn-RequestId and an empty body, after the sink took the events', async () => {
    const { app, sink } = setup();
    const res = await app.request(
      MOBILE,
      post(JSON.stringify(mobileBody), { 'x-amz-client-context': CONTEXT }),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
    expect(await res.text()).toBe('');
    expect(sink.records).toHaveLength(1);
    expect(sink.records[0]).toMatchObject({
      event_type: 'LevelComplete',
      application: { app_id: '0123456789abcdef0123456789abcdef' },
      client: { client_id: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' },
      arrival_timestamp: NOW,
    });
  });

  it('takes a base64-encoded client context', async () => {
    const { app, sink } = setup();
    const encoded = Buffer.from(CONTEXT).toString('base64');
    const res = await app.request(
      MOBILE,
      post(JSON.stringify(mobileBody), { 'x-amz-client-context': encoded }),
    );
    expect(res.status).toBe(202);
    expect(sink.records[0]!.attributes._clientContext).toBe(CONTEXT);
  });

  it.each([
    ['no client context', {}, JSON.stringify(mobileBody), 'The x-amz-client-context header is missing'],
    [
      'a client context without env',
      { 'x-amz-client-context': '{"client":{}}' },
      JSON.stringify(mobileBody),
      'env must be a JSON object, got nothing',
    ],
    ['no payload', { 'x-amz-client-context': CONTEXT }, '', 'The request body is empty'],
    [
      'an invalid event',
      { 'x-amz-client-context': CONTEXT },
      '{"events": [{}]}',
      'events[0]: eventType is required',
    ],
  ])('answers 400 for %s', async (_name, headers, body, message) => {
    const { app, sink } = setup();
    const res = await app.request(MOBILE, post(body, headers));
    await expectAwsError(res, 400, 'BadRequestException', message);
    expect(sink.batches).toHaveLength(0);
  });

  it('takes a body of exactly 1024 KB and answers one byte more 413', async () => {
    const { app } = setup();
    const headers = { 'x-amz-client-context': CONTEXT };
    const at = await app.request(MOBILE, post(paddedTo(mobileBody, 1024 * 1024), headers));
    expect(at.status).toBe(202);
    const over = await app.request(MOBILE, post(paddedTo(mobileBody, 1024 * 1024 + 1), headers));
    await expectAwsError(over, 413, 'PayloadTooLargeException', 'at most 1048576 (1024 KB) are allowed');
  });

  it('answers 500 InternalServerErrorException when the sink refuses', async () => {
    const { app } = setup(new RecordingSink(new ServiceUnavailableError('The event store is unavailable')));
    const res = await app.request(
      MOBILE,
      post(JSON.stringify(mobileBody), { 'x-amz-client-context': CONTEXT }),
    );
    await expectAwsError(res, 500, 'InternalServerErrorException', 'The event store is unavailable');
  });
});

describe('PUT /v1/apps/{appId}/endpoints[/{endpointId}] (Pinpoint UpdateEndpoint, UpdateEndpointsBatch)', () => {
  const put = (body: string) => ({ method: 'PUT', body, headers: { 'content-type': 'application/json' } });

  it('answers UpdateEndpoint 202 with a MessageBody and stores the endpoint first', async () => {
    const { app, sink } = setup();
    const res = await app.request('/v1/apps/game-1/endpoints/e%3A1%2F2', put(JSON.stringify(endpoint)));
    expect(res.status).toBe(202);
    const requestId = res.headers.get('x-amzn-RequestId');
    expect(await res.json()).toEqual({ RequestID: requestId, Message: 'Accepted' });
    expect(sink.records).toEqual([
      expect.objectContaining({
        event_type: '_endpoint.update',
        client: { client_id: 'e:1/2' },
        application: { app_id: 'game-1', version_name: '2.1.0' },
        endpoint: JSON.stringify(endpoint),
        arrival_timestamp: NOW,
      }),
    ]);
  });

  it('answers UpdateEndpointsBatch 202 and stores one record per item', async () => {
    const { app, sink } = setup();
    const body = {
      Item: [
        { Id: 'e-1', ...endpoint },
        { Id: 'e-2', ChannelType: 'APNS' },
      ],
    };
    const res = await app.request('/v1/apps/game-1/endpoints', put(JSON.stringify(body)));
    expect(res.status).toBe(202);
    expect((await res.json()).Message).toBe('Accepted');
    expect(sink.batches.map((b) => b.map((r) => r.client.client_id))).toEqual([['e-1', 'e-2']]);
  });

  it.each([
    [
      '/v1/apps/game-1/endpoints/e-1',
      '{"Adress":"x"}',
      'Not a Pinpoint EndpointRequest: the body (the EndpointRequest itself) has unknown field "Adress"',
    ],
    [
      '/v1/apps/game-1/endpoints',
      '{"Item":{}}',
      'Not a Pinpoint EndpointBatchRequest: Item is required: a list of endpoints, got an object',
    ],
    ['/v1/apps/game-1/endpoints/e-1', '', 'The request body is empty'],
    ['/v1/apps/-bad/endpoints', '{"Item":[]}', 'The appId in the path is "-bad"'],
  ])(
    'answers PUT %s with a bad body 400 BadRequestException, storing nothing',
    async (path, body, message) => {
      const { app, sink } = setup();
      await expectAwsError(await app.request(path, put(body)), 400, 'BadRequestException', message);
      expect(sink.batches).toHaveLength(0);
    },
  );

  it('answers 500 InternalServerErrorException with Retry-After when the sink refuses', async () => {
    const { app } = setup(
      new RecordingSink(
        new ServiceUnavailableError('The event store is unavailable', { retryAfterSeconds: 1 }),
      ),
    );
    const res = await app.request('/v1/apps/game-1/endpoints/e-1', put('{}'));
    expect(res.headers.get('Retry-After')).toBe('1');
    await expectAwsError(res, 500, 'InternalServerErrorException', 'The event store is unavailable');
  });
});

describe('other paths and methods', () => {
  it.each(['/v1/apps/a/segments', '/2014-06-05/sessions', '/apps/a/kpis/dau/count'])(
    'answers %s 404 NotFoundException',
    async (path) => {
      const { app } = setup();
      const res = await app.request(path, { method: 'POST' });
      await expectAwsError(res, 404, 'NotFoundException', `No route for POST ${path}`);
    },
  );

  it.each([
    ['GET', PINPOINT, 'POST'],
    ['DELETE', '/v1/apps/a/endpoints/e', 'PUT'],
    ['POST', '/v1/apps/a/endpoints', 'PUT'],
    ['GET', MOBILE, 'POST'],
  ])('answers %s %s 405 MethodNotAllowedException, allowing %s', async (method, path, allowed) => {
    const { app } = setup();
    const res = await app.request(path, { method });
    expect(res.headers.get('Allow')).toBe(allowed);
    await expectAwsError(
      res,
      405,
      'MethodNotAllowedException',
      `${method} is not allowed on ${path}; use ${allowed}`,
    );
  });
});
