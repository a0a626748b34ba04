import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';

/** What the Lambda adapter (`hono/aws-lambda`) puts in `c.env`; absent on the local server. */
export interface LambdaBindings {
  event?: { requestContext?: { requestId?: string } };
}

export interface RequestIdVariables {
  requestId: string;
}

/**
 * Sets `x-amzn-RequestId` on every response: API Gateway's request id when the Lambda
 * adapter passes one, else a fresh UUID (local server). Handlers read it as `c.get('requestId')`.
 */
export const requestId = () =>
  createMiddleware<{ Bindings: LambdaBindings; Variables: RequestIdVariables }>(async (c, next) => {
    const id = c.env?.event?.requestContext?.requestId ?? randomUUID();
    c.set('requestId', id);
    await next();
    c.res.headers.set('x-amzn-RequestId', id);
  });
