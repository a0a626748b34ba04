import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { TEST_LAKE } from '../support/lake';
import clientContext from './fixtures/mobile-analytics-client-context.json';
import { RecordingSink } from './support/recording-sink';

const ALLOWED = new Set(['game', clientContext.services.mobile_analytics.app_id]);
const NOW = Date.parse('2026-03-01T12:00:00Z');
const pinpointBody = JSON.stringify({
  BatchItem: { ep: { Events: { e1: { EventType: 'x', Timestamp: '2026-03-01T09:00:00Z' } } } },
});

function setup(allowedApps?: ReadonlySet<string>) {
  const sink = new RecordingSink();
  return { sink, app: createIngestApp({ sink, lake: TEST_LAKE, allowedApps, now: () => NOW }) };
}

/** A body that fails the request if anything reads it. */
function unreadableBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull() {
      throw new Error('the body was read');
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}): RequestInit =>
  ({
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    duplex: 'half',
  }) as RequestInit;

describe('the doors with an app allowlist', () => {
  it('store the events of a listed app', async () => {
    const { app, sink } = setup(ALLOWED);
    const res = await app.request('/v1/apps/game/events', post(pinpointBody));
    expect(res.status).toBe(202);
    expect(sink.records).toHaveLength(1);
  });

  it.each([
    ['the Pinpoint PutEvents door', 'POST', '/v1/apps/other/events'],
    ['the UpdateEndpoint door', 'PUT', '/v1/apps/other/endpoints/ep'],
    ['the UpdateEndpointsBatch door', 'PUT', '/v1/apps/other/endpoints'],
    ['any other path under /v1/apps/{appId}', 'POST', '/v1/apps/other/anything'],
  ])('answer %s 403 for another app, typed, before reading the body', async (_door, method, path) => {
    const { app, sink } = setup(ALLOWED);
    const res = await app.request(path, { ...post(unreadableBody()), method });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('ForbiddenException');
    const message =
      'The app id "other" is not accepted here: this collector stores events of the app ids its operator listed (ingestAllowedApps) only';
    expect(await res.json()).toEqual({
      message,
      Message: message,
      RequestID: res.headers.get('x-amzn-RequestId'),
    });
    expect(sink.records).toEqual([]);
  });

  it('answer the Mobile Analytics door by the client context’s app id', async () => {
    const { app, sink } = setup(new Set(['game']));
    const context = JSON.stringify(clientContext);
    const refused = await app.request(
      '/2014-06-05/events',
      post(unreadableBody(), { 'x-amz-client-context': context }),
    );
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toContain(`"${clientContext.services.mobile_analytics.app_id}"`);
    const malformed = await app.request('/2014-06-05/events', post('{}', { 'x-amz-client-context': '{' }));
    expect(malformed.status).toBe(400);
    const body = JSON.stringify({ events: [{ eventType: 'x', timestamp: '2026-03-01T09:00:00Z' }] });
    const allowed = setup(ALLOWED);
    const accepted = await allowed.app.request(
      '/2014-06-05/events',
      post(body, { 'x-amz-client-context': context }),
    );
    expect(accepted.status).toBe(202);
    expect(sink.records).toEqual([]);
    expect(allowed.sink.records).toHaveLength(1);
  });

  it('accept every app id without a list', async () => {
    const { app, sink } = setup();
    const res = await app.request('/v1/apps/anything/events', post(pinpointBody));
    expect(res.status).toBe(202);
    expect(sink.records).toHaveLength(1);
  });
});
