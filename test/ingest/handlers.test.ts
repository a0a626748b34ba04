import type { PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import mobileBody from './fixtures/mobile-analytics-body.json';
import clientContext from './fixtures/mobile-analytics-client-context.json';
import appEvent from './fixtures/stream-app-event.json';

type IngestModule = typeof import('../../lambdas/handlers/ingest');

/**
 * Loads the handler module afresh (its configuration is read at load time), with Firehose
 * mocked inside the same module registry, answering every entry as stored.
 */
async function loadIngest(env: Record<string, string | undefined>) {
  const saved = process.env.DELIVERY_STREAM_NAME;
  process.env.DELIVERY_STREAM_NAME = env.DELIVERY_STREAM_NAME;
  if (env.DELIVERY_STREAM_NAME === undefined) delete process.env.DELIVERY_STREAM_NAME;
  try {
    let loaded: { module: IngestModule; streams: string[] } | undefined;
    await jest.isolateModulesAsync(async () => {
      const { FirehoseClient, PutRecordBatchCommand } = await import('@aws-sdk/client-firehose');
      const { mockClient } = await import('aws-sdk-client-mock');
      const streams: string[] = [];
      mockClient(FirehoseClient)
        .on(PutRecordBatchCommand)
        .callsFake((input: PutRecordBatchCommandInput) => {
          streams.push(input.DeliveryStreamName!);
          return { FailedPutCount: 0, RequestResponses: input.Records!.map(() => ({ RecordId: 'r' })) };
        });
      loaded = { module: await import('../../lambdas/handlers/ingest'), streams };
    });
    return loaded!;
  } finally {
    process.env.DELIVERY_STREAM_NAME = saved;
    if (saved === undefined) delete process.env.DELIVERY_STREAM_NAME;
  }
}

describe('ingest Lambda handler', () => {
  it('fails fast at cold start, naming DELIVERY_STREAM_NAME, when it is not set', async () => {
    await expect(loadIngest({})).rejects.toThrow('Environment variable DELIVERY_STREAM_NAME is required');
  });

  it('serves an API Gateway proxy event and writes to the named stream', async () => {
    const { module, streams } = await loadIngest({ DELIVERY_STREAM_NAME: 'kpi-events' });
    const { handler } = module;
    const result = await handler({
      version: '1.0',
      resource: '/2014-06-05/events',
      path: '/2014-06-05/events',
      httpMethod: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-client-context': JSON.stringify(clientContext) },
      body: JSON.stringify(mobileBody),
      isBase64Encoded: false,
      requestContext: { requestId: 'api-request-1', domainName: 'abc.execute-api.us-east-1.amazonaws.com' },
    } as unknown as LambdaEvent);
    expect(result.statusCode).toBe(202);
    expect(result.headers?.['x-amzn-requestid']).toBe('api-request-1');
    expect(streams).toEqual(['kpi-events']);
  });
});

describe('transformer Lambda handler', () => {
  it('answers Firehose with one result per record', async () => {
    const { handler } = await import('../../lambdas/handlers/transformer');
    const event: FirehoseTransformationEvent = {
      invocationId: 'i',
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/events',
      region: 'us-east-1',
      records: [
        {
          recordId: 'a',
          approximateArrivalTimestamp: 1,
          data: Buffer.from(JSON.stringify(appEvent)).toString('base64'),
        },
        { recordId: 'b', approximateArrivalTimestamp: 1, data: Buffer.from('oops').toString('base64') },
      ],
    };
    const result = await handler(event);
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['a', 'Ok'],
      ['b', 'ProcessingFailed'],
    ]);
  });
});
