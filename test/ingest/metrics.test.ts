import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { flushMetrics, metrics } from '../../lambdas/ingest/metrics';
import { TEST_LAKE } from '../support/lake';
import { RecordingSink } from './support/recording-sink';

const valid = { EventType: 'e', Timestamp: '2026-01-01T00:00:00Z' };

afterEach(() => {
  jest.restoreAllMocks();
  flushMetrics();
});

describe('ingest metrics', () => {
  it('counts accepted and rejected events of a request', async () => {
    const added = jest.spyOn(metrics, 'addMetric');
    const app = createIngestApp({ sink: new RecordingSink(), lake: TEST_LAKE });
    const body = { BatchItem: { ep: { Events: { a: valid, b: valid, c: { EventType: 'x' } } } } };
    await app.request('/v1/apps/app/events', { method: 'POST', body: JSON.stringify(body) });
    expect(added.mock.calls).toEqual([
      ['RecordsAccepted', MetricUnit.Count, 2],
      ['RecordsRejected', MetricUnit.Count, 1],
    ]);
  });

  it('are flushed once per transformer invocation, and only when something was counted', async () => {
    process.env.LAKE_START_DATE = TEST_LAKE.startDate;
    const { handler: transformer } = await import('../../lambdas/handlers/transformer');
    delete process.env.LAKE_START_DATE;
    const published = jest.spyOn(metrics, 'publishStoredMetrics');
    await transformer({ invocationId: 'i', deliveryStreamArn: 'arn', region: 'us-east-1', records: [] });
    expect(published).not.toHaveBeenCalled();
    await transformer({
      invocationId: 'i',
      deliveryStreamArn: 'arn',
      region: 'us-east-1',
      records: [{ recordId: 'r', approximateArrivalTimestamp: 1, data: Buffer.from('x').toString('base64') }],
    });
    expect(published).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
