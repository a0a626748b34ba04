import { S3Client } from '@aws-sdk/client-s3';
import { type ImportObjectInput, type ImportObjectResult, importObject } from '../import/import-object';
import { FirehoseSink } from '../ingest/firehose-sink';
import { flushMetrics } from '../ingest/metrics';
import { readImportEnvironment } from './environment';

const config = readImportEnvironment(process.env);
const s3 = new S3Client({});
// An import may wait out Firehose throttling far longer than a door's client would.
const sink = new FirehoseSink({
  deliveryStreamName: config.deliveryStreamName,
  retryBudgetMs: 120_000,
  maxDelayMs: 5_000,
});

/** Lambda entry of one item of the import's Distributed Map: one S3 object. */
export const handler = async (input: ImportObjectInput): Promise<ImportObjectResult> => {
  try {
    return await importObject(input, { s3, sink, reportBucket: config.reportBucket, lake: config.lake });
  } finally {
    flushMetrics();
  }
};
