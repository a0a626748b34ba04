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
