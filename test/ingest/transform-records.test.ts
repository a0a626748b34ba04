import type { FirehoseTransformationEvent } from 'aws-lambda';
import { transformRecords } from '../../lambdas/ingest/transform-records';
import { TEST_LAKE } from '../support/lake';
import direct from './fixtures/direct-producer-record.json';
import monetization from './fixtures/legacy-monetization.json';
import appEvent from './fixtures/stream-app-event.json';
import withEndpoint from './fixtures/stream-app-event-with-endpoint.json';
import { sampleRecord } from './support/records';

const ARRIVAL = 1771100000000;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const decoded = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8');

function event(...data: string[]): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/events',
    region: 'us-east-1',
    records: data.map((d, i) => ({
      recordId: `record-${i}`,
      approximateArrivalTimestamp: ARRIVAL,
      data: base64(d),
    })),
  };
}

describe('record transformer', () => {
  it('answers every record under its own recordId, in order', () => {
    const input = [appEvent, 'not json', withEndpoint, monetization, direct].map((r) =>
      typeof r === 'string' ? r : JSON.stringify(r),
    );
    const result = transformRecords(event(...input), TEST_LAKE);
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['record-0', 'Ok'],
      ['record-1', 'ProcessingFailed'],
      ['record-2', 'Ok'],
      ['record-3', 'Ok'],
      ['record-4', 'Ok'],
    ]);
  });

  it('returns the normalised record as newline-terminated JSON with its partition keys', () => {
    const [out] = transformRecords(event(JSON.stringify(withEndpoint)), TEST_LAKE).records;
    const text = decoded(out!.data);
    expect(text.endsWith('}\n')).toBe(true);
    const record = JSON.parse(text);
    expect(record).toMatchObject({
      event_type: 'purchase_completed',
      event_version: '3.1',
      awsAccountId: '111122223333',
    });
    expect(typeof record.endpoint).toBe('string');
    expect(JSON.parse(record.endpoint)).toEqual(withEndpoint.endpoint);
    expect(out!.metadata).toEqual({
      partitionKeys: { app_id: '7d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a', dt: '2026-01-01' },
    });
  });

  it('dates the partition by the UTC day of event_timestamp', () => {
    const late = { ...direct, event_timestamp: '2026-02-14T23:59:59.999-05:00' };
    const [out] = transformRecords(event(JSON.stringify(late)), TEST_LAKE).records;
    expect(out!.metadata!.partitionKeys).toEqual({ app_id: 'tv-app', dt: '2026-02-15' });
  });

  it('passes a canonical record through byte for byte', () => {
    const canonical = `${JSON.stringify(sampleRecord(3, 10))}\n`;
    const [out] = transformRecords(event(canonical), TEST_LAKE).records;
    expect(out!.result).toBe('Ok');
    expect(decoded(out!.data)).toBe(canonical);
  });

  it('takes the arrival time from Firehose when the record has none', () => {
    const [out] = transformRecords(event(JSON.stringify(direct)), TEST_LAKE).records;
    expect(JSON.parse(decoded(out!.data)).arrival_timestamp).toBe(ARRIVAL);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0x00, 0xfe]).toString('latin1')],
    ['text that is not JSON', 'hello'],
    ['two events in one record', `${JSON.stringify(appEvent)}\n${JSON.stringify(appEvent)}\n`],
    ['a JSON array', '[1, 2]'],
    ['a record without client id', JSON.stringify({ ...appEvent, client: {} })],
    ['a record without app id', JSON.stringify({ ...appEvent, application: { title: 'x' } })],
    ['a legacy record without unique_id', JSON.stringify({ ...monetization, unique_id: undefined })],
    ['a messaging event with facets', JSON.stringify({ ...appEvent, facets: { email_channel: {} } })],
  ])('marks %s ProcessingFailed, keeping its data for the error prefix', (_name, data) => {
    const input = event(data);
    const [out] = transformRecords(input, TEST_LAKE).records;
    expect(out).toEqual({ recordId: 'record-0', result: 'ProcessingFailed', data: input.records[0]!.data });
  });

  it('never drops a record', () => {
    const result = transformRecords(event('x', '{}', JSON.stringify(appEvent), ''), TEST_LAKE);
    expect(result.records.map((r) => r.result)).toEqual([
      'ProcessingFailed',
      'ProcessingFailed',
      'Ok',
      'ProcessingFailed',
    ]);
  });
});
