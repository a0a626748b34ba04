// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are flattened CloudFormation references, written ${Logical.Attr}
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createApp } from '../../lib/app';
import { flatten, type Json, onlyResource, synthTemplate, testContext } from './synth';

const SOURCES = 'pinpoint-export-bucket/events/,ma-export-bucket';

describe('the import state machine', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate({ importSources: SOURCES });
  });

  it('is not in the stack unless import sources are configured', () => {
    synthTemplate().resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  it('finds nothing unacknowledged by cdk-nag', () => {
    const { app } = createApp({ context: testContext({ importSources: SOURCES }) });
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  /** The state machine's definition as JSON, with each CloudFormation reference flattened to `${Logical.Attr}`. */
  function definition(): Json {
    const sm = onlyResource(template, 'AWS::StepFunctions::StateMachine');
    return JSON.parse(flatten(sm.Properties.DefinitionString));
  }

  function statementsOf(policyPrefix: string): Json[] {
    return Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(policyPrefix))
      .flatMap(([, p]) => (p as Json).Properties.PolicyDocument.Statement);
  }

  const resources = (statement: Json): string[] =>
    (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map(flatten);

  it('lists the objects under the execution’s bucket and prefix with a Distributed Map of standard child executions', () => {
    const map = definition().States.ImportObjects;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ItemReader: {
        Resource: 'arn:${AWS::Partition}:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
      },
      ItemSelector: { 'key.$': '$$.Map.Item.Value.Key', 'run.$': '$.run', 'appMap.$': '$.appMap' },
      MaxConcurrencyPath: '$.concurrency',
      ToleratedFailurePercentage: 100,
      ResultPath: '$.map',
      Next: 'Summarise',
    });
  });

  it('writes the Map run results under import-reports/ of the lake bucket and adds them up at the end', () => {
    const states = definition().States;
    expect(states.ImportObjects.ResultWriter).toEqual({
      Resource: 'arn:${AWS::Partition}:states:::s3:putObject',
      Parameters: { Bucket: '${LakeBucketB1D32E10}', 'Prefix.$': '$.resultsPrefix' },
    });
    expect(states.Summarise).toMatchObject({
      Type: 'Task',
      Resource: '${ImportSummaryFunctionE9D483C4.Arn}',
      Parameters: { 'run.$': '$.run', 'map.$': '$.map' },
      End: true,
    });
  });

  it('runs the object Lambda per item and retries a failed object twice, with backoff', () => {
    const task = definition().States.ImportObjects.ItemProcessor.States.ImportObject;
    expect(task.Resource).toBe('${ImportObjectFunction591DA7F6.Arn}');
    expect(task.Retry).toContainEqual({
      ErrorEquals: ['States.TaskFailed'],
      IntervalSeconds: 30,
      MaxAttempts: 2,
      BackoffRate: 2,
    });
  });

  it('logs every execution event, and gives the Lambdas the stream, the report bucket and the lake start', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          DELIVERY_STREAM_NAME: Match.anyValue(),
          REPORT_BUCKET: { Ref: 'LakeBucketB1D32E10' },
          LAKE_START_DATE: '2014-01-01',
        }),
      },
    });
  });

  it('lets the object Lambda read only the configured sources, put into the stream and write reports', () => {
    const statements = statementsOf('ImportObjectPolicy');
    expect(statements.map((st) => [st.Action, resources(st)])).toEqual([
      [
        's3:GetObject',
        [
          'arn:${AWS::Partition}:s3:::ma-export-bucket/*',
          'arn:${AWS::Partition}:s3:::pinpoint-export-bucket/events/*',
        ],
      ],
      ['firehose:PutRecordBatch', ['${DeliveryStreamD784C6F5.Arn}']],
      ['s3:PutObject', ['${LakeBucketB1D32E10.Arn}/import-reports/*']],
    ]);
    expect(statementsOf('ImportSummaryPolicy').map((st) => [st.Action, resources(st)])).toEqual([
      [['s3:GetObject', 's3:PutObject'], ['${LakeBucketB1D32E10.Arn}/import-reports/*']],
    ]);
  });

  it('lets the state machine list only the configured sources, within their prefixes', () => {
    const statements = statementsOf('ImportStateMachineRoleDefaultPolicy');
    const lists = statements.filter((st) => st.Action === 's3:ListBucket');
    expect(lists.map((st) => [resources(st), st.Condition])).toEqual([
      [['arn:${AWS::Partition}:s3:::pinpoint-export-bucket'], { StringLike: { 's3:prefix': ['events/*'] } }],
      [['arn:${AWS::Partition}:s3:::ma-export-bucket'], undefined],
    ]);
    const s3Anywhere = statements.filter(
      (st) => [st.Action].flat().some((a: string) => a.startsWith('s3:')) && resources(st).includes('*'),
    );
    expect(s3Anywhere).toEqual([]);
    const writes = statements.find((st) => [st.Action].flat().includes('s3:PutObject'));
    expect(resources(writes)).toEqual(['${LakeBucketB1D32E10.Arn}/import-reports/*']);
    const invokes = statements.find((st) => st.Action === 'lambda:InvokeFunction');
    expect(resources(invokes)).toEqual([
      '${ImportObjectFunction591DA7F6.Arn}',
      '${ImportSummaryFunctionE9D483C4.Arn}',
      '${ImportObjectFunction591DA7F6.Arn}:*',
      '${ImportSummaryFunctionE9D483C4.Arn}:*',
    ]);
  });

  it('outputs the state machine and the sources for the CLI', () => {
    template.hasOutput('ImportStateMachineArn', {
      Value: { Ref: Match.stringLikeRegexp('^ImportStateMachine') },
    });
    template.hasOutput('ImportSources', {
      Value: 's3://pinpoint-export-bucket/events/,s3://ma-export-bucket/',
    });
  });

  it.each([
    ['a wildcard', 'bucket/exports/*'],
    ['a space', 'bucket, other'],
    ['an upper-case bucket', 'MyBucket/x'],
  ])('refuses import sources with %s, saying what is allowed', (_name, value) => {
    expect(() => synthTemplate({ importSources: value })).toThrow(
      /Invalid context importSources: got .*; allowed: S3 locations as bucket or bucket\/prefix\//,
    );
  });
});
