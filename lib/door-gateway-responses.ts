import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { awsErrorType } from '../lambdas/core/aws-error-types';

/**
 * API Gateway's own errors on the doors (before the ingest Lambda runs), with their default
 * status codes (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * Unknown paths and methods are MISSING_AUTHENTICATION_TOKEN (403) there, so they are not a 404.
 */
const GATEWAY_ERRORS: readonly [apigw.ResponseType, number][] = [
  [apigw.ResponseType.BAD_REQUEST_PARAMETERS, 400],
  [apigw.ResponseType.BAD_REQUEST_BODY, 400],
  [apigw.ResponseType.ACCESS_DENIED, 403],
  [apigw.ResponseType.INVALID_SIGNATURE, 403],
  [apigw.ResponseType.EXPIRED_TOKEN, 403],
  [apigw.ResponseType.INVALID_API_KEY, 403],
  [apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, 403],
  [apigw.ResponseType.RESOURCE_NOT_FOUND, 404],
  [apigw.ResponseType.REQUEST_TOO_LARGE, 413],
  [apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, 415],
  [apigw.ResponseType.THROTTLED, 429],
  [apigw.ResponseType.QUOTA_EXCEEDED, 429],
  [apigw.ResponseType.DEFAULT_5XX, 500],
];

/** The doors' error body (docs/CONTRACT.md §2): the message under both spellings the SDKs read, and the request id. */
const ERROR_BODY =
  '{"message":$context.error.messageString,"Message":$context.error.messageString,"RequestID":"$context.requestId"}';

/**
 * Makes API Gateway answer its own errors on the doors as the doors do (docs/CONTRACT.md §2,
 * "Errors of the doors"): `x-amzn-ErrorType` with the exception name the SDKs map to a typed
 * error (a throttled request is a TooManyRequestsException, which every SDK retries), and the
 * doors' body. Gateway response headers take static values only, so DEFAULT_5XX (500, 502, 504)
 * is named for 500. The status codes stay API Gateway's.
 */
export function addDoorGatewayResponses(api: apigw.RestApi): void {
  for (const [type, status] of GATEWAY_ERRORS) {
    api.addGatewayResponse(`GatewayResponse${type.responseType}`, {
      type,
      responseHeaders: { 'x-amzn-ErrorType': `'${awsErrorType(status)}'` },
      templates: { 'application/json': ERROR_BODY },
    });
  }
}
