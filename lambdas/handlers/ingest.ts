import { handle } from 'hono/aws-lambda';
import { FirehoseSink } from '../ingest/firehose-sink';
import { createIngestApp } from '../ingest/ingest-app';
import { flushMetrics } from '../ingest/metrics';
import { readIngestEnvironment } from './environment';

const { deliveryStreamName, lake, allowedApps } = readIngestEnvironment(process.env);
const app = handle(createIngestApp({ sink: new FirehoseSink({ deliveryStreamName }), lake, allowedApps }));

/** Lambda entry of the ingest doors (API Gateway proxy events); metrics are flushed per request. */
export const handler: typeof app = async (event, context) => {
  try {
    return await app(event, context);
  } finally {
    flushMetrics();
  }
};
