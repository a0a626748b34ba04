import { Duration, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { EventsTable } from '../../lib/events-table';
import { RollupJob } from '../../lib/rollup-job';
import { RollupTables } from '../../lib/rollup-tables';
import { flatten, type Json, onlyId, onlyResource, synthTemplate } from './synth';

const jobFunction = (template: Template): [string, Json] => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'rollup-job',
  );
  if (found.length !== 1) throw new Error(`expected one rollup job function, found ${found.length}`);
  return found[0] as [string, Json];
};

/** Action → the resources granted to it (flattened), over every policy of a role. */
const grantsOf = (template: Template, roleId: string): Map<string, string[]> => {
  const grants = new Map<string, string[]>();
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
  for (const s of statements) {
    expect(s.Effect).toBe('Allow');
    for (const action of [s.Action].flat()) {
      grants.set(action, [...(grants.get(action) ?? []), ...[s.Resource].flat().map(flatten)].sort());
    }
  }
  return grants;
};

describe('rollup job', () => {
  let template: Template;
  let functionId: string;
  let fn: Json;
  beforeAll(() => {
    template = synthTemplate();
    [functionId, fn] = jobFunction(template);
  });

  it('is a Lambda of 15 minutes that runs one at a time, with no retry of a failed run', () => {
    expect(fn.Properties).toMatchObject({
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: {
          GLUE_DATABASE: 'mobile_kpi',
          ATHENA_WORKGROUP: 'mobile-kpi-rollups',
          LAKE_BUCKET: {
            Ref: onlyId(template, 'AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() }),
          },
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 0,
    });
  });

  it('is invoked by EventBridge Scheduler every hour by default, and as configured', () => {
    const schedule = onlyResource(template, 'AWS::Scheduler::Schedule').Properties;
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: { 'Fn::GetAtt': [functionId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } },
    });
    const roleId = schedule.Target.RoleArn['Fn::GetAtt'][0];
    const role: Json = template.findResources('AWS::IAM::Role')[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(Object.fromEntries(grantsOf(template, roleId))).toEqual({
      'lambda:InvokeFunction': [`\${${functionId}.Arn}`, `\${${functionId}.Arn}:*`],
    });
    const every15 = synthTemplate({ rollupScheduleMinutes: '15' });
    every15.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
  });

  it('runs its statements in a workgroup of its own, with a larger cutoff than the KPI queries', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'mobile-kpi-rollups',
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
      },
    });
  });

  it('creates the four rollup tables as Iceberg v2 tables partitioned by app_id (and dt) under rollups/', () => {
    const tables = Object.values(template.findResources('AWS::Glue::Table')).filter(
      (t) => t.Properties.OpenTableFormatInput !== undefined,
    );
    const byName = new Map(tables.map((t) => [t.Properties.TableInput.Name, t.Properties]));
    expect([...byName.keys()].sort()).toEqual([
      'rollup_activity',
      'rollup_client_days',
      'rollup_clients',
      'rollup_event_stats',
    ]);
    const bucketId = onlyId(template, 'AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() });
    for (const [name, folder, partitions] of [
      ['rollup_activity', 'activity', ['app_id', 'dt']],
      ['rollup_client_days', 'client_days', ['app_id', 'dt']],
      ['rollup_event_stats', 'event_stats', ['app_id', 'dt']],
      ['rollup_clients', 'clients', ['app_id']],
    ] as const) {
      const props = byName.get(name);
      expect(props.DatabaseName).toBe('mobile_kpi');
      const iceberg = props.OpenTableFormatInput.IcebergInput;
      expect(iceberg).toMatchObject({ MetadataOperation: 'CREATE', Version: '2' });
      const input = iceberg.IcebergTableInput;
      expect(flatten(input.Location)).toBe(`s3://\${${bucketId}}/rollups/${folder}/`);
      const fields = input.Schema.Fields;
      const idOf = (column: string) => fields.find((f: Json) => f.Name === column).Id;
      expect(input.PartitionSpec.Fields).toEqual(
        partitions.map((p, i) => ({ Name: p, SourceId: idOf(p), FieldId: 1000 + i, Transform: 'identity' })),
      );
      expect(new Set(fields.map((f: Json) => f.Id)).size).toBe(fields.length);
    }
    const activity = byName.get('rollup_activity').OpenTableFormatInput.IcebergInput.IcebergTableInput;
    expect(activity.Schema.Fields.map((f: Json) => [f.Name, f.Type])).toEqual([
      ['app_id', 'string'],
      ['dt', 'string'],
      ['client_key', 'long'],
      ['quarter', 'long'],
    ]);
    const clientDays = byName.get('rollup_client_days').OpenTableFormatInput.IcebergInput.IcebergTableInput;
    expect(clientDays.Schema.Fields.map((f: Json) => [f.Name, f.Type])).toEqual([
      ['app_id', 'string'],
      ['dt', 'string'],
      ['client_key', 'long'],
    ]);
  });

  it('may query only in its workgroup, commit only to the rollup tables, and delete only in events/ and its staging', () => {
    const grants = grantsOf(template, fn.Properties.Role['Fn::GetAtt'][0]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: flatten() renders pseudo parameters as ${AWS::...}
    const region = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
    const glue = region.replace('%s', 'glue');
    const bucketId = onlyId(template, 'AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() });
    const objects = (prefix: string) => `\${${bucketId}.Arn}/${prefix}`;
    const rollupTables = [
      'rollup_activity',
      'rollup_client_days',
      'rollup_clients',
      'rollup_event_stats',
    ].map((t) => `${glue}:table/mobile_kpi/${t}`);
    for (const action of [
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StopQueryExecution',
      'athena:ListQueryExecutions',
      'athena:BatchGetQueryExecution',
    ]) {
      expect(grants.get(action)).toEqual([`${region.replace('%s', 'athena')}:workgroup/mobile-kpi-rollups`]);
    }
    expect(grants.get('glue:UpdateTable')).toEqual(rollupTables.sort());
    expect(grants.get('glue:GetPartitions')).toEqual(
      [`${glue}:catalog`, `${glue}:database/mobile_kpi`, `${glue}:table/mobile_kpi/events`].sort(),
    );
    expect(grants.get('s3:DeleteObject')).toEqual(
      [objects('events/*'), objects('rollups/compaction/*')].sort(),
    );
    expect(grants.get('s3:PutObject')).toEqual(
      [objects('athena-results/*'), objects('events/*'), objects('rollups/*')].sort(),
    );
    for (const [action, resources] of grants) {
      expect(action).not.toMatch(/\*|^glue:(Create|Delete)|^s3:(PutBucket|DeleteBucket)/);
      expect(resources).not.toContain('*');
    }
  });

  it('rejects a schedule it cannot keep, saying what was given', () => {
    const stack = new Stack();
    const bucket = new Bucket(stack, 'B');
    const events = new EventsTable(stack, 'E', { bucket, databaseName: 'db' });
    const tables = new RollupTables(stack, 'T', { bucket, events });
    const props = { name: 'x', bucket, events, tables, metricsNamespace: 'x' };
    expect(() => new RollupJob(stack, 'J', { ...props, every: Duration.minutes(2) })).toThrow(
      'RollupJob every: got 2 minutes; allowed: a whole number of minutes from 5 to 1440.',
    );
    expect(() => new RollupJob(stack, 'K', { ...props, every: Duration.seconds(330) })).toThrow(
      'allowed: a whole number of minutes from 5 to 1440',
    );
  });
});
