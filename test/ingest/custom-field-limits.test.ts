import { parseClientContext } from '../../lambdas/ingest/normalise/client-context';
import { normaliseMobileAnalyticsEvents } from '../../lambdas/ingest/normalise/mobile-analytics-events';
import { normalisePinpointEvents } from '../../lambdas/ingest/normalise/pinpoint-events';
import { TEST_LAKE } from '../support/lake';
import clientContext from './fixtures/mobile-analytics-client-context.json';

/** The events below are dated 2026-01-01; they arrive the same day. */
const ARRIVAL = Date.parse('2026-01-01T00:05:00Z');

const fields = (attributes: number, metrics: number) => ({
  attributes: Object.fromEntries(Array.from({ length: attributes }, (_, i) => [`a${i}`, 'v'])),
  metrics: Object.fromEntries(Array.from({ length: metrics }, (_, i) => [`m${i}`, i])),
});

/** The result of one Pinpoint event with these attributes and metrics: its error, or undefined when accepted. */
function pinpoint(
  attributes: Record<string, unknown>,
  metrics: Record<string, unknown> = {},
): string | undefined {
  const event = {
    EventType: 'e',
    Timestamp: '2026-01-01T00:00:00Z',
    Attributes: attributes,
    Metrics: metrics,
  };
  const [outcome] = normalisePinpointEvents(
    { BatchItem: { ep: { Events: { ev: event } } } },
    { appId: 'a', arrivalTimestamp: ARRIVAL, lake: TEST_LAKE },
  );
  return outcome!.events[0]!.error;
}

/** The same through the Mobile Analytics door: its whole-request error, or undefined when accepted. */
function mobileAnalytics(
  attributes: Record<string, unknown>,
  metrics: Record<string, unknown> = {},
): string | undefined {
  const body = { events: [{ eventType: 'e', timestamp: '2026-01-01T00:00:00Z', attributes, metrics }] };
  const context = {
    clientContext: parseClientContext(JSON.stringify(clientContext)),
    arrivalTimestamp: ARRIVAL,
    lake: TEST_LAKE,
  };
  try {
    normaliseMobileAnalyticsEvents(body, context);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

describe.each([
  ['Pinpoint', pinpoint],
  ['Mobile Analytics', mobileAnalytics],
])('%s event limits', (_door, check) => {
  it('takes 40 attributes and metrics together and refuses 41', () => {
    const at = fields(25, 15);
    expect(check(at.attributes, at.metrics)).toBeUndefined();
    const over = fields(25, 16);
    expect(check(over.attributes, over.metrics)).toContain(
      'the event has 41 attributes and metrics (25 + 16); at most 40 are allowed',
    );
  });

  it('takes attribute and metric names of 50 characters and refuses 51', () => {
    expect(check({ ['k'.repeat(50)]: 'v' }, { ['m'.repeat(50)]: 1 })).toBeUndefined();
    expect(check({ ['k'.repeat(51)]: 'v' })).toContain('names must be 1 to 50 characters, this one has 51');
    expect(check({}, { ['m'.repeat(51)]: 1 })).toContain('names must be 1 to 50 characters, this one has 51');
  });

  it('refuses an empty name', () => {
    expect(check({ '': 'v' })).toContain('names must be 1 to 50 characters, this one has 0');
  });

  it('takes attribute values of 200 characters and refuses 201', () => {
    expect(check({ k: 'v'.repeat(200) })).toBeUndefined();
    expect(check({ k: 'v'.repeat(201) })).toContain('is 201 characters long; values may have at most 200');
  });

  it('counts characters, not UTF-16 units, so 200 emoji fit', () => {
    expect(check({ k: '🎮'.repeat(200) })).toBeUndefined();
    expect(check({ k: '🎮'.repeat(201) })).toContain('is 201 characters long');
  });

  it('refuses metric values that are not finite numbers', () => {
    expect(check({}, JSON.parse('{"score": 1e999}'))).toContain('must be a finite number, got Infinity');
    expect(check({}, { score: null })).toContain('must be a finite number, got null');
    expect(check({}, { score: true })).toContain('must be a finite number, got true');
  });
});
