/**
 * The AWS exception name of each status the ingest doors answer (docs/CONTRACT.md §2, "Errors of
 * the doors"): the name the Pinpoint and Mobile Analytics SDKs read from `x-amzn-ErrorType` to
 * raise a typed error, and on which they decide whether to retry or, for the Mobile Analytics JS
 * SDK, to drop a batch. The doors' error mapper and the API Gateway responses of the deployed
 * doors both name their errors with it. There is no 503: the Pinpoint API model has no
 * ServiceUnavailableException, and the doors answer 500 instead (`lambdas/http/aws-errors.ts`).
 */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'BadRequestException',
  403: 'ForbiddenException',
  404: 'NotFoundException',
  405: 'MethodNotAllowedException',
  413: 'PayloadTooLargeException',
  415: 'BadRequestException',
  429: 'TooManyRequestsException',
  500: 'InternalServerErrorException',
};

/** The exception name of a status; one the table does not list is a bad request (4xx) or an internal error (5xx). */
export function awsErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'InternalServerErrorException' : 'BadRequestException');
}
