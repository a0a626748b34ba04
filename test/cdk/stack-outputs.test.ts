import { Match } from 'aws-cdk-lib/assertions';
import { onlyId, synthTemplate } from './synth';

describe('stack outputs', () => {
  it('name the bucket, stream, Glue database and table, workgroup and both API URLs', () => {
    const template = synthTemplate();
    template.hasOutput('LakeBucketName', {
      Value: { Ref: onlyId(template, 'AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() }) },
    });
    template.hasOutput('DeliveryStreamName', {
      Value: { Ref: onlyId(template, 'AWS::KinesisFirehose::DeliveryStream') },
    });
    template.hasOutput('GlueDatabaseName', { Value: 'mobile_kpi' });
    template.hasOutput('GlueTableName', { Value: 'events' });
    template.hasOutput('AthenaWorkGroupName', { Value: 'mobile-kpi' });
    for (const [output, api] of [
      ['IngestApiUrl', 'mobile-kpi-ingest'],
      ['KpiApiUrl', 'mobile-kpi-kpi'],
    ]) {
      const apiId = onlyId(template, 'AWS::ApiGateway::RestApi', { Name: api });
      template.hasOutput(output as string, {
        Value: { 'Fn::Join': ['', Match.arrayWith(['https://', { Ref: apiId }])] },
      });
    }
  });
});
