import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, ERRORS_PREFIX, EVENTS_PREFIX } from '../lambdas/core/lake-layout';
import { DAY_MS } from '../lambdas/core/time';

export interface LakeBucketProps {
  /** Expiry of raw events under `events/`. @default - kept forever */
  readonly rawEventRetention?: Duration;
  /**
   * Expiry of records Firehose could not process, under `errors/`: long enough to notice the
   * alarm and replay them (`npm run replay`, which deletes what it replayed). @default Duration.days(365)
   */
  readonly errorRecordRetention?: Duration;
  /** Expiry of Athena query results under `athena-results/`. @default Duration.days(7) */
  readonly athenaResultRetention?: Duration;
  /** Expiry of the server access logs. @default Duration.days(365) */
  readonly accessLogRetention?: Duration;
}

/**
 * The lake: one S3 bucket holding `events/` (Parquet), `errors/` (records Firehose could not
 * process) and `athena-results/`, with its server access logs in a second bucket. Both are
 * SSE-S3 encrypted (ADR 001), TLS-only, fully private and retained when the stack is deleted.
 */
export class LakeBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeBucketProps = {}) {
    super(scope, id);
    for (const [name, value] of Object.entries(props)) {
      const ms = value instanceof Duration ? value.toMilliseconds() : DAY_MS;
      if (ms < DAY_MS || ms % DAY_MS !== 0) {
        throw new Error(
          `LakeBucket ${name}: got ${value.toHumanString()}; allowed: a whole number of days, at least 1.`,
        );
      }
    }
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(365) }],
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucket,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'error-records',
          prefix: ERRORS_PREFIX,
          expiration: props.errorRecordRetention ?? Duration.days(365),
        },
        {
          id: 'athena-results',
          prefix: ATHENA_RESULTS_PREFIX,
          expiration: props.athenaResultRetention ?? Duration.days(7),
        },
        ...(props.rawEventRetention
          ? [{ id: 'raw-events', prefix: EVENTS_PREFIX, expiration: props.rawEventRetention }]
          : []),
      ],
    });
  }
}

const privateBucket: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
};
