import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, EVENTS_PREFIX, ROLLUPS_PREFIX } from '../lambdas/core/lake-layout';
import type { RollupJobEnvironment } from '../lambdas/handlers/environment';
import { COMPACTION_PREFIX } from '../lambdas/rollups/rollup-job';
import { AthenaWorkGroup } from './athena-workgroup';
import type { EventsTable } from './events-table';
import { HANDLER_ENTRIES, HandlerFunction } from './handler-function';
import { ATHENA_QUERY_ACTIONS } from './kpi-query-grants';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import type { RollupTables } from './rollup-tables';

export interface RollupJobProps {
  /** Names start with it: the job's workgroup is `<name>-rollups`. */
  readonly name: string;
  readonly bucket: s3.IBucket;
  readonly events: EventsTable;
  readonly tables: RollupTables;
  /** Time between runs, 5 minutes to 1 day. @default Duration.hours(1) */
  readonly every?: Duration;
  /** Bytes one statement of the job may scan. @default 100 GiB */
  readonly bytesScannedCutoffPerQuery?: number;
  readonly metricsNamespace: string;
  readonly logRetention?: logs.RetentionDays;
  readonly tracing?: boolean;
}

/** A run of the job: the Lambda maximum. Work left over waits for the next run. */
export const ROLLUP_JOB_TIMEOUT = Duration.minutes(15);

/**
 * The scheduled rollup job (ADR 019): EventBridge Scheduler invokes a Lambda every `every`
 * (once, no retry: the next run is the retry), one run at a time (reserved concurrency 1), which
 * issues its Athena statements in its own workgroup (so its scans neither count against nor are
 * cut off by the KPI workgroup's limit, and it can tell whether a statement of an earlier run is
 * still running). Its role may run queries in that workgroup; read `events`; commit to the rollup
 * tables (glue:UpdateTable swaps an Iceberg table's metadata pointer); read and write `rollups/`;
 * put compacted copies under and delete compacted originals from `events/`; and nothing more.
 */
export class RollupJob extends Construct {
  readonly handler: HandlerFunction;
  readonly workGroup: AthenaWorkGroup;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RollupJobProps) {
    super(scope, id);
    const every = props.every ?? Duration.hours(1);
    const minutes = every.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
      throw new Error(
        `RollupJob every: got ${every.toHumanString()}; allowed: a whole number of minutes from 5 to 1440.`,
      );
    }
    this.workGroup = new AthenaWorkGroup(this, 'WorkGroup', {
      name: `${props.name}-rollups`,
      bucket: props.bucket,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 100 * 1024 ** 3,
      description: 'The rollup job: MERGE into the rollup tables, compaction of closed days',
    });
    this.handler = new HandlerFunction(this, 'Handler', {
      entry: HANDLER_ENTRIES.rollupJob,
      description: 'Rollup job: rebuilds the rollups of changed days and compacts closed days (ADR 019)',
      serviceName: 'rollup-job',
      metricsNamespace: props.metricsNamespace,
      environment: {
        LAKE_BUCKET: props.bucket.bucketName,
        GLUE_DATABASE: props.events.databaseName,
        ATHENA_WORKGROUP: this.workGroup.name,
      } satisfies RollupJobEnvironment,
      timeout: ROLLUP_JOB_TIMEOUT,
      reservedConcurrentExecutions: 1,
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    this.handler.function.configureAsyncInvoke({ retryAttempts: 0 });
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.rate(every),
      description: 'Runs the rollup job (ADR 019)',
      target: new targets.LambdaInvoke(this.handler.function, { retryAttempts: 0, role: scheduleRole }),
    });
    acknowledgeWildcardResources(
      scheduleRole,
      [`${this.handler.function.functionArn}:*`],
      "The scheduler's LambdaInvoke target grants lambda:InvokeFunction on the job function and its versions and aliases (<function ARN>:*); it is this one function.",
    );
    this.grant(props);
  }

  private grant({ bucket, events, tables }: RollupJobProps): void {
    const role = this.handler.role;
    const objects = (prefix: string) => bucket.arnForObjects(`${prefix}*`);
    const statements = [
      new iam.PolicyStatement({
        actions: [...ATHENA_QUERY_ACTIONS, 'athena:ListQueryExecutions', 'athena:BatchGetQueryExecution'],
        resources: [this.workGroup.arn],
      }),
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: Object.values(events.arns),
      }),
      new iam.PolicyStatement({ actions: ['glue:GetTable', 'glue:UpdateTable'], resources: tables.arns }),
      new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: {
          StringLike: {
            's3:prefix': [`${EVENTS_PREFIX}*`, `${ROLLUPS_PREFIX}*`, `${ATHENA_RESULTS_PREFIX}*`],
          },
        },
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [objects(ROLLUPS_PREFIX), objects(ATHENA_RESULTS_PREFIX)],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [objects(EVENTS_PREFIX)],
      }),
      new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects(COMPACTION_PREFIX)] }),
    ];
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    acknowledgeWildcardResources(
      role,
      [
        objects(ROLLUPS_PREFIX),
        objects(ATHENA_RESULTS_PREFIX),
        objects(EVENTS_PREFIX),
        objects(COMPACTION_PREFIX),
        ...tables.arns,
      ],
      'The job reads the raw objects of the days it rebuilds or compacts, writes Iceberg data and metadata files, manifests and results under keys Athena chooses, and deletes the compacted originals and its staging objects; no key is known in advance.',
    );
  }
}
