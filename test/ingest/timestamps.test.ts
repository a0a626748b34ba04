import { InvalidEventError } from '../../lambdas/ingest/normalise/invalid-event';
import { epochMsAt, isoTimestampAt, parseIsoTimestamp } from '../../lambdas/ingest/normalise/timestamps';

describe('ISO 8601 timestamps', () => {
  it.each([
    ['2014-06-30T19:07:47.885Z', Date.UTC(2014, 5, 30, 19, 7, 47, 885)],
    ['2014-06-30T19:07:47Z', Date.UTC(2014, 5, 30, 19, 7, 47)],
    ['2014-06-30T21:07:47.885+02:00', Date.UTC(2014, 5, 30, 19, 7, 47, 885)],
    ['2014-06-30T14:07:47.885-0500', Date.UTC(2014, 5, 30, 19, 7, 47, 885)],
    ['2014-06-30t19:07:47.885z', Date.UTC(2014, 5, 30, 19, 7, 47, 885)],
    ['2014-06-30T19:07:47.885999Z', Date.UTC(2014, 5, 30, 19, 7, 47, 885)],
    ['2014-06-30T19:07:47.8Z', Date.UTC(2014, 5, 30, 19, 7, 47, 800)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('reads %s', (text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(expected);
  });

  it.each([
    '2014-06-30T19:07:47.885',
    '2014-06-30',
    '2014-06-30 19:07:47Z',
    '2014-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2014-06-31T00:00:00Z',
    '2014-06-30T24:00:00Z',
    '2014-06-30T19:60:00Z',
    '1517537724812',
    'yesterday',
  ])('refuses %s', (text) => {
    expect(parseIsoTimestamp(text)).toBeUndefined();
  });

  it('names the field, shows the value and gives an example when a timestamp is not ISO 8601', () => {
    expect(() => isoTimestampAt('2014-06-30', 'Timestamp')).toThrow(
      'Timestamp is "2014-06-30", not an ISO 8601 date-time with a time zone; use e.g. "2014-06-30T19:07:47.885Z"',
    );
    expect(() => isoTimestampAt(1517537724812, 'Timestamp')).toThrow(InvalidEventError);
    expect(() => isoTimestampAt(undefined, 'timestamp')).toThrow('timestamp is required');
  });

  it('refuses dates before 1970', () => {
    expect(() => isoTimestampAt('1969-12-31T23:59:59Z', 'Timestamp')).toThrow('outside 1970-01-01T00:00:00Z');
  });

  it('takes stream timestamps as integer milliseconds or ISO text', () => {
    expect(epochMsAt(1517537724812, 'event_timestamp')).toBe(1517537724812);
    expect(epochMsAt('2018-02-02T02:15:24.812Z', 'event_timestamp')).toBe(1517537724812);
    expect(() => epochMsAt(1517537724812.5, 'event_timestamp')).toThrow('expected integer ms since epoch');
    expect(() => epochMsAt('1517537724812', 'event_timestamp')).toThrow('expected integer ms since epoch');
    expect(() => epochMsAt(9e15, 'event_timestamp')).toThrow('outside');
  });
});
