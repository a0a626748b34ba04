import { S3Client } from '@aws-sdk/client-s3';
import { handle } from 'hono/aws-lambda';
import { AthenaEngine } from '../kpi/athena-engine';
import { createKpiApp } from '../kpi/kpi-app';
import { S3AppDirectory } from '../kpi/s3-app-directory';
import { S3RollupCatalog } from '../rollups/s3-rollup-catalog';
import { readKpiEnvironment } from './environment';

/**
 * The KPI API on Lambda: the shared app over Athena and the lake bucket. Configuration is read
 * once, at cold start. Each requested day is read from the rollups the scheduled job keeps when
 * its manifest matches a listing of the day's raw objects, and from raw events otherwise
 * (`S3RollupCatalog`, ADR 019).
 */
const config = readKpiEnvironment(process.env);
const s3 = new S3Client({});

export const handler = handle(
  createKpiApp({
    engine: new AthenaEngine(config.engine),
    lake: config.lake,
    catalog: new S3RollupCatalog({ bucket: config.lakeBucket, client: s3 }),
    apps: new S3AppDirectory({ bucket: config.lakeBucket, client: s3 }),
  }),
);
