import type { Context, ErrorHandler, Handler, NotFoundHandler } from 'hono';
import { awsErrorType } from '../core/aws-error-types';
import { HttpError } from '../core/errors';
import { type ErrorAnswer, errorAnswer, notFoundAnswer } from './error-handler';
import { ensureRequestId } from './request-id';

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
