import { encodeRecord } from '../../lambdas/ingest/normalise/encode-record';
import { InvalidEventError } from '../../lambdas/ingest/normalise/invalid-event';
import { normaliseStreamRecord } from '../../lambdas/ingest/normalise/stream-record';
import direct from './fixtures/direct-producer-record.json';
import monetization from './fixtures/legacy-monetization.json';
import sessionStart from './fixtures/legacy-session-start.json';
import appEvent from './fixtures/stream-app-event.json';
import withEndpoint from './fixtures/stream-app-event-with-endpoint.json';

const ARRIVAL = 1771100000000;

describe('legacy flat records (the seed example events)', () => {
  it('normalises the example session start event', () => {
    const record = normaliseStreamRecord(sessionStart, ARRIVAL);
    expect(record).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_type: '_session.start',
      event_timestamp: 1517537724812,
      arrival_timestamp: 1517537778048,
      event_version: '3.1',
      application: {
        app_id: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
        cognito_identity_pool_id: 'us-east-1:a1b2c3d4-e5f6-g7h8-i9j0-k1l2m3n4o5p6',
        package_name: 'com.example.package',
        title: 'ExampleApp',
        version_name: '11.02.0',
        version_code: '28198.0',
        sdk: { name: 'aws-sdk-iOS', version: '2.4.16' },
      },
      client: {
        client_id: 'A1B2C3D4-E5F6-G7H8-I9J0-K1L2M3N4O5P6',
        cognito_id: 'us-east-1:a1b2c3d4-e5f6-g7h8-i9j0-k1l2m3n4o5p6',
      },
      device: {
        locale: { code: 'en_US', country: 'US', language: 'en' },
        make: 'apple',
        model: 'iPhone',
        platform: { name: 'iOS', version: '11.2.2' },
      },
      session: { session_id: '70cf4faf-BAAABA8A-20180202-021524806', start_timestamp: 1517537724811 },
      attributes: {
        _clientContext: JSON.stringify(sessionStart.attributes._clientContext),
        _user_agent: 'aws-sdk-iOS/2.4.16 iOS/11.2.2 en_US',
      },
      metrics: {},
      awsAccountId: '111122223333',
    });
  });

  it('normalises the example monetization event, keeping every custom attribute and metric', () => {
    const record = normaliseStreamRecord(monetization, ARRIVAL);
    expect(record.event_type).toBe('_monetization.purchase');
    expect(record.session).toEqual({
      session_id: 'e79da94c-9BD1DF63-20180202-021345277',
      start_timestamp: 1517537625277,
    });
    expect(record.attributes).toEqual({
      _currency: 'CNY',
      _product_id: 'product_id',
      _transaction_id: '123456789012345',
      _clientContext: monetization.attributes._clientContext,
      '_session.duration': '152021',
      _item_price_formatted: '¥128.00',
      _user_agent: 'aws-sdk-iOS/2.6.5 iOS/11.2.5 zh_CN',
    });
    expect(record.metrics).toEqual({ _item_price: 76.5811965811966, _quantity: 1 });
    expect(record.device.locale).toEqual({ code: 'zh_CN', country: 'CN', language: 'zh' });
  });

  it('rejects a session start time that is not ms digits', () => {
    const bad = { ...sessionStart, attributes: { '_session.startTime': 'yesterday' } };
    expect(() => normaliseStreamRecord(bad, ARRIVAL)).toThrow(
      'attributes["_session.startTime"] is "yesterday"; expected ms since epoch as digits',
    );
  });
});

describe('nested Pinpoint event-stream records', () => {
  it('normalises the documented app event, upgrading the layout to 3.1', () => {
    const record = normaliseStreamRecord(appEvent, ARRIVAL);
    const { event_version: _given, ...rest } = appEvent;
    expect(record).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      ...rest,
      event_version: '3.1',
    });
  });

  it('keeps the endpoint as JSON text and the account id', () => {
    const record = normaliseStreamRecord(withEndpoint, ARRIVAL);
    expect(typeof record.endpoint).toBe('string');
    expect(JSON.parse(record.endpoint!)).toEqual(withEndpoint.endpoint);
    expect(record.awsAccountId).toBe('111122223333');
    expect(record.metrics).toEqual({ amount: 19.99, items: 2 });
  });

  it('gives back a normalised record unchanged, byte for byte', () => {
    for (const input of [appEvent, withEndpoint, sessionStart, monetization, direct]) {
      const once = normaliseStreamRecord(input, ARRIVAL);
      const twice = normaliseStreamRecord(JSON.parse(encodeRecord(once)), ARRIVAL + 1);
      expect(twice).toEqual(once);
      expect(encodeRecord(twice)).toBe(encodeRecord(once));
    }
  });

  it('rejects fields outside the layout instead of dropping them', () => {
    expect(() => normaliseStreamRecord({ ...appEvent, facets: {} }, ARRIVAL)).toThrow(
      'the record has unknown field "facets"',
    );
    const device = { ...appEvent.device, timezone: 'UTC' };
    expect(() => normaliseStreamRecord({ ...appEvent, device }, ARRIVAL)).toThrow(
      'device has unknown field "timezone"',
    );
  });

  it.each([
    ['no client id', { ...appEvent, client: {} }, 'client.client_id is required'],
    ['no client', { ...appEvent, client: undefined }, 'client must be a JSON object, got nothing'],
    ['no app id', { ...appEvent, application: { title: 't' } }, 'application.app_id is required'],
    [
      'an app id with a slash',
      { ...appEvent, application: { app_id: 'a/b' } },
      'application.app_id is "a/b"',
    ],
    ['no event type', { ...appEvent, event_type: undefined }, 'event_type is required'],
    ['a bad timestamp', { ...appEvent, event_timestamp: 'soon' }, 'event_timestamp is "soon"'],
    ['a text metric', { ...appEvent, metrics: { n: '1' } }, 'metrics["n"] must be a finite number'],
    ['a null attribute', { ...appEvent, attributes: { a: null } }, 'attributes["a"] must be a string'],
    ['a non-object', [appEvent], 'the record must be a JSON object, got an array'],
  ])('rejects a record with %s, saying why', (_name, input, reason) => {
    expect(() => normaliseStreamRecord(input, ARRIVAL)).toThrow(InvalidEventError);
    expect(() => normaliseStreamRecord(input, ARRIVAL)).toThrow(reason);
  });
});

describe('attribute names that are JavaScript property names', () => {
  it('keeps an attribute named __proto__ as a plain entry', () => {
    const input = JSON.parse(
      JSON.stringify(appEvent).replace('"attributes":{}', '"attributes":{"__proto__":"x","a":"b"}'),
    );
    const record = normaliseStreamRecord(input, ARRIVAL);
    expect(Object.keys(record.attributes)).toEqual(['__proto__', 'a']);
    expect(JSON.parse(encodeRecord(record)).attributes).toEqual(JSON.parse('{"__proto__":"x","a":"b"}'));
    expect(Object.getPrototypeOf(record.attributes)).toBe(Object.prototype);
  });
});

describe('direct producer records (the §1 record, e.g. from the Amplify kinesis-firehose provider)', () => {
  it('fills event_id and arrival_timestamp and reads an ISO event time', () => {
    const record = normaliseStreamRecord(direct, ARRIVAL);
    expect(record.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(record.arrival_timestamp).toBe(ARRIVAL);
    expect(record.event_timestamp).toBe(Date.UTC(2026, 1, 14, 20, 15, 0, 250));
    expect(record.application).toEqual({ app_id: 'tv-app', title: 'TV', version_name: '1.4.2' });
    expect(record.device).toEqual({ platform: { name: 'web' } });
  });

  it('keeps a client event id and keeps non-string attribute values as text', () => {
    const record = normaliseStreamRecord(
      { ...direct, event_id: 'client-id-1', attributes: { n: 3, ok: true, tags: ['a', 'b'] } },
      ARRIVAL,
    );
    expect(record.event_id).toBe('client-id-1');
    expect(record.attributes).toEqual({ n: '3', ok: 'true', tags: '["a","b"]' });
  });
});
