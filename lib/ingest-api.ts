import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IngestEnvironment } from '../lambdas/handlers/environment';
import type { ApiGatewayLogging } from './api-gateway-logging';
import { apiStageOptions, declareExecutionLogs } from './api-stage';
import type { IngestAuth } from './config';
import { HANDLER_ENTRIES, HandlerFunction } from './handler-function';
import { acknowledgeWildcardResources } from './nag-acknowledgements';

export interface IngestApiProps {
  readonly name: string;
  readonly deliveryStream: firehose.IDeliveryStream;
  /** The lake's first day: the doors refuse events dated before it. */
  readonly lakeStartDate: string;
  /** The only app ids the doors accept. @default - every app id */
  readonly allowedApps?: ReadonlySet<string>;
  /** The account's API Gateway CloudWatch role, set before the stage logs. */
  readonly logging: ApiGatewayLogging;
  /** @default 'iam' */
  readonly auth?: IngestAuth;
  /** @default 100 */
  readonly rateLimit?: number;
  /** @default 200 */
  readonly burstLimit?: number;
  readonly metricsNamespace: string;
  readonly logRetention?: logs.RetentionDays;
  readonly tracing?: boolean;
}

/** The ingest doors, as paths under the stage. */
export const INGEST_PATHS = {
  pinpoint: '/v1/apps/{appId}/events',
  mobileAnalytics: '/2014-06-05/events',
} as const;

/**
 * The ingest doors behind API Gateway (REST): Pinpoint PutEvents and Mobile Analytics PutEvents,
 * both proxied to the ingest Lambda, which may only PutRecordBatch into the delivery stream.
 * Callers authenticate per `auth`: SigV4 (`iam`, with a managed policy to attach to e.g. a
 * Cognito identity pool role), an API key with a usage plan (`apiKey`), or nothing (`none`, a
 * throttled public collector).
 */
export class IngestApi extends Construct {
  readonly api: apigw.RestApi;
  readonly handler: HandlerFunction;
  /** Grants execute-api:Invoke on both doors; only with `auth: 'iam'`. */
  readonly invokePolicy?: iam.ManagedPolicy;
  /** Only with `auth: 'apiKey'`. */
  readonly apiKey?: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    const auth = props.auth ?? 'iam';
    this.handler = new HandlerFunction(this, 'Handler', {
      entry: HANDLER_ENTRIES.ingest,
      description: 'Ingest doors: Pinpoint and Mobile Analytics PutEvents to Firehose',
      serviceName: 'ingest',
      metricsNamespace: props.metricsNamespace,
      environment: {
        DELIVERY_STREAM_NAME: props.deliveryStream.deliveryStreamName,
        LAKE_START_DATE: props.lakeStartDate,
        ...(props.allowedApps ? { ALLOWED_APP_IDS: [...props.allowedApps].join(',') } : {}),
      } satisfies IngestEnvironment,
      timeout: Duration.seconds(28),
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['firehose:PutRecordBatch'],
        resources: [props.deliveryStream.deliveryStreamArn],
      }),
    );

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `${props.name}-ingest`,
      description: 'Pinpoint- and Mobile Analytics-compatible PutEvents doors',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: apiStageOptions(this, {
        rateLimit: props.rateLimit ?? 100,
        burstLimit: props.burstLimit ?? 200,
        logRetention: props.logRetention,
        tracing: props.tracing,
      }),
      defaultMethodOptions: {
        authorizationType: auth === 'iam' ? apigw.AuthorizationType.IAM : apigw.AuthorizationType.NONE,
        apiKeyRequired: auth === 'apiKey',
      },
    });
    this.api.deploymentStage.node.addDependency(props.logging.account);
    declareExecutionLogs(this, this.api, props.logRetention);
    const integration = new apigw.LambdaIntegration(this.handler.function);
    const validator = this.api.addRequestValidator('PathValidator', { validateRequestParameters: true });
    this.api.root.resourceForPath(INGEST_PATHS.pinpoint).addMethod('POST', integration, {
      requestParameters: { 'method.request.path.appId': true },
      requestValidator: validator,
    });
    this.api.root.resourceForPath(INGEST_PATHS.mobileAnalytics).addMethod('POST', integration);

    if (auth === 'iam') this.invokePolicy = this.createInvokePolicy();
    if (auth === 'apiKey') this.apiKey = this.createApiKey(props.rateLimit ?? 100, props.burstLimit ?? 200);
    this.acknowledgeFindings(auth);
  }

  private createInvokePolicy(): iam.ManagedPolicy {
    const doors = Object.values(INGEST_PATHS).map((path) =>
      this.api.arnForExecuteApi('POST', path.replace('{appId}', '*'), this.api.deploymentStage.stageName),
    );
    const policy = new iam.ManagedPolicy(this, 'InvokePolicy', {
      description: 'Allows sending events to both ingest doors; attach to e.g. a Cognito identity pool role',
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: doors })],
    });
    acknowledgeWildcardResources(
      policy,
      doors,
      'The Pinpoint door is one resource for every app id ({appId} in the path); copy the policy with the app id in place of * to limit a role to one app.',
    );
    return policy;
  }

  private createApiKey(rateLimit: number, burstLimit: number): apigw.IApiKey {
    const plan = this.api.addUsagePlan('UsagePlan', {
      name: `${this.api.restApiName}-plan`,
      throttle: { rateLimit, burstLimit },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    const key = this.api.addApiKey('ApiKey', { description: 'Key app builds send as x-api-key' });
    plan.addApiKey(key);
    return key;
  }

  private acknowledgeFindings(auth: IngestAuth): void {
    const reasons: Record<IngestAuth, string | undefined> = {
      iam: undefined,
      apiKey:
        'ingestAuth=apiKey was chosen by the deployer: app builds send an API key, checked by the usage plan, instead of SigV4.',
      none: 'ingestAuth=none was chosen by the deployer for SDKs that cannot sign for execute-api: a public collector of the listed app ids only (ingestAllowedApps), behind a WAF web ACL (per-IP rate, body size) and stage throttling.',
    };
    const noAuthReason = reasons[auth];
    if (noAuthReason)
      Validations.of(this.api).acknowledge({ id: 'AwsSolutions-APIG4', reason: noAuthReason });
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are apps, not signed-in users: they sign with Cognito identity pool (or other IAM) credentials; there is no user pool.',
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Path parameters are validated by API Gateway; bodies are validated by the ingest app, which answers per-event 400s with reasons (docs/CONTRACT.md §2a/§2b) that a gateway model would replace with a generic error.',
      },
    );
    // With ingestAuth=none the stack associates a WAF web ACL with the stage (ingest-web-acl.ts).
    if (auth !== 'none') {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF web ACL when callers authenticate (fixed monthly cost per ACL): requests without a valid signature or API key are refused by API Gateway, and the stage is throttled.',
      });
    }
  }
}
