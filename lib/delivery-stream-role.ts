import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ERRORS_PREFIX, EVENTS_PREFIX } from '../lambdas/core/lake-layout';
import type { EventsTable } from './events-table';
import { acknowledgeWildcardResources } from './nag-acknowledgements';

export interface DeliveryStreamRoleProps {
  readonly bucket: s3.IBucket;
  readonly table: EventsTable;
  readonly transformer: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
}

/**
 * The role Firehose assumes for the events stream, written for that one job (ADR 003): write
 * objects under `events/` and `errors/`, read the table schema, invoke the transformer, log errors.
 * It replaces the Firehose L2's own grants (read/write/delete on the whole bucket,
 * glue:GetSchemaVersion on `*`), which is why the stream gets `role.withoutPolicyUpdates()`.
 */
export class DeliveryStreamRole extends Construct {
  readonly role: iam.Role;
  /** The stream must be created after this policy, or Firehose cannot validate its destination. */
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: DeliveryStreamRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Stack.of(this).account } },
      }),
    });
    const objectArns = [EVENTS_PREFIX, ERRORS_PREFIX].map((p) => props.bucket.arnForObjects(`${p}*`));
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          resources: objectArns,
        }),
        new iam.PolicyStatement({
          actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
          resources: Object.values(props.table.arns),
        }),
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
          resources: [props.transformer.functionArn],
        }),
        new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [props.logGroup.logGroupArn] }),
      ],
    });
    acknowledgeWildcardResources(
      this.policy,
      objectArns,
      'Firehose writes one object per partition and buffer under events/ and errors/; keys are not known in advance.',
    );
  }
}
