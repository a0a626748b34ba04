import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { flushMetrics } from '../ingest/metrics';
import { transformRecords } from '../ingest/transform-records';
import { readTransformerEnvironment } from './environment';

const { lake } = readTransformerEnvironment(process.env);

/** Lambda entry of the delivery stream's record transformer. */
export const handler = async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => {
  try {
    return transformRecords(event, lake);
  } finally {
    flushMetrics();
  }
};
