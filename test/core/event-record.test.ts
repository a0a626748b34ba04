import { utcDay } from '../../lambdas/core/calendar-day';
import { EVENT_COLUMNS, type EventRecord, hiveType } from '../../lambdas/core/event-record';

const sample: Required<EventRecord> = {
  event_id: 'e1',
  event_type: '_session.start',
  event_timestamp: 1517537724812,
  arrival_timestamp: 1517537778048,
  event_version: '3.1',
  application: { app_id: 'a', sdk: { name: 'aws-sdk-iOS', version: '2.4.16' } },
  client: { client_id: 'c' },
  device: {},
  session: {},
  attributes: {},
  metrics: {},
  endpoint: '{}',
  awsAccountId: '111122223333',
};

describe('event record schema', () => {
  it('has a column for every top-level key of the record, so no field is dropped', () => {
    const columnKeys = EVENT_COLUMNS.map((c) => c.jsonKey ?? c.name).sort();
    expect(columnKeys).toEqual(Object.keys(sample).sort());
  });

  it('declares attributes as map<string,string> and metrics as map<string,double>', () => {
    const byName = new Map(EVENT_COLUMNS.map((c) => [c.name, hiveType(c.type)]));
    expect(byName.get('attributes')).toBe('map<string,string>');
    expect(byName.get('metrics')).toBe('map<string,double>');
    expect(byName.get('session')).toBe(
      'struct<session_id:string,start_timestamp:bigint,stop_timestamp:bigint>',
    );
  });

  it('stores column names in lower case, as Glue does', () => {
    for (const c of EVENT_COLUMNS) expect(c.name).toBe(c.name.toLowerCase());
  });

  it('computes the dt partition as the UTC day', () => {
    expect(utcDay(Date.UTC(2026, 0, 31, 23, 59, 59, 999))).toBe('2026-01-31');
    expect(utcDay(Date.UTC(2026, 1, 1, 0, 0, 0, 0))).toBe('2026-02-01');
  });
});
