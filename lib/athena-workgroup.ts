import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX } from '../lambdas/core/lake-layout';

export interface AthenaWorkGroupProps {
  /** Letters, digits, `.`, `_` and `-`, at most 128 characters. */
  readonly name: string;
  /** The lake bucket; results go under its `athena-results/` prefix. */
  readonly bucket: s3.IBucket;
  /** Bytes a single query may scan before Athena cancels it; at least 10 MB. @default 10 GiB */
  readonly bytesScannedCutoffPerQuery?: number;
  /** @default 'Mobile KPI queries over the events table' */
  readonly description?: string;
}

/** Athena's smallest allowed cutoff. */
const MIN_CUTOFF_BYTES = 10_000_000;

/**
 * A workgroup of the project (the KPI queries', the rollup job's): engine version 3, enforced settings (callers cannot
 * send results elsewhere or lift the cutoff), SSE-S3 encrypted results under `athena-results/`,
 * CloudWatch metrics.
 */
export class AthenaWorkGroup extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly name: string;

  constructor(scope: Construct, id: string, props: AthenaWorkGroupProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(props.name)) {
      throw new Error(
        `AthenaWorkGroup name: got "${props.name}"; allowed: 1 to 128 letters, digits, '.', '_' or '-'.`,
      );
    }
    const cutoff = props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3;
    if (!Number.isInteger(cutoff) || cutoff < MIN_CUTOFF_BYTES) {
      throw new Error(
        `AthenaWorkGroup bytesScannedCutoffPerQuery: got ${cutoff}; allowed: an integer number of bytes, at least ${MIN_CUTOFF_BYTES}.`,
      );
    }
    this.name = props.name;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: props.description ?? 'Mobile KPI queries over the events table',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        resultConfiguration: {
          outputLocation: `s3://${props.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }

  /** The workgroup's ARN, for IAM statements. */
  get arn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.name });
  }
}
