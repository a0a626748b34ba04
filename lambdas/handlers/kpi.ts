import { handle } from 'hono/aws-lambda';
import { AthenaEngine } from '../kpi/athena-engine';
import { createKpiApp } from '../kpi/kpi-app';
import { S3AppDirectory } from '../kpi/s3-app-directory';
import { readKpiEnvironment } from './environment';

/** The KPI API on Lambda: the shared app over Athena and the lake bucket. Configuration is read once, at cold start. */
const config = readKpiEnvironment(process.env);

export const handler = handle(
  createKpiApp({
    engine: new AthenaEngine(config.engine),
    lake: config.lake,
    apps: new S3AppDirectory({ bucket: config.lakeBucket }),
  }),
);
