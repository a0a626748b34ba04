import { BadRequestError } from '../../lambdas/core/errors';
import { lakeWindow } from '../../lambdas/core/lake-window';
import {
  normaliseEndpointBatchRequest,
  normaliseEndpointRequest,
} from '../../lambdas/ingest/normalise/endpoint-request';
import { TEST_LAKE } from '../support/lake';
import full from './fixtures/pinpoint-update-endpoint-full.json';

/** The same day as the fixtures' EffectiveDates, after them. */
const ARRIVAL = Date.parse('2026-03-01T12:00:00Z');
const context = { appId: 'game-1', arrivalTimestamp: ARRIVAL, lake: TEST_LAKE };
const ENDPOINT_ID = '92d72dfb-b601-434d-ae50-694327853015';

/** What Amplify JS v6 sends before its first event (observed). */
const amplifyFirst = {
  RequestId: '1a16259f-53a9-4fd4-8bd8-3b0b1c7c9e2d',
  EffectiveDate: '2026-03-01T09:30:00.544Z',
  Demographic: {},
  User: { UserId: 'us-east-1:00000000-0000-0000-0000-000000000001' },
};

describe('Pinpoint UpdateEndpoint normalisation', () => {
  it('stores an endpoint with every member of the API model as one _endpoint.update record', () => {
    expect(normaliseEndpointRequest(ENDPOINT_ID, full, context)).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_type: '_endpoint.update',
      event_timestamp: Date.UTC(2026, 2, 1, 9, 29, 58, 120),
      arrival_timestamp: ARRIVAL,
      event_version: '3.1',
      application: { app_id: 'game-1', version_name: '2.1.0' },
      client: { client_id: ENDPOINT_ID },
      device: {
        locale: { code: 'en_GB', country: 'GB', language: 'en' },
        make: 'Google',
        model: 'Pixel 7',
        platform: { name: 'Android', version: '14' },
      },
      session: {},
      attributes: {},
      metrics: {},
      endpoint: JSON.stringify(full),
    });
  });

  it("takes Amplify's first UpdateEndpoint, and the arrival time when there is no EffectiveDate", () => {
    const record = normaliseEndpointRequest(ENDPOINT_ID, amplifyFirst, context);
    expect(record.event_timestamp).toBe(Date.UTC(2026, 2, 1, 9, 30, 0, 544));
    expect(JSON.parse(record.endpoint!)).toEqual(amplifyFirst);
    const { EffectiveDate: _, ...undated } = amplifyFirst;
    expect(normaliseEndpointRequest(ENDPOINT_ID, undated, context).event_timestamp).toBe(
      context.arrivalTimestamp,
    );
  });

  it('takes an empty body and null members (absent, as in the AWS JSON protocols)', () => {
    expect(normaliseEndpointRequest('e', {}, context).client.client_id).toBe('e');
    const nulls = { Address: null, Demographic: { Locale: null }, Location: null, User: { UserId: null } };
    expect(normaliseEndpointRequest('e', nulls, context).endpoint).toBe(JSON.stringify(nulls));
  });

  it('gives a retried request the same id, and a changed profile another', () => {
    const id = normaliseEndpointRequest(ENDPOINT_ID, full, context).event_id;
    expect(
      normaliseEndpointRequest(ENDPOINT_ID, full, { ...context, arrivalTimestamp: ARRIVAL + 60_000 })
        .event_id,
    ).toBe(id);
    expect(normaliseEndpointRequest(ENDPOINT_ID, { ...full, OptOut: 'ALL' }, context).event_id).not.toBe(id);
  });

  it.each([
    ['not an object', [], 'Not a Pinpoint EndpointRequest: the body must be a JSON object, got an array'],
    ['an unknown member', { ...full, Channel: 'GCM' }, 'has unknown field "Channel"'],
    ['the batch Id', { Id: 'e' }, 'has unknown field "Id"'],
    [
      'a ChannelType outside the enum',
      { ChannelType: 'FAX' },
      'ChannelType is "FAX"; it is one of PUSH, GCM',
    ],
    ['a number for a string', { Address: 5 }, 'Address must be a string, got 5'],
    ['an unknown Demographic member', { Demographic: { Os: 'x' } }, 'Demographic has unknown field "Os"'],
    [
      'a non-string Demographic member',
      { Demographic: { Locale: 1 } },
      'Demographic.Locale must be a string',
    ],
    ['a text latitude', { Location: { Latitude: '53.8' } }, 'Location.Latitude must be a finite number'],
    [
      'a single attribute value',
      { Attributes: { plan: 'pro' } },
      'Attributes["plan"] must be a list of strings',
    ],
    [
      'a number in an attribute list',
      { Attributes: { plan: [1] } },
      'Attributes["plan"][0] must be a string',
    ],
    ['a text metric', { Metrics: { visits: '3' } }, 'Metrics["visits"] must be a finite number'],
    [
      'a user attribute that is not a list',
      { User: { UserAttributes: { tier: 'gold' } } },
      'User.UserAttributes["tier"] must be a list of strings',
    ],
    ['an unknown User member', { User: { Id: 'u' } }, 'User has unknown field "Id"'],
    [
      'an EffectiveDate that is no date',
      { EffectiveDate: 'today' },
      'EffectiveDate is "today", not an ISO 8601',
    ],
  ])('refuses a body with %s as a bad request naming it', (_name, body, message) => {
    const run = () => normaliseEndpointRequest(ENDPOINT_ID, body, context);
    expect(run).toThrow(BadRequestError);
    expect(run).toThrow(message);
  });

  it.each([
    [
      "before the lake's first day",
      '2013-12-31T23:59:59.999Z',
      "EffectiveDate is 2013-12-31T23:59:59.999Z, before the lake's first day 2014-01-01",
    ],
    [
      'more than a day after its arrival',
      '2026-03-02T12:00:00.001Z',
      'EffectiveDate is 2026-03-02T12:00:00.001Z, more than a day after the event arrived',
    ],
  ])('refuses an EffectiveDate %s, which no query would see', (_name, date, message) => {
    const run = () => normaliseEndpointRequest(ENDPOINT_ID, { EffectiveDate: date }, context);
    expect(run).toThrow(BadRequestError);
    expect(run).toThrow(`Not a Pinpoint EndpointRequest: ${message}`);
    expect(
      normaliseEndpointRequest(ENDPOINT_ID, { EffectiveDate: '2014-01-01T00:00:00Z' }, context),
    ).toBeDefined();
    expect(
      normaliseEndpointRequest(ENDPOINT_ID, { EffectiveDate: '2026-03-02T12:00:00Z' }, context),
    ).toBeDefined();
  });

  it("refuses an endpoint without EffectiveDate that arrives before the lake's first day", () => {
    const later = { ...context, lake: lakeWindow('2026-03-02') };
    expect(() => normaliseEndpointRequest(ENDPOINT_ID, {}, later)).toThrow(
      "the arrival time (no EffectiveDate) is 2026-03-01T12:00:00.000Z, before the lake's first day 2026-03-02",
    );
  });
});

describe('Pinpoint UpdateEndpointsBatch normalisation', () => {
  const item = (id: string, more: object = {}) => ({ Id: id, ...more });

  it('stores one record per item, each under its Id', () => {
    const records = normaliseEndpointBatchRequest(
      { Item: [item('e-1', full), item('e-2', { ChannelType: 'APNS', Address: 'b' })] },
      context,
    );
    expect(records.map((r) => [r.event_type, r.client.client_id])).toEqual([
      ['_endpoint.update', 'e-1'],
      ['_endpoint.update', 'e-2'],
    ]);
    expect(JSON.parse(records[0]!.endpoint!)).toEqual({ Id: 'e-1', ...full });
    expect(records[0]!.device.model).toBe('Pixel 7');
  });

  it('gives identical items of one request different ids, the same again on retry', () => {
    const body = { Item: [item('e-1', full), item('e-1', full)] };
    const ids = normaliseEndpointBatchRequest(body, context).map((r) => r.event_id);
    expect(new Set(ids).size).toBe(2);
    expect(normaliseEndpointBatchRequest(body, context).map((r) => r.event_id)).toEqual(ids);
  });

  it('takes an empty Item list, storing nothing', () => {
    expect(normaliseEndpointBatchRequest({ Item: [] }, context)).toEqual([]);
  });

  it('takes 100 items and refuses 101', () => {
    const items = (n: number) => ({ Item: Array.from({ length: n }, (_, i) => item(`e-${i}`)) });
    expect(normaliseEndpointBatchRequest(items(100), context)).toHaveLength(100);
    expect(() => normaliseEndpointBatchRequest(items(101), context)).toThrow(
      'Item has 101 endpoints; at most 100 are allowed per request',
    );
  });

  it.each([
    ['no Item', {}, 'Item is required: a list of endpoints, got nothing'],
    ['the boto3 wrapper', { EndpointBatchRequest: { Item: [] } }, 'unknown field "EndpointBatchRequest"'],
    ['an item that is not an object', { Item: [3] }, 'Item[0] must be a JSON object, got 3'],
    ['an item without Id', { Item: [item('e-1'), { Address: 'a' }] }, 'Item[1].Id is required'],
    [
      'an item with an unknown member',
      { Item: [item('e-1', { Foo: 1 })] },
      'Item[0] has unknown field "Foo"',
    ],
    [
      'an item with a bad nested member',
      { Item: [item('e-1', { Location: { City: 1 } })] },
      'Item[0].Location.City must be a string, got 1',
    ],
    [
      'an item with a bad EffectiveDate',
      { Item: [item('e-1', { EffectiveDate: 'soon' })] },
      'Item[0].EffectiveDate is "soon"',
    ],
    [
      'an item dated before the lake',
      { Item: [item('e-1'), item('e-2', { EffectiveDate: '2010-05-01T00:00:00Z' })] },
      "Item[1].EffectiveDate is 2010-05-01T00:00:00.000Z, before the lake's first day 2014-01-01",
    ],
  ])('refuses a body with %s as a whole, naming it', (_name, body, message) => {
    const run = () => normaliseEndpointBatchRequest(body, context);
    expect(run).toThrow(BadRequestError);
    expect(run).toThrow(`Not a Pinpoint EndpointBatchRequest: `);
    expect(run).toThrow(message);
  });
});
