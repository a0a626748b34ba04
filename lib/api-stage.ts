import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface ApiStageProps {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Burst of requests for the whole stage. */
  readonly burstLimit: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** X-Ray tracing of the stage. @default false */
  readonly tracing?: boolean;
}

/** The stage every REST API of the project is deployed to. */
export const STAGE_NAME = 'prod';

/**
 * Declares the log group API Gateway writes the stage's execution logs to, under the name API
 * Gateway gives it (`API-Gateway-Execution-Logs_{restApiId}/{stage}`), so that it has a
 * retention: left to API Gateway, the group is created on first use and never expires. The
 * stage depends on it, so it exists before the stage first logs.
 */
export function declareExecutionLogs(
  scope: Construct,
  api: apigw.RestApi,
  retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
): logs.LogGroup {
  const group = new logs.LogGroup(scope, 'ExecutionLogs', {
    logGroupName: `API-Gateway-Execution-Logs_${api.restApiId}/${STAGE_NAME}`,
    retention,
  });
  api.deploymentStage.node.addDependency(group);
  return group;
}

/**
 * Stage options shared by the project's REST APIs: JSON access logs (with the IAM caller) in a
 * log group with retention, execution logs at ERROR, metrics, and stage-wide throttling.
 */
export function apiStageOptions(scope: Construct, props: ApiStageProps): apigw.StageOptions {
  const accessLogs = new logs.LogGroup(scope, 'AccessLogs', {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
  });
  return {
    stageName: STAGE_NAME,
    accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
    accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
    loggingLevel: apigw.MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    metricsEnabled: true,
    tracingEnabled: props.tracing ?? false,
    throttlingRateLimit: props.rateLimit,
    throttlingBurstLimit: props.burstLimit,
  };
}
