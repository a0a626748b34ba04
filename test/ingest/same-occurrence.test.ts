import type { EventRecord } from '../../lambdas/core/event-record';
import { parseClientContext } from '../../lambdas/ingest/normalise/client-context';
import { normaliseMobileAnalyticsEvents } from '../../lambdas/ingest/normalise/mobile-analytics-events';
import { normalisePinpointEvents } from '../../lambdas/ingest/normalise/pinpoint-events';
import { normaliseStreamRecord } from '../../lambdas/ingest/normalise/stream-record';
import { parseIsoTimestamp } from '../../lambdas/ingest/normalise/timestamps';
import { TEST_LAKE } from '../support/lake';
import flat from './fixtures/legacy-monetization.json';
import mobileAnalytics from './fixtures/same-occurrence/mobile-analytics.json';
import pinpoint from './fixtures/same-occurrence/pinpoint-put-events.json';
import nested from './fixtures/same-occurrence/stream-nested.json';

const APP_ID = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6';
const ARRIVAL = 1517537778020;

/** The seed's example monetization event, sent through each door. */
const doors: Record<string, EventRecord> = {
  'Pinpoint PutEvents': normalisePinpointEvents(pinpoint, {
    appId: APP_ID,
    arrivalTimestamp: ARRIVAL,
    lake: TEST_LAKE,
  })[0]!.events[0]!.record!,
  'Mobile Analytics PutEvents': normaliseMobileAnalyticsEvents(mobileAnalytics.body, {
    clientContext: parseClientContext(mobileAnalytics.headers['x-amz-client-context']),
    userAgent: mobileAnalytics.headers['user-agent'],
    arrivalTimestamp: ARRIVAL,
    lake: TEST_LAKE,
  })[0]!,
  'Pinpoint event stream': normaliseStreamRecord(nested, 0),
  'legacy flat record': normaliseStreamRecord(flat, 0),
};

/** What every door must agree on, written from the seed example by hand. */
const occurrence = {
  event_type: '_monetization.purchase',
  event_timestamp: 1517537662978,
  arrival_timestamp: ARRIVAL,
  event_version: '3.1',
  application: {
    app_id: APP_ID,
    package_name: 'com.example.package',
    title: 'ExampleApp',
    version_name: '5.03',
    version_code: '5.03.1',
    sdk: { name: 'aws-sdk-iOS', version: '2.6.5' },
  },
  client: { client_id: 'A1B2C3D4-E5F6-G7H8-I9J0-K1L2M3N4O5P6' },
  device: {
    locale: { code: 'zh_CN', country: 'CN', language: 'zh' },
    make: 'apple',
    model: 'iPhone',
    platform: { name: 'iOS', version: '11.2.5' },
  },
  session: { session_id: 'e79da94c-9BD1DF63-20180202-021345277', start_timestamp: 1517537625277 },
  metrics: { _item_price: 76.5811965811966, _quantity: 1 },
};
const customAttributes = {
  _currency: 'CNY',
  _product_id: 'product_id',
  _transaction_id: '123456789012345',
  _item_price_formatted: '¥128.00',
  '_session.duration': '152021',
};
const cognito = {
  application: { cognito_identity_pool_id: 'us-east-1:a1b2c3d4-e5f6-g7h8-i9j0-k1l2m3n4o5p6' },
  client: { cognito_id: 'us-east-1:a1b2c3d4-e5f6-g7h8-i9j0-k1l2m3n4o5p6' },
  awsAccountId: '111122223333',
};

/** Every scalar in a JSON value, as text; JSON text inside strings (endpoint, client context) is opened too. */
function leaves(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string' && /^[{[]/.test(value)) return leaves(JSON.parse(value), out);
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) leaves(v, out);
    return out;
  }
  out.add(typeof value === 'string' ? String(parseIsoTimestamp(value) ?? value) : String(value));
  return out;
}

describe('the same occurrence through every door', () => {
  it.each(Object.keys(doors))('%s gives the shared fields and the custom attributes', (door) => {
    const record = doors[door]!;
    expect(record).toMatchObject(occurrence);
    expect(record.attributes).toMatchObject(customAttributes);
  });

  it('gives each door exactly its own extra fields and nothing else', () => {
    const cc = mobileAnalytics.headers['x-amz-client-context'];
    const ua = mobileAnalytics.headers['user-agent'];
    const fromRequest = { _clientContext: cc, _user_agent: ua };
    expect(doors['Pinpoint PutEvents']!.attributes).toEqual(customAttributes);
    expect(doors['Mobile Analytics PutEvents']!.attributes).toEqual({ ...customAttributes, ...fromRequest });
    expect(doors['Pinpoint event stream']!.attributes).toEqual(customAttributes);
    expect(doors['legacy flat record']!.attributes).toEqual({ ...customAttributes, ...fromRequest });
    expect(JSON.parse(doors['Pinpoint PutEvents']!.endpoint!)).toEqual(
      pinpoint.BatchItem['A1B2C3D4-E5F6-G7H8-I9J0-K1L2M3N4O5P6'].Endpoint,
    );
    expect(doors['Pinpoint event stream']).toMatchObject(cognito);
    expect(doors['legacy flat record']).toMatchObject(cognito);
  });

  it('gives the doors without client event ids one and the same event id, so the KPIs count it once', () => {
    const ids = ['Mobile Analytics PutEvents', 'Pinpoint event stream', 'legacy flat record'].map(
      (door) => doors[door]!.event_id,
    );
    expect(new Set(ids).size).toBe(1);
    expect(doors['Pinpoint PutEvents']!.event_id).toBe('purchase-123456789012345');
  });

  it.each([
    ['Pinpoint PutEvents', pinpoint, []],
    ['Mobile Analytics PutEvents', mobileAnalytics, ['v2.0']],
    ['Pinpoint event stream', nested, ['3.0']],
    ['legacy flat record', flat, []],
  ] as [string, unknown, string[]][])('%s loses no value of its input', (door, input, formatMarkers) => {
    const kept = leaves(doors[door]);
    const lost = [...leaves(input)].filter((v) => !kept.has(v) && !formatMarkers.includes(v));
    expect(lost).toEqual([]);
  });
});
