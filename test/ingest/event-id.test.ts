import type { EventRecord } from '../../lambdas/core/event-record';
import { parseClientContext } from '../../lambdas/ingest/normalise/client-context';
import { normaliseMobileAnalyticsEvents } from '../../lambdas/ingest/normalise/mobile-analytics-events';
import { normalisePinpointEvents } from '../../lambdas/ingest/normalise/pinpoint-events';
import { normaliseStreamRecord } from '../../lambdas/ingest/normalise/stream-record';
import { TEST_LAKE } from '../support/lake';
import body from './fixtures/mobile-analytics-body.json';
import clientContext from './fixtures/mobile-analytics-client-context.json';
import amplify from './fixtures/pinpoint-put-events-amplify.json';
import appEvent from './fixtures/stream-app-event.json';

/** After every event of the fixtures, the same day as the latest. */
const ARRIVAL = Date.parse('2026-03-01T12:00:00Z');

const CONTEXT = JSON.stringify(clientContext);

/** The ids a Mobile Analytics request gets, with the given events, client context and User-Agent. */
function maIds(
  events: unknown[],
  context = CONTEXT,
  userAgent?: string,
  arrivalTimestamp = ARRIVAL,
): string[] {
  return normaliseMobileAnalyticsEvents(
    { events },
    { clientContext: parseClientContext(context), userAgent, arrivalTimestamp, lake: TEST_LAKE },
  ).map((r) => r.event_id);
}

const purchase = (productId: string, price: number) => ({
  eventType: '_monetization.purchase',
  timestamp: '2026-03-01T09:41:12.345Z',
  session: { id: 's-1', startTimestamp: '2026-03-01T09:40:00.000Z' },
  attributes: { _currency: 'USD', _product_id: productId },
  metrics: { _quantity: 1, _item_price: price },
});

const { arrival_timestamp: _, ...streamEvent } = appEvent;
/** The id of a stream record without `event_id`: the fixture with `change` applied. */
const streamId = (change: Partial<Record<keyof EventRecord, unknown>> = {}, arrival = 1) =>
  normaliseStreamRecord({ ...streamEvent, ...change }, arrival).event_id;

describe('event ids', () => {
  it('are the same for a Mobile Analytics request sent again later', () => {
    const events = body.events;
    expect(maIds(events, CONTEXT, undefined, 1767225600000)).toEqual(
      maIds(events, CONTEXT, undefined, 1767225900000),
    );
  });

  it('are 32 hex characters', () => {
    expect(maIds(body.events)).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
  });

  it('differ for two different purchases in the same millisecond of one session', () => {
    const ids = maIds([purchase('gems_100', 1.99), purchase('gems_500', 4.99)]);
    expect(new Set(ids).size).toBe(2);
  });

  it('differ for identical events sent in one request, and a retry of that request keeps them', () => {
    const twice = [purchase('gems_100', 1.99), purchase('gems_100', 1.99)];
    const ids = maIds(twice);
    expect(new Set(ids).size).toBe(2);
    expect(maIds(twice)).toEqual(ids);
  });

  it('keep the ids of a request whose events come again with others after them', () => {
    const first = [purchase('a', 1), purchase('a', 1)];
    const more = [...first, purchase('b', 2), purchase('a', 1)];
    expect(maIds(more).slice(0, 2)).toEqual(maIds(first));
  });

  it('are the same when a stored batch is re-sent after an app or OS update (new client context and User-Agent)', () => {
    const updated = JSON.stringify({
      ...clientContext,
      client: { ...clientContext.client, app_version_name: 'V2.1', app_version_code: '4' },
    });
    expect(maIds(body.events, updated, 'aws-sdk-android/2.7.0 Linux/4.1 Dalvik/2.1.0')).toEqual(
      maIds(body.events, CONTEXT, 'aws-sdk-android/2.6.0 Linux/3.4 Dalvik/2.1.0'),
    );
  });

  it('are the client ids of a Pinpoint request, again on retry', () => {
    const ids = (arrivalTimestamp: number) =>
      normalisePinpointEvents(amplify, { appId: 'app', arrivalTimestamp, lake: TEST_LAKE }).flatMap((o) =>
        o.events.map((e) => e.record!.event_id),
      );
    expect(ids(ARRIVAL)).toEqual([
      'a9b8c7d6-e5f4-4321-8765-43210fedcba9',
      'b1c2d3e4-f5a6-4789-9abc-def012345678',
      'c0ffee00-1234-4abc-8def-0123456789ab',
    ]);
    expect(ids(ARRIVAL + 1)).toEqual(ids(ARRIVAL));
  });

  it('are the same for a stream record delivered twice, and do not depend on key order', () => {
    expect(streamId({}, 1)).toBe(streamId({}, 2));
    const attributes = { a: '1', b: '2' };
    const metrics = { x: 1, y: 2 };
    expect(streamId({ attributes, metrics })).toBe(
      streamId({ attributes: { b: '2', a: '1' }, metrics: { y: 2, x: 1 } }),
    );
  });

  it('do not depend on the application, device or Cognito fields', () => {
    expect(
      streamId({
        application: { ...appEvent.application, version_name: '2.0' },
        device: { model: 'Other' },
        client: { ...appEvent.client, cognito_id: 'us-east-1:other' },
      }),
    ).toBe(streamId());
  });

  it.each<[string, Partial<Record<keyof EventRecord, unknown>>]>([
    ['app', { application: { ...appEvent.application, app_id: 'other' } }],
    ['client', { client: { client_id: 'other' } }],
    ['event type', { event_type: '_session.start' }],
    ['time', { event_timestamp: appEvent.event_timestamp + 1 }],
    ['session id', { session: { ...appEvent.session, session_id: 'other' } }],
    ['session start', { session: { ...appEvent.session, start_timestamp: 1 } }],
    ['session (absent)', { session: undefined }],
    ['an attribute', { attributes: { screen: 'home' } }],
    ['a metric', { metrics: { score: 1 } }],
    ['the endpoint', { endpoint: { Demographic: { Platform: 'ios' } } }],
  ])('change when the %s changes', (_name, change) => {
    expect(streamId(change)).not.toBe(streamId());
  });

  it('cannot be confused by values that run into each other', () => {
    expect(streamId({ attributes: { ab: 'c' } })).not.toBe(streamId({ attributes: { a: 'bc' } }));
    expect(streamId({ application: { app_id: 'ab' }, client: { client_id: 'c' } })).not.toBe(
      streamId({ application: { app_id: 'a' }, client: { client_id: 'bc' } }),
    );
  });
});
