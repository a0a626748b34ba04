import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';

/** What the Lambda adapter (`hono/aws-lambda`) puts in `c.env`; absent on the local server. */
export interface LambdaBindings {
  /** `path` is the path the client called, with the stage (`/prod/...`). */
  event?: { requestContext?: { requestId?: string; path?: string } };
}

export interface RequestIdVariables {
  requestId: string;
}

/**
 * The request's id: the one already set, else API Gateway's request id when the Lambda
 * adapter passes one, else a fresh UUID (local server); set on the context for what follows.
 */
export function ensureRequestId(c: Context): string {
  const ctx = c as Context<{ Bindings: LambdaBindings; Variables: RequestIdVariables }>;
  const id =
    (ctx.get('requestId') as string | undefined) ?? ctx.env?.event?.requestContext?.requestId ?? randomUUID();
  ctx.set('requestId', id);
  return id;
}

/**
 * Sets `x-amzn-RequestId` on every response (see {@link ensureRequestId}). Handlers read it as
 * `c.get('requestId')`. Idempotent: when apps that each use it are mounted together (the local
 * server), the id set first is kept, so a request has one id.
 */
export const requestId = () =>
  createMiddleware<{ Bindings: LambdaBindings; Variables: RequestIdVariables }>(async (c, next) => {
    const id = ensureRequestId(c);
    await next();
    c.res.headers.set('x-amzn-RequestId', id);
  });
