import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { KpiEnvironment } from '../lambdas/handlers/environment';
import type { ApiGatewayLogging } from './api-gateway-logging';
import { apiStageOptions, declareExecutionLogs } from './api-stage';
import type { AthenaWorkGroup } from './athena-workgroup';
import type { EventsTable } from './events-table';
import { HANDLER_ENTRIES, HandlerFunction } from './handler-function';
import { grantAppListing, grantKpiQueries, grantRollupReads } from './kpi-query-grants';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import type { RollupTables } from './rollup-tables';

export interface KpiApiProps {
  readonly name: string;
  readonly bucket: s3.IBucket;
  readonly table: EventsTable;
  readonly workGroup: AthenaWorkGroup;
  /** The rollup tables the job keeps; the Lambda reads them and their manifests (ADR 019). */
  readonly rollupTables: RollupTables;
  /** The lake's first day: no query reads a `dt` before it. */
  readonly lakeStartDate: string;
  /** The account's API Gateway CloudWatch role, set before the stage logs. */
  readonly logging: ApiGatewayLogging;
  readonly metricsNamespace: string;
  /** @default 10 requests per second (each request runs at least one Athena query) */
  readonly rateLimit?: number;
  /** @default 20 */
  readonly burstLimit?: number;
  readonly logRetention?: logs.RetentionDays;
  readonly tracing?: boolean;
}

/** API Gateway gives up on an integration after 29 s; the Lambda must answer before that. */
export const KPI_LAMBDA_TIMEOUT = Duration.seconds(28);
/** The Athena engine stops polling (and answers 504) here, leaving time to fetch and render results. */
export const QUERY_DEADLINE = Duration.seconds(24);

/**
 * The KPI API (the retired Querying API's paths under /apps/{appId}/...) behind API Gateway with
 * IAM auth on every method, so a policy on `GET/apps/<appId>/*` grants one app's KPIs, and one
 * on `GET/apps` the list of apps. The KPI Lambda may run queries in the project's workgroup
 * only, read the events table and `events/`, list the apps below `events/`, and read and write
 * `athena-results/`.
 */
export class KpiApi extends Construct {
  readonly api: apigw.RestApi;
  readonly handler: HandlerFunction;
  /** Grants execute-api:Invoke on the index, every app's KPIs, the list of apps and the OpenAPI document. */
  readonly readPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: KpiApiProps) {
    super(scope, id);
    this.handler = new HandlerFunction(this, 'Handler', {
      entry: HANDLER_ENTRIES.kpi,
      description: 'KPI API: Querying API paths answered with Athena',
      serviceName: 'kpi',
      metricsNamespace: props.metricsNamespace,
      environment: {
        ATHENA_WORKGROUP: props.workGroup.name,
        GLUE_DATABASE: props.table.databaseName,
        QUERY_DEADLINE_MS: String(QUERY_DEADLINE.toMilliseconds()),
        LAKE_START_DATE: props.lakeStartDate,
        LAKE_BUCKET: props.bucket.bucketName,
      } satisfies KpiEnvironment,
      timeout: KPI_LAMBDA_TIMEOUT,
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    grantKpiQueries(this.handler.role, props);
    grantAppListing(this.handler.role, props.bucket);
    grantRollupReads(this.handler.role, props.bucket, props.rollupTables);

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `${props.name}-kpi`,
      description: 'Mobile Analytics Querying API paths over the events lake',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: apiStageOptions(this, {
        rateLimit: props.rateLimit ?? 10,
        burstLimit: props.burstLimit ?? 20,
        logRetention: props.logRetention,
        tracing: props.tracing,
      }),
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
    });
    this.api.deploymentStage.node.addDependency(props.logging.account);
    declareExecutionLogs(this, this.api, props.logRetention);
    const integration = new apigw.LambdaIntegration(this.handler.function);
    const validator = this.api.addRequestValidator('ParameterValidator', { validateRequestParameters: true });
    // The root answers the app's index; declared before addProxy, which would otherwise give the
    // root an ANY method with a MOCK integration (a 500 on GET /).
    this.api.root.addMethod('ANY', integration);
    this.api.root.addResource('openapi.json').addMethod('GET', integration);
    this.api.root.resourceForPath('/apps').addMethod('GET', integration);
    this.api.root.resourceForPath('/apps/{appId}/{proxy+}').addMethod('GET', integration, {
      requestValidator: validator,
      requestParameters: {
        'method.request.path.appId': true,
        'method.request.path.proxy': true,
        'method.request.querystring.startDate': false,
        'method.request.querystring.endDate': false,
        'method.request.querystring.timezone': false,
      },
    });
    // Any other path reaches the app, which answers 404 (docs/CONTRACT.md §3), instead of API Gateway's 403.
    this.api.root.addProxy({ defaultIntegration: integration, anyMethod: true });

    this.readPolicy = new iam.ManagedPolicy(this, 'ReadPolicy', {
      description:
        'Allows listing the apps and reading the KPIs of every app; copy it with an app id in place of * to grant one app',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [
            this.readArn('/'),
            this.readArn('/apps'),
            this.readArn('/apps/*'),
            this.readArn('/openapi.json'),
          ],
        }),
      ],
    });
    acknowledgeWildcardResources(
      this.readPolicy,
      [this.readArn('/apps/*')],
      'The policy grants the KPIs of every app; a per-app copy replaces * with the app id (GET/apps/<appId>/*).',
    );
    this.acknowledgeFindings();
  }

  /** The execute-api ARN of GET on a path of the deployed stage. */
  readArn(path: string): string {
    return this.api.arnForExecuteApi('GET', path, this.api.deploymentStage.stageName);
  }

  private acknowledgeFindings(): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-COG4',
        reason:
          'KPI callers are AWS principals (dashboards, jobs, people with roles) authorised by IAM policies per app path; there is no user pool.',
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Every method is GET without a body; the path and query parameters are validated by API Gateway and then strictly by the KPI app (docs/CONTRACT.md §3), so there is no body to validate.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF web ACL (fixed monthly cost per ACL): every method requires SigV4 from an IAM principal of the account, and the stage is throttled.',
      },
    );
  }
}
