import { Duration, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { LakeBucket } from '../../lib/lake-bucket';
import { type Json, synthTemplate } from './synth';

interface Bucket {
  id: string;
  resource: Json;
}

/** The lake is the bucket that logs; the access-log bucket is the other one. */
function buckets(template: Template): { lake: Bucket; logs: Bucket } {
  const all = Object.entries(template.findResources('AWS::S3::Bucket')).map(([id, resource]) => ({
    id,
    resource,
  }));
  const lake = all.filter((b) => b.resource.Properties.LoggingConfiguration);
  const logs = all.filter((b) => !b.resource.Properties.LoggingConfiguration);
  if (lake.length !== 1 || logs.length !== 1 || !lake[0] || !logs[0])
    throw new Error('expected a lake and a log bucket');
  return { lake: lake[0], logs: logs[0] };
}

describe('lake bucket', () => {
  let template: Template;
  let lake: Bucket;
  let logs: Bucket;
  beforeAll(() => {
    template = synthTemplate();
    ({ lake, logs } = buckets(template));
  });

  it('encrypts both the lake and its access-log bucket with S3-managed keys', () => {
    for (const bucket of [lake, logs]) {
      expect(bucket.resource.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
    }
  });

  it('blocks every kind of public access and disables ACLs', () => {
    for (const bucket of [lake, logs]) {
      expect(bucket.resource.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.resource.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
    }
  });

  it('denies every request that is not over TLS, on both buckets', () => {
    for (const bucket of [lake, logs]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket.id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('writes server access logs of the lake to the log bucket, through a bucket policy', () => {
    expect(lake.resource.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs.id },
      LogFilePrefix: 'lake/',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs.id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
          }),
        ]),
      },
    });
  });

  it('keeps both buckets and their data when the stack is deleted', () => {
    for (const bucket of [lake, logs]) {
      expect(bucket.resource.DeletionPolicy).toBe('Retain');
      expect(bucket.resource.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('expires error records after 365 days and Athena results after 7, and keeps raw events by default', () => {
    const rules: { Prefix?: string }[] = lake.resource.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'errors/', ExpirationInDays: 365, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'athena-results/', ExpirationInDays: 7, Status: 'Enabled' }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    );
    expect(rules.filter((r) => r.Prefix === 'events/')).toEqual([]);
  });

  it('expires raw events and error records after the configured number of days', () => {
    const configured = buckets(
      synthTemplate({ rawEventRetentionDays: '400', errorRecordRetentionDays: '14' }),
    );
    expect(configured.lake.resource.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'events/', ExpirationInDays: 400 }),
        expect.objectContaining({ Prefix: 'errors/', ExpirationInDays: 14 }),
      ]),
    );
  });

  it('rejects a retention that is not a whole number of days', () => {
    expect(() => new LakeBucket(new Stack(), 'Lake', { errorRecordRetention: Duration.hours(36) })).toThrow(
      'LakeBucket errorRecordRetention: got 1 day 12 hours; allowed: a whole number of days, at least 1.',
    );
  });
});
