import type { Context, ErrorHandler, Handler, NotFoundHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { awsErrorType } from '../core/aws-error-types';
import { HttpError } from '../core/errors';
import { type ErrorAnswer, errorAnswer, notFoundAnswer } from './error-handler';
import { ensureRequestId } from './request-id';

/**
 * The status a door answers for a classified one: a downstream that cannot serve now (503: the
 * event store failing, the local lake not ready) is a 500 `InternalServerErrorException`, with
 * its message and `Retry-After`. The Pinpoint API model has no ServiceUnavailableException;
 * Amplify v6 re-buffers events on 429 and 500 only and loses them on 503, and the v3 and v2 SDKs
 * retry a 500 as they do a 503 (docs/CONTRACT.md §2, "Errors of the doors"; ADR 012).
 * Throttling stays 429.
 */
function doorStatus(status: ContentfulStatusCode): ContentfulStatusCode {
  return status === 503 ? 500 : status;
}

/**
 * An error answered the way AWS REST-JSON services answer it: the type in `x-amzn-ErrorType`
 * (every SDK reads it; the body carries no other `code` or `__type`, which the v2 SDK would
 * prefer), and a body with the message under both spellings the SDKs read and the request id.
 */
export function awsErrorResponse(c: Context, answer: ErrorAnswer): Response {
  const requestId = ensureRequestId(c);
  const status = doorStatus(answer.status);
  return c.json({ message: answer.message, Message: answer.message, RequestID: requestId }, status, {
    ...answer.headers,
    'x-amzn-ErrorType': awsErrorType(status),
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
