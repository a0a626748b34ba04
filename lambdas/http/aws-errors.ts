import type { Context, ErrorHandler, Handler, NotFoundHandler } from 'hono';
import { HttpError } from '../core/errors';
import { type ErrorAnswer, errorAnswer, notFoundAnswer } from './error-handler';
import { ensureRequestId } from './request-id';

/**
 * The AWS exception name of each status a door answers (docs/CONTRACT.md §2, "Errors of the
 * doors"): the name the Pinpoint and Mobile Analytics SDKs map to a typed error, and on which
 * they decide whether to retry or, for the Mobile Analytics JS SDK, to drop a batch.
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
  503: 'ServiceUnavailableException',
};

/** The exception name of a status; one the table does not list is a bad request (4xx) or an internal error (5xx). */
export function awsErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'InternalServerErrorException' : 'BadRequestException');
}

/**
 * An error answered the way AWS REST-JSON services answer it: the type in `x-amzn-ErrorType`
 * (every SDK reads it; the body carries no other `code` or `__type`, which the v2 SDK would
 * prefer), and a body with the message under both spellings the SDKs read and the request id.
 */
export function awsErrorResponse(c: Context, answer: ErrorAnswer): Response {
  const requestId = ensureRequestId(c);
  return c.json({ message: answer.message, Message: answer.message, RequestID: requestId }, answer.status, {
    ...answer.headers,
    'x-amzn-ErrorType': awsErrorType(answer.status),
    'x-amzn-RequestId': requestId,
  });
}

/** The doors' error mapper: {@link errorAnswer}'s classification, answered as AWS does. */
export const onAwsError: ErrorHandler = (err, c) => awsErrorResponse(c, errorAnswer(err));

export const onAwsNotFound: NotFoundHandler = (c) => awsErrorResponse(c, notFoundAnswer(c));

/** The handler of a door path for the methods it does not take: 405 with `Allow`. */
export function methodNotAllowed(allowed: string): Handler {
  return (c) => {
    throw new HttpError(405, `${c.req.method} is not allowed on ${c.req.path}; use ${allowed}`, {
      headers: { Allow: allowed },
    });
  };
}
