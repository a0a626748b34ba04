import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type Json, onlyId, onlyResource, synthTemplate } from './synth';

describe('Firehose delivery stream', () => {
  let template: Template;
  let destination: Json;
  beforeAll(() => {
    template = synthTemplate();
    destination = (onlyResource(template, 'AWS::KinesisFirehose::DeliveryStream').Properties as Json)
      .ExtendedS3DestinationConfiguration;
  });

  it('is a Direct PUT stream encrypted at rest, named after the prefix', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'mobile-kpi-events',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    });
  });

  it('converts JSON to Parquet with the schema of the events table', () => {
    const tableId = onlyId(template, 'AWS::Glue::Table', { TableInput: { Name: 'events' } });
    expect(destination.DataFormatConversionConfiguration).toMatchObject({
      Enabled: true,
      SchemaConfiguration: { DatabaseName: 'mobile_kpi', TableName: { Ref: tableId }, VersionId: 'LATEST' },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
    });
  });

  it('reads JSON keys case-sensitively so custom attribute and metric names keep their case', () => {
    expect(destination.DataFormatConversionConfiguration.InputFormatConfiguration).toEqual({
      Deserializer: {
        OpenXJsonSerDe: { CaseInsensitive: false, ColumnToJsonKeyMappings: { awsaccountid: 'awsAccountId' } },
      },
    });
  });

  it('partitions dynamically by app_id and dt with keys from the transformer Lambda', () => {
    const transformerId = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('Firehose record transformer') },
      }),
    )[0];
    expect(transformerId).toBeDefined();
    expect(destination.DynamicPartitioningConfiguration).toEqual({ Enabled: true });
    expect(destination.Prefix).toBe(
      'events/app_id=!{partitionKeyFromLambda:app_id}/dt=!{partitionKeyFromLambda:dt}/',
    );
    expect(destination.ProcessingConfiguration.Processors).toEqual([
      {
        Type: 'Lambda',
        Parameters: expect.arrayContaining([
          { ParameterName: 'LambdaArn', ParameterValue: { 'Fn::GetAtt': [transformerId, 'Arn'] } },
          { ParameterName: 'BufferSizeInMBs', ParameterValue: '1' },
        ]),
      },
    ]);
  });

  it('keeps failed records under errors/ by error type', () => {
    expect(destination.ErrorOutputPrefix).toMatch(/^errors\/!\{firehose:error-output-type\}\//);
  });

  it('logs delivery errors to CloudWatch', () => {
    expect(destination.CloudWatchLoggingOptions).toMatchObject({
      Enabled: true,
      LogGroupName: { Ref: expect.any(String) },
    });
  });

  it('buffers 300 s / 64 MiB by default and as configured otherwise', () => {
    expect(destination.BufferingHints).toEqual({ IntervalInSeconds: 300, SizeInMBs: 64 });
    synthTemplate({ firehoseBufferSeconds: '60', firehoseBufferMiB: '128' }).hasResourceProperties(
      'AWS::KinesisFirehose::DeliveryStream',
      { ExtendedS3DestinationConfiguration: { BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 128 } } },
    );
  });

  it('gives its role write access to events/ and errors/ only, and nothing on "*"', () => {
    const roleId = destination.RoleARN['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: Json) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
    );
    expect(policies).toHaveLength(1);
    const statements: Json[] = (policies[0] as Json).Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).not.toContain('s3:DeleteObject');
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    const objectStatement = statements.find((s) => [s.Action].flat().includes('s3:PutObject'));
    const objectPaths = objectStatement.Resource.map((r: Json) => r['Fn::Join'][1][1]);
    expect(objectPaths.sort()).toEqual(['/errors/*', '/events/*']);
    for (const s of statements) expect([s.Resource].flat()).not.toContain('*');
  });

  it('outputs a managed policy that lets direct producers put records into this stream only', () => {
    const streamId = Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'))[0];
    const [policyId, ...others] = Object.keys(
      template.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Description: Match.stringLikeRegexp('direct producers') },
      }),
    );
    expect(others).toEqual([]);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('direct producers'),
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: { 'Fn::GetAtt': [streamId, 'Arn'] },
          },
        ],
      },
    });
    template.hasOutput('FirehoseProducerPolicyArn', { Value: { Ref: policyId } });
  });
});
