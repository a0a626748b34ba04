import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError } from '../core/errors';
import { logger } from '../core/logger';

/** An error as it is answered: its status, the message the caller may read, extra headers. */
export interface ErrorAnswer {
  readonly status: ContentfulStatusCode;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The one classification of errors, shared by every app and so by every runtime: a caller's
 * error keeps its status, message and headers; anything else is a 500 whose cause is logged,
 * never echoed.
 */
export function errorAnswer(err: Error): ErrorAnswer {
  if (err instanceof HttpError) {
    if (err.status >= 500) logger.warn('request failed downstream', { status: err.status, error: err });
    return { status: err.status, message: err.message, headers: err.headers };
  }
  if (err instanceof HTTPException) {
    return {
      status: err.status as ContentfulStatusCode,
      message: err.message || 'Request failed',
      headers: {},
    };
  }
  logger.error('unhandled error', { error: err });
  return { status: 500, message: 'Internal server error', headers: {} };
}

/** The 404 of a path no route has, in every app's words. */
export function notFoundAnswer(c: Context): ErrorAnswer {
  return { status: 404, message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, headers: {} };
}

/** The KPI API's errors (docs/CONTRACT.md §3): `{"message": ...}` with the status. */
export const onError: ErrorHandler = (err, c) => {
  const answer = errorAnswer(err);
  return c.json({ message: answer.message }, answer.status, answer.headers);
};

export const onNotFound: NotFoundHandler = (c) => c.json({ message: notFoundAnswer(c).message }, 404);
