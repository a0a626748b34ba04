import type { PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import mobileBody from './fixtures/mobile-analytics-body.json';
import clientContext from './fixtures/mobile-analytics-client-context.json';
import appEvent from './fixtures/stream-app-event.json';

type IngestModule = typeof import('../../lambdas/handlers/ingest');

/** Runs `body` with these environment variables set (undefined: unset), restoring them after. */
async function withEnv<T>(env: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(env);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

/**
 * Loads the handler module afresh (its configuration is read at load time), with Firehose
 * mocked inside the same module registry, answering every entry as stored.
 */
async function loadIngest(env: Record<string, string | undefined>) {
  return withEnv({ DELIVERY_STREAM_NAME: undefined, LAKE_START_DATE: undefined, ...env }, async () => {
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
  });
}

const mobileAnalyticsEvent = {
  version: '1.0',
  resource: '/2014-06-05/events',
  path: '/2014-06-05/events',
  httpMethod: 'POST',
  headers: { 'content-type': 'application/json', 'x-amz-client-context': JSON.stringify(clientContext) },
  body: JSON.stringify(mobileBody),
  isBase64Encoded: false,
  requestContext: { requestId: 'api-request-1', domainName: 'abc.execute-api.us-east-1.amazonaws.com' },
} as unknown as LambdaEvent;

describe('ingest Lambda handler', () => {
  it('fails fast at cold start, naming DELIVERY_STREAM_NAME, when it is not set', async () => {
    await expect(loadIngest({ LAKE_START_DATE: '2014-01-01' })).rejects.toThrow(
      'Environment variable DELIVERY_STREAM_NAME is required',
    );
  });

  it('serves an API Gateway proxy event and writes to the named stream', async () => {
    const { module, streams } = await loadIngest({
      DELIVERY_STREAM_NAME: 'kpi-events',
      LAKE_START_DATE: '2014-01-01',
    });
    const result = await module.handler(mobileAnalyticsEvent);
    expect(result.statusCode).toBe(202);
    expect(result.headers?.['x-amzn-requestid']).toBe('api-request-1');
    expect(streams).toEqual(['kpi-events']);
  });

  it("refuses events dated before the configured lake's first day", async () => {
    const { module, streams } = await loadIngest({
      DELIVERY_STREAM_NAME: 'kpi-events',
      LAKE_START_DATE: '2015-01-01',
    });
    const result = await module.handler(mobileAnalyticsEvent);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain("before the lake's first day 2015-01-01");
    expect(streams).toEqual([]);
  });

  it('answers 403, storing nothing, for an app id outside ALLOWED_APP_IDS', async () => {
    const { module, streams } = await loadIngest({
      DELIVERY_STREAM_NAME: 'kpi-events',
      LAKE_START_DATE: '2014-01-01',
      ALLOWED_APP_IDS: 'game,game-beta',
    });
    const result = await module.handler(mobileAnalyticsEvent);
    expect(result.statusCode).toBe(403);
    expect(streams).toEqual([]);
  });
});

describe('transformer Lambda handler', () => {
  it('answers Firehose with one result per record', async () => {
    const { handler } = await withEnv({ LAKE_START_DATE: '2014-01-01' }, async () => {
      let loaded: typeof import('../../lambdas/handlers/transformer') | undefined;
      await jest.isolateModulesAsync(async () => {
        loaded = await import('../../lambdas/handlers/transformer');
      });
      return loaded!;
    });
    const arrival = appEvent.arrival_timestamp;
    const event: FirehoseTransformationEvent = {
      invocationId: 'i',
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/events',
      region: 'us-east-1',
      records: [
        {
          recordId: 'a',
          approximateArrivalTimestamp: arrival,
          data: Buffer.from(JSON.stringify(appEvent)).toString('base64'),
        },
        { recordId: 'b', approximateArrivalTimestamp: arrival, data: Buffer.from('oops').toString('base64') },
      ],
    };
    const result = await handler(event);
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['a', 'Ok'],
      ['b', 'ProcessingFailed'],
    ]);
  });
});
