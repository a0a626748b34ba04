import type { Template } from 'aws-cdk-lib/assertions';
import { type Json, synthTemplate } from './synth';

const functions = (template: Template): Map<string, Json> =>
  new Map(
    Object.values(template.findResources('AWS::Lambda::Function')).map((f) => [
      f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
      f.Properties,
    ]),
  );

/** Actions granted to a function's role, with the resources each is granted on. */
function grants(template: Template, fn: Json): Map<string, Json[]> {
  const roleId = fn.Role['Fn::GetAtt'][0];
  const role = template.findResources('AWS::IAM::Role')[roleId];
  expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  expect(role?.Properties.Policies).toBeUndefined();
  const result = new Map<string, Json[]>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    if (!policy.Properties.Roles.some((r: Json) => r.Ref === roleId)) continue;
    for (const s of policy.Properties.PolicyDocument.Statement) {
      for (const action of [s.Action].flat())
        result.set(action, [...(result.get(action) ?? []), ...[s.Resource].flat()]);
    }
  }
  return result;
}

describe('Lambda handlers', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  });

  it('are the ingest, transformer, KPI and rollup job handlers on Node.js 24, ARM64, with Powertools settings', () => {
    const all = functions(template);
    expect([...all.keys()].sort()).toEqual(['ingest', 'kpi', 'rollup-job', 'transformer']);
    for (const [service, fn] of all) {
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe('index.handler');
      expect(fn.Environment.Variables).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'mobile-kpi',
        NODE_OPTIONS: '--enable-source-maps',
      });
      // The rollup job reads whatever days the lake holds; the others check dates against its window.
      expect(fn.Environment.Variables.LAKE_START_DATE).toBe(
        service === 'rollup-job' ? undefined : '2014-01-01',
      );
      expect(fn.TracingConfig).toBeUndefined();
      expect(fn.LoggingConfig.LogGroup).toEqual({ Ref: expect.any(String) });
    }
  });

  it('keep their logs for the configured retention', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    for (const fn of functions(template).values()) {
      expect(groups[fn.LoggingConfig.LogGroup.Ref]?.Properties.RetentionInDays).toBe(30);
    }
  });

  it('give the ingest Lambda its stream name and PutRecordBatch on that stream only', () => {
    const ingest = functions(template).get('ingest');
    const [streamId] = Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    expect(ingest.Environment.Variables.DELIVERY_STREAM_NAME).toEqual({ Ref: streamId });
    const granted = grants(template, ingest);
    expect(granted.get('firehose:PutRecordBatch')).toEqual([{ 'Fn::GetAtt': [streamId, 'Arn'] }]);
    expect([...granted.keys()].sort()).toEqual([
      'firehose:PutRecordBatch',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  it('let the transformer write its own logs and nothing else', () => {
    const transformer = functions(template).get('transformer');
    const granted = grants(template, transformer);
    expect([...granted.keys()].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(granted.get('logs:PutLogEvents')).toEqual([
      { 'Fn::GetAtt': [transformer.LoggingConfig.LogGroup.Ref, 'Arn'] },
    ]);
  });

  it('trace with X-Ray, as do both API stages, when tracing is on', () => {
    const traced = synthTemplate({ tracing: 'true' });
    for (const fn of functions(traced).values()) expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    const stages = Object.values(traced.findResources('AWS::ApiGateway::Stage'));
    expect(stages.map((s) => s.Properties.TracingEnabled)).toEqual([true, true]);
  });
});
