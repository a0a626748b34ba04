import { BadRequestError } from '../../lambdas/core/errors';
import { type ClientContext, parseClientContext } from '../../lambdas/ingest/normalise/client-context';
import { normaliseMobileAnalyticsEvents } from '../../lambdas/ingest/normalise/mobile-analytics-events';
import { TEST_LAKE } from '../support/lake';
import body from './fixtures/mobile-analytics-body.json';
import clientContextJson from './fixtures/mobile-analytics-client-context.json';

const header = JSON.stringify(clientContextJson);
const context = (cc: ClientContext = parseClientContext(header), userAgent?: string) => ({
  clientContext: cc,
  userAgent,
  arrivalTimestamp: 1767225600000,
  lake: TEST_LAKE,
});
const event = { eventType: 'e', timestamp: '2026-01-01T00:00:00Z' };

describe('Mobile Analytics client context', () => {
  it('reads the JSON header of the seed syntax', () => {
    expect(parseClientContext(header)).toEqual({
      text: header,
      clientId: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      appTitle: 'My App',
      appId: '0123456789abcdef0123456789abcdef',
      platform: 'android',
      appVersionName: 'V2.0',
      appVersionCode: '3',
      appPackageName: 'com.example.my_app',
      model: 'Nexus',
      make: 'Samsung',
      platformVersion: '4.0.4',
      locale: 'en_US',
    });
  });

  it('reads it base64-encoded too, with or without the encoding header', () => {
    const encoded = Buffer.from(header).toString('base64');
    expect(parseClientContext(encoded)).toEqual(parseClientContext(header));
    expect(parseClientContext(encoded, 'base64')).toEqual(parseClientContext(header));
  });

  it.each([
    [
      undefined,
      'The x-amz-client-context header is missing; send JSON (or base64-encoded JSON) with client.client_id',
    ],
    ['{not json', 'is not valid JSON'],
    ['%%%', 'is neither JSON nor base64-encoded JSON'],
    [Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'), 'does not decode to UTF-8 text'],
  ])('refuses the header %p', (value, reason) => {
    expect(() => parseClientContext(value)).toThrow(BadRequestError);
    expect(() => parseClientContext(value)).toThrow(reason);
  });

  const without = (path: [string, string]) => {
    const copy = structuredClone(clientContextJson) as Record<string, Record<string, unknown>>;
    delete copy[path[0]]![path[1]];
    return JSON.stringify(copy);
  };

  it.each([
    [['client', 'client_id'], 'client.client_id is required'],
    [['client', 'app_title'], 'client.app_title is required'],
    [['env', 'platform'], 'env.platform is required'],
    [['services', 'mobile_analytics'], 'services.mobile_analytics must be a JSON object, got nothing'],
  ] as [[string, string], string][])('refuses a client context without %j', (path, reason) => {
    expect(() => parseClientContext(without(path))).toThrow(
      `The x-amz-client-context header is invalid: ${reason}`,
    );
  });

  it('refuses an app id that cannot be a partition name', () => {
    const bad = { ...clientContextJson, services: { mobile_analytics: { app_id: 'a/b' } } };
    expect(() => parseClientContext(JSON.stringify(bad))).toThrow(
      'services.mobile_analytics.app_id is "a/b"; an app id is 1 to 128 characters',
    );
  });
});

describe('Mobile Analytics PutEvents normalisation', () => {
  it('maps the seed JSON example and the client context into the record', () => {
    const [record] = normaliseMobileAnalyticsEvents(
      body,
      context(undefined, 'aws-sdk-android/2.6.0 Linux/3.4 en_US'),
    );
    expect(record).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_type: 'LevelComplete',
      event_timestamp: Date.UTC(2014, 5, 30, 19, 7, 47, 885),
      arrival_timestamp: 1767225600000,
      event_version: '3.1',
      application: {
        app_id: '0123456789abcdef0123456789abcdef',
        package_name: 'com.example.my_app',
        title: 'My App',
        version_name: 'V2.0',
        version_code: '3',
        sdk: { name: 'aws-sdk-android', version: '2.6.0' },
      },
      client: { client_id: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' },
      device: {
        locale: { code: 'en_US', country: 'US', language: 'en' },
        make: 'Samsung',
        model: 'Nexus',
        platform: { name: 'android', version: '4.0.4' },
      },
      session: {
        session_id: 'b2c3d4e5-20140630-190547885',
        start_timestamp: Date.UTC(2014, 5, 30, 19, 7, 47, 885),
      },
      attributes: {
        LevelName: 'Level1',
        CharacterClass: 'Warrior',
        Successful: 'True',
        _clientContext: header,
        _user_agent: 'aws-sdk-android/2.6.0 Linux/3.4 en_US',
      },
      metrics: { Score: 12345, TimeInLevel: 64 },
    });
  });

  it('takes the SDK from the client context first, as the Mobile Analytics JS SDK sends it', () => {
    const js = {
      ...clientContextJson,
      services: {
        mobile_analytics: { app_id: 'app1', sdk_name: 'aws-sdk-mobile-analytics-js', sdk_version: '0.9.0' },
      },
    };
    const [record] = normaliseMobileAnalyticsEvents(
      { events: [event] },
      context(parseClientContext(JSON.stringify(js)), 'Mozilla/5.0'),
    );
    expect(record!.application.sdk).toEqual({ name: 'aws-sdk-mobile-analytics-js', version: '0.9.0' });
  });

  it('keeps a browser User-Agent as an attribute without taking an SDK from it', () => {
    const [record] = normaliseMobileAnalyticsEvents(
      { events: [event] },
      context(undefined, 'Mozilla/5.0 (X11)'),
    );
    expect(record!.application).not.toHaveProperty('sdk');
    expect(record!.attributes._user_agent).toBe('Mozilla/5.0 (X11)');
  });

  it('keeps the stop time and the duration of a stop event, as the JS SDK sends them', () => {
    const stop = {
      ...event,
      eventType: '_session.stop',
      session: {
        id: 's1',
        startTimestamp: '2026-01-01T00:00:00Z',
        stopTimestamp: '2026-01-01T00:15:00Z',
        duration: 900000,
      },
    };
    const [record] = normaliseMobileAnalyticsEvents({ events: [stop] }, context());
    expect(record!.session).toEqual({
      session_id: 's1',
      start_timestamp: Date.UTC(2026, 0, 1),
      stop_timestamp: Date.UTC(2026, 0, 1, 0, 15),
    });
    expect(record!.attributes['_session.duration']).toBe('900000');
  });

  it('treats a null duration (the JS SDK computes NaN) as absent', () => {
    const stop = { ...event, session: { id: 's1', startTimestamp: '2026-01-01T00:00:00Z', duration: null } };
    const [record] = normaliseMobileAnalyticsEvents({ events: [stop] }, context());
    expect(record!.attributes).not.toHaveProperty('_session.duration');
  });

  it('accepts an event without version, as the seed body example has none', () => {
    expect(normaliseMobileAnalyticsEvents({ events: [event] }, context())).toHaveLength(1);
  });

  it.each([
    [[], 'The payload must be a JSON object {"events": [...]}'],
    [{ events: {} }, 'The payload must be a JSON object {"events": [...]}'],
    [{ events: [] }, 'The payload has no events'],
    [{ events: [event], extra: 1 }, 'The payload has unknown field "extra"'],
    [{ events: [event, { ...event, version: 'v1.0' }] }, 'events[1]: version is "v1.0"; it must be "v2.0"'],
    [{ events: [{ ...event, eventType: '' }] }, 'events[0]: eventType must be a non-empty string, got ""'],
    [
      { events: [{ ...event, timestamp: 'now' }] },
      'events[0]: timestamp is "now", not an ISO 8601 date-time',
    ],
    [
      { events: [{ ...event, session: { startTimestamp: '2026-01-01T00:00:00Z' } }] },
      'events[0]: session.id is required',
    ],
    [{ events: [{ ...event, session: { id: 's' } }] }, 'events[0]: session.startTimestamp is required'],
    [{ events: [{ ...event, sesion: {} }] }, 'events[0]: the event has unknown field "sesion"'],
    [
      { events: [{ ...event, attributes: { _clientContext: 'mine' } }] },
      'attribute "_clientContext" is "mine" but the x-amz-client-context header gives',
    ],
  ])('refuses the whole payload %j', (payload, reason) => {
    expect(() => normaliseMobileAnalyticsEvents(payload, context())).toThrow(BadRequestError);
    expect(() => normaliseMobileAnalyticsEvents(payload, context())).toThrow(reason);
  });
});
