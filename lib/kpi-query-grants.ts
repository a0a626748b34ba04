import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { ATHENA_RESULTS_PREFIX, EVENTS_PREFIX, ROLLUPS_PREFIX } from '../lambdas/core/lake-layout';
import { manifestKey } from '../lambdas/rollups/rollup-manifest';
import { ROLLUP_TABLES } from '../lambdas/rollups/rollup-tables';
import type { AthenaWorkGroup } from './athena-workgroup';
import type { EventsTable } from './events-table';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import type { RollupTables } from './rollup-tables';

export interface KpiQueryResources {
  readonly bucket: s3.IBucket;
  readonly table: EventsTable;
  readonly workGroup: AthenaWorkGroup;
}

/** What running a query in a workgroup takes: start it, poll it, read its result, stop it. */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
] as const;

/**
 * What a principal needs to run KPI queries, and nothing more: Athena query actions in the
 * project's workgroup, Glue reads of the events table, S3 reads of `events/`, and reads and
 * writes of `athena-results/` (Athena reads and writes S3 with the caller's permissions).
 */
export function grantKpiQueries(role: iam.Role, { bucket, table, workGroup }: KpiQueryResources): void {
  const results = bucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`);
  const events = bucket.arnForObjects(`${EVENTS_PREFIX}*`);
  const statements = [
    new iam.PolicyStatement({
      actions: [...ATHENA_QUERY_ACTIONS],
      resources: [workGroup.arn],
    }),
    new iam.PolicyStatement({
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      resources: Object.values(table.arns),
    }),
    new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${EVENTS_PREFIX}*`, `${ATHENA_RESULTS_PREFIX}*`] } },
    }),
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [events] }),
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [results],
    }),
  ];
  for (const statement of statements) role.addToPrincipalPolicy(statement);
  acknowledgeWildcardResources(
    role,
    [events, results],
    'Athena reads every Parquet object under events/ for the partitions a query selects and writes one result object per query under athena-results/; object keys are not known in advance.',
  );
}

/**
 * What `GET /apps` needs (`lambdas/kpi/s3-app-directory.ts`): listing the `events/app_id=<id>/`
 * prefixes, i.e. ListObjectsV2 with prefix `events/` and delimiter `/`, and nothing else. S3
 * checks both request parameters against the condition keys `s3:prefix` and `s3:delimiter`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
export function grantAppListing(role: iam.Role, bucket: s3.IBucket): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringEquals: { 's3:prefix': EVENTS_PREFIX, 's3:delimiter': '/' } },
    }),
  );
}

/**
 * What the KPI Lambda needs to read the rollups (ADR 019): Glue reads of the rollup tables, S3
 * reads of their Iceberg folders (metadata and data, which Athena reads with the caller's
 * permissions) and of the manifests, and listing those prefixes (a missing manifest is then
 * `NoSuchKey`, not `AccessDenied`). Nothing it can write.
 */
export function grantRollupReads(role: iam.Role, bucket: s3.IBucket, tables: RollupTables): void {
  const manifests = manifestKey('*');
  const prefixes = [...ROLLUP_TABLES.map((t) => `${ROLLUPS_PREFIX}${t.folder}/*`), manifests];
  const objects = prefixes.map((p) => bucket.arnForObjects(p));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['glue:GetTable'], resources: tables.arns }));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': prefixes } },
    }),
  );
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects }));
  acknowledgeWildcardResources(
    role,
    objects,
    "Athena reads every Iceberg metadata and data file of a rollup table, and the catalog each app's manifest; their keys are not known in advance.",
  );
}
