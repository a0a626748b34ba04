import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
  ResourceNotFoundException,
} from '@aws-sdk/client-firehose';
import {
  InternalServerErrorException,
  PinpointClient,
  type PinpointClientConfig,
  PutEventsCommand,
} from '@aws-sdk/client-pinpoint';
import { serve } from '@hono/node-server';
import AWS from 'aws-sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { FirehoseSink } from '../../lambdas/ingest/firehose-sink';
import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { TEST_LAKE } from '../support/lake';

/**
 * The real v3 and v2 Pinpoint clients, unmodified, against the ingest doors over the Firehose
 * sink when Firehose fails (docs/CONTRACT.md §2, "Errors of the doors"): the doors answer 500
 * `InternalServerErrorException`, which both SDKs retry, so an outage that clears loses nothing,
 * and one that does not is a typed server error saying nothing was stored.
 */

const firehose = mockClient(FirehoseClient);
const APP = 'failing-store';
const NOTHING_STORED = 'The event store is unavailable; 1 event(s) were not stored: retry the request';

/** Firehose failing in a way its sink does not retry (the stream is missing). */
const missingStream = () =>
  new ResourceNotFoundException({
    message: 'Stream events under account 111122223333 not found.',
    $metadata: {},
  });

/** Firehose failing the first call (the stream is missing), then taking every record; returns the event ids it took. */
function recoveringFirehose(): string[] {
  const delivered: string[] = [];
  firehose
    .on(PutRecordBatchCommand)
    .rejectsOnce(missingStream())
    .callsFake((input: PutRecordBatchCommandInput) => {
      const records = input.Records ?? [];
      for (const record of records)
        delivered.push(JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString()).event_id);
      return { FailedPutCount: 0, RequestResponses: records.map(() => ({ RecordId: 'ok' })) };
    });
  return delivered;
}

const putEvents = (eventId: string) => ({
  ApplicationId: APP,
  EventsRequest: {
    BatchItem: {
      'device-1': {
        Endpoint: {},
        Events: { [eventId]: { EventType: '_session.start', Timestamp: new Date().toISOString() } },
      },
    },
  },
});

let server: Server;
let url: string;
let v3: PinpointClient;
let v2: AWS.Pinpoint;

beforeAll(async () => {
  const sink = new FirehoseSink({
    deliveryStreamName: 'events',
    client: new FirehoseClient({ region: 'us-east-1' }),
  });
  const app = createIngestApp({ sink, lake: TEST_LAKE });
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    ) as Server;
  });
  url = `http://127.0.0.1:${port}`;
  const config: PinpointClientConfig & { signingName: string } = {
    endpoint: url,
    region: 'us-east-1',
    signingName: 'execute-api',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local' },
    maxAttempts: 2,
  };
  v3 = new PinpointClient(config);
  v2 = new AWS.Pinpoint({
    endpoint: url,
    region: 'us-east-1',
    credentials: new AWS.Credentials('AKIDEXAMPLE', 'local'),
    maxRetries: 1,
    retryDelayOptions: { base: 10 },
  });
});

beforeEach(() => firehose.reset());

afterAll(async () => {
  v3.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('@aws-sdk/client-pinpoint v3 when the event store fails', () => {
  it('retries the 500 and stores the events once when the store recovers', async () => {
    const delivered = recoveringFirehose();
    const out = await v3.send(new PutEventsCommand(putEvents('v3-recovers')));
    expect(out.$metadata).toMatchObject({ httpStatusCode: 202, attempts: 2 });
    expect(out.EventsResponse?.Results?.['device-1']?.EventsItemResponse?.['v3-recovers']?.StatusCode).toBe(
      202,
    );
    expect(delivered).toEqual(['v3-recovers']);
  });

  it('raises InternalServerErrorException, a retried server fault, when the store stays down', async () => {
    firehose.on(PutRecordBatchCommand).rejects(missingStream());
    const err = await v3.send(new PutEventsCommand(putEvents('v3-lost'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerErrorException);
    const typed = err as InternalServerErrorException;
    expect(typed.$fault).toBe('server');
    expect(typed.$metadata).toMatchObject({ httpStatusCode: 500, attempts: 2 });
    expect(typed.message).toBe(NOTHING_STORED);
    expect(typed.message).not.toContain('111122223333');
    // One Firehose call per request: the SDK sent it twice.
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
  });
});

describe('aws-sdk v2 AWS.Pinpoint when the event store fails', () => {
  it('retries the 500 and reports InternalServerErrorException when the store stays down', async () => {
    firehose.on(PutRecordBatchCommand).rejects(missingStream());
    const err = await v2
      .putEvents(putEvents('v2-lost'))
      .promise()
      .catch((e: AWS.AWSError) => e);
    expect(err).toMatchObject({
      code: 'InternalServerErrorException',
      statusCode: 500,
      retryable: true,
      message: NOTHING_STORED,
    });
    // One Firehose call per request: the SDK sent it twice.
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
  });
});
