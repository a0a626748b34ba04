import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { lakeWindow } from '../lambdas/core/lake-window';
import type { TransformerEnvironment } from '../lambdas/handlers/environment';
import { MAX_PINPOINT_BODY_BYTES } from '../lambdas/ingest/normalise/limits';
import { Alarms } from './alarms';
import { ApiGatewayLogging } from './api-gateway-logging';
import { AthenaWorkGroup } from './athena-workgroup';
import type { AppConfig } from './config';
import { EventsDeliveryStream } from './delivery-stream';
import { EventImport } from './event-import';
import { EventsTable } from './events-table';
import { HANDLER_ENTRIES, HandlerFunction } from './handler-function';
import { IngestApi } from './ingest-api';
import { IngestWebAcl } from './ingest-web-acl';
import { KpiApi } from './kpi-api';
import { KpiNamedQueries } from './kpi-named-queries';
import { LakeBucket } from './lake-bucket';
import { PinpointEventStream } from './pinpoint-event-stream';
import { RollupJob } from './rollup-job';
import { RollupTables } from './rollup-tables';

export interface MobileKpiStackProps extends StackProps {
  readonly config: AppConfig;
}

/**
 * The whole deployment: the lake, its table and stream, the workgroup, the APIs over them, and
 * the alarms that watch them.
 */
export class MobileKpiStack extends Stack {
  constructor(scope: Construct, id: string, props: MobileKpiStackProps) {
    super(scope, id, props);
    const { config } = props;
    const runtime = {
      metricsNamespace: config.prefix,
      logRetention: config.logRetention,
      tracing: config.tracing,
    };

    const lake = new LakeBucket(this, 'Lake', {
      rawEventRetention: config.rawEventRetention,
      errorRecordRetention: config.errorRecordRetention,
    });
    const events = new EventsTable(this, 'Events', {
      bucket: lake.bucket,
      databaseName: config.prefix.replaceAll('-', '_'),
      lakeStartDate: config.lakeStartDate,
    });
    const transformer = new HandlerFunction(this, 'Transformer', {
      ...runtime,
      entry: HANDLER_ENTRIES.transformer,
      description:
        'Firehose record transformer: normalises records and supplies the app_id/dt partition keys',
      serviceName: 'transformer',
      environment: { LAKE_START_DATE: config.lakeStartDate } satisfies TransformerEnvironment,
      timeout: Duration.minutes(1),
    });
    const delivery = new EventsDeliveryStream(this, 'Delivery', {
      bucket: lake.bucket,
      table: events,
      transformer: transformer.function,
      deliveryStreamName: `${config.prefix}-events`,
      bufferInterval: config.bufferInterval,
      bufferSize: config.bufferSize,
      logRetention: config.logRetention,
    });
    const workGroup = new AthenaWorkGroup(this, 'Athena', {
      name: config.prefix,
      bucket: lake.bucket,
      bytesScannedCutoffPerQuery: config.athenaScanCutoffBytes,
    });
    new KpiNamedQueries(this, 'NamedQueries', {
      workGroup,
      databaseName: events.databaseName,
      lake: lakeWindow(config.lakeStartDate),
    });

    const rollupTables = new RollupTables(this, 'Rollups', { bucket: lake.bucket, events });
    const rollupJob = new RollupJob(this, 'RollupJob', {
      ...runtime,
      name: config.prefix,
      bucket: lake.bucket,
      events,
      tables: rollupTables,
      every: config.rollupSchedule,
    });

    const logging = new ApiGatewayLogging(this, 'ApiGatewayLogging');
    const ingest = new IngestApi(this, 'Ingest', {
      ...runtime,
      name: config.prefix,
      deliveryStream: delivery.stream,
      lakeStartDate: config.lakeStartDate,
      allowedApps: config.ingestAllowedApps,
      logging,
      auth: config.ingestAuth,
      rateLimit: config.ingestRateLimit,
      burstLimit: config.ingestBurstLimit,
    });
    const kpi = new KpiApi(this, 'Kpi', {
      ...runtime,
      name: config.prefix,
      bucket: lake.bucket,
      table: events,
      workGroup,
      rollupTables,
      lakeStartDate: config.lakeStartDate,
      logging,
    });
    if (config.ingestAuth === 'none') {
      new IngestWebAcl(this, 'IngestWaf', {
        stage: ingest.api.deploymentStage,
        name: `${config.prefix}-ingest`,
        ipRateLimit: config.ingestIpRateLimit,
        maxBodyBytes: MAX_PINPOINT_BODY_BYTES,
      });
    }
    const alarms = new Alarms(this, 'Alarms', {
      prefix: config.prefix,
      deliveryStream: delivery.stream,
      bufferInterval: config.bufferInterval,
      functions: {
        ingest: ingest.handler.function,
        transformer: transformer.function,
        kpi: kpi.handler.function,
        'rollup-job': rollupJob.handler.function,
      },
      stages: { ingest: ingest.api.deploymentStage, kpi: kpi.api.deploymentStage },
      email: config.alarmEmail,
    });

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    if (config.importSources.length > 0) {
      const history = new EventImport(this, 'Import', {
        ...runtime,
        bucket: lake.bucket,
        deliveryStream: delivery.stream,
        sources: config.importSources,
        lakeStartDate: config.lakeStartDate,
      });
      output(
        'ImportStateMachineArn',
        history.stateMachine.stateMachineArn,
        'State machine of npm run import -- --stack (bulk import from S3)',
      );
      output(
        'ImportSources',
        config.importSources.map((s) => `s3://${s.bucket}/${s.prefix}`).join(','),
        'S3 locations the import may read (context importSources)',
      );
    }
    if (config.pinpointAppId !== undefined || config.createPinpointApp) {
      const pinpoint = new PinpointEventStream(this, 'Pinpoint', {
        deliveryStream: delivery.stream,
        applicationId: config.pinpointAppId,
        createAppNamed: config.createPinpointApp ? config.prefix : undefined,
      });
      output(
        'PinpointApplicationId',
        pinpoint.applicationId,
        'Pinpoint project whose events stream into the lake',
      );
    }
    output(
      'LakeBucketName',
      lake.bucket.bucketName,
      'S3 bucket: events/ (Parquet), errors/, athena-results/',
    );
    output('DeliveryStreamName', delivery.stream.deliveryStreamName, 'Firehose stream for direct producers');
    output('LakeStartDate', config.lakeStartDate, "The lake's first day: no event before it is stored");
    output('AlarmTopicArn', alarms.topic.topicArn, 'SNS topic of the pipeline alarms; subscribe to it');
    output(
      'FirehoseProducerPolicyArn',
      delivery.producerPolicy.managedPolicyArn,
      'Policy for direct producers',
    );
    output('GlueDatabaseName', events.databaseName, 'Glue database of the events table');
    output('GlueTableName', events.tableName, 'Glue table of all events');
    output('AthenaWorkGroupName', workGroup.name, 'Athena workgroup with the KPI named queries');
    output(
      'RollupWorkGroupName',
      rollupJob.workGroup.name,
      "Athena workgroup of the rollup job's statements",
    );
    output(
      'RollupJobFunctionName',
      rollupJob.handler.function.functionName,
      'The rollup job: invoke it to run now',
    );
    output(
      'IngestApiUrl',
      ingest.url,
      'Base URL of the ingest doors, no trailing slash (/v1/apps/{appId}/events, /v1/apps/{appId}/endpoints, /2014-06-05/events)',
    );
    output('KpiApiUrl', kpi.api.url, 'Base URL of the KPI API (apps/{appId}/kpis/..., openapi.json)');
    output('KpiReadPolicyArn', kpi.readPolicy.managedPolicyArn, 'Managed policy granting every app KPI');
    if (ingest.invokePolicy) {
      output('IngestInvokePolicyArn', ingest.invokePolicy.managedPolicyArn, 'Managed policy for app roles');
    }
    if (ingest.apiKey)
      output('IngestApiKeyId', ingest.apiKey.keyId, 'aws apigateway get-api-key --include-value');
  }
}
