import { randomUUID } from 'node:crypto';
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
 * Sets `x-amzn-RequestId` on every response: API Gateway's request id when the Lambda
 * adapter passes one, else a fresh UUID (local server). Handlers read it as `c.get('requestId')`.
 * Idempotent: when apps that each use it are mounted together (the local server), the id set
 * first is kept, so a request has one id.
 */
export const requestId = () =>
  createMiddleware<{ Bindings: LambdaBindings; Variables: RequestIdVariables }>(async (c, next) => {
    const id =
      (c.get('requestId') as string | undefined) ?? c.env?.event?.requestContext?.requestId ?? randomUUID();
    c.set('requestId', id);
    await next();
    c.res.headers.set('x-amzn-RequestId', id);
  });
