import type { Template } from 'aws-cdk-lib/assertions';
import { type Json, onlyId, onlyResource, synthTemplate } from './synth';

const alarmsByName = (template: Template): Map<string, Json> =>
  new Map(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => [
      a.Properties.AlarmName,
      a.Properties,
    ]),
  );

const dimensions = (alarm: Json) =>
  Object.fromEntries((alarm.Dimensions ?? []).map((d: Json) => [d.Name, d.Value]));

describe('alarms', () => {
  let template: Template;
  let alarms: Map<string, Json>;
  let topicId: string;
  beforeAll(() => {
    template = synthTemplate();
    alarms = alarmsByName(template);
    topicId = onlyId(template, 'AWS::SNS::Topic');
  });

  it('notify one TLS-only SNS topic, when they fire and when they recover', () => {
    expect(alarms.size).toBe(17);
    for (const alarm of alarms.values()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmDescription).toContain('See README, "When an alarm fires".');
    }
    const policy = onlyResource(template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument;
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  it.each([
    [
      'firehose-partition-count-exceeded',
      'PartitionCountExceeded',
      'Maximum',
      1,
      'GreaterThanOrEqualToThreshold',
      1,
    ],
    [
      'firehose-format-conversion-failed',
      'FailedConversion.Records',
      'Sum',
      1,
      'GreaterThanOrEqualToThreshold',
      1,
    ],
    ['firehose-delivery-failing', 'DeliveryToS3.Success', 'Average', 1, 'LessThanThreshold', 3],
    ['firehose-data-stale', 'DeliveryToS3.DataFreshness', 'Maximum', 900, 'GreaterThanOrEqualToThreshold', 1],
    ['firehose-throttled-records', 'ThrottledRecords', 'Sum', 1, 'GreaterThanOrEqualToThreshold', 1],
  ])(
    '%s watches the stream’s %s (%s) against %d',
    (name, metric, statistic, threshold, comparison, periods) => {
      const alarm = alarms.get(`mobile-kpi-${name}`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/Firehose',
        MetricName: metric,
        Statistic: statistic,
        Period: 300,
        Threshold: threshold,
        ComparisonOperator: comparison,
        EvaluationPeriods: periods,
      });
      expect(dimensions(alarm)).toEqual({
        DeliveryStreamName: { Ref: onlyId(template, 'AWS::KinesisFirehose::DeliveryStream') },
      });
    },
  );

  it('warns at 80% of the active partition quota', () => {
    const alarm = alarms.get('mobile-kpi-firehose-partition-count-high');
    expect(alarm.Threshold).toBe(80);
    const [expression, ...inputs] = alarm.Metrics;
    expect(expression.Expression).toBe('100 * partitions / quota');
    expect(inputs.map((m: Json) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Stat])).toEqual([
      ['partitions', 'PartitionCount', 'Maximum'],
      ['quota', 'ActivePartitionsLimit', 'Maximum'],
    ]);
  });

  it('counts the records the transformer marks ProcessingFailed, from its own metric', () => {
    expect(alarms.get('mobile-kpi-transformer-records-failed')).toMatchObject({
      Namespace: 'mobile-kpi',
      MetricName: 'RecordsRejected',
      Dimensions: [{ Name: 'service', Value: 'transformer' }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('fire on any 5xx of either API stage', () => {
    for (const [name, api] of [
      ['ingest-api-5xx', 'mobile-kpi-ingest'],
      ['kpi-api-5xx', 'mobile-kpi-kpi'],
    ]) {
      const alarm = alarms.get(`mobile-kpi-${name}`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Statistic: 'Sum',
        Threshold: 1,
      });
      expect(dimensions(alarm)).toEqual({ ApiName: api, Stage: { Ref: expect.any(String) } });
    }
  });

  it('fire on errors and throttles of each Lambda', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    for (const [id, fn] of Object.entries(functions)) {
      const service = fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms.get(`mobile-kpi-${service}-lambda-${metric.toLowerCase()}`);
        expect(alarm).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Statistic: 'Sum',
          Threshold: 1,
        });
        expect(dimensions(alarm)).toEqual({ FunctionName: { Ref: id } });
      }
    }
  });

  it('fire when a run of the rollup job fails, saying the days stay read from raw events', () => {
    const alarm = alarms.get('mobile-kpi-rollup-job-lambda-errors');
    expect(alarm.AlarmDescription).toContain('stay read from raw events');
    expect(alarm.AlarmDescription).toContain('the next run retries');
    expect(alarms.get('mobile-kpi-rollup-job-lambda-throttles').AlarmDescription).toContain(
      'rollupScheduleMinutes',
    );
  });

  it('scale the freshness threshold with a long buffer, and subscribe the configured e-mail', () => {
    const configured = synthTemplate({ firehoseBufferSeconds: '600', alarmEmail: 'ops@example.com' });
    expect(alarmsByName(configured).get('mobile-kpi-firehose-data-stale')?.Threshold).toBe(1800);
    configured.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: onlyId(configured, 'AWS::SNS::Topic') },
    });
  });
});
