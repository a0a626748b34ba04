import { parseClientContext } from '../../lambdas/ingest/normalise/client-context';
import { deterministicEventId } from '../../lambdas/ingest/normalise/event-id';
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

const identity = {
  appId: 'app',
  clientId: 'client',
  eventType: '_session.start',
  eventTimestamp: 1767225600000,
  sessionId: 's1',
};

describe('event ids', () => {
  it('are the same for a Mobile Analytics request sent again later', () => {
    const ids = (arrivalTimestamp: number) =>
      normaliseMobileAnalyticsEvents(body, {
        clientContext: parseClientContext(JSON.stringify(clientContext)),
        arrivalTimestamp,
        lake: TEST_LAKE,
      }).map((r) => r.event_id);
    expect(ids(1767225600000)).toEqual(ids(1767225900000));
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

  it('are the same for a stream record delivered twice', () => {
    const { arrival_timestamp: _, ...withoutArrival } = appEvent;
    expect(normaliseStreamRecord(withoutArrival, 1).event_id).toBe(
      normaliseStreamRecord(withoutArrival, 2).event_id,
    );
  });

  it.each([
    ['app', { appId: 'other' }],
    ['client', { clientId: 'other' }],
    ['event type', { eventType: '_session.stop' }],
    ['time', { eventTimestamp: 1767225600001 }],
    ['session', { sessionId: 's2' }],
    ['session (absent)', { sessionId: undefined }],
  ])('change when the %s changes', (_name, change) => {
    expect(deterministicEventId({ ...identity, ...change })).not.toBe(deterministicEventId(identity));
  });

  it('cannot be confused by values that run into each other', () => {
    expect(deterministicEventId({ ...identity, appId: 'ab', clientId: 'c' })).not.toBe(
      deterministicEventId({ ...identity, appId: 'a', clientId: 'bc' }),
    );
  });
});
