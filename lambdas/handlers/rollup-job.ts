import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { logger } from '../core/logger';
import { S3AppDirectory } from '../kpi/s3-app-directory';
import { AthenaStatements } from '../rollups/athena-statements';
import { RollupJob, type RollupRun } from '../rollups/rollup-job';
import { readRollupJobEnvironment } from './environment';

/**
 * The scheduled rollup job (ADR 019): EventBridge Scheduler invokes it; one run keeps every
 * app's rollups and compacts closed days (`lambdas/rollups/rollup-job.ts`). A failed run throws
 * (the Lambda errors alarm), leaving the days it did not finish read from raw events.
 */
const config = readRollupJobEnvironment(process.env);
const s3 = new S3Client({});
const apps = new S3AppDirectory({ bucket: config.bucket, client: s3 });
const job = new RollupJob({
  bucket: config.bucket,
  s3,
  statements: new AthenaStatements({
    client: new AthenaClient({}),
    workGroup: config.workGroup,
    database: config.database,
  }),
  apps: () => apps.apps(),
});

export async function handler(_event: unknown, context: Context): Promise<RollupRun> {
  const run = await job.run({
    runId: context.awsRequestId,
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
  logger.info('rollup job run', { ...run });
  return run;
}
