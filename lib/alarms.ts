import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Alarm and topic names start with it; the Lambdas' metrics namespace is the same (Powertools). */
  readonly prefix: string;
  readonly deliveryStream: firehose.DeliveryStream;
  /** The delivery stream's buffering interval: the data freshness threshold is a multiple of it. */
  readonly bufferInterval: Duration;
  readonly functions: {
    readonly ingest: lambda.IFunction;
    readonly transformer: lambda.IFunction;
    readonly kpi: lambda.IFunction;
    readonly 'rollup-job': lambda.IFunction;
  };
  readonly stages: { readonly ingest: apigw.Stage; readonly kpi: apigw.Stage };
  /** Subscribed to the topic by e-mail (it has to confirm). @default - no subscription */
  readonly email?: string;
}

/** Every alarm looks at 5-minute periods; a missing datapoint (no traffic) is not a breach. */
const PERIOD = Duration.minutes(5);

/** One alarm: what it watches, when it fires, and what it means for whoever receives it. */
interface AlarmSpec {
  /** Construct id and the alarm name's suffix. */
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** Consecutive periods in breach before it fires. @default 1 */
  readonly periods?: number;
  readonly meaning: string;
}

/**
 * The alarms that make sure nothing is lost silently (ADR 015), each notifying an SNS topic (with
 * an optional e-mail subscription) when it fires and when it recovers: records Firehose puts
 * under the error prefix (active partitions exceeded, transformer or format conversion
 * failures), delivery to S3 failing or late, Firehose throttling the doors, 5xx answers of either
 * API, and errors or throttles of any Lambda. What to do when one fires: README, "When an alarm
 * fires".
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${props.prefix}-alarms`,
      displayName: `${props.prefix} pipeline alarms`,
      enforceSSL: true,
    });
    if (props.email !== undefined)
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const action = new actions.SnsAction(this.topic);
    this.alarms = alarmSpecs(props).map((spec) => {
      const alarm = new cloudwatch.Alarm(this, spec.id, {
        alarmName: `${props.prefix}-${spec.id}`,
        alarmDescription: `${spec.meaning} See README, "When an alarm fires".`,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator:
          spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: spec.periods ?? 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
  }
}

/** What a failure of a Lambda means, where it says more than that the Lambda failed. */
const FAILURE_MEANINGS: Readonly<Record<string, string>> = {
  transformer:
    'The record transformer failed; after its retries Firehose puts the whole batch under errors/processing-failed/ (replay it with npm run replay).',
  'rollup-job':
    "A run of the rollup job failed (an Athena statement, S3, or the 15-minute timeout): the days it did not finish stay read from raw events (exact, slower and dearer) and the next run retries them. Its log names the statement and Athena's reason.",
};

/** The alarms of a deployment, in the order README lists them. */
function alarmSpecs(props: AlarmsProps): AlarmSpec[] {
  const stream = props.deliveryStream;
  const firehoseMetric = (name: string, statistic: string) =>
    stream.metric(name, { statistic, period: PERIOD });
  const freshnessSeconds = Math.max(900, 3 * props.bufferInterval.toSeconds());
  const lambdaAlarms = Object.entries(props.functions).flatMap(([name, fn]): AlarmSpec[] => [
    {
      id: `${name}-lambda-errors`,
      metric: fn.metricErrors({ period: PERIOD }),
      threshold: 1,
      meaning: FAILURE_MEANINGS[name] ?? `The ${name} Lambda failed (an exception or a timeout).`,
    },
    {
      id: `${name}-lambda-throttles`,
      metric: fn.metricThrottles({ period: PERIOD }),
      threshold: 1,
      meaning:
        name === 'rollup-job'
          ? 'A run of the rollup job found the previous one still running (it runs one at a time): runs take longer than the schedule interval; lengthen it (-c rollupScheduleMinutes).'
          : `The ${name} Lambda was throttled: the account's concurrency is exhausted.`,
    },
  ]);
  return [
    {
      id: 'firehose-partition-count-exceeded',
      metric: firehoseMetric('PartitionCountExceeded', 'Maximum'),
      threshold: 1,
      meaning:
        'More app-and-day partitions were active in the Firehose buffer than its quota (500 by default); the rest went under errors/. Replay them, and ask for a higher active-partition quota.',
    },
    {
      id: 'firehose-partition-count-high',
      metric: new cloudwatch.MathExpression({
        expression: '100 * partitions / quota',
        usingMetrics: {
          partitions: firehoseMetric('PartitionCount', 'Maximum'),
          quota: firehoseMetric('ActivePartitionsLimit', 'Maximum'),
        },
        label: 'Active partitions, % of the quota',
        period: PERIOD,
      }),
      threshold: 80,
      meaning:
        'Active app-and-day partitions reached 80% of the Firehose quota: ask for a higher quota before records go under errors/.',
    },
    {
      id: 'firehose-format-conversion-failed',
      metric: firehoseMetric('FailedConversion.Records', 'Sum'),
      threshold: 1,
      meaning:
        'Firehose could not convert records to Parquet with the Glue schema; they are under errors/format-conversion-failed/.',
    },
    {
      id: 'transformer-records-failed',
      metric: new cloudwatch.Metric({
        namespace: props.prefix,
        metricName: 'RecordsRejected',
        dimensionsMap: { service: 'transformer' },
        statistic: 'Sum',
        period: PERIOD,
      }),
      threshold: 1,
      meaning:
        'The transformer marked records ProcessingFailed (not a known layout, or dated outside the lake); they are under errors/processing-failed/ with the reason in its log.',
    },
    {
      id: 'firehose-delivery-failing',
      metric: firehoseMetric('DeliveryToS3.Success', 'Average'),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      periods: 3,
      meaning:
        'Firehose has been failing to write to the lake bucket for 15 minutes; it retries for 24 hours, then puts the data under errors/.',
    },
    {
      id: 'firehose-data-stale',
      metric: firehoseMetric('DeliveryToS3.DataFreshness', 'Maximum'),
      threshold: freshnessSeconds,
      meaning: `The oldest record in Firehose is over ${freshnessSeconds} s old (3 buffer intervals, at least 15 minutes): delivery is stuck.`,
    },
    {
      id: 'firehose-throttled-records',
      metric: firehoseMetric('ThrottledRecords', 'Sum'),
      threshold: 1,
      meaning:
        'Firehose throttled records: the doors retry them and answer 429/500 when they cannot, so the apps resend; raise the stream quota if it persists.',
    },
    {
      id: 'ingest-api-5xx',
      metric: props.stages.ingest.metricServerError({ period: PERIOD }),
      threshold: 1,
      meaning: 'The ingest doors answered 5xx: apps resend, but events wait on devices until it is fixed.',
    },
    {
      id: 'kpi-api-5xx',
      metric: props.stages.kpi.metricServerError({ period: PERIOD }),
      threshold: 1,
      meaning: 'The KPI API answered 5xx (Athena failing, throttling or too slow).',
    },
    ...lambdaAlarms,
  ];
}
