import { Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AthenaWorkGroup } from '../../lib/athena-workgroup';
import { synthTemplate } from './synth';

describe('Athena workgroup', () => {
  it('runs engine v3 with enforced settings, metrics and encrypted results under athena-results/', () => {
    const template = synthTemplate();
    const bucketId = Object.keys(
      template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: {} } }),
    )[0];
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'mobile-kpi',
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/athena-results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
  });

  it('cancels queries scanning more than the configured cutoff', () => {
    synthTemplate({ athenaScanCutoffGiB: '1' }).hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: { BytesScannedCutoffPerQuery: 1024 ** 3 },
    });
  });

  it('rejects a cutoff below Athena’s 10 MB minimum', () => {
    const stack = new Stack();
    const bucket = new Bucket(stack, 'B');
    expect(
      () => new AthenaWorkGroup(stack, 'W', { name: 'w', bucket, bytesScannedCutoffPerQuery: 1000 }),
    ).toThrow(
      'AthenaWorkGroup bytesScannedCutoffPerQuery: got 1000; allowed: an integer number of bytes, at least 10000000.',
    );
  });
});
