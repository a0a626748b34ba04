import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { seededRandom } from '../../lambdas/core/seeded-random';
import { FirehoseSink } from '../../lambdas/ingest/firehose-sink';
import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { TEST_LAKE } from '../support/lake';
import mobileBody from './fixtures/mobile-analytics-body.json';
import clientContext from './fixtures/mobile-analytics-client-context.json';

const firehose = mockClient(FirehoseClient);
const valid = { EventType: 'level_complete', Timestamp: '2026-03-01T09:41:12.345Z' };
const events = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`event-${i}`, valid]));
const request = { method: 'POST', body: JSON.stringify({ BatchItem: { device: { Events: events } } }) };

function app() {
  let clock = 0;
  const sink = new FirehoseSink({
    deliveryStreamName: 'events',
    client: new FirehoseClient({}),
    retryBudgetMs: 2_000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    random: seededRandom(3),
  });
  return createIngestApp({ sink, lake: TEST_LAKE, now: () => Date.parse('2026-03-01T12:00:00Z') });
}

beforeEach(() => firehose.reset());

describe('ingest doors over the Firehose sink', () => {
  it('answers 202 only once every event is in Firehose, even when a third of the entries failed at first', async () => {
    const delivered = new Set<string>();
    const random = seededRandom(11);
    let calls = 0;
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      calls++;
      const responses = input.Records!.map((r) => {
        if (calls <= 2 && random() < 0.3)
          return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
        delivered.add(JSON.parse(Buffer.from(r.Data!).toString()).event_id);
        return { RecordId: 'ok' };
      });
      return { FailedPutCount: responses.filter((r) => r.ErrorCode).length, RequestResponses: responses };
    });
    const res = await app().request('/v1/apps/game/events', request);
    expect(res.status).toBe(202);
    expect([...delivered].sort()).toEqual(Object.keys(events).sort());
    expect(calls).toBeGreaterThan(1);
  });

  it('answers 429, not 202, when Firehose keeps throttling', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejects(new ServiceUnavailableException({ message: 'Slow down.', $metadata: {} }));
    const res = await app().request('/v1/apps/game/events', request);
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('1');
    expect((await res.json()).message).toBe(
      'The event store is throttling; 100 event(s) were not stored: retry the request',
    );
  });

  it('answers 500 InternalServerErrorException, not 202, when some entries keep failing', async () => {
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: 1,
      RequestResponses: input.Records!.map((_, i) =>
        i === 0 ? { ErrorCode: 'InternalFailure' } : { RecordId: 'ok' },
      ),
    }));
    const res = await app().request('/2014-06-05/events', {
      method: 'POST',
      body: JSON.stringify(mobileBody),
      headers: { 'x-amz-client-context': JSON.stringify(clientContext) },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('InternalServerErrorException');
    expect(res.headers.get('Retry-After')).toBe('1');
    expect((await res.json()).message).toBe(
      'The event store is unavailable; 1 event(s) were not stored: retry the request',
    );
  });
});
