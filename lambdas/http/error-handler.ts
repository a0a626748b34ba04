import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError } from '../core/errors';
import { logger } from '../core/logger';

/**
 * The one mapper from errors to responses, used by every app and so by every runtime.
 * Caller errors render as `{"message": ...}` with their status; anything else is a 500
 * whose cause is logged, never echoed.
 */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof HttpError) {
    if (err.status >= 500) logger.warn('request failed downstream', { status: err.status, error: err });
    return c.json({ message: err.message }, err.status as ContentfulStatusCode, err.headers);
  }
  if (err instanceof HTTPException) {
    return c.json({ message: err.message || 'Request failed' }, err.status as ContentfulStatusCode);
  }
  logger.error('unhandled error', { error: err as Error });
  return c.json({ message: 'Internal server error' }, 500);
};

export const onNotFound: NotFoundHandler = (c) =>
  c.json({ message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404);
