import { BadRequestError } from '../../lambdas/core/errors';
import { normalisePinpointEvents } from '../../lambdas/ingest/normalise/pinpoint-events';
import { TEST_LAKE } from '../support/lake';
import amplify from './fixtures/pinpoint-put-events-amplify.json';
import full from './fixtures/pinpoint-put-events-full.json';

/** The fixtures' events are dated 2026-03-01; they arrive that day. */
const ARRIVAL = Date.parse('2026-03-01T12:00:00Z');
const context = {
  appId: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
  arrivalTimestamp: ARRIVAL,
  lake: TEST_LAKE,
};
const ENDPOINT_ID = 'e7b3a1c0-4f2d-4e8a-9b6c-1d2e3f4a5b6c';

function oneEvent(event: unknown, endpoint: unknown = {}) {
  const [outcome] = normalisePinpointEvents(
    { BatchItem: { ep1: { Endpoint: endpoint, Events: { ev1: event } } } },
    context,
  );
  return outcome!.events[0]!;
}

const valid = { EventType: 'level_complete', Timestamp: '2026-03-01T09:41:12.345Z' };

describe('Pinpoint PutEvents normalisation', () => {
  it('maps every field of the seed request syntax into the record', () => {
    const [endpoint] = normalisePinpointEvents(full, context);
    expect(endpoint!.endpointId).toBe(ENDPOINT_ID);
    expect(endpoint!.error).toBeUndefined();
    const purchase = endpoint!.events.find((e) => e.eventId === '7a2c5e90-1b3d-4f6a-8c0e-2d4f6a8c0e1b')!;
    expect(purchase.record).toEqual({
      event_id: '7a2c5e90-1b3d-4f6a-8c0e-2d4f6a8c0e1b',
      event_type: '_monetization.purchase',
      event_timestamp: Date.UTC(2018, 1, 2, 2, 14, 22, 978),
      arrival_timestamp: ARRIVAL,
      event_version: '3.1',
      application: {
        app_id: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
        package_name: 'com.example.package',
        title: 'ExampleApp',
        version_name: '5.03',
        version_code: '5.03.1',
        sdk: { name: 'aws-sdk-iOS', version: '2.6.5' },
      },
      client: { client_id: ENDPOINT_ID },
      device: {
        locale: { code: 'zh_CN', country: 'CN', language: 'zh' },
        make: 'apple',
        model: 'iPhone',
        platform: { name: 'iOS', version: '11.2.5' },
      },
      session: {
        session_id: 'e79da94c-9BD1DF63-20180202-021345277',
        start_timestamp: Date.UTC(2018, 1, 2, 2, 13, 45, 277),
        stop_timestamp: Date.UTC(2018, 1, 2, 2, 16, 17, 298),
      },
      attributes: {
        _currency: 'CNY',
        _product_id: 'product_id',
        _transaction_id: '123456789012345',
        _item_price_formatted: '¥128.00',
        '_session.duration': '152021',
      },
      metrics: { _item_price: 76.5811965811966, _quantity: 1 },
      endpoint: expect.any(String),
    });
    expect(JSON.parse(purchase.record!.endpoint!)).toEqual(full.BatchItem[ENDPOINT_ID].Endpoint);
  });

  it('accepts every event of an Amplify-style batch and reads offsets in timestamps', () => {
    const [endpoint] = normalisePinpointEvents(amplify, context);
    expect(endpoint!.events.map((e) => [e.eventId, e.error])).toEqual([
      ['a9b8c7d6-e5f4-4321-8765-43210fedcba9', undefined],
      ['b1c2d3e4-f5a6-4789-9abc-def012345678', undefined],
      ['c0ffee00-1234-4abc-8def-0123456789ab', undefined],
    ]);
    const level = endpoint!.events[1]!.record!;
    expect(level.event_timestamp).toBe(Date.UTC(2026, 2, 1, 8, 41, 12, 345));
    expect(level.device).toEqual({
      locale: { code: 'en-GB', country: 'GB', language: 'en' },
      make: 'Google',
      model: 'Pixel 7',
      platform: { name: 'Android', version: '14' },
    });
    expect(level.application.version_name).toBe('2.1.0');
    expect(level.metrics).toEqual({ score: 12345, seconds: 64.5 });
    expect(endpoint!.events[2]!.record!.attributes).toEqual({ '_session.duration': '900000' });
  });

  it('leaves device and endpoint empty when the batch item has no Endpoint', () => {
    const [outcome] = normalisePinpointEvents({ BatchItem: { ep1: { Events: { ev1: valid } } } }, context);
    const record = outcome!.events[0]!.record!;
    expect(record.device).toEqual({});
    expect(record).not.toHaveProperty('endpoint');
    expect(record.client).toEqual({ client_id: 'ep1' });
  });

  it.each([
    ['a missing EventType', { Timestamp: valid.Timestamp }, 'EventType is required'],
    ['a non-string EventType', { ...valid, EventType: 7 }, 'EventType must be a non-empty string, got 7'],
    ['a missing Timestamp', { EventType: 'x' }, 'Timestamp is required'],
    [
      'a Timestamp in ms',
      { ...valid, Timestamp: 1517537724812 },
      'Timestamp is 1517537724812, not an ISO 8601',
    ],
    ['a non-object event', 'hello', 'the event must be a JSON object, got "hello"'],
    ['an unknown field', { ...valid, Atributes: {} }, 'the event has unknown field "Atributes"'],
    [
      'a non-numeric metric',
      { ...valid, Metrics: { score: '12' } },
      'Metrics["score"] must be a finite number, got "12"',
    ],
    [
      'a non-string attribute',
      { ...valid, Attributes: { level: 7 } },
      'Attributes["level"] must be a string, got 7',
    ],
    [
      'a Session without Id',
      { ...valid, Session: { StartTimestamp: valid.Timestamp } },
      'Session.Id is required',
    ],
    ['a Session without start', { ...valid, Session: { Id: 's' } }, 'Session.StartTimestamp is required'],
    [
      'a fractional Duration',
      { ...valid, Session: { Id: 's', StartTimestamp: valid.Timestamp, Duration: 1.5 } },
      'Session.Duration must be a whole number of milliseconds',
    ],
    [
      'a Duration that contradicts the attribute',
      {
        ...valid,
        Attributes: { '_session.duration': '5' },
        Session: { Id: 's', StartTimestamp: valid.Timestamp, Duration: 7 },
      },
      'attribute "_session.duration" is "5" but Session.Duration gives "7"',
    ],
    ['a non-string SdkName', { ...valid, SdkName: 3 }, 'SdkName must be a string, got 3'],
  ])('rejects %s with a reason in the event result', (_name, event, reason) => {
    const outcome = oneEvent(event);
    expect(outcome.record).toBeUndefined();
    expect(outcome.error).toContain(reason);
  });

  it('rejects an invalid event alone and keeps the others', () => {
    const [outcome] = normalisePinpointEvents(
      { BatchItem: { ep1: { Endpoint: {}, Events: { bad: { EventType: 'x' }, good: valid } } } },
      context,
    );
    expect(outcome!.error).toBeUndefined();
    expect(outcome!.events.map((e) => [e.eventId, e.record !== undefined])).toEqual([
      ['bad', false],
      ['good', true],
    ]);
  });

  it('fails every event of an endpoint whose Demographic is invalid, and not the other endpoints', () => {
    const outcomes = normalisePinpointEvents(
      {
        BatchItem: {
          bad: { Endpoint: { Demographic: { Make: 5 } }, Events: { e1: valid, e2: valid } },
          good: { Endpoint: {}, Events: { e1: valid } },
        },
      },
      context,
    );
    expect(outcomes[0]!.error).toBe('Endpoint.Demographic.Make must be a string, got 5');
    expect(outcomes[0]!.events.map((e) => e.error)).toEqual([
      'endpoint: Endpoint.Demographic.Make must be a string, got 5',
      'endpoint: Endpoint.Demographic.Make must be a string, got 5',
    ]);
    expect(outcomes[1]!.events[0]!.record).toBeDefined();
  });

  it('has no outcome for an empty BatchItem (an empty flush, as Amplify sends)', () => {
    expect(normalisePinpointEvents({ BatchItem: {} }, context)).toEqual([]);
  });

  it('fails an endpoint that carries no events, as there is nothing to store', () => {
    const outcomes = normalisePinpointEvents(
      { BatchItem: { empty: { Endpoint: {}, Events: {} }, full: { Endpoint: {}, Events: { e: valid } } } },
      context,
    );
    expect(outcomes[0]!.error).toContain('the endpoint has no events');
    expect(outcomes[1]!.events[0]!.record).toBeDefined();
  });

  it.each([
    ['an array', [], 'the body must be a JSON object, got an array'],
    ['no BatchItem', {}, 'BatchItem must be a JSON object, got nothing'],
    ['the boto3 wrapper', { EventsRequest: { BatchItem: {} } }, 'unknown field "EventsRequest"'],
    [
      'a batch item that is not an object',
      { BatchItem: { ep: 3 } },
      'BatchItem["ep"] must be a JSON object, got 3',
    ],
    [
      'a batch item without Events',
      { BatchItem: { ep: { Endpoint: {} } } },
      'BatchItem["ep"].Events must be a JSON object',
    ],
    [
      'an Endpoint that is not an object',
      { BatchItem: { ep: { Endpoint: 'x', Events: {} } } },
      '.Endpoint must be',
    ],
  ])('rejects a body with %s as a whole', (_name, body, reason) => {
    expect(() => normalisePinpointEvents(body, context)).toThrow(BadRequestError);
    expect(() => normalisePinpointEvents(body, context)).toThrow(reason);
  });

  it('takes 100 events in a request and refuses 101 as a whole', () => {
    const events = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`e${i}`, valid]));
    const split = (n: number) => ({
      BatchItem: { a: { Events: events(Math.ceil(n / 2)) }, b: { Events: events(Math.floor(n / 2)) } },
    });
    const accepted = normalisePinpointEvents(split(100), context).flatMap((o) => o.events);
    expect(accepted.filter((e) => e.record)).toHaveLength(100);
    expect(() => normalisePinpointEvents(split(101), context)).toThrow(
      'The request has 101 events; at most 100 are allowed per request',
    );
  });

  it('rejects an event whose record would not fit in one Firehose record', () => {
    const endpoint = { Attributes: { blob: ['x'.repeat(1024 * 1024)] } };
    expect(oneEvent(valid, endpoint).error).toMatch(/is \d+ bytes as a lake record; at most 1024000/);
  });
});
