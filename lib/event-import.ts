import { type CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ImportEnvironment } from '../lambdas/handlers/environment';
import { IMPORT_REPORTS_PREFIX } from '../lambdas/import/import-report';
import type { ImportSourceLocation } from './config';
import { HANDLER_ENTRIES, HandlerFunction } from './handler-function';
import { acknowledgeWildcardResources } from './nag-acknowledgements';

export interface EventImportProps {
  /** The lake bucket: reports go under `import-reports/`. */
  readonly bucket: s3.IBucket;
  readonly deliveryStream: firehose.IDeliveryStream;
  /** The only S3 locations the import may read. */
  readonly sources: readonly ImportSourceLocation[];
  /** The lake's first day (`YYYY-MM-DD`): events before it are rejected. */
  readonly lakeStartDate: string;
  readonly metricsNamespace: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default false */
  readonly tracing?: boolean;
}

/** A source bucket's ARN and, when it is given with a prefix, the object ARNs below it. */
function sourceArns(source: ImportSourceLocation, stack: Stack) {
  const bucket = stack.formatArn({ service: 's3', region: '', account: '', resource: source.bucket });
  return { bucket, objects: `${bucket}/${source.prefix}*` };
}

/**
 * The item reader of the import's Map: S3 ListObjectsV2 of the bucket and prefix of the
 * execution's input (`$.bucket`, `$.prefix`). The CDK's own reader grants `s3:ListBucket` on
 * `*` when the bucket is a path; this one grants it on the configured source buckets only,
 * limited to their prefixes.
 */
class SourceObjectsItemReader extends sfn.S3ObjectsItemReader {
  constructor(private readonly statements: iam.PolicyStatement[]) {
    super({ bucketNamePath: sfn.JsonPath.stringAt('$.bucket'), prefix: sfn.JsonPath.stringAt('$.prefix') });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return this.statements;
  }
}

/** The Map run's result files, under `import-reports/` of the lake bucket only (the CDK's own writer grants the whole bucket). */
class ReportsResultWriter extends sfn.ResultWriterV2 {
  constructor(private readonly reports: s3.IBucket) {
    super({ bucket: reports, prefix: sfn.JsonPath.stringAt('$.resultsPrefix') });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.reports.arnForObjects(`${IMPORT_REPORTS_PREFIX}*`)],
      }),
    ];
  }
}

/**
 * Bulk import on AWS (ADR 024): a Step Functions state machine whose Distributed Map lists the
 * objects under the S3 prefix an execution names, runs one child execution per object (a Lambda
 * that streams it, normalises its records and sends them to the delivery stream in app and day
 * order), writes the children's results under `import-reports/<run>/map/` and ends with a Lambda
 * that adds them up. Least privilege: the import may list and read only the configured
 * sources, put records only into the delivery stream, and write only below `import-reports/`.
 */
export class EventImport extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly objectFunction: HandlerFunction;
  readonly summaryFunction: HandlerFunction;

  constructor(scope: Construct, id: string, props: EventImportProps) {
    super(scope, id);
    if (props.sources.length === 0) {
      throw new Error(
        'EventImport: got no sources; allowed: at least one bucket or bucket/prefix to read from.',
      );
    }
    const stack = Stack.of(this);
    const runtime = {
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      tracing: props.tracing,
    };
    const environment = {
      DELIVERY_STREAM_NAME: props.deliveryStream.deliveryStreamName,
      REPORT_BUCKET: props.bucket.bucketName,
      LAKE_START_DATE: props.lakeStartDate,
    } satisfies ImportEnvironment;
    this.objectFunction = new HandlerFunction(this, 'ObjectFunction', {
      ...runtime,
      entry: HANDLER_ENTRIES.importObject,
      serviceName: 'import',
      description:
        'Import: streams one exported S3 object, normalises it, sends its events to the delivery stream',
      environment,
      timeout: Duration.minutes(15),
      memorySize: 2048,
    });
    this.summaryFunction = new HandlerFunction(this, 'SummaryFunction', {
      ...runtime,
      entry: HANDLER_ENTRIES.importSummary,
      serviceName: 'import-summary',
      description: "Import: adds up a run's results into import-reports/<run>/summary.json",
      environment,
      timeout: Duration.minutes(5),
      memorySize: 1024,
    });

    const sources = props.sources.map((source) => ({ source, ...sourceArns(source, stack) }));
    const reports = props.bucket.arnForObjects(`${IMPORT_REPORTS_PREFIX}*`);
    const objectPolicy = new iam.Policy(this, 'ObjectPolicy', {
      roles: [this.objectFunction.role],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: sources.map((s) => s.objects) }),
        new iam.PolicyStatement({
          actions: ['firehose:PutRecordBatch'],
          resources: [props.deliveryStream.deliveryStreamArn],
        }),
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [reports] }),
      ],
    });
    const summaryPolicy = new iam.Policy(this, 'SummaryPolicy', {
      roles: [this.summaryFunction.role],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [reports] }),
      ],
    });

    const listStatements = sources.map(({ source, bucket }) =>
      source.prefix === ''
        ? new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket] })
        : new iam.PolicyStatement({
            actions: ['s3:ListBucket'],
            resources: [bucket],
            conditions: { StringLike: { 's3:prefix': [`${source.prefix}*`] } },
          }),
    );
    const importObject = new tasks.LambdaInvoke(this, 'ImportObject', {
      lambdaFunction: this.objectFunction.function,
      payloadResponseOnly: true,
    });
    // Throttling that outlasts the sink's retries, or a timeout: the object is read again (the
    // KPIs count a re-sent event once).
    importObject.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(30),
      maxAttempts: 2,
      backoffRate: 2,
    });
    const map = new sfn.DistributedMap(this, 'ImportObjects', {
      label: 'ImportObjects',
      itemReader: new SourceObjectsItemReader(listStatements),
      itemSelector: {
        bucket: sfn.JsonPath.stringAt('$.bucket'),
        key: sfn.JsonPath.stringAt('$$.Map.Item.Value.Key'),
        run: sfn.JsonPath.stringAt('$.run'),
        appMap: sfn.JsonPath.listAt('$.appMap'),
        dryRun: sfn.JsonPath.stringAt('$.dryRun'),
      },
      maxConcurrencyPath: sfn.JsonPath.stringAt('$.concurrency'),
      // Every object is tried; the summary lists the ones that failed.
      toleratedFailurePercentage: 100,
      resultWriterV2: new ReportsResultWriter(props.bucket),
      resultPath: '$.map',
    });
    map.itemProcessor(importObject);
    const summarise = new tasks.LambdaInvoke(this, 'Summarise', {
      lambdaFunction: this.summaryFunction.function,
      payload: sfn.TaskInput.fromObject({
        run: sfn.JsonPath.stringAt('$.run'),
        map: sfn.JsonPath.objectAt('$.map'),
      }),
      payloadResponseOnly: true,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Imports exported event history from S3 into the lake (npm run import -- --stack)',
      definitionBody: sfn.DefinitionBody.fromChainable(map.next(summarise)),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: props.tracing ?? false,
      timeout: Duration.days(7),
    });

    acknowledgeWildcardResources(
      objectPolicy,
      [...sources.map((s) => s.objects), reports],
      'The import reads every object below the configured source prefixes and writes one report per object below import-reports/; their keys are known only at run time.',
    );
    acknowledgeWildcardResources(
      summaryPolicy,
      [reports],
      'The summary reads the Map run results and writes the summary below import-reports/<run>/; the run id is known only at run time.',
    );
    acknowledgeWildcardResources(
      this.stateMachine.role,
      [this.objectFunction.function, this.summaryFunction.function].map((f) => `${f.functionArn}:*`),
      'The CDK LambdaInvoke task grants the import functions and their versions (:*), nothing else.',
    );
    acknowledgeWildcardResources(
      this.stateMachine.role,
      [reports],
      "The Map run's ResultWriter writes its result files below import-reports/<run>/map/; the run id is known only at run time.",
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging to CloudWatch Logs needs the logs:*LogDelivery, DescribeLogGroups, DescribeResourcePolicies and PutResourcePolicy actions, which have no resource-level permissions (AWS requires "*").',
    });
    const machine = stack.resolve(stack.getLogicalId(this.stateMachine.node.defaultChild as CfnResource));
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machine}"}]}]}`;
    for (const resource of [`${executions}:*`, `${executions}/ImportObjects:*`]) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          "The CDK's Distributed Map policy lets the state machine describe, stop and redrive its own executions and the Map run's child executions, whose names are known only at run time.",
      });
    }
    if (!props.tracing) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason:
          'X-Ray tracing follows the stack-wide tracing setting (off by default, on with -c tracing=true), as for the Lambdas and APIs.',
      });
    }
  }
}
