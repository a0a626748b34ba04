import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IngestEnvironment } from '../lambdas/handlers/environment';
import type { ApiGatewayLogging } from './api-gateway-logging';
import { apiStageOptions, declareExecutionLogs } from './api-stage';
import type { IngestAuth } from './config';
import { addDoorGatewayResponses } from './door-gateway-responses';
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

/** A door: its method and its path under the stage, with `{name}` path parameters. */
export interface IngestDoor {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
}

/** The ingest doors (docs/CONTRACT.md §2a, §2b, §2d), all served by the one ingest Lambda. */
export const INGEST_DOORS: readonly IngestDoor[] = [
  { method: 'POST', path: '/v1/apps/{appId}/events' },
  { method: 'PUT', path: '/v1/apps/{appId}/endpoints/{endpointId}' },
  { method: 'PUT', path: '/v1/apps/{appId}/endpoints' },
  { method: 'POST', path: '/2014-06-05/events' },
];

const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/**
 * The ingest doors behind API Gateway (REST): Pinpoint PutEvents, UpdateEndpoint and
 * UpdateEndpointsBatch, and Mobile Analytics PutEvents, all proxied to the ingest Lambda, which
 * may only PutRecordBatch into the delivery stream.
 * Callers authenticate per `auth`: SigV4 (`iam`, with a managed policy to attach to e.g. a
 * Cognito identity pool role), an API key with a usage plan (`apiKey`), or nothing (`none`, a
 * throttled public collector).
 */
export class IngestApi extends Construct {
  readonly api: apigw.RestApi;
  readonly handler: HandlerFunction;
  /**
   * The base URL of the doors, the stage's URL without a trailing slash: SDKs append `/v1/...`,
   * and the v3 AWS SDK would send `.../prod//v1/...` after a trailing slash.
   */
  readonly url: string;
  /** Grants execute-api:Invoke on every door; only with `auth: 'iam'`. */
  readonly invokePolicy?: iam.ManagedPolicy;
  /** Only with `auth: 'apiKey'`. */
  readonly apiKey?: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    const auth = props.auth ?? 'iam';
    this.handler = new HandlerFunction(this, 'Handler', {
      entry: HANDLER_ENTRIES.ingest,
      description:
        'Ingest doors: Pinpoint PutEvents and UpdateEndpoint(s), Mobile Analytics PutEvents to Firehose',
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
      description: 'Pinpoint- and Mobile Analytics-compatible PutEvents and UpdateEndpoint doors',
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
    addDoorGatewayResponses(this.api);
    const integration = new apigw.LambdaIntegration(this.handler.function);
    const validator = this.api.addRequestValidator('PathValidator', { validateRequestParameters: true });
    for (const door of INGEST_DOORS) {
      const parameters = pathParameters(door.path);
      this.api.root.resourceForPath(door.path).addMethod(
        door.method,
        integration,
        parameters.length === 0
          ? {}
          : {
              requestParameters: Object.fromEntries(
                parameters.map((p) => [`method.request.path.${p}`, true]),
              ),
              requestValidator: validator,
            },
      );
    }
    const stage = this.api.deploymentStage;
    this.url = `https://${this.api.restApiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${stage.stageName}`;

    if (auth === 'iam') this.invokePolicy = this.createInvokePolicy();
    if (auth === 'apiKey') this.apiKey = this.createApiKey(props.rateLimit ?? 100, props.burstLimit ?? 200);
    this.acknowledgeFindings(auth);
  }

  private createInvokePolicy(): iam.ManagedPolicy {
    const doors = INGEST_DOORS.map((door) =>
      this.api.arnForExecuteApi(
        door.method,
        door.path.replace(/\{\w+\}/g, '*'),
        this.api.deploymentStage.stageName,
      ),
    );
    const policy = new iam.ManagedPolicy(this, 'InvokePolicy', {
      description:
        'Allows sending events and endpoint profiles to the ingest doors; attach to e.g. a Cognito identity pool role',
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: doors })],
    });
    acknowledgeWildcardResources(
      policy,
      doors,
      'The Pinpoint doors are one resource for every app id ({appId} in the path) and endpoint id ({endpointId}, UpdateEndpoint); copy the policy with the app id in place of the first * to limit a role to one app.',
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
          'Path parameters are validated by API Gateway; bodies are validated by the ingest app, which answers per-event 400s and typed 400s with reasons (docs/CONTRACT.md §2a/§2b/§2d) that a gateway model would replace with a generic error.',
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
