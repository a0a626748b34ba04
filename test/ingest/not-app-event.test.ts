import type { FirehoseTransformationEvent } from 'aws-lambda';
import { notAppEvent } from '../../lambdas/ingest/normalise/not-app-event';
import { normaliseStreamRecord } from '../../lambdas/ingest/normalise/stream-record';
import { transformRecords } from '../../lambdas/ingest/transform-records';
import { TEST_LAKE } from '../support/lake';
import monetization from './fixtures/legacy-monetization.json';
import appEvent from './fixtures/stream-app-event.json';
import campaign from './fixtures/stream-campaign-event.json';
import email from './fixtures/stream-email-event.json';
import journey from './fixtures/stream-journey-event.json';
import sms from './fixtures/stream-sms-event.json';

describe('records of a Pinpoint event stream that are not app events', () => {
  it.each([
    ['e-mail', email, { channel: 'email', eventType: '_email.send' }],
    ['SMS', sms, { channel: 'SMS', eventType: '_SMS.SUCCESS' }],
    ['campaign', campaign, { channel: 'campaign', eventType: '_campaign.send' }],
    ['journey', journey, { channel: 'journey', eventType: '_journey.send' }],
  ])('tells the documented %s event apart', (_name, record, expected) => {
    expect(notAppEvent(record)).toEqual(expected);
  });

  it('tells a messaging record by its shape when its type is unknown', () => {
    expect(notAppEvent({ ...email, event_type: '_email.future_kind' })?.channel).toBe('email');
    expect(notAppEvent({ ...email, event_type: 'something' })).toEqual({
      channel: 'messaging',
      eventType: 'something',
    });
  });

  it('leaves app events, legacy records and anything else to the normaliser', () => {
    expect(notAppEvent(appEvent)).toBeUndefined();
    expect(notAppEvent(monetization)).toBeUndefined();
    expect(notAppEvent({ event_type: 'emails_sent' })).toBeUndefined();
    expect(notAppEvent('text')).toBeUndefined();
    expect(notAppEvent(null)).toBeUndefined();
  });

  it('would be taken as an app event by the normaliser alone (SMS: the account id as a client)', () => {
    expect(normaliseStreamRecord(sms, 0).client.client_id).toBe('123456789012');
  });

  it('is ProcessingFailed by the stream transformer, kept under the error prefix', () => {
    const event: FirehoseTransformationEvent = {
      invocationId: 'i',
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/events',
      region: 'us-east-1',
      records: [sms, appEvent].map((r, i) => ({
        recordId: `r${i}`,
        approximateArrivalTimestamp: Date.parse('2019-03-21T00:00:00Z'),
        data: Buffer.from(JSON.stringify(r)).toString('base64'),
      })),
    };
    expect(transformRecords(event, TEST_LAKE).records.map((r) => r.result)).toEqual([
      'ProcessingFailed',
      'Ok',
    ]);
  });
});
